"""Shared helpers of the benchmark scripts: machine facts and result files."""

from __future__ import annotations

import json
import os
import platform
import sys
import time
from pathlib import Path

import numpy as np

# tests point this elsewhere, so quick runs under pytest leave the tree untouched
RESULTS = Path(os.environ.get("SKATTENTION_RESULTS_DIR") or Path(__file__).resolve().parent / "results")


def machine() -> dict:
    import sklearn
    import skorch
    import torch

    info = {
        "python": platform.python_version(),
        "platform": platform.platform(),
        "cpu_count": os.cpu_count(),
        "torch": torch.__version__,
        "torch_threads": torch.get_num_threads(),
        "skorch": skorch.__version__,
        "sklearn": sklearn.__version__,
        "cuda": torch.cuda.get_device_name(0) if torch.cuda.is_available() else None,
    }
    try:
        with open("/proc/cpuinfo") as f:
            info["cpu"] = next(line.split(":", 1)[1].strip() for line in f if line.startswith("model name"))
    except (OSError, StopIteration):
        info["cpu"] = platform.processor()
    return info


class Timer:
    def __enter__(self):
        self.start = time.perf_counter()
        return self

    def __exit__(self, *exc):
        self.seconds = time.perf_counter() - self.start


def _command() -> str:
    """The command line, with the script named from the repository root."""
    script = Path(sys.argv[0]).resolve()
    try:
        script = script.relative_to(Path(__file__).resolve().parents[1])
    except ValueError:
        pass
    return " ".join(["python", str(script), *sys.argv[1:]])


def _commit() -> str | None:
    """The checked-out commit (with ``+dirty`` for uncommitted changes), if git can tell."""
    import subprocess

    root = Path(__file__).resolve().parents[1]
    try:
        head = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=root, capture_output=True,
                              text=True, check=True).stdout.strip()
        dirty = subprocess.run(["git", "status", "--porcelain", "--untracked-files=no"], cwd=root,
                               capture_output=True, text=True, check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return None
    return head + ("+dirty" if dirty else "")


def write_results(task: str, payload: dict, table: str, *, quick: bool) -> Path:
    """Write ``results/<task>[_quick].json`` and ``.md``; quick runs never
    overwrite the committed full results."""
    RESULTS.mkdir(exist_ok=True)
    stem = f"{task}_quick" if quick else task
    payload = {"task": task, "quick": quick, "command": _command(), "commit": _commit(),
               "machine": machine(), **payload}
    (RESULTS / f"{stem}.json").write_text(json.dumps(payload, indent=2, default=float) + "\n")
    md = f"# {task}{' (quick mode)' if quick else ''}\n\n{table}\n\nCommand: `{payload['command']}`\n\n" \
         f"Machine: {payload['machine']['cpu']} ({payload['machine']['cpu_count']} cores), " \
         f"torch {payload['machine']['torch']}, {payload['machine']['cuda'] or 'no GPU'}.\n"
    (RESULTS / f"{stem}.md").write_text(md)
    return RESULTS / f"{stem}.json"


def _count(X, unit: str) -> int:
    return sum(len(x) for x in X) if unit == "tokens" else len(X)


def evaluate(name: str, model, X_train, y_train, X_test, y_test, *, unit: str = "sequences",
             score=None) -> dict:
    """Fit on train, predict on test, and return one result row.

    ``score(y_true, y_pred)`` defaults to accuracy; ``unit`` ("sequences" or
    "tokens") sets what predict throughput counts.
    """
    from sklearn.metrics import accuracy_score

    with Timer() as fit:
        model.fit(X_train, y_train)
    with Timer() as pred:
        y_pred = model.predict(X_test)
    value = (score or accuracy_score)(y_test, y_pred)
    row = {"model": name, "score": float(value), "fit_seconds": fit.seconds,
           f"predict_{unit}_per_s": _count(X_test, unit) / pred.seconds}
    print(row, flush=True)
    return row


def cross_validate_row(name: str, model, X, y, *, cv, scoring: str, unit: str = "sequences",
                       sign: float = 1.0) -> dict:
    """``sklearn.model_selection.cross_validate`` summarised as one result row:
    mean and standard deviation of the fold scores (times ``sign``, so that
    ``neg_root_mean_squared_error`` reads as an RMSE), mean fit time, and
    predict throughput over the held-out folds."""
    from sklearn.model_selection import cross_validate

    res = cross_validate(model, X, y, cv=cv, scoring=scoring)
    scores = sign * np.asarray(res["test_score"])
    row = {"model": name, "score": float(scores.mean()), "score_std": float(scores.std()),
           "fold_scores": scores.tolist(), "fit_seconds": float(np.mean(res["fit_time"])),
           f"predict_{unit}_per_s": _count(X, unit) / float(np.sum(res["score_time"]))}
    print(row, flush=True)
    return row


def markdown_table(rows: list[dict], score_label: str, *, anchors=(), fmt: str = "{:.3f}") -> str:
    """Rows of :func:`evaluate` / :func:`cross_validate_row` as a markdown table,
    followed by published anchors (score only)."""
    lines = [f"| model | {score_label} | fit | predict |", "|---|---|---|---|"]
    for row in rows:
        score = fmt.format(row["score"])
        if "score_std" in row:
            score += " ± " + fmt.format(row["score_std"])
        speed = next((f"{v:,.0f} {k[8:-6]}/s" for k, v in row.items() if k.startswith("predict_")), "")
        fit = "" if row.get("fit_seconds") is None else \
            f"{row['fit_seconds']:.1f} s" + (" per fold" if "fold_scores" in row else "")
        lines.append(f"| {row['model']} | {score} | {fit} | {speed} |")
    for name, value in anchors:
        lines.append(f"| {name} | {fmt.format(value)} | | |")
    return "\n".join(lines)


def report(task: str, rows: list[dict], score_label: str, *, quick: bool, anchors=(), fmt: str = "{:.3f}",
           note: str = "", table: str | None = None, **payload) -> str:
    """Print and write the results of a benchmark: ``table`` (by default the
    table of :func:`markdown_table`) plus ``note``, and the rows plus
    ``payload`` in the JSON file."""
    table = table or markdown_table(rows, score_label, anchors=anchors, fmt=fmt)
    if note:
        table += "\n\n" + note
    print(table)
    write_results(task, {"rows": rows, **payload}, table, quick=quick)
    return table
