"""skattention._checkpoint: checkpoints written at the end of every epoch
under ``checkpoint_dir``, and a fit that resumes from them (after Ctrl-C, a
killed process, from a stream), or refuses one that is not its own or is
damaged (hypothesis)."""

import json
import shutil
from pathlib import Path

import numpy as np
import pytest
from conftest import (
    DAMAGE_SETTINGS,
    TINY,
    TINY_SPLIT,
    InterruptAt,
    Pairs,
    corrupt,
    make_problem,
    make_tagging_data,
    same_outputs,
)
from hypothesis import event, given, settings
from hypothesis import strategies as st

from skattention import AttentionSequenceClassifier, AttentionTokenClassifier
from skattention.estimators import _training
from skattention.exceptions import ModelFileError


@pytest.mark.parametrize("split", [None, 0.2], ids=["one-cycle", "validation"])
def test_an_interrupted_fit_resumes_from_its_checkpoint(tmp_path, split):
    X, y = make_tagging_data(40)
    # with a validation split: the plateau schedule, and early stopping with its best weights so far
    kw = {**TINY, "max_epochs": 6, "train_split": split, "patience": 2, "checkpoint_dir": str(tmp_path / "ckpt")}
    with pytest.warns(UserWarning, match="resumes from the checkpoint"):
        AttentionTokenClassifier(**kw, callbacks=[("stop", InterruptAt(2))]).fit(X, y)
    assert json.loads(_pointer(tmp_path / "ckpt").read_text())["epochs"] == 2
    resumed = AttentionTokenClassifier(**kw).fit(X, y)  # a new process would do just this
    assert list(resumed.history_["epoch"])[:3] == [1, 2, 3]
    assert json.loads(_pointer(tmp_path / "ckpt").read_text())["finished"] is True
    straight = AttentionTokenClassifier(**{**kw, "checkpoint_dir": None}).fit(X, y)
    # the same run as if it had never stopped: batch orders, dropout draws, schedule, early stopping
    assert list(resumed.history_["epoch"]) == list(straight.history_["epoch"])
    assert resumed.history_.drop(columns="dur").equals(straight.history_.drop(columns="dur"))
    assert same_outputs(resumed.predict_proba(X), straight.predict_proba(X))
    again = AttentionTokenClassifier(**kw).fit(X, y)  # finished: a new fit starts over
    assert len(again.history_) == 6


def _pointer(ckpt) -> Path:
    """The pointer of the one fit that wrote checkpoints under ``ckpt``."""
    found = list(Path(ckpt).glob("*/latest.json"))
    assert len(found) == 1, found
    return found[0]


def test_another_estimator_parameters_or_data_never_resume_a_checkpoint(tmp_path):
    X, y = make_tagging_data(20)
    ckpt = tmp_path / "c"
    with pytest.warns(UserWarning):
        AttentionTokenClassifier(**TINY, checkpoint_dir=ckpt, callbacks=[("s", InterruptAt(1))]).fit(X, y)
    first = _pointer(ckpt)
    others = [AttentionSequenceClassifier(**TINY, checkpoint_dir=ckpt).fit(X, [s[0] for s in y]),
              AttentionTokenClassifier(**{**TINY, "d_model": 8}, checkpoint_dir=ckpt).fit(X, y),
              AttentionTokenClassifier(**TINY, checkpoint_dir=ckpt).fit(X[:15], y[:15])]
    for other in others:  # each in its own subfolder, from scratch
        assert list(other.history_["epoch"]) == [1, 2]
    assert len(list(ckpt.glob("*/latest.json"))) == 4
    assert json.loads(first.read_text())["epochs"] == 1 and not json.loads(first.read_text())["finished"]
    pointer = json.loads(first.read_text())
    first.write_text(json.dumps({**pointer, "fingerprint": "0" * 64}))  # edited by hand
    with pytest.raises(ModelFileError, match="with other parameters or other data; it is not resumed"):
        AttentionTokenClassifier(**TINY, checkpoint_dir=ckpt).fit(X, y)
    first.write_text(json.dumps(pointer))
    resumed = AttentionTokenClassifier(**TINY, checkpoint_dir=ckpt).fit(X, y)
    assert list(resumed.history_["epoch"]) == [1, 2]


