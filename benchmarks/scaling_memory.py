"""Memory against data size: lists in memory vs a streamed corpus.

UD English-EWT train repeated 1×, 4× and 16× (the file read that many times,
so every copy is a new set of Python objects, as a bigger corpus would be),
fitted with the default tagger for one epoch two ways, each in a fresh child
process:

* **lists**: ``read_conllu`` into lists, then ``fit(X, y)``;
* **stream**: ``fit(ConlluStream([path] * k))``, which reads the file again
  for the first pass (vocabulary, classes), for training and for validation,
  holding one pool of ``batch_size * 50`` sentences at a time.

* **stream, oneDNN cache 64**: the stream again, with
  ``ONEDNN_PRIMITIVE_CACHE_CAPACITY=64``. oneDNN (the CPU kernels of the
  BiLSTM) caches up to 1024 compiled kernels by default, one per batch shape
  it meets; more data brings more distinct shapes (the last, smaller batch of
  every pool), so that native cache, not data, grows until it is full. A
  smaller cache shows what the data path itself holds.

Reported: the children's peak resident memory (``ru_maxrss``), its growth over
the same child after its imports and before reading data, fit time and
training tokens per second, and the test accuracy of the tagger after its one
epoch (the stream shuffles only within pools, so its single epoch is not
the same as the list fit's).

    python benchmarks/scaling_memory.py            # about 20 minutes on 2 cores
    python benchmarks/scaling_memory.py --quick    # 300 sentences, 1× and 2×, lists and stream: 30 s
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

from _common import report

from skattention.datasets import get_data_home

CHILD = """
import json, resource, sys, time
cfg = json.loads(sys.argv[1])
from skattention import AttentionTokenClassifier
from skattention.datasets import ConlluStream, read_conllu
from skattention.metrics import flat_accuracy_score
Xt, yt = read_conllu(cfg["test"])
est = AttentionTokenClassifier(random_state=0, max_epochs=1, **cfg["params"])
rss = lambda: resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
base = rss()
start = time.perf_counter()
if cfg["mode"] == "lists":
    X, y = [], []
    for _ in range(cfg["factor"]):
        Xi, yi = read_conllu(cfg["train"])
        X += Xi
        y += yi
    loaded = rss()
    est.fit(X, y)
    seconds = time.perf_counter() - start
    tokens = sum(map(len, X))
else:
    loaded = base
    est.fit(ConlluStream([cfg["train"]] * cfg["factor"]))
    seconds = time.perf_counter() - start
    tokens = sum(len(x) for x, _ in ConlluStream(cfg["train"])) * cfg["factor"]
peak = rss()
epoch = est.history[-1]
print(json.dumps({"baseline_bytes": base, "loaded_bytes": loaded, "peak_bytes": peak, "fit_seconds": seconds,
                  "epoch_seconds": epoch["dur"], "tokens": tokens,
                  "accuracy": flat_accuracy_score(yt, est.predict(Xt))}))
"""


def head_conllu(src: Path, dst: Path, n: int) -> None:
    """The first ``n`` sentences of a CoNLL-U file (sentences end at a blank line)."""
    blocks = src.read_text(encoding="utf-8").split("\n\n")[:n]
    dst.write_text("\n\n".join(blocks) + "\n\n", encoding="utf-8")


# mode → extra environment of the child
MODES = {"lists": {}, "stream": {}, "stream, oneDNN cache 64": {"ONEDNN_PRIMITIVE_CACHE_CAPACITY": "64"}}


def run_child(cfg: dict, env: dict) -> dict:
    env = {**os.environ, "OMP_NUM_THREADS": str(cfg["threads"]), **env}
    proc = subprocess.run([sys.executable, "-c", CHILD, json.dumps(cfg)], capture_output=True, text=True, env=env,
                          timeout=3600)
    if proc.returncode:
        raise RuntimeError(proc.stderr[-3000:])
    return json.loads(proc.stdout.strip().splitlines()[-1])


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true")
    args = parser.parse_args()
    folder = get_data_home() / "ud_english_ewt"
    train, test = folder / "en_ewt-ud-train.conllu", folder / "en_ewt-ud-test.conllu"
    factors, params, label = (1, 4, 16), {}, "EWT train"
    with tempfile.TemporaryDirectory() as tmp:
        if args.quick:
            factors, params, label = (1, 2), {"d_model": 32, "n_heads": 2, "n_layers": 1}, "300 sentences"
            head_conllu(train, Path(tmp) / "train.conllu", 300)
            head_conllu(test, Path(tmp) / "test.conllu", 100)
            train, test = Path(tmp) / "train.conllu", Path(tmp) / "test.conllu"
        rows = []
        modes = {m: MODES[m] for m in ("lists", "stream")} if args.quick else MODES
        for mode in modes:
            for factor in factors:
                cfg = {"mode": mode, "factor": factor, "train": str(train), "test": str(test), "params": params,
                       "threads": 2}
                result = run_child(cfg, MODES[mode])
                row = {"mode": mode, "factor": factor, **result,
                       "growth_bytes": result["peak_bytes"] - result["baseline_bytes"],
                       "train_tokens_per_s": result["tokens"] / result["fit_seconds"]}
                print(row, flush=True)
                rows.append(row)
    by = {(r["mode"], r["factor"]): r for r in rows}
    lines = ["| data | tokens | " + " | ".join(f"{mode}: peak RSS (growth), fit, accuracy" for mode in modes) + " |",
             "|---|---|" + "---|" * len(modes)]
    gb = 1e9
    for factor in factors:
        cells = [f"{by[m, factor]['peak_bytes'] / gb:.2f} GB (+{by[m, factor]['growth_bytes'] / gb:.2f}), "
                 f"{by[m, factor]['fit_seconds']:.0f} s, {by[m, factor]['accuracy']:.4f}" for m in modes]
        lines.append(f"| {label} × {factor} | {by['lists', factor]['tokens']:,} | " + " | ".join(cells) + " |")
    note = ("Peak RSS of a fresh process fitting the default tagger for one epoch (validation 10%); growth is "
            "over the same process after its imports, before reading data; accuracy on EWT test after that "
            "epoch. The stream's fit time includes its extra passes over the file (the first pass for the "
            "vocabulary, and validation reading the whole file to pick its 10%); the lists' includes reading "
            "the file once.")
    report("scaling_memory", rows, "", quick=args.quick, table="\n".join(lines), note=note)


if __name__ == "__main__":
    main()
