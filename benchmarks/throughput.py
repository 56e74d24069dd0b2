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
    python benchmarks/throughput.py --compare REV  # the default tagger here and at commit REV
    python benchmarks/throughput.py --decoders     # seq2seq training: each RNN decoder, same run

``--compare REV`` times the default tagger (training and predict tokens/s, as
above, on the first 4,000 EWT training sentences) in this tree and in a
temporary worktree of commit ``REV``, in alternating runs (``--repeats``,
default 3), and writes ``results/throughput_compare.*`` with the medians and
their ratio: the same-machine comparison a refactoring must pass.

``--decoders`` times teacher-forced training of AttentionSeq2Seq on 20,000
CMUdict pairs, for the Bahdanau decoder (``"rnn"``, a Python loop over the
target steps) and the parallel one (``"luong"``), with the G2P configuration
(``d_model=256``, batch 128, no dropout) and with the defaults, in
alternating runs, and writes ``results/throughput_decoders.*``: target
tokens (end token included) per second of training, medians over the runs,
and the ratios.

``--kv-cache`` times ``predict`` with the Transformer decoder (greedy and a
beam of 4) with its key/value cache and with the steps it had before (the
whole prefix through the layers again at each step), on one fitted model in
alternating runs, checks that both give the same outputs, and writes
``results/throughput_kv_cache.*``.

``--profile`` writes ``results/predict_profile.txt``: where the time of
``predict`` on the EWT test split goes, operator by operator, plus the share
spent in Python outside the module.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import torch
from _common import report

from skattention import AttentionSeq2Seq, AttentionTokenClassifier
from skattention._batching import BucketBatchSampler, padding_ratio
from skattention.datasets import load_cmudict, load_ud_english_ewt
from skattention.modules.seq2seq import TransformerDecoder

ENCODERS = ("hybrid", "transformer", "birnn")


def _tokens(X) -> int:
    return sum(len(x) for x in X)


def _epoch_seconds(model) -> float:
    return float(statistics.median(model.history_["dur"]))


def _predict_rate(model, X, clock=time.perf_counter, **net_attrs) -> float:
    """Tokens per second of ``predict`` (median of 3); ``clock=time.process_time``: per CPU second
    of this process, which other work on a shared machine disturbs less than wall time."""
    for key, value in net_attrs.items():
        setattr(model.net_, key, value)
    model.predict(X[:200])  # warm
    times = []
    for _ in range(3):
        start = clock()
        model.predict(X)
        times.append(clock() - start)
    return _tokens(X) / statistics.median(times)


def worker(encoder: str, quick: bool, n_train: int | None = None) -> dict:
    """Fit one encoder's tagger; runs in its own process (quick: on part of the dev split,
    faster to read; ``n_train``: on the first sentences of the training split)."""
    X, y = load_ud_english_ewt("dev" if quick else "train")
    X_test, _ = load_ud_english_ewt("test")
    if quick:
        X, y, X_test = X[:300], y[:300], X_test[:200]
    if n_train:
        X, y = X[:n_train], y[:n_train]
    model = AttentionTokenClassifier(encoder=encoder, max_epochs=2 if quick else 3, train_split=None,
                                     patience=None, random_state=0).fit(X, y)
    row = {"model": f"AttentionTokenClassifier(encoder={encoder!r})",
           "train_tokens_per_s": _tokens(X) / _epoch_seconds(model),
           "predict_tokens_per_s": _predict_rate(model, X_test),
           "predict_tokens_per_s_bf16": _predict_rate(model, X_test, precision="bf16"),
           "predict_tokens_per_cpu_s": _predict_rate(model, X_test, clock=time.process_time, precision="32"),
           "peak_rss_gb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 2**20,
           "skattention": str(Path(sys.modules["skattention"].__file__).parent.parent)}
    return row


