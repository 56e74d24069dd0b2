"""Reliability figures: a killed fit resumed, Ctrl-C, checkpoint cost, safe model files.

On a subset of UD English-EWT, with the default tagger:

* **kill and resume**: a child process fits with ``checkpoint_dir`` and is
  killed with SIGKILL after its checkpoint of epoch ``k``; running the same
  fit again resumes. Reported: the epochs the resumed fit ends with, and its
  test accuracy next to an uninterrupted run of the same fit;
* **Ctrl-C**: a child gets SIGINT (what Ctrl-C sends) during epoch ``k + 1``;
  reported: whether ``fit`` returned a usable model, the epoch whose weights
  it holds, and its test accuracy;
* **checkpoint cost**: median epoch time with and without ``checkpoint_dir``;
* **model files**: ``save``/``load`` sizes and times, and whether the loaded
  model predicts exactly the same.

    python benchmarks/reliability.py            # about 5 minutes on 2 cores
    python benchmarks/reliability.py --quick    # a small subset, under 2 minutes

The children run with one torch thread (``OMP_NUM_THREADS=1``), so that the
figures do not depend on what else the machine runs.
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
from _common import Timer, report

from skattention import AttentionTokenClassifier
from skattention.datasets import load_ud_english_ewt

CHILD = """
import json, sys
import numpy as np
from skattention import AttentionTokenClassifier
from skattention.datasets import load_ud_english_ewt
cfg = json.loads(sys.argv[1])
X, y = load_ud_english_ewt(cfg["split"])
Xt, yt = load_ud_english_ewt("test")
rng = np.random.RandomState(0)
idx = rng.choice(len(X), cfg["n_train"], replace=False)
X, y = [X[i] for i in idx], [y[i] for i in idx]
Xt, yt = Xt[:cfg["n_test"]], yt[:cfg["n_test"]]
est = AttentionTokenClassifier(random_state=0, **cfg["params"])
import warnings
with warnings.catch_warnings(record=True) as caught:
    warnings.simplefilter("always")
    est.fit(X, y)
hist = est.history_
kept = [m for m in ("valid_acc_best",) if m in hist]
best = int(hist["epoch"][hist[kept[0]].fillna(False).astype(bool)].iloc[-1]) if kept else len(hist)
print(json.dumps({"epochs": len(hist), "accuracy": est.score(Xt, yt), "best_epoch": best,
                  "warnings": [str(w.message) for w in caught if "interrupted" in str(w.message)],
                  "epoch_seconds": float(np.median(hist["dur"]))}))
