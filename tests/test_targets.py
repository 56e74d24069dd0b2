"""skattention.estimators._targets: label encoding for the classifiers,
standardised targets for the regressors, per element or per sequence."""

import numpy as np
import pytest
from conftest import TINY

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