def compare(rev: str, repeats: int, quick: bool) -> None:
    """The default tagger in this tree and at commit ``rev``, in alternating runs."""
    here = Path(__file__).resolve().parents[1]
    commit = subprocess.run(["git", "rev-parse", "--short", rev], cwd=here, check=True, capture_output=True,
                            text=True).stdout.strip()
    old = Path(tempfile.mkdtemp()) / f"skattention-{commit}"
    subprocess.run(["git", "worktree", "add", "--detach", str(old), rev], cwd=here, check=True, capture_output=True)
    runs: dict = {commit: [], "this tree": []}
    try:
        for _ in range(repeats):
            for label, tree in ((commit, old), ("this tree", here)):
                cmd = [sys.executable, __file__, "--worker", "hybrid", "--train-sentences",
                       "300" if quick else "4000"] + (["--quick"] if quick else [])
                env = {**os.environ, "PYTHONPATH": str(tree)}
                out = subprocess.run(cmd, check=True, capture_output=True, text=True, env=env, cwd=tree).stdout
                row = json.loads(out.strip().splitlines()[-1])
                assert Path(row["skattention"]) == tree, row["skattention"]  # the tree's own package ran
                runs[label].append(row)
                print(label, row, flush=True)
    finally:
        subprocess.run(["git", "worktree", "remove", "--force", str(old)], cwd=here, check=False)
    keys = ("train_tokens_per_s", "predict_tokens_per_s", "predict_tokens_per_cpu_s")
    rows = [{"tree": label, **{k: float(statistics.median(r[k] for r in rs)) for k in keys},
             "runs": [{k: r[k] for k in keys} for r in rs]} for label, rs in runs.items()]
    ratio = {k: rows[1][k] / rows[0][k] for k in keys}
    table = "\n".join(["| tree | train tokens/s | predict tokens/s | predict tokens per CPU second |",
                       "|---|---|---|---|"] + [
        f"| {r['tree']} | {r['train_tokens_per_s']:,.0f} | {r['predict_tokens_per_s']:,.0f} | "
        f"{r['predict_tokens_per_cpu_s']:,.0f} |" for r in rows] + [
        f"| ratio, this tree / {commit} | {ratio['train_tokens_per_s']:.3f} | {ratio['predict_tokens_per_s']:.3f} | "
        f"{ratio['predict_tokens_per_cpu_s']:.3f} |"])
    note = (f"The default tagger (hybrid encoder) trained on the first {300 if quick else 4000:,} EWT training "
            f"sentences and predicting the test split, {repeats} alternating runs of each tree in fresh processes; "
            f"medians over the runs. Commit {commit} against this tree. CPU seconds (the process's, both threads) "
            "are less disturbed than wall time by other work on a shared machine.")
    report("throughput_compare", rows, "", quick=quick, table=table, note=note, ratio=ratio, old_commit=commit)


def decoders(repeats: int, quick: bool) -> None:
    """Training target tokens/s of the RNN decoders, alternating in one process: the G2P
    configuration with each decoder, and the default model before and after ``"luong"``
    became the default decoder (the ``"rnn"`` path is unchanged since)."""
    X, y = load_cmudict(strip_stress=True)
    rng = np.random.RandomState(0)
    pick = rng.choice(len(X), 2000 if quick else 20000, replace=False)
    X, y = [X[i] for i in pick], [y[i] for i in pick]
    target_tokens = sum(len(t) + 1 for t in y)
    g2p = {"d_model": 64 if quick else 256, "batch_size": 128, "dropout": 0.0}
    configs = {"G2P configuration, rnn": {**g2p, "decoder": "rnn"},
               "G2P configuration, luong": {**g2p, "decoder": "luong"},
               "defaults, decoder='rnn' (the default before)": {"decoder": "rnn"},
               "defaults (decoder='luong')": {}}
    runs: dict = {name: [] for name in configs}
    for _ in range(repeats):
        for name, params in configs.items():
            model = AttentionSeq2Seq(max_epochs=2, train_split=None, patience=None, random_state=0,
                                     **params).fit(X, y)
            runs[name].append(target_tokens / _epoch_seconds(model))
            print(name, runs[name][-1], flush=True)
    rows = [{"model": name, "params": configs[name], "train_target_tokens_per_s": float(statistics.median(r)),
             "runs": r} for name, r in runs.items()]
    rate = {r["model"]: r["train_target_tokens_per_s"] for r in rows}
    names = list(configs)
    ratios = {"G2P configuration": rate[names[1]] / rate[names[0]], "defaults": rate[names[3]] / rate[names[2]]}
    table = "\n".join(["| model | training target tokens/s |", "|---|---|"] + [
        f"| {r['model']} | {r['train_target_tokens_per_s']:,.0f} |" for r in rows] + [
        f"| ratio luong / rnn, {k} | {v:.2f} |" for k, v in ratios.items()])
    note = (f"AttentionSeq2Seq with additive attention and the BiLSTM encoder on {len(X):,} CMUdict pairs. "
            f"G2P configuration: d_model={g2p['d_model']}, batch 128, no dropout; defaults: d_model=128, "
            f"batch 32, dropout 0.1. Median epoch time of 2 epochs, {repeats} alternating runs; medians over "
            "the runs.")
    report("throughput_decoders", rows, "", quick=quick, table=table, note=note, ratios=ratios)


