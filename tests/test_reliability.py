"""Reliability: safe model files, diverging training, interrupted training,
long sequences, determinism. (Checkpoints and resuming: test_checkpoint.py.)"""

import json
import pickle
import warnings

import numpy as np
import pytest
import torch
from conftest import TINY, InterruptAt, make_numeric_data, make_tagging_data, same_outputs

from skattention import (
    AttentionSeq2Seq,
    AttentionSequenceClassifier,
    AttentionSequenceRegressor,
    AttentionTokenClassifier,
    AttentionTokenRegressor,
)
from skattention.exceptions import ModelFileError


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


# ---------------------------------------------------------------- model files
@pytest.mark.parametrize("cls, X, y", _cases(), ids=lambda v: getattr(v, "__name__", ""))
def test_save_load_round_trip_predicts_the_same(cls, X, y, tmp_path):
    est = cls(**TINY).fit(X, y)
    est.save(tmp_path / "model")
    assert sorted(p.name for p in (tmp_path / "model").iterdir()) == ["skattention.json", "weights.safetensors"]
    loaded = cls.load(tmp_path / "model")
    assert same_outputs(est.predict(X), loaded.predict(X))
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


def test_save_after_set_params_writes_what_was_fitted(tmp_path):
    X, y = make_tagging_data(20)
    est = AttentionTokenClassifier(**TINY).fit(X, y)
    est.set_params(d_model=32, encoder="transformer")
    est.save(tmp_path / "m")
    loaded = AttentionTokenClassifier.load(tmp_path / "m")
    assert (loaded.d_model, loaded.encoder) == (TINY["d_model"], "hybrid")
    assert same_outputs(loaded.predict_proba(X), est.predict_proba(X))


def _rehash(folder):
    import hashlib

    config = json.loads((folder / "skattention.json").read_text())
    config["weights_sha256"] = hashlib.sha256((folder / "weights.safetensors").read_bytes()).hexdigest()
    (folder / "skattention.json").write_text(json.dumps(config))


def _edit(folder, change):
    config = json.loads((folder / "skattention.json").read_text())
    change(config)
    (folder / "skattention.json").write_text(json.dumps(config))


@pytest.mark.parametrize("change, message", [
    (lambda c: c["params"].update({"d_model": 10 ** 9}), "d_model=1000000000, but its weights hold"),
    (lambda c: c["params"].update({"n_layers": 10 ** 12}), "n_layers=1000000000000, but its weights hold"),
    (lambda c: c["params"].update({"lr": "fast"}), "parameters that AttentionTokenClassifier refuses.*'lr'"),
    (lambda c: c["params"].update({"device": "tpu"}), "device torch knows"),
    (lambda c: c["params"].update({"lrr": 0.5}), "refuses.*unexpected keyword argument 'lrr'"),
    (lambda c: c["fitted"].update({"__class__": 1}), "sets '__class__', which is not a fitted attribute"),
    (lambda c: c["fitted"].update({"predict": 1}), "sets 'predict', which is not a fitted attribute"),
    (lambda c: c["fitted"].update({"classes_": "NOUN"}), "gives 'classes_' as a str"),
    (lambda c: c["fitted"].pop("input_encoder_"), r"lacks the fitted attribute\(s\) \['input_encoder_'\]"),
    (lambda c: c["fitted"]["input_encoder_"]["state"]["__items__"].append(["edge_types_", ["s"]]),
     "edge_types_ must be a list of distinct edge types, on a graph encoder"),
    (lambda c: c.pop("params"), "has no valid 'params' field"),
    (lambda c: c.update({"history": {"epoch": 1}}), "has no valid 'history' field"),
    # numbers outside their dtype's range
    (lambda c: c["params"].update({"lr": {"__scalar__": 100000, "dtype": "|i1"}}), "cannot be decoded.*out of bounds"),
    (lambda c: c["params"].update({"batch_size": {"__ndarray__": [100000], "dtype": "<i2", "shape": [1]}}),
     "cannot be decoded.*out of bounds"),
])
def test_a_model_file_is_validated_as_strictly_as_fit(saved, change, message):
    _edit(saved, change)
    with pytest.raises(ModelFileError, match=message):
        AttentionTokenClassifier.load(saved)


