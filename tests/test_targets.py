"""skattention.estimators._targets: label encoding for the classifiers,
standardised targets for the regressors, per element or per sequence."""

import numpy as np
import pytest
import torch
from conftest import TINY
from sklearn.metrics import r2_score

from skattention import (
    AttentionSequenceClassifier,
    AttentionSequenceRegressor,
    AttentionTokenClassifier,
    AttentionTokenRegressor,
)


def _fitted_targets(est, y, classes=None):
    state = est._start_targets()
    est._update_targets(state, y)
    est._finish_targets(state, classes)
    return est


def test_sequence_labels_keep_their_dtype_and_encode_in_sorted_order():
    est = _fitted_targets(AttentionSequenceClassifier(**TINY), np.array([3, 1, 3, 2]))
    assert est.classes_.tolist() == [1, 2, 3] and est.classes_.dtype.kind == "i"
    assert est._encode_targets(np.array([3, 1])).tolist() == [2, 0]
    assert est._n_outputs() == 3
    with pytest.raises(ValueError, match=r"y\[1\] has label 7, which is not among classes_ \[1, 2, 3\]"):
        est._encode_targets(np.array([1, 7]))


def test_token_labels_encode_per_element_and_declared_classes_may_be_unseen():
    est = _fitted_targets(AttentionTokenClassifier(**TINY), [["N", "V"], ["D"]], classes=["D", "N", "V", "X"])
    assert est.classes_.tolist() == ["D", "N", "V", "X"]
    encoded = est._encode_targets([["V", "N"], [], ["X"]])
    assert [e.tolist() for e in encoded] == [[2, 1], [], [3]]
    numbers = _fitted_targets(AttentionTokenClassifier(**TINY), [[1, 0], [2]])
    assert numbers.classes_.dtype.kind == "i"  # numeric labels come back as numbers
    with pytest.raises(TypeError, match="cannot be ordered"):
        _fitted_targets(AttentionTokenClassifier(**TINY), [["a", 1]])


def test_regression_targets_are_standardised_and_come_back_in_their_units():
    y = np.array([1.0, 3.0, 5.0, 7.0])
    est = _fitted_targets(AttentionSequenceRegressor(**TINY), y)
    scaled = est._encode_targets(y)
    np.testing.assert_allclose(scaled[:, 0], (y - 4) / np.sqrt(5), rtol=1e-6)
    assert est._single_output and est._to_original_units(scaled).shape == (4,)
    np.testing.assert_allclose(est._to_original_units(scaled), y, rtol=1e-6)


def test_token_regression_with_two_outputs_per_element():
    y = [np.array([[0.0, 10.0], [2.0, 30.0]]), np.array([[4.0, 20.0]])]
    est = _fitted_targets(AttentionTokenRegressor(**TINY), y)
    assert est._n_outputs() == 2 and not est._single_output
    np.testing.assert_allclose(est.target_scaler_.mean_, [2.0, 20.0])
    encoded = est._encode_targets(y)
    assert [e.shape for e in encoded] == [(2, 2), (1, 2)]
    np.testing.assert_allclose(est._to_original_units(np.concatenate(encoded)), np.concatenate(y), atol=1e-6)
    with pytest.raises(ValueError, match="too large to standardise"):
        _fitted_targets(AttentionSequenceRegressor(**TINY), np.array([-1e308, 1e308]))


def test_unlabelled_token_labels_are_ignored_in_classes_and_encoded_as_the_ignored_index():
    y = [np.array(["N", None, "V"], dtype=object), np.array([None], dtype=object)]
    est = _fitted_targets(AttentionTokenClassifier(**TINY), y)
    assert est.classes_.tolist() == ["N", "V"]
    assert [e.tolist() for e in est._encode_targets(y)] == [[0, -100, 1], [-100]]


