"""Words per second of newslens.analyze_many against the newslens CLI on the same texts.

    python python/bench/analyze_many.py --cli target/release/newslens \
        --texts ../shared/data/quotes/polnear/dev/text --jobs 2 --runs 3

Both read the same texts: the CLI from a JSON-lines file (`newslens analyze --format jsonl`,
output to /dev/null), Python from a list of strings, consuming every dict. The best of
`--runs` runs is reported for each, and the binding's cost as the relative difference. The
machine's cores are shared: run it more than once and read the spread, not one figure.
"""

import argparse
import json
import os
import pathlib
import subprocess
import sys
import tempfile
import time

import newslens


def load_texts(folder, limit):
    texts = []
    for path in sorted(pathlib.Path(folder).rglob("*")):
        if path.is_file() and path.suffix in (".txt", ""):
            text = path.read_text(encoding="utf-8", errors="replace").strip()
            if text:
                texts.append(text)
        if len(texts) >= limit:
            break
    return texts


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cli", required=True, help="the newslens binary (a release build)")
    parser.add_argument("--texts", required=True, help="a folder of .txt articles")
    parser.add_argument("--limit", type=int, default=2000, help="texts to read at most")
    parser.add_argument("--jobs", type=int, default=os.cpu_count())
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()

    texts = load_texts(args.texts, args.limit)
    if not texts:
        sys.exit(f"{args.texts}: no texts found")
    n_words = sum(len(text.split()) for text in texts)
    print(f"bench analyze_many: {len(texts)} texts, {n_words} words, {args.jobs} jobs")

    with tempfile.TemporaryDirectory() as folder:
        jsonl = pathlib.Path(folder) / "texts.jsonl"
        jsonl.write_text("".join(json.dumps({"text": text}) + "\n" for text in texts))
        cli_times, python_times = [], []
        for _ in range(args.runs):
            started = time.perf_counter()
            with open(os.devnull, "wb") as sink:
                subprocess.run(
                    [args.cli, "analyze", "--format", "jsonl", "-j", str(args.jobs), str(jsonl)],
                    stdout=sink,
                    check=True,
                )
            cli_times.append(time.perf_counter() - started)

            started = time.perf_counter()
            n_articles = sum(1 for _ in newslens.analyze_many(texts, jobs=args.jobs))
            python_times.append(time.perf_counter() - started)
            assert n_articles == len(texts)

    cli_rate = n_words / min(cli_times)
    python_rate = n_words / min(python_times)
    print(f"  CLI         {cli_rate:>10.0f} words/s (best of {args.runs}: {min(cli_times):.2f} s; all {', '.join(f'{t:.2f}' for t in cli_times)})")
    print(f"  Python      {python_rate:>10.0f} words/s (best of {args.runs}: {min(python_times):.2f} s; all {', '.join(f'{t:.2f}' for t in python_times)})")
    print(f"  binding cost {100 * (1 - python_rate / cli_rate):+.1f} % (negative: Python was faster)")


if __name__ == "__main__":
    main()
