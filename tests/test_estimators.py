import pickle
import warnings

import numpy as np
import pandas as pd
import pytest
import torch
from conftest import TINY, make_numeric_data, make_tagging_data
from sklearn.exceptions import NotFittedError
from skorch.callbacks import Callback

from skattention import (
    AttentionSeq2Seq,
    AttentionSequenceClassifier,
    AttentionSequenceRegressor,
    AttentionTokenClassifier,
    AttentionTokenRegressor,
)
from skattention._batching import EncodedDataset
from skattention._sequences import check_sequences
from skattention.estimators._device import resolve_device
from skattention.metrics import flat_f1_score


def _numeric_token_targets(X):
    return [x.sum(axis=1) for x in X]


def _fitted(kind, **params):
    X, y = make_tagging_data()
    Xn = make_numeric_data()
    p = {**TINY, **params}
    if kind == "token_clf":
        return AttentionTokenClassifier(**p).fit(X, y), X
    if kind == "token_reg":
        return AttentionTokenRegressor(**p).fit(Xn, _numeric_token_targets(Xn)), Xn
    if kind == "seq_clf":
        return AttentionSequenceClassifier(**p).fit(X, [s[0] for s in y]), X
    return AttentionSequenceRegressor(**p).fit(Xn, np.array([x[:, 0].mean() for x in Xn])), Xn


KINDS = ["token_clf", "token_reg", "seq_clf", "seq_reg"]


@pytest.mark.parametrize("kind", KINDS)
def test_fit_predict_shapes(kind):
    est, X = _fitted(kind, train_split=0.1)  # a validation split even on 40 sequences
    pred = est.predict(X[:5])
    if kind.startswith("token"):
        assert isinstance(pred, list) and [len(p) for p in pred] == [len(x) for x in X[:5]]
    else:
        assert pred.shape == (5,)
    hist = est.history_
    assert isinstance(hist, pd.DataFrame) and len(hist) == 2
    assert {"epoch", "train_loss", "valid_loss", "dur"} <= set(hist.columns)


def test_token_classifier_learns_and_probabilities_sum_to_one(tagging_data):
    X, y = tagging_data
    tagger = AttentionTokenClassifier(**{**TINY, "max_epochs": 40, "d_model": 32}).fit(X, y)
    assert tagger.score(X, y) > 0.95
    proba = tagger.predict_proba(X[:3])
    for p, x in zip(proba, X[:3]):
        assert p.shape == (len(x), len(tagger.classes_))
        np.testing.assert_allclose(p.sum(axis=1), 1, rtol=1e-5)
    assert set(tagger.classes_) == {"DET", "NOUN", "VERB", "ADP", "ADJ"}
    assert tagger.vocabulary_["<unk>"] == 1


def test_unseen_tokens_and_empty_sequences_at_predict():
    tagger, _ = _fitted("token_clf")
    pred = tagger.predict([["zebra", "the"], [], ["cat"]])
    assert [len(p) for p in pred] == [2, 0, 1]
    assert tagger.predict_proba([[]])[0].shape == (0, len(tagger.classes_))
    clf, _ = _fitted("seq_clf")
    with pytest.raises(ValueError, match=r"X\[1\] is empty"):
        clf.predict([["cat"], []])


@pytest.mark.parametrize("kind", KINDS)
def test_predict_before_fit(kind):
    est = {"token_clf": AttentionTokenClassifier, "token_reg": AttentionTokenRegressor,
           "seq_clf": AttentionSequenceClassifier, "seq_reg": AttentionSequenceRegressor}[kind]()
    with pytest.raises(NotFittedError):
        est.predict([["a"]])
    with pytest.raises(NotFittedError):
        est.history_  # noqa: B018