def test_unlabelled_numbers_are_left_out_of_the_standardisation():
    y = [np.array([1.0, np.nan, 3.0]), np.array([np.nan]), np.array([5.0])]
    est = _fitted_targets(AttentionTokenRegressor(**TINY), y)
    assert est.target_scaler_.mean_.tolist() == [3.0]
    assert est.target_scaler_.scale_.tolist() == [np.std([1.0, 3.0, 5.0])]
    encoded = est._encode_targets(y)
    assert np.isnan(encoded[0][1, 0]) and np.isnan(encoded[1][0, 0])
    assert encoded[2][0, 0] == np.float32((5.0 - 3.0) / est.target_scaler_.scale_[0])


@pytest.mark.parametrize("cls, y", [
    (AttentionTokenClassifier, [["N", None, "V"], ["V", "N"], [None, "N", "N"]] * 4),
    (AttentionTokenRegressor, [[1.0, np.nan, 2.0], [0.5, -1.0], [np.nan, 3.0, 1.5]] * 4),
])
def test_the_loss_of_a_fit_with_unlabelled_elements_counts_the_labelled_ones_only(cls, y):
    X = [["a", "b", "c"], ["c", "a"], ["b", "b", "a"]] * 4
    est = cls(**TINY).fit(X, y)
    targets = est._encode_targets(est._check_targets(y, est._check_X(X, fitted=True)))
    outputs = est._forward(X[:3], transform=lambda out: out)
    net_loss = est.net_.get_loss(*_padded(outputs, targets[:3]))
    labelled = [(o[k], t[k]) for o, t in zip(outputs, targets[:3])
                for k in [np.flatnonzero(t != -100) if t.ndim == 1 else np.flatnonzero(~np.isnan(t[:, 0]))]]
    out = np.concatenate([o for o, _ in labelled])
    tgt = np.concatenate([t for _, t in labelled])
    if cls is AttentionTokenClassifier:
        expected = torch.nn.functional.cross_entropy(torch.from_numpy(out), torch.from_numpy(tgt))
    else:
        expected = torch.nn.functional.mse_loss(torch.from_numpy(out), torch.from_numpy(tgt).float())
    assert len(tgt) == sum(v is not None and v == v for s in y[:3] for v in s)
    torch.testing.assert_close(net_loss, expected)


def _padded(outputs: list, targets: list):
    """Per-sequence outputs and targets padded into one batch (padding: the ignored index or NaN)."""
    T = max(len(o) for o in outputs)
    out = torch.zeros(len(outputs), T, *outputs[0].shape[1:])
    classes = targets[0].ndim == 1
    tgt = torch.full((len(targets), T) + (() if classes else targets[0].shape[1:]), -100 if classes else float("nan"),
                     dtype=torch.long if classes else torch.float32)
    for i, (o, t) in enumerate(zip(outputs, targets)):
        out[i, :len(o)] = torch.from_numpy(o)
        tgt[i, :len(t)] = torch.from_numpy(t)
    return out, tgt


def test_scores_leave_unlabelled_elements_out():
    X = [["a", "b", "c"], ["c", "a"]] * 6
    y = [["N", "V", "N"], ["V", "N"]] * 6
    partial = [["N", None, "N"], ["V", np.nan]] * 6
    est = AttentionTokenClassifier(**TINY).fit(X, y)
    pred = est.predict(X)
    by_hand = np.mean([p == t for s, ps in zip(partial, pred) for t, p in zip(s, ps) if t is not None and t == t])
    assert est.score(X, partial) == by_hand
    reg = AttentionTokenRegressor(**TINY).fit(X, [[1.0, 2.0, 3.0], [0.0, 1.0]] * 6)
    numbers = [[1.0, np.nan, 3.0], [0.0, 1.0]] * 6
    keep = [np.isfinite(s) for s in map(np.asarray, numbers)]
    assert reg.score(X, numbers) == r2_score(np.concatenate([np.asarray(s)[k] for s, k in zip(numbers, keep)]),
                                             np.concatenate([p[k] for p, k in zip(reg.predict(X), keep)]))
