#!/usr/bin/env python3
"""Score trafilatura and htmldate on the extraction sets, as `newslens eval extraction` scores newslens.

Setup, outside the repository:

    python3 -m venv /tmp/peers && /tmp/peers/bin/pip install trafilatura==2.3.1 htmldate==1.11.0 lxml_html_clean

Run: /tmp/peers/bin/python scripts/extraction_peers.py ../shared/data/extraction

It reads body/, dates/ and meta/ (gold.jsonl and the pages), runs trafilatura 2.3
(`bare_extraction`, favor_precision, with metadata; no URL given, as newslens gets none) and
htmldate 1.11 (`find_date`, original_date, extensive search) on each page, and prints the same
figures as the newslens command: body shingle P/R/F1, publication day right, author found inside
the byline, normalised title, and the CPU time (time.process_time) of extraction alone. The pages
are decoded to text before timing starts, so decoding is not counted for either peer. No test
needs this script.
"""

import json
import re
import sys
import time
from collections import Counter
from pathlib import Path

import htmldate
import trafilatura

WORD = re.compile(r"\w+")


def shingles(text):
    tokens = WORD.findall(text or "")
    n = 4
    return Counter(
        tuple(tokens[i : i + n]) for i in range(max(1, len(tokens) - n + 1)) if tokens[i : i + n]
    )


def pr(gold, got):
    g, p = shingles(gold), shingles(got)
    tp = sum((g & p).values())
    n_got, n_gold = sum(p.values()), sum(g.values())
    prec = tp / n_got if n_got else (1.0 if n_gold == tp else 0.0)
    rec = tp / n_gold if n_gold else (1.0 if n_got == tp else 0.0)
    return prec, rec


def norm(text):
    return " ".join(WORD.findall((text or "").lower()))


def inside(author, byline):
    a, b = norm(author), norm(byline)
    return bool(a) and f" {a} " in f" {b} "


def pages(folder):
    for line in open(folder / "gold.jsonl", encoding="utf-8"):
        if line.strip():
            gold = json.loads(line)
            raw = (folder / gold["file"]).read_bytes()
            html = raw.decode("utf-8", errors="replace")
            yield gold, html


def main():
    root = Path(sys.argv[1] if len(sys.argv) > 1 else "../shared/data/extraction")
    cpu_traf = cpu_hd = 0.0
    n_pages = 0

    def traf(html):
        nonlocal cpu_traf
        start = time.process_time()
        doc = trafilatura.bare_extraction(
            html, favor_precision=True, with_metadata=True, include_comments=False
        )
        cpu_traf += time.process_time() - start
        return doc

    if (root / "body").exists():
        p = r = 0.0
        n = 0
        for gold, html in pages(root / "body"):
            doc = traf(html)
            pp, rr = pr(gold["body"], doc.text if doc else "")
            p, r, n = p + pp, r + rr, n + 1
        p, r = p / n, r / n
        print(f"trafilatura body ({n} pages): P {p:.3f}  R {r:.3f}  F1 {2 * p * r / (p + r):.3f}")
        n_pages += n

    if (root / "dates").exists():
        right_t = right_h = n = 0
        for gold, html in pages(root / "dates"):
            doc = traf(html)
            got_t = (doc.date or None) if doc else None
            start = time.process_time()
            got_h = htmldate.find_date(html, original_date=True, extensive_search=True)
            cpu_hd += time.process_time() - start
            right_t += (got_t[:10] if got_t else None) == gold["published"]
            right_h += (got_h[:10] if got_h else None) == gold["published"]
            n += 1
        print(f"publication day ({n} pages): trafilatura {right_t / n:.3f}   htmldate {right_h / n:.3f}")
        n_pages += n

    if (root / "meta").exists():
        title = author = with_byline = n = 0
        for gold, html in pages(root / "meta"):
            doc = traf(html)
            n += 1
            title += bool(doc) and norm(doc.title) == norm(gold["title"])
            if gold.get("byline"):
                with_byline += 1
                authors = [a.strip() for a in (doc.author or "").split(";") if a.strip()] if doc else []
                author += bool(authors) and all(inside(a, gold["byline"]) for a in authors)
        print(f"title ({n} pages): trafilatura {title / n:.3f}")
        print(f"author ({with_byline} pages with a byline): trafilatura {author / with_byline:.3f}")
        n_pages += n

    print(
        f"CPU time of trafilatura over {n_pages} pages: {cpu_traf:.2f} s, "
        f"{cpu_traf * 1000 / max(1, n_pages):.1f} ms a page; htmldate on the date pages: {cpu_hd:.2f} s"
    )


if __name__ == "__main__":
    main()