def test_deeply_nested_or_non_finite_model_files_raise_the_documented_error(saved):
    config = (saved / "skattention.json").read_text()
    (saved / "skattention.json").write_text(config.replace('"fitted": {', '"fitted": {"x": ' + "[" * 100000
                                                           + "]" * 100000 + ", ", 1))
    with pytest.raises(ModelFileError):
        AttentionTokenClassifier.load(saved)
    (saved / "skattention.json").write_text(config)
    from safetensors.torch import load_file, save_file

    tensors = load_file(saved / "weights.safetensors")
    name = next(iter(tensors))
    tensors[name] = torch.full_like(tensors[name], float("nan"))
    save_file(tensors, saved / "weights.safetensors")
    _rehash(saved)
    with pytest.raises(ModelFileError, match="NaN or infinite weights"):
        AttentionTokenClassifier.load(saved)


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
    assert same_outputs(est.predict(X), cpu.predict(X))


# ---------------------------------------------------------------- diverging training
class _PoisonAt:
    """A callback that fills the weights with NaN at the start of one epoch."""

    def __new__(cls, epoch):
        from skorch.callbacks import Callback

        class Poison(Callback):
            def on_epoch_begin(self, net, **kwargs):
                if len(net.history) == epoch:
                    with torch.no_grad():
                        for p in net.module_.parameters():
                            p.fill_(float("nan"))

        return Poison()


def test_a_nan_loss_stops_fit_with_an_error_and_keeps_the_last_good_weights():
    from skattention.exceptions import TrainingDivergedError

    X, y = make_tagging_data(30)
    # with a validation split the learning rate does not depend on max_epochs (the one-cycle
    # schedule of a fit without one does), so the first epochs of 5 and of 2 are the same
    split = {"train_split": 0.1}
    est = AttentionTokenClassifier(**{**TINY, "max_epochs": 5, "patience": None}, **split,
                                   callbacks=[("poison", _PoisonAt(3))])
    with pytest.raises(TrainingDivergedError, match="became nan at epoch 3 .*after epoch 2"):
        est.fit(X, y)
    assert len(est.history_) == 3
    assert all(torch.isfinite(p).all() for p in est.module_.parameters())
    # the same seed trains epochs 1-2 identically
    reference = AttentionTokenClassifier(**{**TINY, "max_epochs": 2, "patience": None}, **split).fit(X, y)
    assert same_outputs(est.predict_proba(X), reference.predict_proba(X))


# ---------------------------------------------------------------- interrupted training
def test_ctrl_c_leaves_a_usable_model_with_the_best_weights_so_far():
    X, y = make_tagging_data(60)
    est = AttentionTokenClassifier(**{**TINY, "max_epochs": 20}, train_split=0.1,
                                   callbacks=[("stop", InterruptAt(6))])
    with pytest.warns(UserWarning, match="interrupted after epoch 6; the model holds the weights of epoch"):
        est.fit(X, y)
    hist = est.history_
    assert len(hist) == 6
    best = int(hist["epoch"][hist["valid_acc_best"].astype(bool)].iloc[-1])
    same_run = AttentionTokenClassifier(**{**TINY, "max_epochs": best, "patience": None}, train_split=0.1).fit(X, y)
    assert same_outputs(est.predict_proba(X), same_run.predict_proba(X))


# ---------------------------------------------------------------- long sequences and memory
def test_max_length_splits_token_sequences_into_windows():
    X, y = make_tagging_data(40)
    long_x = [w for s in X[:10] for w in s]
    long_y = [t for s in y[:10] for t in s]
    est = AttentionTokenClassifier(**TINY, max_length=8)
    with pytest.warns(UserWarning, match=r"1 sequence\(s\) longer than max_length=8 were split"):
        est.fit(X[10:] + [long_x], y[10:] + [long_y])
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # windows lose no output: predicting does not warn
        pred = est.predict([long_x, ["the", "cat"]])
        proba = est.predict_proba([long_x])[0]
        att = est.attention_weights([long_x])[0]
    assert [len(p) for p in pred] == [len(long_x), 2]
    assert proba.shape == (len(long_x), len(est.classes_))
    assert att.shape == (TINY["n_heads"], len(long_x), len(long_x))
    assert att[:, :8, 8:].sum() == 0  # windows never attend across their boundary
    np.testing.assert_allclose(att.sum(axis=-1), 1, rtol=1e-5)


def test_max_length_truncates_for_sequence_estimators():
    Xn = make_numeric_data(20)
    y = np.arange(20.0)
    est = AttentionSequenceRegressor(**TINY, max_length=5)
    with pytest.warns(UserWarning, match="truncated to their first 5"):
        est.fit(Xn, y)
    with pytest.warns(UserWarning, match="truncated"):
        full = est.predict(Xn)
    np.testing.assert_allclose(full, est.predict([x[:5] for x in Xn]), rtol=1e-5)


@pytest.mark.parametrize("error", [torch.OutOfMemoryError("CUDA out of memory. Tried to allocate 2.00 GiB"),
                                   RuntimeError("[enforce fail] DefaultCPUAllocator: can't allocate memory")])