def test_bad_fit_inputs():
    X, y = make_tagging_data(10)
    est = AttentionTokenClassifier(**TINY)
    with pytest.raises(ValueError, match="X is empty"):
        est.fit([], [])
    with pytest.raises(ValueError, match="X has 10 sequences but y has 9"):
        est.fit(X, y[:9])
    bad = [list(t) for t in y]
    bad[3] = bad[3][:-1]
    with pytest.raises(ValueError, match=r"y\[3\] has .* labels but X\[3\] has"):
        est.fit(X, bad)
    with pytest.raises(ValueError, match="requires y to be passed"):
        est.fit(X)
    with pytest.raises(TypeError, match=r"X\[1\] holds numeric but X\[0\] holds tokens"):
        est.fit([["a"], np.zeros((1, 2))], [["A"], ["B"]])
    with pytest.raises(ValueError, match="must be one of"):
        AttentionTokenClassifier(encoder="cnn").fit(X, y)
    with pytest.raises(ValueError, match="divisible by n_heads"):
        AttentionTokenClassifier(d_model=10, n_heads=3, encoder="transformer").fit(X, y)
    with pytest.raises(TypeError, match="unexpected keyword argument 'foo__bar'. Double-underscore"):
        AttentionTokenClassifier(foo__bar=1)
    reg = AttentionSequenceRegressor(**TINY)
    Xn = make_numeric_data(10)
    Xn[4] = Xn[4].copy()
    Xn[4][0, 0] = np.nan
    with pytest.raises(ValueError, match=r"X\[4\] contains NaN"):
        reg.fit(Xn, np.zeros(10))
    with pytest.raises(ValueError, match=r"X\[0\] has 2 features per element but 3 were seen at fit"):
        _fitted("seq_reg")[0].predict([np.zeros((4, 2))])


def test_partial_fit_declared_classes_and_unknown_labels():
    X, y = make_tagging_data(20)
    tagger = AttentionTokenClassifier(**TINY)
    tagger.partial_fit(X, y, classes=["ADJ", "ADP", "DET", "NOUN", "VERB", "X"])
    assert "X" in tagger.classes_
    first = len(tagger.history_)
    tagger.partial_fit(X, y)
    assert len(tagger.history_) == first + TINY["max_epochs"]
    bad = [list(t) for t in y]
    bad[2][0] = "NEW"
    with pytest.raises(ValueError, match=r"y\[2\] has label 'NEW', which is not among classes_"):
        tagger.partial_fit(X, bad)


def test_warm_start_continues_training():
    X, y = make_tagging_data(20)
    tagger = AttentionTokenClassifier(**TINY, warm_start=True).fit(X, y)
    vocab = tagger.vocabulary_
    tagger.fit(X, y)
    assert len(tagger.history_) == 2 * TINY["max_epochs"]
    assert tagger.vocabulary_ is vocab
    cold = AttentionTokenClassifier(**TINY).fit(X, y)
    cold.fit(X, y)
    assert len(cold.history_) == TINY["max_epochs"]


@pytest.mark.parametrize("kind", KINDS)
def test_same_random_state_same_predictions(kind):
    a, X = _fitted(kind)
    b, _ = _fitted(kind)
    pa, pb = a.predict(X[:6]), b.predict(X[:6])
    if kind.startswith("token"):
        for u, v in zip(pa, pb):
            np.testing.assert_array_equal(u, v)
    else:
        np.testing.assert_array_equal(pa, pb)
    # fitting does not touch the user's global torch RNG
    torch.manual_seed(123)
    expected = torch.rand(1)
    torch.manual_seed(123)
    _fitted(kind)
    assert torch.equal(torch.rand(1), expected)


