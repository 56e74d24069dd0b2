"""The GPU path: mixed precision throughput, long sequences, CPU/GPU agreement.

1. Training tokens/s of the default tagger (AttentionTokenClassifier, UD
   English-EWT train, ``batch_size=256``) with ``precision="32"`` and
   ``"bf16"``; the median epoch of skorch's durations, no validation pass.
   Goal: ≥ 1M tokens/s on an H100.
2. AttentionSequenceClassifier (``encoder="transformer"``) fitted on single
   sequences (``batch_size=1``) of 1k, 4k and 16k elements: seconds per
   training step and peak GPU memory, fp32 and bf16. With one unpadded
   sequence per batch no mask is built, so
   ``F.scaled_dot_product_attention`` runs its flash (bf16) or
   memory-efficient (fp32) kernel and memory grows linearly with length.
   Goal: 16k elements fit.
3. Agreement: a model fitted on the CPU predicts fresh random inputs on the
   GPU; the largest probability difference is reported.

    python benchmarks/gpu.py            # needs CUDA; about 5 minutes on an H100
    python benchmarks/gpu.py --quick    # tiny sizes; runs on the CPU when there is no GPU

Results go to ``benchmarks/results/gpu.json`` with the device name.
"""

from __future__ import annotations

import argparse
import statistics
import time

import numpy as np
import torch
from _common import report

from skattention import AttentionSequenceClassifier, AttentionTokenClassifier
from skattention.datasets import load_ud_english_ewt


def _device() -> str:
    return "cuda" if torch.cuda.is_available() else "cpu"


def _sync():
    if torch.cuda.is_available():
        torch.cuda.synchronize()


def tagger_throughput(quick: bool) -> list[dict]:
    X, y = load_ud_english_ewt("train")
    if quick:
        X, y = X[:600], y[:600]
    n_tokens = sum(len(x) for x in X)
    rows = []
    for precision in ("32", "bf16"):
        row = {"model": f"default tagger, batch 256, precision={precision!r}"}
        try:
            model = AttentionTokenClassifier(batch_size=256, max_epochs=2 if quick else 4, train_split=None,
                                             patience=None, precision=precision, device=_device(),
                                             random_state=0).fit(X, y)
            durations = list(model.history_["dur"])[1:]  # the first epoch pays for warm-up
            row["train_tokens_per_s"] = n_tokens / statistics.median(durations)
        except RuntimeError as exc:  # recorded, so that one failing kernel does not hide the other rows
            row["error"] = f"{type(exc).__name__}: {str(exc).splitlines()[0]}"
        print(row, flush=True)
        rows.append(row)
    return rows


def long_sequences(quick: bool) -> list[dict]:
    rng = np.random.default_rng(0)
    rows = []
    lengths = (256, 512) if quick else (1024, 4096, 16384)
    for length in lengths:
        X = [rng.standard_normal((length, 8)).astype(np.float32) for _ in range(4 if quick else 8)]
        y = np.arange(len(X)) % 2
        for precision in ("32", "bf16"):
            if torch.cuda.is_available():
                torch.cuda.empty_cache()
                torch.cuda.reset_peak_memory_stats()
            row = {"model": f"sequence classifier, transformer, {length} elements, precision={precision!r}",
                   "length": length, "precision": precision}
            try:
                model = AttentionSequenceClassifier(
                    encoder="transformer", batch_size=1, max_epochs=2, train_split=None, patience=None,
                    precision=precision, device=_device(), random_state=0,
                    ).fit(X, y)
                _sync()
                row["seconds_per_step"] = float(statistics.median(model.history_["dur"])) / len(X)
                start = time.perf_counter()
                model.predict(X)
                _sync()
                row["predict_seconds_per_sequence"] = (time.perf_counter() - start) / len(X)
                if torch.cuda.is_available():
                    row["peak_gpu_memory_gb"] = torch.cuda.max_memory_allocated() / 2**30
                row["fits"] = True
            except RuntimeError as exc:  # out of memory (torch.OutOfMemoryError) or a missing kernel
                row["fits"] = False
                row["error"] = f"{type(exc).__name__}: {str(exc).splitlines()[0]}"
            print(row, flush=True)
            rows.append(row)
    return rows


def agreement() -> dict:
    rng = np.random.default_rng(1)
    words = [f"w{i}" for i in range(50)]
    X = [list(rng.choice(words, rng.integers(3, 30))) for _ in range(200)]
    y = [[w[-1] for w in s] for s in X]
    model = AttentionTokenClassifier(d_model=32, max_epochs=3, device="cpu", random_state=0).fit(X, y)
    fresh = [list(rng.choice(words + ["unseen", "x"], rng.integers(1, 60))) for _ in range(100)]
    cpu = np.concatenate(model.predict_proba(fresh))
    model.net_.module_.to(_device())
    model.net_.device = _device()
    other = np.concatenate(model.predict_proba(fresh))
    row = {"model": f"CPU-fitted tagger predicting on {_device()}",
           "max_abs_probability_difference": float(np.abs(cpu - other).max()),
           "same_labels": float(np.mean(cpu.argmax(1) == other.argmax(1)))}
    print(row, flush=True)
    return row


def table(rows: list[dict]) -> str:
    lines = ["| run | figure |", "|---|---|"]
    for r in rows:
        if "error" in r and "length" not in r:
            fig = f"failed: {r['error']}"
        elif "train_tokens_per_s" in r:
            fig = f"{r['train_tokens_per_s']:,.0f} training tokens/s"
        elif "length" in r:
            fig = (f"{r['seconds_per_step'] * 1e3:.1f} ms/step, "
                   + (f"peak {r['peak_gpu_memory_gb']:.2f} GiB" if "peak_gpu_memory_gb" in r else "CPU")
                   if r["fits"] else f"does not fit: {r['error']}")
        else:
            fig = f"max |Δp| = {r['max_abs_probability_difference']:.2e}, same labels {r['same_labels']:.2%}"
        lines.append(f"| {r['model']} | {fig} |")
    return "\n".join(lines)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true")
    args = parser.parse_args()
    if not torch.cuda.is_available() and not args.quick:
        raise SystemExit("No CUDA device: run with --quick for a CPU smoke run, or on a GPU.")
    rows = tagger_throughput(args.quick) + long_sequences(args.quick) + [agreement()]
    device = torch.cuda.get_device_name(0) if torch.cuda.is_available() else "CPU (no GPU)"
    report("gpu", rows, "", quick=args.quick, table=table(rows), note=f"Device: {device}.", device=device)


if __name__ == "__main__":
    main()