def test_running_out_of_memory_says_what_to_change(error, monkeypatch):
    X, y = make_tagging_data(20)
    est = AttentionTokenClassifier(**TINY).fit(X, y)

    def boom(*args, **kwargs):
        raise error

    monkeypatch.setattr(est.net_, "infer", boom)
    with pytest.raises(MemoryError, match="ran out of memory while predicting .*smaller batch_size.*max_length"):
        est.predict(X)
    with pytest.raises(MemoryError, match="while training"):
        est.set_params(warm_start=True).fit(X, y)


def test_other_runtime_errors_are_not_dressed_up_as_memory(monkeypatch):
    X, y = make_tagging_data(20)
    est = AttentionTokenClassifier(**TINY).fit(X, y)
    monkeypatch.setattr(est.net_, "infer", lambda *a, **k: (_ for _ in ()).throw(RuntimeError("shape bug")))
    with pytest.raises(RuntimeError, match="shape bug"):
        est.predict(X)


# ---------------------------------------------------------------- determinism
def test_same_random_state_same_predictions_across_runs():
    X, y = make_tagging_data(30)
    a = AttentionTokenClassifier(**{**TINY, "max_epochs": 3}).fit(X, y).predict_proba(X)
    b = AttentionTokenClassifier(**{**TINY, "max_epochs": 3}).fit(X, y).predict_proba(X)
    assert same_outputs(a, b)


def test_grid_search_gives_the_same_results_with_one_or_two_worker_processes():
    from sklearn.model_selection import GridSearchCV

    from skattention.metrics import flat_accuracy_scorer

    X, y = make_tagging_data(30)
    grid = {"d_model": [8, 16]}
    runs = [GridSearchCV(AttentionTokenClassifier(**{**TINY, "d_model": 8}), grid, cv=2,
                         scoring=flat_accuracy_scorer, n_jobs=n_jobs).fit(X, y) for n_jobs in (1, 2)]
    np.testing.assert_array_equal(runs[0].cv_results_["split0_test_score"], runs[1].cv_results_["split0_test_score"])
    np.testing.assert_array_equal(runs[0].cv_results_["split1_test_score"], runs[1].cv_results_["split1_test_score"])
    assert same_outputs(runs[0].best_estimator_.predict_proba(X), runs[1].best_estimator_.predict_proba(X))


# ---------------------------------------------------------------- nothing returned is NaN in silence
@pytest.mark.parametrize("cls, target", [
    (AttentionSequenceRegressor, lambda rng: rng.randn(24)),
    (AttentionTokenClassifier, lambda rng: [["a"] * 5] * 12 + [["b"] * 5] * 12),
])
def test_float16_overflow_is_an_error_not_nan_or_class_zero(cls, target):
    from skattention.exceptions import NonFinitePredictionError

    rng = np.random.RandomState(0)
    X = [rng.randn(5, 2) for _ in range(24)]
    est = cls(**{**TINY, "max_epochs": 1}, precision="16").fit(X, target(rng))
    far = [np.full((5, 2), 1e5), X[0]]
    with pytest.raises(NonFinitePredictionError, match="precision='16': float16 overflows past 65504"):
        est.predict(far)
    if hasattr(est, "predict_proba"):
        with pytest.raises(NonFinitePredictionError):
            est.predict_proba(far)
    with pytest.raises(NonFinitePredictionError, match="precision='16'"):  # the weights came from NaN too
        est.attention_weights(far)
    est.set_params(precision="32")  # an inference setting: it takes effect at once
    assert all(np.isfinite(np.asarray(p, dtype=float)).all() for p in (est.predict_proba(far) if
               hasattr(est, "predict_proba") else [est.predict(far)]))
    assert all(np.isfinite(w).all() for w in est.attention_weights(far))


@pytest.mark.parametrize("beam_size", [1, 3])
def test_float16_overflow_in_seq2seq_is_an_error_not_an_empty_output(beam_size):
    from skattention.exceptions import NonFinitePredictionError

    rng = np.random.RandomState(0)
    X = [rng.randn(5, 2) for _ in range(24)]
    y = [["a", "b"] if x[0, 0] > 0 else ["b"] for x in X]
    s2s = AttentionSeq2Seq(**{**TINY, "max_epochs": 1}, precision="16", beam_size=beam_size).fit(X, y)
    far = [np.full((5, 2), 1e5), X[0]]
    for method in (s2s.predict, s2s.attention_weights):
        with pytest.raises(NonFinitePredictionError, match="precision='16': float16 overflows"):
            method(far)
    s2s.set_params(precision="32")
    assert all(len(out) for out in s2s.predict(far))