class _PrefixTransformerDecoder(TransformerDecoder):
    """The Transformer decoder's search steps before its key/value cache: each
    step runs the whole prefix through the layers again (same weights)."""

    def start(self, memory, mask, lengths) -> dict:
        return {"prefix": torch.zeros(memory.shape[0], 0, dtype=torch.long, device=memory.device),
                "memory": memory, "mask": mask}

    def step(self, prev, state):
        prefix = torch.cat([state["prefix"], prev[:, None]], dim=1)
        logits, weights = self.forward(prefix, state)
        return logits[:, -1], {**state, "prefix": prefix}, weights[:, -1]


def kv_cache(repeats: int, quick: bool) -> None:
    """Words/s of predict with the Transformer decoder, with its key/value cache and
    re-running the prefix, on one fitted model, alternating; outputs must agree."""
    X, y = load_cmudict(strip_stress=True)
    pick = np.random.RandomState(0).choice(len(X), 6000, replace=False)
    X_train, y_train = [X[i] for i in pick[:4000]], [y[i] for i in pick[:4000]]
    X_test = [X[i] for i in pick[4000:4500 if quick else 6000]]
    model = AttentionSeq2Seq(encoder="transformer", decoder="transformer", attention="scaled_dot", d_model=128,
                             n_layers=2, max_epochs=1 if quick else 3, batch_size=64,
                             random_state=0).fit(X_train, y_train)
    decoder = model.module_.decoder
    rows = []
    for beam in (1, 4):
        model.set_params(beam_size=beam)
        rates: dict = {"cache": [], "prefix": []}
        outputs = {}
        for _ in range(repeats):
            for name, cls in (("prefix", _PrefixTransformerDecoder), ("cache", TransformerDecoder)):
                decoder.__class__ = cls
                start = time.perf_counter()
                outputs[name] = model.predict(X_test)
                rates[name].append(len(X_test) / (time.perf_counter() - start))
        decoder.__class__ = TransformerDecoder
        row = {"beam_size": beam, **{f"{k}_words_per_s": float(statistics.median(v)) for k, v in rates.items()},
               "same_outputs": outputs["cache"] == outputs["prefix"]}
        row["ratio"] = row["cache_words_per_s"] / row["prefix_words_per_s"]
        rows.append(row)
        print(row, flush=True)
    table = "\n".join(["| beam | key/value cache, words/s | prefix re-run, words/s | ratio | same outputs |",
                       "|---|---|---|---|---|"] + [
        f"| {r['beam_size']} | {r['cache_words_per_s']:,.0f} | {r['prefix_words_per_s']:,.0f} | "
        f"{r['ratio']:.2f} | {'yes' if r['same_outputs'] else 'NO'} |" for r in rows])
    note = (f"AttentionSeq2Seq(encoder='transformer', decoder='transformer', d_model=128, n_layers=2) fitted on "
            f"4,000 CMUdict pairs, predicting {len(X_test):,} other words; the same model with the decoder's "
            f"steps before the cache (the whole prefix again at each step), {repeats} alternating runs, medians.")
    report("throughput_kv_cache", rows, "", quick=quick, table=table, note=note)


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
    parser.add_argument("--compare", metavar="REV")
    parser.add_argument("--decoders", action="store_true")
    parser.add_argument("--kv-cache", action="store_true")
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--train-sentences", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.compare:
        compare(args.compare, args.repeats, args.quick)
        return
    if args.decoders:
        decoders(args.repeats, args.quick)
        return
    if args.kv_cache:
        kv_cache(args.repeats, args.quick)
        return
    if args.profile:
        from _common import RESULTS

        text = profile_predict()
        print(text)
        (RESULTS / "predict_profile.txt").write_text(text + "\n")
        return
    if args.worker:
        print(json.dumps(worker(args.worker, args.quick, args.train_sentences)))
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
