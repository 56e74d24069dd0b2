"""skattention._serialization under corruption (hypothesis): a model file
with any field damaged either loads and works, or raises the one documented
error, ModelFileError; never anything else, and never code from the file.
(A damaged checkpoint folder: test_checkpoint.py.)"""

import json
import shutil
import warnings

import numpy as np
import pytest
from conftest import DAMAGE_SETTINGS, TINY, corrupt, make_tagging_data
from hypothesis import event, given
from hypothesis import strategies as st

from skattention import AttentionTokenClassifier
from skattention.exceptions import ModelFileError

X, Y = make_tagging_data(20)


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


@DAMAGE_SETTINGS
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
        (folder / "skattention.json").write_text(json.dumps(corrupt(config, data)))
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