def test_early_stopping_restores_best_epoch():
    X, y = make_tagging_data(60)
    # a huge learning rate makes the validation loss get worse after a while
    tagger = AttentionTokenClassifier(**{**TINY, "max_epochs": 30, "lr": 0.05, "patience": 2},
                                      train_split=0.1).fit(X, y)
    hist = tagger.history_
    best = hist.loc[hist["valid_acc_best"], "epoch"].max()
    assert best < hist["epoch"].max()
    # the restored weights give the best validation accuracy again
    seqs = check_sequences(X)
    targets = tagger._encode_targets(tagger._check_targets(y, seqs))
    dataset = EncodedDataset(tagger.input_encoder_.transform(seqs), seqs.lengths, targets)
    net = tagger.net_
    _, valid = net.get_split_datasets(dataset)
    correct = total = 0
    for xb, yb in net.get_iterator(valid):
        pred = net.evaluation_step((xb, yb)).argmax(-1)
        correct += int(((pred == yb) & (yb != -100)).sum())
        total += int((yb != -100).sum())
    assert correct / total == pytest.approx(hist["valid_acc"].max())


def test_no_validation_split_disables_early_stopping():
    X, y = make_tagging_data(20)
    tagger = AttentionTokenClassifier(**TINY, train_split=None).fit(X, y)
    assert "valid_loss" not in tagger.history_.columns


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("encoder", ["transformer", "hybrid"])
def test_attention_weights_shapes(kind, encoder):
    est, X = _fitted(kind, encoder=encoder, max_epochs=1)
    weights = est.attention_weights(X[:3])
    for w, x in zip(weights, X[:3]):
        n = len(x)
        assert w.shape == ((n,) if kind.startswith("seq") else (2, n, n))
        np.testing.assert_allclose(w.sum(axis=-1), 1, rtol=1e-5)


@pytest.mark.parametrize("pooling, shape", [("cls", (2, 5)), ("mean", (2, 5, 5)), ("max", (2, 5, 5)),
                                            ("sum", (2, 5, 5)), ("combined", (5,))])
def test_sequence_attention_weights_per_pooling(pooling, shape):
    est, _ = _fitted("seq_reg", pooling=pooling, encoder="transformer", max_epochs=1)
    (w,) = est.attention_weights([np.ones((5, 3))])
    assert w.shape == shape


@pytest.mark.parametrize("attention", ["scaled_dot", "dot", "multiplicative", "additive"])
def test_every_attention_score_trains(attention):
    est, X = _fitted("seq_clf", attention=attention, max_epochs=1)
    assert len(est.predict(X[:3])) == 3


def test_birnn_token_model_has_no_attention_weights():
    est, X = _fitted("token_clf", encoder="birnn", max_epochs=1)
    with pytest.raises(ValueError, match="no self-attention"):
        est.attention_weights(X[:1])
    est, X = _fitted("seq_clf", encoder="birnn", max_epochs=1)  # attention pooling still works
    assert est.attention_weights(X[:1])[0].shape == (len(X[0]),)


def test_multi_output_regression():
    Xn = make_numeric_data()
    y = np.stack([[x[:, 0].mean(), x[:, 1].max()] for x in Xn])
    reg = AttentionSequenceRegressor(**TINY).fit(Xn, y)
    assert reg.predict(Xn[:4]).shape == (4, 2)
    yt = [np.stack([x[:, 0], x[:, 1]], axis=1) for x in Xn]
    treg = AttentionTokenRegressor(**TINY).fit(Xn, yt)
    assert [p.shape for p in treg.predict(Xn[:2])] == [(len(x), 2) for x in Xn[:2]]


def test_regressor_predicts_in_original_units():
    Xn = make_numeric_data(60)
    y = 1000.0 + 50.0 * np.array([x[:, 0].mean() for x in Xn])
    reg = AttentionSequenceRegressor(**{**TINY, "max_epochs": 30}).fit(Xn, y)
    assert abs(reg.predict(Xn).mean() - y.mean()) < 10
    assert reg.score(Xn, y) > 0.5


def test_verbose_prints_epoch_table(capsys):
    X, y = make_tagging_data(20)
    AttentionTokenClassifier(**TINY, verbose=1, train_split=0.2).fit(X, y)
    out = capsys.readouterr()
    assert "train_loss" in out.out and "valid_loss" in out.out
    assert "it/s" in out.err or "%" in out.err  # tqdm progress bar


