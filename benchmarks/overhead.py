"""Wrapper overhead: our estimator vs a plain PyTorch loop over the same work.

For the tagger on UD English-EWT and the sequence classifier on
JapaneseVowels, the same module (same size, same seed), the same encoded data
and the same batches (the same length-bucketed order, padded by the same
collate) are trained for a fixed number of epochs two ways:

* through the estimator: ``fit`` with ``train_split=None, patience=None`` (no
  validation, no early stopping; gradient clipping stays on), the epoch time
  read from skorch's ``history_["dur"]``;
* through the loop below, written as one would by hand: forward, loss,
  ``zero_grad``, ``backward``, ``clip_grad_norm_``, ``step``, the loss summed
  on the device and read once per epoch.

Prediction compares ``estimator.predict(X)`` (validation, encoding, batching,
decoding of labels) with the loop doing the same encoding, batching and
decoding by hand. Every figure is the median of several runs, and each ratio
is estimator / plain (1.00 = no overhead).

    python benchmarks/overhead.py            # about 4 minutes on 2 cores
    python benchmarks/overhead.py --quick    # smaller data, fewer repeats
"""

from __future__ import annotations

import argparse
import statistics
import time

import numpy as np
import torch
from _common import report

from skattention import AttentionSequenceClassifier, AttentionTokenClassifier
from skattention._batching import BucketBatchSampler, Collate
from skattention._sequences import check_sequences
from skattention.datasets import load_japanese_vowels, load_ud_english_ewt
from skattention.estimators._predict import PREDICT_ELEMENTS_PER_SEQUENCE


def plain_fit_epochs(est, X, y, epochs: int, seed: int) -> list[float]:
    """Train a fresh copy of ``est``'s module by hand; seconds per epoch."""
    seqs = check_sequences(X)
    items = est._input_items(seqs)
    targets = est._encode_targets(est._check_targets(y, seqs))
    torch.manual_seed(seed)
    module = est._module(**est._module_kwargs())
    criterion = est._criterion()
    optimizer = torch.optim.AdamW(module.parameters(), lr=est.lr, fused=True)
    collate = Collate(-100, token_targets=est._token_level)
    sampler = BucketBatchSampler(seqs.lengths, est.batch_size, shuffle=True, seed=seed)
    module.train()
    times = []
    for _ in range(epochs):
        start = time.perf_counter()
        total = torch.zeros(())
        for batch in sampler.batches():
            xb, yb = collate([(items[i], targets[i]) for i in batch])
            loss = criterion(module(xb), yb)
            optimizer.zero_grad()
            loss.backward()
            torch.nn.utils.clip_grad_norm_(module.parameters(), 1.0)
            optimizer.step()
            total += loss.detach()
        total.item()
        times.append(time.perf_counter() - start)
    return times


def plain_predict(est, X) -> list:
    """``est.predict(X)`` written by hand on the fitted module."""
    seqs = check_sequences(X)
    items = est.input_encoder_.transform(seqs)
    module = est.net_.module_.eval()
    collate = Collate()
    out = [None] * len(items)
    budget = est.batch_size * PREDICT_ELEMENTS_PER_SEQUENCE  # the estimator's prediction batches
    with torch.inference_mode():
        for batch in BucketBatchSampler(seqs.lengths, est.batch_size, shuffle=False, max_tokens=budget).batches():
            xb, _ = collate([(items[i], None) for i in batch])
            pred = module(xb).argmax(-1).numpy()
            for row, i in zip(pred, batch):
                out[i] = est.classes_[row[: seqs.lengths[i]]] if est._token_level else row
    return out if est._token_level else est.classes_[np.asarray(out)]


