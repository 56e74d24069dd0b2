"""Reliability: safe model files, diverging training, interrupted training,
long sequences, determinism."""

import json
import pickle
import warnings

import numpy as np
import pytest
import torch
from conftest import TINY, make_numeric_data, make_tagging_data

from skattention import (
    AttentionSeq2Seq,
    AttentionSequenceClassifier,
    AttentionSequenceRegressor,
    AttentionTokenClassifier,
    AttentionTokenRegressor,
)


def _cases():
    X, y = make_tagging_data(30)
    Xn = make_numeric_data(30)
    return [
        (AttentionTokenClassifier, X, y),
        (AttentionTokenRegressor, Xn, [x.sum(axis=1) for x in Xn]),
        (AttentionSequenceClassifier, X, [s[0] for s in y]),
        (AttentionSequenceRegressor, Xn, np.arange(30.0)),
        (AttentionSeq2Seq, X, y),
    ]


def _same(a, b):
    return all(np.array_equal(np.asarray(p), np.asarray(q)) for p, q in zip(a, b))


# ---------------------------------------------------------------- model files
@pytest.mark.parametrize("cls, X, y", _cases(), ids=lambda v: getattr(v, "__name__", ""))
def test_save_load_round_trip_predicts_the_same(cls, X, y, tmp_path):
    est = cls(**TINY).fit(X, y)
    est.save(tmp_path / "model")
    assert sorted(p.name for p in (tmp_path / "model").iterdir()) == ["skattention.json", "weights.safetensors"]
    loaded = cls.load(tmp_path / "model")
    assert _same(est.predict(X), loaded.predict(X))
    assert loaded.get_params() == est.get_params()
    assert loaded.history_.equals(est.history_)
    loaded.set_params(warm_start=True, max_epochs=1).fit(X, y)  # training goes on from the file
    assert len(loaded.history_) == len(est.history_) + 1


@pytest.fixture
def saved(tmp_path):
    X, y = make_tagging_data(20)
    AttentionTokenClassifier(**TINY).fit(X, y).save(tmp_path / "m")
    return tmp_path / "m"


class _Payload:
    """Unpickling this runs code: it creates a marker file."""

    def __init__(self, marker):
        self.marker = str(marker)

    def __reduce__(self):
        return (open, (self.marker, "w"))


def test_a_pickle_in_place_of_the_weights_never_runs(saved, tmp_path):
    marker = tmp_path / "pwned"
    weights = saved / "weights.safetensors"
    weights.write_bytes(pickle.dumps(_Payload(marker)))
    with pytest.raises(ValueError, match="SHA-256"):
        AttentionTokenClassifier.load(saved)
    # even with the recorded hash forged to match, the file is never unpickled
    import hashlib

    config = json.loads((saved / "skattention.json").read_text())
    config["weights_sha256"] = hashlib.sha256(weights.read_bytes()).hexdigest()
    (saved / "skattention.json").write_text(json.dumps(config))
    with pytest.raises(ValueError, match="does not hold this model's weights"):
        AttentionTokenClassifier.load(saved)
    assert not marker.exists()


def test_a_changed_byte_in_the_weights_is_rejected(saved):
    weights = saved / "weights.safetensors"
    data = bytearray(weights.read_bytes())
    data[-5] ^= 0xFF
    weights.write_bytes(bytes(data))
    with pytest.raises(ValueError, match="changed or damaged"):
        AttentionTokenClassifier.load(saved)


@pytest.mark.parametrize("edit, message", [
    (lambda c: c["fitted"]["input_encoder_"].update({"__object__": "Popen"}), "only .* are allowed"),
    (lambda c: c["params"].update({"optimizer": {"__optimizer__": "__class__"}}), "unknown optimizer"),
    (lambda c: c.update({"estimator": "Pipeline"}), "unknown estimator"),
    (lambda c: c.update({"format_version": 99}), "format version 99"),
])
def test_an_edited_description_is_rejected(saved, edit, message):
    config = json.loads((saved / "skattention.json").read_text())
    edit(config)
    (saved / "skattention.json").write_text(json.dumps(config))
    with pytest.raises(ValueError, match=message):
        AttentionTokenClassifier.load(saved)


def test_loading_checks_the_class_and_the_folder(saved, tmp_path):
    with pytest.raises(ValueError, match="not a AttentionSequenceClassifier"):
        AttentionSequenceClassifier.load(saved)
    with pytest.raises(ValueError, match="not a skattention model folder"):
        AttentionTokenClassifier.load(tmp_path)


def test_parameters_json_cannot_hold_are_left_out_with_a_warning(tmp_path):
    from skorch.callbacks import EpochTimer

    X, y = make_tagging_data(20)
    est = AttentionTokenClassifier(**TINY, callbacks=[("timer2", EpochTimer())]).fit(X, y)
    with pytest.warns(UserWarning, match="'callbacks' parameter"):
        est.save(tmp_path / "m")
    assert AttentionTokenClassifier.load(tmp_path / "m").callbacks is None


def test_unsaved_model_is_an_error(tmp_path):
    from sklearn.exceptions import NotFittedError

    with pytest.raises(NotFittedError):
        AttentionTokenClassifier().save(tmp_path / "m")
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert not (tmp_path / "m").exists()


@pytest.mark.gpu
@pytest.mark.skipif(not torch.cuda.is_available(), reason="needs a CUDA device")
def test_a_gpu_model_file_loads_on_the_cpu(tmp_path):
    X, y = make_tagging_data(20)
    est = AttentionTokenClassifier(**{**TINY, "device": "cuda"}).fit(X, y)
    est.save(tmp_path / "m")
    cpu = AttentionTokenClassifier.load(tmp_path / "m", device="cpu")
    assert next(cpu.module_.parameters()).device.type == "cpu"
    assert _same(est.predict(X), cpu.predict(X))