def test_checkpoints_delete_only_what_they_wrote(tmp_path):
    X, y = make_tagging_data(20)
    ckpt = tmp_path / "ck"
    (ckpt / "epoch-notes").mkdir(parents=True)
    (ckpt / "epoch-0001").mkdir()
    (ckpt / "epoch-0001" / "mine.txt").write_text("keep me")
    AttentionTokenClassifier(**{**TINY, "max_epochs": 3}, checkpoint_dir=ckpt).fit(X, y)
    assert (ckpt / "epoch-notes").is_dir() and (ckpt / "epoch-0001" / "mine.txt").read_text() == "keep me"
    sub = _pointer(ckpt).parent
    assert sorted(p.name for p in sub.iterdir()) == ["epoch-0003", "latest.json"]  # the lock is gone too
    (tmp_path / "ck2").mkdir()
    kw = {**TINY, "max_epochs": 2, "checkpoint_dir": tmp_path / "ck2"}
    with pytest.warns(UserWarning):
        AttentionTokenClassifier(**kw, callbacks=[("s", InterruptAt(1))]).fit(X, y)
    sub = _pointer(tmp_path / "ck2").parent
    (sub / "epoch-0002").mkdir()
    (sub / "epoch-0002" / "notes.txt").write_text("not a checkpoint")
    with pytest.raises(ModelFileError, match="was not written by skattention; it is left alone"):
        AttentionTokenClassifier(**kw).fit(X, y)
    assert (sub / "epoch-0002" / "notes.txt").is_file()


@pytest.mark.parametrize("content, message", [
    ('{"folder": "epoch-00', "is not a readable checkpoint pointer"),
    ("[1, 2]", "is not a skattention checkpoint pointer"),
    ('{"format": "skattention-checkpoint", "folder": "../../etc", "epochs": 1, "finished": false, '
     '"estimator": "AttentionTokenClassifier", "fingerprint": "x"}', "points at '../../etc'"),
    ('{"format": "skattention-checkpoint", "folder": "epoch-0001", "epochs": "1", "finished": false, '
     '"estimator": "AttentionTokenClassifier", "fingerprint": "x"}', "has no valid 'epochs'"),
])
def test_a_damaged_pointer_names_its_file(tmp_path, content, message):
    X, y = make_tagging_data(20)
    with pytest.warns(UserWarning):
        AttentionTokenClassifier(**TINY, checkpoint_dir=tmp_path, callbacks=[("s", InterruptAt(1))]).fit(X, y)
    pointer = _pointer(tmp_path)
    pointer.write_text(content)
    with pytest.raises(ModelFileError, match=f"{pointer.name}.*{message}|{message}"):
        AttentionTokenClassifier(**TINY, checkpoint_dir=tmp_path).fit(X, y)


