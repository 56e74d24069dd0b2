"""Padding, throughput and memory, per encoder, on this CPU.

1. Padding: padded/real elements of the length-bucketed training batches
   (``BucketBatchSampler``, reshuffled every epoch) against random batches
   (``iterator_train__pool_factor=1``), and the epoch-time speedup, for the
   tagger on UD English-EWT and for AttentionSeq2Seq on CMUdict (source and
   target padding; seq2seq batches sort by source length, then target length).
2. For each encoder (``hybrid``, the default, ``transformer``, ``birnn``):
   training and predict tokens/s of AttentionTokenClassifier on EWT, and the
   peak resident memory of fitting it (each encoder in a fresh subprocess, so
   that peaks don't mix; ``ru_maxrss`` includes the interpreter and the
   data). Predict is also timed with ``precision="bf16"`` (autocast).

Training tokens/s is the median over the epochs of skorch's epoch durations
(``train_split=None``, so no validation pass is counted); predict tokens/s
the median of 3 ``predict`` calls on the EWT test split.

    python benchmarks/throughput.py            # about 8 minutes on 2 cores
    python benchmarks/throughput.py --quick
    python benchmarks/throughput.py --profile  # torch.profiler table of the default tagger's predict

``--profile`` writes ``results/predict_profile.txt``: where the time of
``predict`` on the EWT test split goes, operator by operator, plus the share
spent in Python outside the module.
"""

from __future__ import annotations

import argparse
import json
import resource
import statistics
import subprocess
import sys
import time

import numpy as np
from _common import report

from skattention import AttentionSeq2Seq, AttentionTokenClassifier
from skattention._batching import BucketBatchSampler, padding_ratio
from skattention.datasets import load_cmudict, load_ud_english_ewt

ENCODERS = ("hybrid", "transformer", "birnn")


def _tokens(X) -> int:
    return sum(len(x) for x in X)


def _epoch_seconds(model) -> float:
    return float(statistics.median(model.history_["dur"]))


def _predict_rate(model, X, **net_attrs) -> float:
    for key, value in net_attrs.items():
        setattr(model.net_, key, value)
    model.predict(X[:200])  # warm
    times = []
    for _ in range(3):
        start = time.perf_counter()
        model.predict(X)
        times.append(time.perf_counter() - start)
    return _tokens(X) / statistics.median(times)


