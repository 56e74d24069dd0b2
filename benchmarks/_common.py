"""Shared helpers of the benchmark scripts: machine facts and result files."""

from __future__ import annotations

import json
import os
import platform
import sys
import time
from pathlib import Path

RESULTS = Path(__file__).resolve().parent / "results"


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


def write_results(task: str, payload: dict, table: str, *, quick: bool) -> Path:
    """Write ``results/<task>[_quick].json`` and ``.md``; quick runs never
    overwrite the committed full results."""
    RESULTS.mkdir(exist_ok=True)
    stem = f"{task}_quick" if quick else task
    payload = {"task": task, "quick": quick, "command": "python " + " ".join(sys.argv),
               "machine": machine(), **payload}
    (RESULTS / f"{stem}.json").write_text(json.dumps(payload, indent=2, default=float) + "\n")
    md = f"# {task}{' (quick mode)' if quick else ''}\n\n{table}\n\nCommand: `{payload['command']}`\n\n" \
         f"Machine: {payload['machine']['cpu']} ({payload['machine']['cpu_count']} cores), " \
         f"torch {payload['machine']['torch']}, {payload['machine']['cuda'] or 'no GPU'}.\n"
    (RESULTS / f"{stem}.md").write_text(md)
    return RESULTS / f"{stem}.json"