def test_grid_search_and_threads_share_a_checkpoint_dir(tmp_path):
    import threading

    from sklearn.model_selection import GridSearchCV, KFold

    from skattention.metrics import flat_accuracy_scorer

    X, y = make_tagging_data(24)
    search = GridSearchCV(AttentionTokenClassifier(**TINY, checkpoint_dir=tmp_path / "grid"),
                          {"d_model": [8, 16]}, cv=KFold(2), scoring=flat_accuracy_scorer).fit(X, y)
    plain = GridSearchCV(AttentionTokenClassifier(**TINY), {"d_model": [8, 16]}, cv=KFold(2),
                         scoring=flat_accuracy_scorer).fit(X, y)
    np.testing.assert_array_equal(search.cv_results_["mean_test_score"], plain.cv_results_["mean_test_score"])
    assert len(list((tmp_path / "grid").glob("*/latest.json"))) == 2 * 2 + 1  # candidates x folds, the refit
    results, errors = {}, []

    def fit(i):
        try:
            data = (X[i:], y[i:])
            results[i] = AttentionTokenClassifier(**TINY, checkpoint_dir=tmp_path / "threads").fit(*data)
        except Exception as exc:  # noqa: BLE001
            errors.append(exc)

    threads = [threading.Thread(target=fit, args=(i,)) for i in (0, 4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors and len(list((tmp_path / "threads").glob("*/latest.json"))) == 2


def test_a_second_live_fit_of_the_same_thing_is_refused(tmp_path):
    from skattention._checkpoint import fit_lock

    with fit_lock(tmp_path / "sub"):
        with pytest.raises(ValueError, match="Another fit with the same parameters and data"):
            with fit_lock(tmp_path / "sub"):
                pass
    (tmp_path / "sub" / "fit.lock").write_text("999999999 1")  # a killed process's stale lock
    with fit_lock(tmp_path / "sub"):
        pass
    assert not (tmp_path / "sub" / "fit.lock").exists()


_KILLED_FIT = """
import sys, time
import torch
from skorch.callbacks import Callback
sys.path.insert(0, {tests!r})
from conftest import make_tagging_data
from skattention import AttentionTokenClassifier

class Slow(Callback):  # gives the parent time to kill us mid-fit
    def on_epoch_end(self, net, **kwargs):
        time.sleep(float(sys.argv[2]))

X, y = make_tagging_data(40)
est = AttentionTokenClassifier(d_model=16, n_heads=2, n_layers=1, batch_size=8, random_state=0,
                               max_epochs=8, train_split=None, checkpoint_dir=sys.argv[1],
                               callbacks=[("slow", Slow())]).fit(X, y)
print(len(est.history_), est.score(X, y))
"""


@pytest.mark.parametrize("signal_name", ["SIGKILL"])
def test_a_killed_fitting_process_resumes_to_the_same_epoch_count(tmp_path, signal_name):
    import signal
    import subprocess
    import sys
    import time
    from pathlib import Path

    script = tmp_path / "fit.py"
    script.write_text(_KILLED_FIT.format(tests=str(Path(__file__).parent)))
    ckpt = tmp_path / "ckpt"
    proc = subprocess.Popen([sys.executable, str(script), str(ckpt), "0.5"], stdout=subprocess.PIPE)
    deadline = time.time() + 120
    while time.time() < deadline:
        pointers = list(ckpt.glob("*/latest.json"))
        if pointers and json.loads(pointers[0].read_text())["epochs"] >= 3:
            break
        time.sleep(0.05)
    proc.send_signal(getattr(signal, signal_name))
    proc.wait()
    assert proc.returncode != 0
    done = json.loads(_pointer(ckpt).read_text())
    assert 3 <= done["epochs"] < 8 and not done["finished"]

    resumed = subprocess.run([sys.executable, str(script), str(ckpt), "0"], capture_output=True, text=True,
                             check=True)
    epochs, score = resumed.stdout.split()
    assert int(epochs) == 8
    straight = subprocess.run([sys.executable, str(script), str(tmp_path / "fresh"), "0"], capture_output=True,
                              text=True, check=True)
    assert score == straight.stdout.split()[1]  # exactly the run that was never killed


def test_a_resumed_fit_builds_the_net_once(tmp_path, monkeypatch):
    built = []
    build = _training._Training._build_net

    def counted(self, *args, **kwargs):
        built.append(args)
        return build(self, *args, **kwargs)

    monkeypatch.setattr(_training._Training, "_build_net", counted)
    X, y = make_tagging_data(20)
    kw = {**TINY, "max_epochs": 4, "checkpoint_dir": str(tmp_path / "ckpt")}
    with pytest.warns(UserWarning, match="resumes from the checkpoint"):
        AttentionTokenClassifier(**kw, callbacks=[("stop", InterruptAt(2))]).fit(X, y)
    built.clear()
    resumed = AttentionTokenClassifier(**kw).fit(X, y)
    assert list(resumed.history_["epoch"]) == [1, 2, 3, 4]  # it did resume, and went on to the end
    assert len(built) == 1


def test_an_interrupted_streamed_fit_resumes_from_its_checkpoint(tmp_path):
    cls, X, y = make_problem("token_classifier")
    kw = {**TINY_SPLIT, "max_epochs": 4, "checkpoint_dir": str(tmp_path / "ckpt")}
    with pytest.warns(UserWarning, match="resumes from the checkpoint"):
        cls(**kw, callbacks=[("stop", InterruptAt(2))]).fit(Pairs(X, y))
    data = Pairs(X, y)
    resumed = cls(**kw).fit(data)
    assert list(resumed.history_["epoch"]) == [1, 2, 3, 4]
    assert data.passes == 1 + 2 * 2  # validation pass, then the two remaining epochs with validation


# ---------------------------------------------------------------- a damaged checkpoint folder
X, Y = make_tagging_data(20)


@pytest.fixture(scope="module")
def interrupted(tmp_path_factory):
    folder = tmp_path_factory.mktemp("ckpt")
    with pytest.warns(UserWarning, match="interrupted"):
        AttentionTokenClassifier(**TINY, checkpoint_dir=folder, callbacks=[("s", InterruptAt(1))]).fit(X, Y)
    return folder


@settings(DAMAGE_SETTINGS, max_examples=max(DAMAGE_SETTINGS.max_examples // 2, 5))
@given(data=st.data())
def test_a_damaged_checkpoint_resumes_or_raises_model_file_error(interrupted, tmp_path_factory, data):
    root = tmp_path_factory.mktemp("damaged-ckpt")
    shutil.copytree(interrupted, root, dirs_exist_ok=True)
    (sub,) = [p for p in root.iterdir() if p.is_dir()]
    target = data.draw(st.sampled_from(["pointer", "model", "optimizer"]), label="target")
    if target == "pointer":
        path = sub / "latest.json"
    elif target == "model":
        path = next(sub.glob("epoch-*")) / "skattention.json"
    else:
        path = next(sub.glob("epoch-*")) / "optimizer.pt"
        raw = bytearray(path.read_bytes())
        cut = data.draw(st.integers(0, len(raw) - 1), label="cut")
        path.write_bytes(bytes(raw[:cut]))
        path = None
    if path is not None:
        path.write_text(json.dumps(corrupt(json.loads(path.read_text()), data)))
    try:
        est = AttentionTokenClassifier(**TINY, checkpoint_dir=root).fit(X, Y)
    except ModelFileError:
        event("ModelFileError")
        return
    event("resumed or refitted")
    assert len(est.history_) == TINY["max_epochs"]  # resumed (or, for a finished pointer, fitted afresh)
