"""skattention.preprocessing: pandas long-format tables and padded arrays
turned into lists of sequences."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from skattention.preprocessing import from_long_format, from_padded


def test_the_converters_are_still_importable_from_datasets():
    from skattention import datasets

    assert datasets.from_long_format is from_long_format and datasets.from_padded is from_padded


# --------------------------------------------------------------------------
# from_long_format
# --------------------------------------------------------------------------
def test_long_format_tokens_keep_first_appearance_order():
    df = pd.DataFrame(
        {
            "sid": ["b", "a", "b", "a", "c"],
            "tok": ["b1", "a1", "b2", "a2", "c1"],
            "tag": ["X", "Y", "X", "Z", "Y"],
        }
    )
    X, y = from_long_format(df, sequence_col="sid", value_cols="tok", target_col="tag")
    assert X == [["b1", "b2"], ["a1", "a2"], ["c1"]]
    assert y == [["X", "X"], ["Y", "Z"], ["Y"]]
    assert all(isinstance(t, str) for seq in X for t in seq)


def test_long_format_no_target_returns_none():
    df = pd.DataFrame({"sid": [1, 1], "tok": ["a", "b"]})
    X, y = from_long_format(df, sequence_col="sid")
    assert X == [["a", "b"]]
    assert y is None


def test_long_format_order_col_sorts_within_sequence():
    df = pd.DataFrame(
        {
            "sid": [5, 5, 5, 2, 2],
            "pos": [2, 0, 1, 1, 0],
            "tok": ["c", "a", "b", "y", "x"],
            "tag": ["C", "A", "B", "Y", "X"],
        }
    )
    X, y = from_long_format(
        df, sequence_col="sid", value_cols="tok", target_col="tag", order_col="pos"
    )
    assert X == [["a", "b", "c"], ["x", "y"]]
    assert y == [["A", "B", "C"], ["X", "Y"]]


def test_long_format_numeric_default_value_cols():
    df = pd.DataFrame(
        {
            "sid": [1, 1, 1, 2, 2],
            "t": [0, 2, 1, 0, 1],
            "v1": [0.0, 2.0, 1.0, 10.0, 11.0],
            "v2": [5, 7, 6, 8, 9],
            "label": [0.5, 0.7, 0.6, 0.8, 0.9],
        }
    )
    X, y = from_long_format(df, sequence_col="sid", order_col="t", target_col="label")
    assert len(X) == 2
    assert X[0].dtype == np.float64
    np.testing.assert_array_equal(X[0], [[0.0, 5], [1.0, 6], [2.0, 7]])
    np.testing.assert_array_equal(X[1], [[10.0, 8], [11.0, 9]])
    assert isinstance(y[0], np.ndarray)
    np.testing.assert_allclose(y[0], [0.5, 0.6, 0.7])
    np.testing.assert_allclose(y[1], [0.8, 0.9])


def test_long_format_single_numeric_column_is_2d():
    df = pd.DataFrame({"sid": [1, 1, 2], "v": [1, 2, 3]})
    X, _ = from_long_format(df, sequence_col="sid", value_cols="v")
    assert [x.shape for x in X] == [(2, 1), (1, 1)]


def test_long_format_sequence_target():
    df = pd.DataFrame(
        {
            "sid": [3, 3, 1, 1, 1],
            "v": [1.0, 2.0, 3.0, 4.0, 5.0],
            "cls": ["pos", "pos", "neg", "neg", "neg"],
        }
    )
    X, y = from_long_format(
        df, sequence_col="sid", value_cols=["v"], target_col="cls", sequence_target=True
    )
    assert [len(x) for x in X] == [2, 3]
    assert isinstance(y, np.ndarray)
    assert y.tolist() == ["pos", "neg"]


def test_long_format_sequence_target_not_constant():
    df = pd.DataFrame({"sid": ["s1", "s1", "s2"], "v": [1.0, 2.0, 3.0], "cls": [0, 1, 0]})
    with pytest.raises(ValueError, match="s1"):
        from_long_format(
            df, sequence_col="sid", value_cols="v", target_col="cls", sequence_target=True
        )


def test_long_format_missing_columns_named():
    df = pd.DataFrame({"sid": [1], "v": [1.0]})
    with pytest.raises(ValueError, match="nope"):
        from_long_format(df, sequence_col="sid", value_cols=["v", "nope"])
    with pytest.raises(ValueError, match="tgt"):
        from_long_format(df, sequence_col="sid", target_col="tgt")
    with pytest.raises(ValueError, match="seq"):
        from_long_format(df, sequence_col="seq")
    with pytest.raises(ValueError, match="ord"):
        from_long_format(df, sequence_col="sid", order_col="ord")


def test_long_format_nan_names_sequence():
    df = pd.DataFrame({"sid": ["ok", "ok", "bad"], "v": [1.0, 2.0, np.nan]})
    with pytest.raises(ValueError, match="bad"):
        from_long_format(df, sequence_col="sid", value_cols="v")


def test_long_format_mixed_value_columns_rejected():
    df = pd.DataFrame({"sid": [1], "tok": ["a"], "v": [1.0]})
    with pytest.raises(ValueError, match="tok"):
        from_long_format(df, sequence_col="sid")


def test_long_format_sequence_target_requires_target_col():
    df = pd.DataFrame({"sid": [1], "v": [1.0]})
    with pytest.raises(ValueError):
        from_long_format(df, sequence_col="sid", sequence_target=True)


# --------------------------------------------------------------------------
# from_padded
# --------------------------------------------------------------------------
def test_from_padded_3d():
    X = np.arange(24, dtype=np.float32).reshape(3, 4, 2)
    out = from_padded(X, np.array([4, 0, 2]))
    assert [a.shape for a in out] == [(4, 2), (0, 2), (2, 2)]
    np.testing.assert_array_equal(out[2], X[2, :2])
    assert out[0].dtype == np.float32
    out[0][0, 0] = -1.0  # copies, the input is untouched
    assert X[0, 0, 0] == 0.0


def test_from_padded_2d_gives_1d():
    X = np.array([[1.0, 2.0, 0.0], [3.0, 0.0, 0.0]])
    out = from_padded(X, [2, 1])
    assert [a.shape for a in out] == [(2,), (1,)]
    np.testing.assert_array_equal(out[0], [1.0, 2.0])


@pytest.mark.parametrize(
    ("X", "lengths", "match"),
    [
        (np.zeros((2, 3, 1)), [1, 4], r"lengths\[1\]"),
        (np.zeros((2, 3, 1)), [-1, 2], r"lengths\[0\]"),
        (np.zeros((2, 3, 1)), [1, 2, 3], "entries"),
        (np.zeros((2, 3, 1)), [[1, 2]], "1-D"),
        (np.zeros((2, 3, 1)), [1.5, 2.0], "integer"),
        (np.zeros(3), [1, 2, 3], "2-D or 3-D"),
        (np.zeros((1, 2, 3, 4)), [1], "2-D or 3-D"),
    ],
)
def test_from_padded_errors(X, lengths, match):
    with pytest.raises(ValueError, match=match):
        from_padded(X, lengths)