def compare(name: str, make, X, y, X_test, *, epochs: int, repeats: int, unit: str) -> dict:
    est_epochs, plain_epochs, est_pred, plain_pred = [], [], [], []
    n_test = sum(len(x) for x in X_test) if unit == "tokens" else len(X_test)
    warm = make(max_epochs=1, train_split=None, patience=None, random_state=0).fit(X[:64], y[:64])
    plain_fit_epochs(warm, X[:64], y[:64], 1, seed=0)  # first-call costs (allocator, oneDNN) off the clock
    for r in range(repeats):  # interleaved, so that drift on a shared machine hits both
        est = make(max_epochs=epochs, train_split=None, patience=None, random_state=r).fit(X, y)
        est_epochs += list(est.history_["dur"])
        plain_epochs += plain_fit_epochs(est, X, y, epochs, seed=r)
        est.predict(X_test)  # fills the encoder's caches of the test words, which both share
        for i in range(3):
            for which in ((0, 1) if i % 2 == 0 else (1, 0)):  # alternate who goes first
                start = time.perf_counter()
                if which == 0:
                    ours = est.predict(X_test)
                    est_pred.append(time.perf_counter() - start)
                else:
                    theirs = plain_predict(est, X_test)
                    plain_pred.append(time.perf_counter() - start)
        same = all(np.array_equal(a, b) for a, b in zip(ours, theirs)) if unit == "tokens" \
            else np.array_equal(ours, theirs)
        if not same:
            raise AssertionError(f"{name}: the plain loop does not reproduce predict()")
    n_train = sum(len(x) for x in X)
    row = {
        "model": name,
        "epoch_seconds_estimator": statistics.median(est_epochs),
        "epoch_seconds_plain": statistics.median(plain_epochs),
        "predict_seconds_estimator": statistics.median(est_pred),
        "predict_seconds_plain": statistics.median(plain_pred),
        "epochs_timed": len(est_epochs),
        "predict_runs_timed": len(est_pred),
    }
    row["epoch_ratio"] = row["epoch_seconds_estimator"] / row["epoch_seconds_plain"]
    row["predict_ratio"] = row["predict_seconds_estimator"] / row["predict_seconds_plain"]
    row["train_elements_per_s"] = n_train / row["epoch_seconds_estimator"]
    row[f"predict_{unit}_per_s"] = n_test / row["predict_seconds_estimator"]
    print(row, flush=True)
    return row


def table(rows: list[dict]) -> str:
    lines = ["| task | epoch: estimator | epoch: plain loop | ratio | predict: estimator | predict: plain loop | ratio |",
             "|---|---|---|---|---|---|---|"]
    for r in rows:
        lines.append(
            f"| {r['model']} | {r['epoch_seconds_estimator']:.3f} s | {r['epoch_seconds_plain']:.3f} s | "
            f"**{r['epoch_ratio']:.3f}** | {r['predict_seconds_estimator']:.3f} s | "
            f"{r['predict_seconds_plain']:.3f} s | **{r['predict_ratio']:.3f}** |")
    return "\n".join(lines)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true")
    args = parser.parse_args()

    X, y = load_ud_english_ewt("train")
    X_test, _ = load_ud_english_ewt("test")
    Xj, yj = load_japanese_vowels("train")
    Xj_test, _ = load_japanese_vowels("test")
    if args.quick:
        X, y, X_test = X[:600], y[:600], X_test[:300]
    epochs, repeats = (2, 1) if args.quick else (3, 3)
    rows = [
        compare("AttentionTokenClassifier, UD English-EWT train", AttentionTokenClassifier, X, y, X_test,
                epochs=epochs, repeats=repeats, unit="tokens"),
        compare("AttentionSequenceClassifier, JapaneseVowels train", AttentionSequenceClassifier, Xj, yj,
                Xj_test, epochs=2 if args.quick else 10, repeats=repeats, unit="sequences"),
    ]
    note = ("Ratios are estimator / plain loop, medians over "
            f"{rows[0]['epochs_timed']} and {rows[1]['epochs_timed']} epochs and "
            f"{rows[0]['predict_runs_timed']} predict runs; target ≤ 1.05.")
    report("overhead", rows, "", quick=args.quick, table=table(rows), note=note)


if __name__ == "__main__":
    main()
