"""skattention._target_checks: targets validated against the sequences, errors naming the index."""

import numpy as np
import pandas as pd
import pytest

from skattention._sequences import check_sequences
from skattention._target_checks import check_sequence_targets, check_token_targets


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


def test_unlabelled_elements_only_where_the_estimator_allows_them():
    X = check_sequences([["a", "b"], ["c"]])
    y = check_token_targets([["A", None], [np.nan]], X, numeric=False, unlabelled=True)
    assert [a.tolist() for a in y] == [["A", None], [None]]
    with pytest.raises(ValueError, match=r"y\[0\] has a missing label \(NaN or None\) at position 1"):
        check_token_targets([["A", None], ["B"]], X, numeric=False)  # the baselines' rule
    numbers = check_token_targets([[1.0, np.nan], [2.0]], X, numeric=True, unlabelled=True)
    assert np.isnan(numbers[0][1]) and numbers[1].tolist() == [2.0]
    rows = check_token_targets([np.array([[1.0, 2.0], [np.nan, np.nan]]), np.array([[3.0, 4.0]])], X,
                               numeric=True, unlabelled=True)
    assert np.isnan(rows[0][1]).all()
    with pytest.raises(ValueError, match=r"y\[1\] contains infinity \(NaN marks an unlabelled element\)"):
        check_token_targets([[1.0, 2.0], [np.inf]], X, numeric=True, unlabelled=True)
    with pytest.raises(ValueError, match=r"y\[0\] has NaN in some but not all outputs of element 1"):
        check_token_targets([np.array([[1.0, 2.0], [np.nan, 3.0]]), np.array([[3.0, 4.0]])], X,
                            numeric=True, unlabelled=True)
    with pytest.raises(ValueError, match="y has no labelled element"):
        check_token_targets([[None, None], [None]], X, numeric=False, unlabelled=True)
    with pytest.raises(ValueError, match="y has no labelled element"):
        check_token_targets([[np.nan, np.nan], [np.nan]], X, numeric=True, unlabelled=True)
