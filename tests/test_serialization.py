"""skattention._serialization and _checkpoint under corruption (hypothesis):
a model file or checkpoint folder with any field damaged either loads and
works, or raises the one documented error, ModelFileError; never anything
else, and never code from the file."""

import json
import os
import shutil
import warnings

import numpy as np
import pytest
from conftest import TINY, make_tagging_data
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from skorch.callbacks import Callback

from skattention import AttentionTokenClassifier
from skattention.exceptions import ModelFileError

SETTINGS = settings(max_examples=int(os.environ.get("SKATTENTION_PROPERTIES_EXAMPLES", "40")), deadline=None,
                    derandomize=not os.environ.get("SKATTENTION_PROPERTIES_RANDOM"),
                    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
X, Y = make_tagging_data(20)

# values a damaged or hostile file might hold where a field was
VALUES = st.one_of(
    st.none(), st.booleans(), st.integers(-2**70, 2**70), st.sampled_from([10**9, -1, 0, 2**31]),
    st.floats(allow_nan=True, allow_infinity=True), st.text(max_size=12),
    st.sampled_from(["__class__", "../../etc", "cuda:7", "Popen", "epoch-0001"]),
    st.lists(st.integers(-3, 3), max_size=3),
    st.sampled_from([{"__object__": "Popen", "state": {}}, {"__ndarray__": [1], "dtype": "<f8", "shape": [9]},
                     {"__scalar__": 1, "dtype": "bogus"}, {"__optimizer__": "Optimizer"}, {"__items__": [[1]]},
                     {"__scalar__": 100000, "dtype": "|i1"}, {"__ndarray__": [100000], "dtype": "<i2", "shape": [1]},
                     {"__tuple__": 3}, {}]),
)


def _paths(node, prefix=()):
    """Every place in a JSON document, as a path of keys and indices."""
    yield prefix
    if isinstance(node, dict):
        for k, v in node.items():
            yield from _paths(v, (*prefix, k))
    elif isinstance(node, list):
        for i, v in enumerate(node[:4]):
            yield from _paths(v, (*prefix, i))


def _corrupt(doc, data):
    """One random change to ``doc``: a value replaced, a key removed, or the text cut short."""
    places = [p for p in _paths(doc) if p]
    where = data.draw(st.sampled_from(places), label="where")
    parent = doc
    for key in where[:-1]:
        parent = parent[key]
    how = data.draw(st.sampled_from(["replace", "remove"]), label="how")
    if how == "remove" and isinstance(parent, dict):
        del parent[where[-1]]
    else:
        parent[where[-1]] = data.draw(VALUES, label="value")
    return doc


@pytest.fixture(scope="module")
def saved(tmp_path_factory):
    folder = tmp_path_factory.mktemp("model") / "m"
    est = AttentionTokenClassifier(**TINY).fit(X, Y)
    est.save(folder)
    return folder, est.predict_proba(X)


def _load_or_documented_error(folder):
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            model = AttentionTokenClassifier.load(folder)
    except ModelFileError:
        event("ModelFileError")
        return None
    model.predict_proba(X[:3])  # what loads, works
    event("loaded")
    return model


@SETTINGS
@given(data=st.data())
def test_a_damaged_model_file_loads_and_works_or_raises_model_file_error(saved, tmp_path_factory, data):
    original, proba = saved
    folder = tmp_path_factory.mktemp("damaged") / "m"
    shutil.copytree(original, folder)
    config = json.loads((folder / "skattention.json").read_text())
    if data.draw(st.booleans(), label="cut the text"):
        text = json.dumps(config)
        (folder / "skattention.json").write_text(text[:data.draw(st.integers(0, len(text) - 1), label="at")])
    else:
        (folder / "skattention.json").write_text(json.dumps(_corrupt(config, data)))
    if data.draw(st.integers(0, 4), label="weights") == 0:
        raw = bytearray((folder / "weights.safetensors").read_bytes())
        raw[data.draw(st.integers(0, len(raw) - 1), label="byte")] ^= 0xFF
        (folder / "weights.safetensors").write_bytes(bytes(raw))
    model = _load_or_documented_error(folder)
    if model is None:
        return
    before = json.loads((original / "skattention.json").read_text())
    after = json.loads((folder / "skattention.json").read_text())  # it loaded, so it is valid JSON
    if all(before.get(k) == after.get(k) for k in before if k != "history"):
        # parameters, fitted state and weights as saved (only the history changed): the same predictions
        assert all(np.array_equal(a, b) for a, b in zip(model.predict_proba(X), proba))


class _StopAt(Callback):
    def on_epoch_end(self, net, **kwargs):
        if len(net.history) == 1:
            raise KeyboardInterrupt


@pytest.fixture(scope="module")
def interrupted(tmp_path_factory):
    folder = tmp_path_factory.mktemp("ckpt")
    with pytest.warns(UserWarning, match="interrupted"):
        AttentionTokenClassifier(**TINY, checkpoint_dir=folder, callbacks=[("s", _StopAt())]).fit(X, Y)
    return folder


@settings(SETTINGS, max_examples=max(SETTINGS.max_examples // 2, 5))
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
        path.write_text(json.dumps(_corrupt(json.loads(path.read_text()), data)))
    try:
        est = AttentionTokenClassifier(**TINY, checkpoint_dir=root).fit(X, Y)
    except ModelFileError:
        event("ModelFileError")
        return
    event("resumed or refitted")
    assert len(est.history_) == TINY["max_epochs"]  # resumed (or, for a finished pointer, fitted afresh)


def test_files_written_before_later_parameters_existed_load_as_the_model_they_hold(saved, tmp_path):
    from skattention._serialization import ADDED_LATER

    folder, proba = saved
    old = tmp_path / "old"
    shutil.copytree(folder, old)
    config = json.loads((old / "skattention.json").read_text())
    for key in ADDED_LATER:
        config["params"].pop(key, None)
    (old / "skattention.json").write_text(json.dumps(config))
    loaded = AttentionTokenClassifier.load(old)
    assert (loaded.embeddings, loaded.freeze_embeddings) == (None, False)
    assert all(np.array_equal(a, b) for a, b in zip(loaded.predict_proba(X), proba))
    config["params"].pop("d_model")  # a parameter that was always there is still required
    (old / "skattention.json").write_text(json.dumps(config))
    with pytest.raises(ModelFileError, match=r"does not give the parameter\(s\) \['d_model'\]"):
        AttentionTokenClassifier.load(old)
