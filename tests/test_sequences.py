import numpy as np
import pandas as pd
import pytest
import scipy.sparse as sp

from skattention._sequences import (
    NUMERIC,
    TOKENS,
    check_sequence_targets,
    check_sequences,
    check_token_targets,
)


def test_token_lists():
    seqs = check_sequences([["a", "b"], ["c"], []])
    assert seqs.kind == TOKENS
    assert seqs.lengths.tolist() == [2, 1, 0]
    assert seqs.n_features is None


@pytest.mark.parametrize(
    "X, n_features, lengths",
    [
        ([np.zeros((3, 2)), np.ones((5, 2))], 2, [3, 5]),
        ([np.zeros(4), np.ones(2)], 1, [4, 2]),  # univariate 1-D arrays
        ([[0.5, 1.5], [2.5]], 1, [2, 1]),  # lists of floats
        (np.zeros((4, 6)), 1, [6] * 4),  # tabular rows read as univariate sequences
        (np.zeros((4, 6, 3)), 3, [6] * 4),  # equal-length 3-D array
        (pd.Series([np.zeros((2, 2)), np.zeros((3, 2))]), 2, [2, 3]),
    ],
)
def test_numeric_forms(X, n_features, lengths):
    seqs = check_sequences(X)
    assert seqs.kind == NUMERIC
    assert seqs.n_features == n_features
    assert seqs.lengths.tolist() == lengths
    assert all(a.dtype == np.float32 and a.ndim == 2 for a in seqs.data)


def test_object_array_of_token_lists():
    X = np.empty(2, dtype=object)
    X[:] = [["a", "b"], ["c"]]
    assert check_sequences(X).kind == TOKENS


@pytest.mark.parametrize(
    "X, exc, match",
    [
        ([], ValueError, "X is empty"),
        (None, TypeError, "X is None"),
        ("a sentence", TypeError, "single string"),
        (["a sentence", "another"], TypeError, r"X\[0\] is a string"),
        ([["a"], np.zeros((2, 1))], TypeError, r"X\[1\] holds numeric but X\[0\] holds tokens"),
        ([np.zeros((2, 2)), np.zeros((2, 3))], ValueError, r"X\[1\] has 3 features per element but 2"),
        ([np.zeros((2, 2)), np.array([[0.0, np.nan]])], ValueError, r"X\[1\] contains NaN"),
        ([np.zeros((2, 2)), np.array([[np.inf, 0.0]])], ValueError, r"X\[1\] contains NaN or infinity"),
        ([["a", ["b"]]], TypeError, r"X\[0\] has a list at position 1"),
        ([["a", 1.5]], TypeError, r"X\[0\] mixes tokens with numbers"),
        ([np.zeros((2, 2, 2))], ValueError, r"X\[0\] has 3 dimension"),
        (pd.DataFrame({"a": [1]}), TypeError, "from_long_format"),
        (sp.csr_matrix(np.eye(3)), TypeError, "sparse input is not supported"),
        (np.zeros(3), ValueError, "Reshape your data"),
        (np.zeros((2, 2), dtype=complex), ValueError, "Complex data not supported"),
        ([{1: 2}], TypeError, r"X\[0\] is a dict"),
    ],
)
def test_bad_inputs_name_the_sequence(X, exc, match):
    with pytest.raises(exc, match=match):
        check_sequences(X)


def test_kind_and_features_must_match_fit():
    with pytest.raises(TypeError, match="fitted on numeric"):
        check_sequences([["a"]], kind=NUMERIC)
    with pytest.raises(ValueError, match=r"X\[0\] has 2 features per element but 3 were seen at fit time"):
        check_sequences([np.zeros((2, 2))], kind=NUMERIC, n_features=3)


def test_empty_sequences_policy():
    assert check_sequences([["a"], []], allow_empty=True).lengths.tolist() == [1, 0]
    with pytest.raises(ValueError, match=r"X\[1\] is empty"):
        check_sequences([["a"], []], allow_empty=False)
    with pytest.raises(ValueError, match=r"0 feature\(s\)"):
        check_sequences(np.zeros((3, 0)), allow_empty=False)


def test_token_targets():
    X = check_sequences([["a", "b"], ["c"]])
    y = check_token_targets([["A", "B"], ["C"]], X, numeric=False)
    assert [list(a) for a in y] == [["A", "B"], ["C"]]
    with pytest.raises(ValueError, match=r"y\[1\] has 2 labels but X\[1\] has 1 elements"):
        check_token_targets([["A", "B"], ["C", "D"]], X, numeric=False)
    with pytest.raises(ValueError, match="X has 2 sequences but y has 1"):
        check_token_targets([["A", "B"]], X, numeric=False)
    with pytest.raises(ValueError, match="requires y to be passed"):
        check_token_targets(None, X, numeric=False)
    with pytest.raises(ValueError, match=r"y\[0\] contains NaN"):
        check_token_targets([[1.0, np.nan], [2.0]], X, numeric=True)
    with pytest.raises(TypeError, match=r"y\[0\] is a str"):
        check_token_targets(["AB", ["C"]], X, numeric=False)


def test_sequence_targets():
    assert check_sequence_targets(["a", "b"], 2, numeric=False).tolist() == ["a", "b"]
    assert check_sequence_targets(np.ones((2, 3)), 2, numeric=True).shape == (2, 3)
    with pytest.raises(ValueError, match="X has 3 sequences but y has 2"):
        check_sequence_targets([1, 2], 3, numeric=True)
    with pytest.raises(ValueError, match="requires y to be passed"):
        check_sequence_targets(None, 3, numeric=False)
    with pytest.raises(ValueError, match=r"y\[1\] is NaN"):
        check_sequence_targets([1.0, np.nan], 2, numeric=True)
    with pytest.raises(ValueError, match="one label per sequence"):
        check_sequence_targets(np.ones((2, 2)), 2, numeric=False)


def test_ragged_multi_output_targets_and_nan_labels_name_the_index():
    ragged = [[1.0, 2.0]] * 23 + [[3.0]]
    as_objects = np.empty(24, dtype=object)
    as_objects[:] = ragged
    for y in (ragged, as_objects, pd.Series(ragged)):
        with pytest.raises(ValueError, match=r"y\[23\] has 1 outputs but y\[0\] has 2 outputs"):
            check_sequence_targets(y, 24, numeric=True)
    for y in ([1.0] * 23 + ["high"], pd.Series([1.0] * 23 + ["high"])):
        with pytest.raises(TypeError, match=r"y\[23\] is not a number"):
            check_sequence_targets(y, 24, numeric=True)
    with pytest.raises(ValueError, match=r"y\[2\] has a single value but y\[0\] has 2 outputs"):
        check_sequence_targets([[1.0, 2.0], [1.0, 2.0], 3.0], 3, numeric=True)
    labels = np.arange(24.0)
    labels[5] = np.nan
    with pytest.raises(ValueError, match=r"y\[5\] is a missing label"):
        check_sequence_targets(labels, 24, numeric=False)