class _Count(Callback):
    def initialize(self):
        self.epochs = 0
        return self

    def on_epoch_end(self, net, **kwargs):
        self.epochs += 1


def test_skorch_features_pass_through(tmp_path):
    X, y = make_tagging_data(20)
    counter = _Count()
    tagger = AttentionTokenClassifier(
        **TINY, callbacks=[("count", counter)], optimizer=torch.optim.SGD,
        optimizer__momentum=0.9, module__word_dropout=0.0,
    ).fit(X, y)
    assert dict(tagger.net_.callbacks_)["count"].epochs == TINY["max_epochs"]
    assert isinstance(tagger.net_.optimizer_, torch.optim.SGD)
    assert tagger.net_.optimizer_.param_groups[0]["momentum"] == 0.9
    assert tagger.module_.backbone.embed.word_dropout == 0.0
    assert tagger.history[-1, "epoch"] == TINY["max_epochs"]
    # skorch's save_params/load_params round trip
    before = tagger.predict_proba(X[:3])
    tagger.save_params(f_params=tmp_path / "params.pt")
    other = AttentionTokenClassifier(**{**TINY, "random_state": 1}).fit(X, y)
    other.load_params(f_params=tmp_path / "params.pt")
    for u, v in zip(before, other.predict_proba(X[:3])):
        np.testing.assert_allclose(u, v, rtol=1e-5)


@pytest.mark.parametrize("kind", KINDS)
def test_pickle_roundtrip(kind):
    est, X = _fitted(kind)
    clone = pickle.loads(pickle.dumps(est))
    a, b = est.predict(X[:4]), clone.predict(X[:4])
    for u, v in zip(a, b):
        np.testing.assert_array_equal(u, v)


def test_model_saved_on_gpu_loads_on_cpu(monkeypatch):
    """A net whose device is CUDA unpickles on a CPU-only machine (skorch maps
    the tensors to the CPU with a DeviceWarning)."""
    est, X = _fitted("token_clf")
    expected = est.predict_proba(X[:2])
    est.net_.device = "cuda"  # what a GPU-trained model records
    payload = pickle.dumps(est)
    monkeypatch.setattr(torch.cuda, "is_available", lambda: False)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        loaded = pickle.loads(payload)
    assert str(loaded.net_.device) == "cpu"
    assert any("cuda" in str(w.message).lower() for w in caught)
    for u, v in zip(expected, loaded.predict_proba(X[:2])):
        np.testing.assert_allclose(u, v, rtol=1e-5)


def test_device_auto(monkeypatch):
    assert resolve_device("cpu") == "cpu"
    assert resolve_device("auto") == ("cuda" if torch.cuda.is_available() else "cpu")
    est, _ = _fitted("seq_clf")
    assert est.device == "auto"  # the parameter is left as given
    assert str(next(est.module_.parameters()).device).startswith(resolve_device("auto"))


@pytest.mark.gpu
@pytest.mark.skipif(not torch.cuda.is_available(), reason="needs CUDA")
def test_gpu_matches_cpu():
    X, y = make_tagging_data()
    gpu = AttentionTokenClassifier(**TINY, device="cuda").fit(X, y)
    cpu = pickle.loads(pickle.dumps(gpu))
    cpu.net_.device = "cpu"
    cpu.net_.module_.to("cpu")
    for u, v in zip(gpu.predict_proba(X), cpu.predict_proba(X)):
        np.testing.assert_allclose(u, v, atol=1e-4)