"""


def child(cfg: dict) -> subprocess.Popen:
    env = {**os.environ, "OMP_NUM_THREADS": "1"}
    return subprocess.Popen([sys.executable, "-c", CHILD, json.dumps(cfg)], stdout=subprocess.PIPE, text=True,
                            env=env)


def pointer_file(ckpt: Path) -> Path | None:
    """The checkpoint pointer of the one fit under ``ckpt``: each fit keeps its
    checkpoints in a subfolder named after its estimator and fingerprint."""
    found = sorted(ckpt.glob("*/latest.json"))
    if len(found) > 1:
        raise RuntimeError(f"more than one fit checkpoints under {ckpt}: {found}")
    return found[0] if found else None


def epochs_done(ckpt: Path) -> int:
    pointer = pointer_file(ckpt)
    return json.loads(pointer.read_text())["epochs"] if pointer is not None else 0


def wait_for_epoch(ckpt: Path, epoch: int, proc: subprocess.Popen, timeout: float = 1800) -> None:
    deadline = time.time() + timeout
    while time.time() < deadline and proc.poll() is None:
        try:
            if epochs_done(ckpt) >= epoch:
                return
        except (OSError, ValueError):  # the pointer is being replaced
            pass
        time.sleep(0.05)
    raise RuntimeError(f"the child never reached epoch {epoch}")


def result(proc: subprocess.Popen) -> dict:
    out, _ = proc.communicate()
    if proc.returncode != 0:
        raise RuntimeError(f"child failed with {proc.returncode}")
    return json.loads(out.strip().splitlines()[-1])


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true")
    args = parser.parse_args()
    # the quick mode samples the (smaller, faster to read) dev split: each child reads its data
    n_train, n_test, epochs, kill_after = (200, 100, 3, 1) if args.quick else (3000, 1000, 8, 4)
    split = "dev" if args.quick else "train"
    params = {"max_epochs": epochs, "patience": None}
    base = {"n_train": n_train, "n_test": n_test, "split": split}
    work = Path(tempfile.mkdtemp(prefix="skattention-reliability-"))
    rows = []

    # an uninterrupted fit, with and without checkpoints (their epoch times give the checkpoint cost)
    straight = result(child({**base, "params": params}))
    with_ckpt = result(child({**base, "params": {**params, "checkpoint_dir": str(work / "full")}}))

    # killed with SIGKILL after the checkpoint of epoch `kill_after`, then the same fit again
    ckpt = work / "killed"
    proc = child({**base, "params": {**params, "checkpoint_dir": str(ckpt)}})
    wait_for_epoch(ckpt, kill_after, proc)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    killed_at = epochs_done(ckpt)
    resumed = result(child({**base, "params": {**params, "checkpoint_dir": str(ckpt)}}))
    rows.append({"model": f"killed (SIGKILL) after epoch {killed_at}, then resumed", "score": resumed["accuracy"],
                 "epochs": resumed["epochs"], "uninterrupted_score": straight["accuracy"],
                 "uninterrupted_epochs": straight["epochs"]})

    # Ctrl-C: SIGINT during the epoch after `kill_after`, with a validation split (best weights kept)
    ckpt = work / "sigint"
    proc = child({**base, "params": {**params, "patience": 5, "checkpoint_dir": str(ckpt)}})
    wait_for_epoch(ckpt, kill_after, proc)
    proc.send_signal(signal.SIGINT)
    interrupted = result(proc)
    rows.append({"model": f"Ctrl-C (SIGINT) during epoch {kill_after + 1}", "score": interrupted["accuracy"],
                 "epochs": interrupted["epochs"], "kept_epoch": interrupted["best_epoch"],
                 "warned": float(bool(interrupted["warnings"]))})

    # save / load of the uninterrupted model
    X, y = load_ud_english_ewt(split)
    Xt, _ = load_ud_english_ewt("test")
    est = AttentionTokenClassifier(random_state=0, max_epochs=1, patience=None).fit(X[:n_train], y[:n_train])
    with Timer() as save_t:
        est.save(work / "model")
    with Timer() as load_t:
        loaded = AttentionTokenClassifier.load(work / "model")
    same = all(np.array_equal(a, b) for a, b in zip(est.predict(Xt[:n_test]), loaded.predict(Xt[:n_test])))
    sizes = {p.name: p.stat().st_size for p in (work / "model").iterdir()}
    rows.append({"model": "save + load (safetensors + JSON)", "score": float(same),
                 "save_seconds": save_t.seconds, "load_seconds": load_t.seconds,
                 "weights_mb": sizes["weights.safetensors"] / 1e6, "json_kb": sizes["skattention.json"] / 1e3})

    cost = with_ckpt["epoch_seconds"] / straight["epoch_seconds"]
    table = "\n".join([
        "| run | epochs | test accuracy | compared with |", "|---|---|---|---|",
        f"| uninterrupted, {epochs} epochs | {straight['epochs']} | {straight['accuracy']:.4f} | |",
        f"| {rows[0]['model']} | {resumed['epochs']} | {resumed['accuracy']:.4f} | "
        f"uninterrupted {straight['accuracy']:.4f} |",
        f"| {rows[1]['model']} | {interrupted['epochs']} (weights of epoch {interrupted['best_epoch']}) | "
        f"{interrupted['accuracy']:.4f} | warned: {bool(interrupted['warnings'])} |",
        "",
        f"Checkpoint cost: median epoch {with_ckpt['epoch_seconds']:.2f} s with `checkpoint_dir`, "
        f"{straight['epoch_seconds']:.2f} s without ({cost:.3f}×).",
        f"Model files: weights {rows[2]['weights_mb']:.2f} MB, JSON {rows[2]['json_kb']:.0f} kB; save "
        f"{save_t.seconds:.3f} s, load {load_t.seconds:.3f} s; loaded model predicts identically: {same}.",
        f"Data: {n_train} EWT {split} sentences (seeded sample), the first {n_test} test sentences; "
        f"default tagger, max_epochs={epochs}, no early stopping except in the Ctrl-C run; one torch "
        "thread per child.",
    ])
    report("reliability", rows, "", quick=args.quick, table=table, checkpoint_cost=cost)


if __name__ == "__main__":
    main()
