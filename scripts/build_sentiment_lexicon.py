#!/usr/bin/env python3
"""Builds crates/core/data/sentiment_lexicon.txt from the VADER lexicon (MIT licence).

The tone layer counts words in a positive and a negative lexicon, as GDELT does. We take VADER's
human-rated valences (Hutto & Gilbert, ICWSM 2014; vaderSentiment 3.3.2 on PyPI, MIT licence),
keep single words (letters, hyphens, apostrophes), drop weakly rated ones (|valence| < 1.0) and
words that are names or neutral topics in news ("party", "United", "Supreme Court", "security"),
and write `word<TAB>valence` lines. Run at development time only; the output is committed:

    python3 scripts/build_sentiment_lexicon.py            # downloads the wheel with pip
    python3 scripts/build_sentiment_lexicon.py PATH/vader_lexicon.txt
"""

import io
import pathlib
import re
import subprocess
import sys
import tempfile
import zipfile

VERSION = "3.3.2"
MIN_VALENCE = 1.0
OUT = pathlib.Path(__file__).resolve().parent.parent / "crates/core/data/sentiment_lexicon.txt"

# Words VADER rates but news uses as names, function words or neutral topic nouns: counting them
# would make every article about a party or the Supreme Court look positive.
NEWS_NEUTRAL = set("""
ability backed backing certain chance create created credit defense energy growing gun hand hard
heart important intelligence interest interests justice kind leave legal like matter no number
parties party pay play played playing pretty reach security serious share significant special
super supreme sure top tough united values want well yes
""".split())


def vader_lines(argv):
    if len(argv) > 1:
        return pathlib.Path(argv[1]).read_text(encoding="utf-8").splitlines()
    with tempfile.TemporaryDirectory() as tmp:
        subprocess.run(
            [sys.executable, "-m", "pip", "download", "--no-deps", "-q", "-d", tmp,
             f"vaderSentiment=={VERSION}"],
            check=True,
        )
        wheel = next(pathlib.Path(tmp).glob("*.whl"))
        with zipfile.ZipFile(wheel) as archive:
            data = archive.read("vaderSentiment/vader_lexicon.txt")
        return io.TextIOWrapper(io.BytesIO(data), encoding="utf-8").read().splitlines()


def main(argv):
    kept = []
    for line in vader_lines(argv):
        fields = line.split("\t")
        if len(fields) < 2:
            continue
        word, valence = fields[0], float(fields[1])
        if not re.fullmatch(r"[a-z][a-z'-]*", word) or word in NEWS_NEUTRAL:
            continue
        if abs(valence) < MIN_VALENCE:
            continue
        kept.append((word, valence))
    kept.sort()
    header = f"""# Sentiment lexicon for the tone layer: word<TAB>valence (VADER's mean human rating, -4..4).
# Positive words have valence > 0, negative words < 0; GDELT-style tone counts them.
# Source: VADER lexicon (Hutto & Gilbert, ICWSM 2014), vaderSentiment {VERSION} on PyPI, filtered by
# scripts/build_sentiment_lexicon.py (single words, |valence| >= {MIN_VALENCE}, news-neutral words removed).
# Licence: MIT (Copyright (c) 2016 C.J. Hutto).
"""
    body = "".join(f"{word}\t{valence:.1f}\n" for word, valence in kept)
    OUT.write_text(header + body, encoding="utf-8")
    n_positive = sum(1 for _, v in kept if v > 0)
    print(f"wrote {OUT}: {len(kept)} words ({n_positive} positive, {len(kept) - n_positive} negative)")


if __name__ == "__main__":
    main(sys.argv)