@pytest.mark.gpu
@pytest.mark.skipif(not torch.cuda.is_available(), reason="needs CUDA")
@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("precision", ["32", "bf16", "16"])
def test_gpu_paths_agree_with_cpu_on_fresh_inputs(kind, precision):
    model, _ = _fitted(kind, device="cuda", precision=precision)
    rng = np.random.RandomState(7)
    if kind in ("token_clf", "seq_clf"):
        words = ["the", "cat", "sat", "zebra", "on", "mat", "qq"]
        fresh = [list(rng.choice(words, rng.randint(1, 30))) for _ in range(25)]
    else:
        fresh = [rng.randn(rng.randint(1, 30), 3).astype(np.float32) for _ in range(25)]
    predict = model.predict_proba if hasattr(model, "predict_proba") else model.predict
    on_gpu = predict(fresh)
    model.net_.module_.to("cpu")
    model.net_.device = "cpu"
    on_cpu = predict(fresh)
    tol = 1e-4 if precision == "32" else 0.05
    for u, v in zip(on_gpu, on_cpu):
        np.testing.assert_allclose(u, v, atol=tol, rtol=tol)


def test_pandas_long_format_and_padded_inputs_through_helpers():
    from skattention.datasets import from_long_format, from_padded

    rng = np.random.RandomState(0)
    rows = []
    for seq in range(30):
        for t in range(rng.randint(3, 8)):
            rows.append({"sensor": f"s{seq}", "t": t, "a": rng.randn(), "b": rng.randn(), "label": seq % 2})
    frame = pd.DataFrame(rows).sample(frac=1.0, random_state=0)  # rows in any order
    X, y = from_long_format(frame, sequence_col="sensor", value_cols=["a", "b"], order_col="t",
                            target_col="label", sequence_target=True)
    clf = AttentionSequenceClassifier(**TINY).fit(X, y)
    assert clf.predict(X).shape == (30,)
    padded = np.zeros((4, 6, 2), np.float32)
    lengths = np.array([6, 3, 1, 4])
    reg = AttentionTokenRegressor(**TINY).fit(from_padded(padded, lengths), [np.zeros(n) for n in lengths])
    assert [len(p) for p in reg.predict(from_padded(padded, lengths))] == lengths.tolist()


# ------------------------------------------------------------------ performance paths
@pytest.mark.parametrize("precision", ["bf16", "16"])
@pytest.mark.parametrize("kind", KINDS)
def test_mixed_precision_fits_and_predicts_close_to_fp32(kind, precision):
    model, X = _fitted(kind, precision=precision)
    assert model.net_.precision == precision
    assert (model.net_.grad_scaler_ is not None) == (precision == "16")
    assert np.isfinite(model.history_["train_loss"]).all()
    # the same weights run in fp32 and in reduced precision agree closely
    model.net_.precision = "32"
    full = model.predict_proba(X) if hasattr(model, "predict_proba") else model.predict(X)
    model.net_.precision = precision
    low = model.predict_proba(X) if hasattr(model, "predict_proba") else model.predict(X)
    full, low = (np.concatenate(v) if isinstance(v, list) else v for v in (full, low))
    np.testing.assert_allclose(low, full, atol=0.05, rtol=0.05)


def test_bad_precision_and_compile_values_are_rejected(tagging_data):
    X, y = tagging_data
    with pytest.raises(ValueError, match="precision"):
        AttentionTokenClassifier(**TINY, precision="fp8").fit(X, y)
    with pytest.raises(ValueError, match="compile"):
        AttentionTokenClassifier(**TINY, compile="yes").fit(X, y)


def test_history_holds_plain_float_losses(tagging_data):
    # losses stay on the device during the epoch and are read once at its end
    X, y = tagging_data
    model = AttentionTokenClassifier(**{**TINY, "train_split": 0.25}).fit(X, y)
    for epoch in model.history:
        for batch in epoch["batches"]:
            assert all(type(batch[k]) is float for k in batch if k.endswith("_loss"))
        assert np.isfinite([epoch["train_loss"], epoch["valid_loss"]]).all()