def worker(encoder: str, quick: bool) -> dict:
    """Fit one encoder's tagger; runs in its own process (quick: on part of the dev split,
    faster to read)."""
    X, y = load_ud_english_ewt("dev" if quick else "train")
    X_test, _ = load_ud_english_ewt("test")
    if quick:
        X, y, X_test = X[:300], y[:300], X_test[:200]
    model = AttentionTokenClassifier(encoder=encoder, max_epochs=2 if quick else 3, train_split=None,
                                     patience=None, random_state=0).fit(X, y)
    row = {"model": f"AttentionTokenClassifier(encoder={encoder!r})",
           "train_tokens_per_s": _tokens(X) / _epoch_seconds(model),
           "predict_tokens_per_s": _predict_rate(model, X_test),
           "predict_tokens_per_s_bf16": _predict_rate(model, X_test, precision="bf16"),
           "peak_rss_gb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 2**20}
    return row


def profile_predict() -> str:
    from torch.profiler import ProfilerActivity, profile

    X, y = load_ud_english_ewt("train")
    X_test, _ = load_ud_english_ewt("test")
    model = AttentionTokenClassifier(max_epochs=1, train_split=None, random_state=0).fit(X[:2000], y[:2000])
    model.predict(X_test)  # warm
    start = time.perf_counter()
    with profile(activities=[ProfilerActivity.CPU]) as prof:
        model.predict(X_test)
    total = time.perf_counter() - start
    ops = prof.key_averages()
    table = ops.table(sort_by="self_cpu_time_total", row_limit=20)
    ops_seconds = sum(e.self_cpu_time_total for e in ops) / 1e6
    head = (f"predict on the EWT test split ({_tokens(X_test):,} tokens), default tagger, profiled: "
            f"{total:.3f} s wall, {ops_seconds:.3f} s in torch operators, the rest "
            f"({total - ops_seconds:.3f} s) in Python: validation, encoding, batching, decoding.\n\n")
    return head + table


def padding(quick: bool) -> list[dict]:
    X, y = load_ud_english_ewt("dev" if quick else "train")
    Xc, yc = load_cmudict(strip_stress=True)
    rng = np.random.default_rng(0)
    pick = rng.choice(len(Xc), 1500 if quick else 30000, replace=False)
    Xc, yc = [Xc[i] for i in pick], [yc[i] for i in pick]
    if quick:
        X, y = X[:500], y[:500]
    rows = []
    for name, make, data, lengths_out in [
        ("AttentionTokenClassifier, EWT train", lambda **kw: AttentionTokenClassifier(**kw), (X, y), None),
        ("AttentionSeq2Seq, CMUdict (30k words)", lambda **kw: AttentionSeq2Seq(**kw), (Xc, yc),
         np.array([len(t) + 1 for t in yc])),  # + the end token
    ]:
        src = np.array([len(x) for x in data[0]])
        row = {"model": name}
        for label, pool in (("bucketed", 50), ("random", 1)):
            sampler = BucketBatchSampler(src, 32, shuffle=True, seed=0, pool_factor=pool, tiebreak=lengths_out)
            epochs = [sampler.batches() for _ in range(3)]
            row[f"padding_{label}"] = float(np.mean([padding_ratio(src, b) for b in epochs]))
            if lengths_out is not None:
                row[f"target_padding_{label}"] = float(np.mean([padding_ratio(lengths_out, b) for b in epochs]))
            if label == "bucketed":
                first = {tuple(sorted(b)) for b in epochs[0]}
                row["batches_repeated_next_epoch"] = float(np.mean([tuple(sorted(b)) in first for b in epochs[1]]))
            model = make(max_epochs=2, train_split=None, patience=None, random_state=0,
                         iterator_train__pool_factor=pool).fit(*data)
            row[f"epoch_seconds_{label}"] = _epoch_seconds(model)
        row["epoch_speedup"] = row["epoch_seconds_random"] / row["epoch_seconds_bucketed"]
        print(row, flush=True)
        rows.append(row)
    return rows


def tables(padding_rows, encoder_rows) -> str:
    lines = ["| training batches | padded/real, bucketed | padded/real, random | epoch, bucketed | "
             "epoch, random | speedup |", "|---|---|---|---|---|---|"]
    for r in padding_rows:
        pad = f"{r['padding_bucketed']:.3f}"
        rnd = f"{r['padding_random']:.3f}"
        if "target_padding_bucketed" in r:
            pad += f" (targets {r['target_padding_bucketed']:.3f})"
            rnd += f" (targets {r['target_padding_random']:.3f})"
        lines.append(f"| {r['model']} | {pad} | {rnd} | {r['epoch_seconds_bucketed']:.2f} s | "
                     f"{r['epoch_seconds_random']:.2f} s | {r['epoch_speedup']:.2f}× |")
    lines += ["", "| encoder | train tokens/s | predict tokens/s | predict tokens/s, bf16 | peak RSS, fit |",
              "|---|---|---|---|---|"]
    for r in encoder_rows:
        lines.append(f"| {r['model']} | {r['train_tokens_per_s']:,.0f} | {r['predict_tokens_per_s']:,.0f} | "
                     f"{r['predict_tokens_per_s_bf16']:,.0f} | {r['peak_rss_gb']:.2f} GB |")
    return "\n".join(lines)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--worker", choices=ENCODERS, help=argparse.SUPPRESS)
    parser.add_argument("--profile", action="store_true")
    args = parser.parse_args()
    if args.profile:
        from _common import RESULTS

        text = profile_predict()
        print(text)
        (RESULTS / "predict_profile.txt").write_text(text + "\n")
        return
    if args.worker:
        print(json.dumps(worker(args.worker, args.quick)))
        return

    encoder_rows = []
    for encoder in ENCODERS:
        cmd = [sys.executable, __file__, "--worker", encoder] + (["--quick"] if args.quick else [])
        out = subprocess.run(cmd, check=True, capture_output=True, text=True).stdout
        encoder_rows.append(json.loads(out.strip().splitlines()[-1]))
        print(encoder_rows[-1], flush=True)
    padding_rows = padding(args.quick)
    note = ("Targets: padded/real ≤ 1.10 on EWT training batches; default tagger predict ≥ 100k tokens/s; "
            "fitting the EWT tagger ≤ 2 GB. Training tokens/s: median epoch over "
            f"{'2' if args.quick else '3'} epochs of the full train split, no validation.")
    report("throughput", encoder_rows, "", quick=args.quick, table=tables(padding_rows, encoder_rows),
           note=note, padding=padding_rows)


if __name__ == "__main__":
    main()
