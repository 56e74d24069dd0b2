import numpy as np
import pandas as pd
import pytest
import scipy.sparse as sp

from skattention._sequences import (
    NUMERIC,
    TOKENS,
    check_sequences,
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