@pytest.mark.slow
def test_compile_gives_the_same_predictions(tagging_data):
    # (training itself differs: compiled dropout draws from another random stream)
    X, y = tagging_data
    model = AttentionTokenClassifier(**TINY, compile=True).fit(X, y)
    compiled = model.net_.module_
    assert isinstance(compiled, torch._dynamo.eval_frame.OptimizedModule)
    fast = model.predict_proba(X)
    for a, b in zip(fast, pickle.loads(pickle.dumps(model)).predict_proba(X)):
        np.testing.assert_allclose(a, b, atol=1e-5)  # a compiled model pickles
    model.net_.module_ = compiled._orig_mod
    for a, b in zip(fast, model.predict_proba(X)):
        np.testing.assert_allclose(a, b, atol=1e-5)


def test_token_classifier_with_integer_labels_predicts_and_scores_integers():
    rng = np.random.RandomState(0)
    X = [rng.randn(6, 2) for _ in range(20)]
    y = [np.array([0, 1, 0, 0, 1, 0])] * 20
    tagger = AttentionTokenClassifier(**TINY).fit(X, y)
    assert tagger.classes_.dtype.kind == "i"
    assert tagger.predict(X[:1])[0].dtype.kind == "i"
    pred = tagger.predict(X)
    hits = np.concatenate([p == t for p, t in zip(pred, y)])
    assert tagger.score(X, y) == hits.mean()  # token accuracy, counted by hand
    from sklearn.metrics import f1_score

    assert flat_f1_score(y, pred, average="macro") == f1_score(np.concatenate(y), np.concatenate(pred),
                                                              average="macro")


@pytest.mark.parametrize("cls", [AttentionTokenClassifier, AttentionSequenceRegressor, AttentionSeq2Seq])
@pytest.mark.parametrize("typo, meant", [("lrr", "lr"), ("max_epoch", "max_epochs"), ("dmodel", "d_model")])
def test_misspelt_parameters_are_a_type_error_as_in_python(cls, typo, meant):
    with pytest.raises(TypeError, match=rf"__init__\(\) got an unexpected keyword argument '{typo}'. "
                                        rf"Did you mean '{meant}'\?"):
        cls(**{typo: 1})
    est = cls(module__word_dropout=0.2, optimizer__weight_decay=0.0, callbacks__early_stopping__patience=3)
    assert est.get_params()["module__word_dropout"] == 0.2  # skorch's prefixed parameters still pass


@pytest.mark.parametrize("params, error, message", [
    ({"max_epochs": 0}, ValueError, "'max_epochs' parameter of AttentionTokenClassifier must be None or an int >= 1"),
    ({"optimizer": "adam"}, TypeError, "'optimizer' parameter .* must be a torch optimizer class"),
    ({"optimizer": torch.nn.Linear}, TypeError, "'optimizer' parameter .* must be a torch optimizer class"),
    ({"callbacks": [object()]}, TypeError, r"callbacks\[0\] of AttentionTokenClassifier is a object"),
    ({"callbacks": [("mine", 3)]}, TypeError, r"callbacks\[0\] .* is a int"),
    ({"callbacks": object()}, TypeError, "'callbacks' parameter of AttentionTokenClassifier must be a list .* got a "
                                         "object"),
])
def test_parameters_fail_with_their_name_not_deep_inside_skorch(params, error, message):
    X, y = make_tagging_data(12)
    with pytest.raises(error, match=message):
        AttentionTokenClassifier(**{**TINY, **params}).fit(X, y)


def test_optimizers_as_classes_or_partials_and_callbacks_as_pairs_pass():
    from functools import partial

    X, y = make_tagging_data(12)
    AttentionTokenClassifier(**{**TINY, "max_epochs": 1}, optimizer=partial(torch.optim.SGD, momentum=0.9),
                             callbacks=[("noop", Callback())]).fit(X, y)


@pytest.mark.parametrize("param, value, expected", [
    ("max_output_length", -1, "None or an int >= 1"), ("beam_size", 0, "an int >= 1"),
    ("length_penalty", float("nan"), "a float >= 0")])
