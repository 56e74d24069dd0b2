"""Do the benchmarks' quick modes give the same figures at another commit?

Runs the quick mode (``--quick``) of each benchmark script of this tree
twice: once with this tree's ``skattention`` and once with the package of
commit ``REV`` (a temporary git worktree, put first on ``PYTHONPATH``), and
compares every number of the results except timings, speeds and memory.
It is the check a refactoring that claims to keep behaviour must pass; the
scripts are the same in both runs, so only the library differs.

    python benchmarks/quick_compare.py REV
    python benchmarks/quick_compare.py REV --scripts ud_pos.py esol.py

Writes ``results/quick_compare.{json,md}``: per script, how many figures
were compared and which differ (with both values).
"""

from __future__ import annotations

import argparse
import json
import math
import os
import subprocess
import sys
import tempfile
from pathlib import Path

from _common import report

HERE = Path(__file__).resolve().parent
# the quick modes whose figures are scores (the others measure time or memory only)
SCRIPTS = ("japanese_vowels.py", "esol.py", "mr_polarity.py", "ud_pos.py", "g2p_cmudict.py",
           "length_finding.py", "pretrained_vectors.py", "suite.py")
# figures that measure the machine, not the model
TIMING = ("second", "time", "dur", "per_s", "speed", "rss", "memory", "throughput")


def _numbers(value, prefix: str = "") -> dict:
    """Every number in a JSON value, by its path."""
    if isinstance(value, bool):
        return {}
    if isinstance(value, (int, float)):
        return {prefix: float(value)}
    if isinstance(value, dict):
        return {k: v for key, item in value.items() for k, v in _numbers(item, f"{prefix}.{key}").items()}
    if isinstance(value, list):
        return {k: v for i, item in enumerate(value) for k, v in _numbers(item, f"{prefix}[{i}]").items()}
    return {}


def _figures(payload: dict) -> dict:
    """The numbers of a result file but those about the run (command, commit, machine) or the machine's speed."""
    about_the_run = {"task", "quick", "command", "commit", "machine"}
    data = {k: v for k, v in payload.items() if k not in about_the_run}
    return {k: v for k, v in _numbers(data).items()
            if not any(word in k.rsplit(".", 1)[-1].lower() for word in TIMING)}


def _run(script: str, tree: Path, out: Path) -> dict:
    env = {**os.environ, "PYTHONPATH": str(tree), "SKATTENTION_RESULTS_DIR": str(out), "MPLBACKEND": "Agg"}
    subprocess.run([sys.executable, script, "--quick"], cwd=HERE, env=env, check=True, capture_output=True,
                   text=True)
    found = list(out.glob("*_quick.json"))
    if len(found) != 1:
        raise RuntimeError(f"{script} wrote {len(found)} quick result files in {out}")
    return json.loads(found[0].read_text())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("rev")
    parser.add_argument("--scripts", nargs="+", default=list(SCRIPTS))
    args = parser.parse_args()
    root = HERE.parent
    commit = subprocess.run(["git", "rev-parse", "--short", args.rev], cwd=root, check=True, capture_output=True,
                            text=True).stdout.strip()
    scratch = Path(tempfile.mkdtemp())
    old = scratch / f"skattention-{commit}"
    subprocess.run(["git", "worktree", "add", "--detach", str(old), args.rev], cwd=root, check=True,
                   capture_output=True)
    rows = []
    try:
        for script in args.scripts:
            figures = {}
            for label, tree in ((commit, old), ("this tree", root)):
                out = scratch / f"{script}-{label.replace(' ', '_')}"
                out.mkdir()
                figures[label] = _figures(_run(script, tree, out))
            before, after = figures[commit], figures["this tree"]
            keys = sorted(set(before) | set(after))
            differ = {k: [before.get(k), after.get(k)] for k in keys
                      if k not in before or k not in after or not math.isclose(before[k], after[k], rel_tol=1e-9,
                                                                                abs_tol=1e-12)}
            rows.append({"script": script, "compared": len(keys), "differ": len(differ), "differences": differ})
            print(script, len(keys), "figures,", len(differ), "differ", flush=True)
    finally:
        subprocess.run(["git", "worktree", "remove", "--force", str(old)], cwd=root, check=False)
    lines = [f"| script | figures compared | differing from {commit} | first differences (before → after) |",
             "|---|---|---|---|"]
    for r in rows:
        first = "; ".join(f"`{k}` {a} → {b}" for k, (a, b) in list(r["differences"].items())[:3])
        lines.append(f"| {r['script']} | {r['compared']} | {r['differ']} | {first} |")
    note = (f"Quick modes of this tree's scripts, run with the package of commit {commit} and with this "
            "tree's; every number of the results but timings, speeds and memory.")
    report("quick_compare", rows, "", quick=False, table="\n".join(lines), note=note, old_commit=commit)


if __name__ == "__main__":
    main()
