"""Pieces of PTC text shared by the loaded-language teacher scripts (`loaded_teacher.py`,
`loaded_finetune.py`): the PTC reader, gold classes per wordpiece, wordpieces joined into words, and predicted
probabilities turned back into character spans. numpy only.

Written for newslens. Licence: MIT OR Apache-2.0.
"""

import collections
import os

import numpy as np

NAMES = {1: "Loaded_Language", 2: "Name_Calling,Labeling"}
TECHNIQUES = {name: label for label, name in NAMES.items()}


def piece_classes(starts, ends, gold):
    """Each piece takes the class of the gold span covering most of it (loaded language first)."""
    gold = sorted(gold, key=lambda g: (g[2] != 1, g[0]))
    classes = np.zeros(len(starts), np.int64)
    for i, (s, e) in enumerate(zip(starts, ends)):
        best = 0
        for gs, ge, c in gold:
            overlap = min(e, ge) - max(s, gs)
            if overlap > best:
                best, classes[i] = overlap, c
    return classes


def words(text, starts, ends):
    """Runs of pieces that make one word (no gap, letters or digits on both sides)."""
    runs, i = [], 0
    while i < len(starts):
        j = i
        while (j + 1 < len(starts) and starts[j + 1] == ends[j]
               and text[starts[j + 1]].isalnum() and text[ends[j] - 1].isalnum()):
            j += 1
        runs.append((i, j))
        i = j + 1
    return runs


def spans(text, starts, ends, probabilities, threshold):
    """Character spans of words whose pieces are mostly loaded (P(not none) > threshold), adjacent
    words joined over whitespace; each span's technique is the likelier of the two."""
    loaded = 1 - probabilities[:, 0] > threshold
    marked = [(a, b) for a, b in words(text, starts, ends) if loaded[a:b + 1].mean() >= 0.5]
    found = []
    for a, b in marked:
        start, end = starts[a], ends[b]
        if found and text[found[-1][1]:start].strip() == "":
            found[-1][1], found[-1][2] = end, found[-1][2] + probabilities[a:b + 1, 1:].sum(0)
        else:
            found.append([start, end, probabilities[a:b + 1, 1:].sum(0)])
    return [(s, e, NAMES[1] if p[0] >= p[1] else NAMES[2]) for s, e, p in found]


def mask(n, spans_):
    """The characters of a text of length `n` that these spans cover."""
    m = np.zeros(n, bool)
    for s, e, *_ in spans_:
        m[s:e] = True
    return m


def read_ptc(ptc):
    """Articles sorted by id (as the Rust reader sorts them) with their loaded gold spans."""
    gold = collections.defaultdict(list)
    for line in open(os.path.join(ptc, "techniques.labels"), encoding="utf-8"):
        aid, technique, start, end = line.rstrip("\n").split("\t")
        if technique in TECHNIQUES:
            gold[aid].append((int(start), int(end), TECHNIQUES[technique]))
    ids = sorted(n[len("article"):-len(".txt")] for n in os.listdir(os.path.join(ptc, "articles"))
                 if n.endswith(".txt"))
    return [(aid, open(os.path.join(ptc, "articles", f"article{aid}.txt"), encoding="utf-8").read(),
             gold[aid]) for aid in ids]