def test_decoding_parameters_set_after_fit_are_checked_at_predict(param, value, expected):
    X = [list("ab"), list("abc")] * 6
    s2s = AttentionSeq2Seq(**{**TINY, "max_epochs": 1}).fit(X, X)
    s2s.set_params(**{param: value})
    with pytest.raises(ValueError, match=f"'{param}' parameter of AttentionSeq2Seq must be {expected}"):
        s2s.predict(X[:2])


def test_zero_width_data_is_refused():
    X = [np.zeros((5, 2), np.float32)] * 12
    with pytest.raises(ValueError, match=r"X\[0\] has 0 features per element \(shape \(5, 0\)\)"):
        AttentionSequenceRegressor(**TINY).fit([np.zeros((5, 0))] * 12, np.zeros(12))
    with pytest.raises(ValueError, match=r"y has shape \(12, 0\): 0 outputs per sequence"):
        AttentionSequenceRegressor(**TINY).fit(X, np.zeros((12, 0)))
    with pytest.raises(ValueError, match=r"y\[0\] has shape \(5, 0\): 0 outputs per element"):
        AttentionTokenRegressor(**TINY).fit(X, [np.zeros((5, 0))] * 12)


@pytest.mark.parametrize("pooling", ["sum", "combined"])
def test_sum_pooling_divides_by_the_mean_training_length(pooling, tmp_path):
    est, X = _fitted("seq_reg", pooling=pooling, max_epochs=1)
    mean_length = np.mean([len(x) for x in X])
    assert est.input_encoder_.mean_length_ == mean_length
    assert est.module_.length_scale == mean_length
    est.save(tmp_path / "model")
    loaded = AttentionSequenceRegressor.load(tmp_path / "model")
    assert loaded.module_.length_scale == mean_length
    np.testing.assert_array_equal(loaded.predict(X), est.predict(X))


def test_patch_size_auto_follows_the_mean_training_length():
    rng = np.random.RandomState(0)
    X = [rng.randn(n, 2) for n in rng.randint(180, 220, size=12)]
    y = np.array([x[:, 0].mean() for x in X])
    est = AttentionSequenceRegressor(**TINY).fit(X, y)
    assert est.module_.backbone.patch_size == round(np.mean([len(x) for x in X]) / 64) == 3
    (w,) = est.attention_weights(X[:1])
    assert w.shape == (len(X[0]),)
    short, Xs = _fitted("seq_reg")  # 4 to 12 elements: one position each
    assert short.module_.backbone.patch_size == 1
    fixed = AttentionSequenceRegressor(**TINY, patch_size=5).fit(X, y)
    assert fixed.module_.backbone.patch_size == 5


def test_front_end_applies_to_numeric_sequences_only():
    from skattention.modules import ConvEmbedding, NumericEmbedding, TokenEmbedding

    conv, Xn = _fitted("seq_reg")
    assert type(conv.module_.backbone.embed) is ConvEmbedding  # the default
    linear, _ = _fitted("seq_reg", front_end="linear")
    assert type(linear.module_.backbone.embed) is NumericEmbedding
    assert not np.array_equal(conv.predict(Xn), linear.predict(Xn))
    X, y = make_tagging_data(20)
    tokens = AttentionSequenceClassifier(**TINY).fit(X, [s[0] for s in y])  # tokens ignore it
    assert type(tokens.module_.backbone.embed) is TokenEmbedding
    with pytest.raises(ValueError, match="'front_end' parameter"):
        AttentionSequenceRegressor(**TINY, front_end="fourier").fit(Xn, [float(x.sum()) for x in Xn])


def test_patch_size_on_tokens_says_what_it_needs():
    X, y = make_tagging_data()
    with pytest.raises(ValueError, match="patch_size=2 groups numeric elements"):
        AttentionSequenceClassifier(**TINY, patch_size=2).fit(X, [s[0] for s in y])
    with pytest.raises(ValueError, match="'patch_size' parameter"):
        AttentionSequenceClassifier(**TINY, patch_size=0).fit(X, [s[0] for s in y])
