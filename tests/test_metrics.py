"""Tests for skattention.metrics."""

from __future__ import annotations

import math
from collections import Counter

import numpy as np
import pandas as pd
import pytest
from sklearn.base import BaseEstimator
from sklearn.model_selection import GridSearchCV, KFold, cross_validate

from skattention import metrics as M
from skattention.metrics import (
    SCORERS,
    corpus_bleu_score,
    edit_distance,
    entity_classification_report,
    entity_f1_score,
    exact_match_score,
    flat_accuracy_score,
    flat_accuracy_scorer,
    flat_classification_report,
    flat_f1_score,
    flat_mean_absolute_error,
    flat_mean_squared_error,
    flat_precision_score,
    flat_r2_score,
    flat_recall_score,
    flatten,
    get_scorer,
    phoneme_error_rate,
    sequence_accuracy_score,
    sequence_error_rate,
    token_error_rate,
    word_error_rate,
)

TAGS_TRUE = [["B", "I", "O"], ["O", "O", "B"]]
TAGS_PRED = [["B", "I", "O"], ["O", "B", "B"]]


# --------------------------------------------------------------------- flatten


def test_flatten_strings_object_dtype():
    out = flatten([["a", "bb"], ["ccc"]])
    assert out.dtype == object
    assert out.tolist() == ["a", "bb", "ccc"]


def test_flatten_object_arrays_and_empty_items():
    y = np.empty(3, dtype=object)
    y[0] = np.array([1, 2])
    y[1] = np.array([], dtype=int)
    y[2] = [3]
    out = flatten(y)
    assert out.dtype.kind == "i"
    assert out.tolist() == [1, 2, 3]
    # an empty list among int sequences must not upcast to float
    assert flatten([[1], [], [2]]).dtype.kind == "i"


def test_flatten_floats_and_2d():
    out = flatten([np.array([0.5, 1.5]), np.array([2.0])])
    assert out.dtype == np.float64
    np.testing.assert_allclose(out, [0.5, 1.5, 2.0])
    out2 = flatten([np.zeros((2, 3)), np.ones((1, 3))])
    assert out2.shape == (3, 3)


def test_flatten_empty_input():
    assert flatten([]).shape == (0,)
    assert flatten([[], []]).shape == (0,)


def test_flatten_rejects_flat_labels():
    with pytest.raises(ValueError, match=r"y\[0\] is not a sequence"):
        flatten([1, 2, 3])


# ---------------------------------------------------------------- flat metrics


def test_flat_accuracy_hand_computed():
    assert flat_accuracy_score(TAGS_TRUE, TAGS_PRED) == pytest.approx(5 / 6)
    assert flat_accuracy_score(TAGS_TRUE, TAGS_PRED, normalize=False) == 5


@pytest.mark.parametrize(
    "convert",
    [
        list,
        tuple,
        lambda y: pd.Series(list(y), index=[10, 20]),
        lambda y: np.array([np.array(s) for s in y] + [None], dtype=object)[:-1],
        lambda y: np.array(y),  # rectangular -> 2-D array
    ],
    ids=["list", "tuple", "series", "object-array", "2d-array"],
)
def test_flat_accuracy_container_types(convert):
    y_pred = [np.array(s, dtype=object) for s in TAGS_PRED]
    assert flat_accuracy_score(convert(TAGS_TRUE), y_pred) == pytest.approx(5 / 6)


def test_flat_accuracy_sample_weight_forms():
    # per sequence: only the first (perfect) sequence counts
    assert flat_accuracy_score(TAGS_TRUE, TAGS_PRED, sample_weight=[1, 0]) == 1.0
    # ragged per token: zero weight on the single error
    w = [[1, 1, 1], [1, 0, 1]]
    assert flat_accuracy_score(TAGS_TRUE, TAGS_PRED, sample_weight=w) == 1.0
    # flat per token
    w_flat = [1, 1, 1, 1, 0, 1]
    assert flat_accuracy_score(TAGS_TRUE, TAGS_PRED, sample_weight=w_flat) == 1.0
    with pytest.raises(ValueError, match="sample_weight for sequence 1"):
        flat_accuracy_score(TAGS_TRUE, TAGS_PRED, sample_weight=[[1, 1, 1], [1]])
    with pytest.raises(ValueError, match="sample_weight has 4 entries"):
        flat_accuracy_score(TAGS_TRUE, TAGS_PRED, sample_weight=[1, 1, 1, 1])


def test_flat_prf_and_report():
    y_true = [[0, 1, 1], [1, 0]]
    y_pred = [[1, 1, 0], [1, 0]]
    # TP=2, FP=1, FN=1 for class 1
    assert flat_precision_score(y_true, y_pred) == pytest.approx(2 / 3)
    assert flat_recall_score(y_true, y_pred) == pytest.approx(2 / 3)
    assert flat_f1_score(y_true, y_pred) == pytest.approx(2 / 3)
    per_class = flat_f1_score(y_true, y_pred, average=None)
    assert per_class.shape == (2,)
    report = flat_classification_report(TAGS_TRUE, TAGS_PRED, output_dict=True)
    assert report["accuracy"] == pytest.approx(5 / 6)
    assert report["B"]["precision"] == pytest.approx(2 / 3)
    assert isinstance(flat_classification_report(TAGS_TRUE, TAGS_PRED), str)


def test_flat_regression_metrics():
    y_true = [np.array([1.0, 2.0]), np.array([3.0])]
    y_pred = [np.array([1.0, 2.0]), np.array([5.0])]
    assert flat_mean_squared_error(y_true, y_pred) == pytest.approx(4 / 3)
    assert flat_mean_absolute_error(y_true, y_pred) == pytest.approx(2 / 3)
    assert flat_r2_score(y_true, y_true) == 1.0
    # mean 2, SS_tot = 2, SS_res = 4 -> r2 = -1
    assert flat_r2_score(y_true, y_pred) == pytest.approx(-1.0)
    assert isinstance(flat_r2_score(y_true, y_pred), float)


def test_flat_regression_multi_output():
    y_true = [np.zeros((2, 2)), np.ones((1, 2))]
    y_pred = [np.zeros((2, 2)), np.full((1, 2), 2.0)]
    assert flat_mean_squared_error(y_true, y_pred) == pytest.approx(1 / 3)
    raw = flat_mean_squared_error(y_true, y_pred, multioutput="raw_values")
    np.testing.assert_allclose(raw, [1 / 3, 1 / 3])


@pytest.mark.parametrize(
    "metric",
    [
        flat_accuracy_score,
        flat_f1_score,
        flat_precision_score,
        flat_recall_score,
        flat_classification_report,
        flat_r2_score,
        flat_mean_squared_error,
        flat_mean_absolute_error,
        entity_f1_score,
        entity_classification_report,
    ],
)
def test_length_mismatch_names_sequence(metric):
    y_true = [[0, 1], [1], [0, 0], [1, 1, 0, 1, 0]]
    y_pred = [[0, 1], [1], [0, 0], [1, 1, 0, 1]]
    with pytest.raises(ValueError, match="sequence 3 has 5 true labels but 4 predicted"):
        metric(y_true, y_pred)
    with pytest.raises(ValueError, match="y_true has 4 sequences but y_pred has 3"):
        metric(y_true, y_pred[:3])


def test_flat_metric_rejects_flat_input():
    with pytest.raises(ValueError, match="not a sequence"):
        flat_accuracy_score([0, 1, 1], [0, 1, 0])


def test_flat_metric_metadata():
    assert flat_accuracy_score.__name__ == "flat_accuracy_score"
    assert flat_accuracy_score.__module__ == "skattention.metrics"
    assert "Examples" in flat_f1_score.__doc__


# ------------------------------------------------------ sequence-level metrics


def test_sequence_accuracy():
    assert sequence_accuracy_score(TAGS_TRUE, TAGS_PRED) == 0.5
    y_pred = [np.array(s, dtype=object) for s in TAGS_TRUE]
    assert sequence_accuracy_score(pd.Series(TAGS_TRUE), y_pred) == 1.0
    # seq2seq: different lengths just count as wrong
    assert sequence_accuracy_score([["a", "b"], ["c"]], [["a"], ("c",)]) == 0.5
    with pytest.raises(ValueError, match="2 sequences but y_pred has 1"):
        sequence_accuracy_score(TAGS_TRUE, TAGS_PRED[:1])
    with pytest.raises(ValueError, match="no sequences"):
        sequence_accuracy_score([], [])


# ------------------------------------------------------------ seq2seq metrics


@pytest.mark.parametrize(
    ("a", "b", "expected"),
    [
        ("kitten", "sitting", 3),
        ("sitting", "kitten", 3),
        ("flaw", "lawn", 2),
        ("", "", 0),
        ("abc", "", 3),
        ("", "ab", 2),
        ("abc", "abc", 0),
        (["HH", "AH", "L", "OW"], ["HH", "EH", "L", "OW"], 1),
        (np.array([1, 2, 3]), [1, 3], 1),
        (("x", "y"), ["y", "x"], 2),
    ],
)
def test_edit_distance(a, b, expected):
    assert edit_distance(a, b) == expected


def test_edit_distance_longer_random_matches_reference_dp():
    rng = np.random.default_rng(0)

    def full_dp(a, b):
        d = np.zeros((len(a) + 1, len(b) + 1), dtype=int)
        d[:, 0] = np.arange(len(a) + 1)
        d[0, :] = np.arange(len(b) + 1)
        for i in range(1, len(a) + 1):
            for j in range(1, len(b) + 1):
                d[i, j] = min(
                    d[i - 1, j] + 1,
                    d[i, j - 1] + 1,
                    d[i - 1, j - 1] + (a[i - 1] != b[j - 1]),
                )
        return d[-1, -1]

    for _ in range(20):
        a = rng.integers(0, 3, size=rng.integers(0, 12)).tolist()
        b = rng.integers(0, 3, size=rng.integers(0, 12)).tolist()
        assert edit_distance(a, b) == full_dp(a, b)


def test_token_error_rate_known_pair():
    # ref 6 tokens + 3 tokens; errors: 1 substitution + 1 deletion + 1 insertion
    y_true = [["the", "cat", "sat", "on", "the", "mat"], ["a", "b", "c"]]
    y_pred = [["the", "cat", "sit", "on", "mat"], ["a", "b", "c", "d"]]
    assert token_error_rate(y_true, y_pred) == pytest.approx(3 / 9)
    assert phoneme_error_rate is token_error_rate
    assert word_error_rate is token_error_rate


def test_token_error_rate_edge_cases():
    assert token_error_rate([[]], [[]]) == 0.0
    assert math.isinf(token_error_rate([[]], [["x"]]))
    # predictions much longer than references can exceed 1
    assert token_error_rate([["a"]], [["b", "c", "d"]]) == 3.0
    with pytest.raises(ValueError, match="no sequences"):
        token_error_rate([], [])
    with pytest.raises(ValueError, match="2 sequences but y_pred has 1"):
        token_error_rate([["a"], ["b"]], [["a"]])


def test_sequence_error_rate_and_exact_match():
    y_true = [["K", "AE", "T"], ["D", "AO", "G"], ["F", "IH", "SH"], ["B", "ER", "D"]]
    y_pred = [["K", "AE", "T"], ["D", "AA", "G"], ["F", "IH", "SH"], ["B", "ER"]]
    assert sequence_error_rate(y_true, y_pred) == 0.5
    assert exact_match_score(y_true, y_pred) == 0.5
    # numpy arrays as predictions (as returned by predict)
    arr_pred = [np.array(p, dtype=object) for p in y_true]
    assert exact_match_score(y_true, arr_pred) == 1.0


def test_multi_reference_scoring():
    tomato = [["T", "AH", "M", "EY", "T", "OW"], ["T", "AH", "M", "AA", "T", "OW"]]
    cat = ["K", "AE", "T"]
    y_true = [tomato, cat]
    # prediction matches the second pronunciation exactly
    y_pred = [["T", "AH", "M", "AA", "T", "OW"], ["K", "AE", "T"]]
    assert token_error_rate(y_true, y_pred) == 0.0
    assert sequence_error_rate(y_true, y_pred) == 0.0
    assert exact_match_score(y_true, y_pred) == 1.0
    # closest reference: distance 1 from either; denominator 6 + 3
    y_pred2 = [["T", "AH", "M", "AE", "T", "OW"], ["K", "AE", "T"]]
    assert token_error_rate(y_true, y_pred2) == pytest.approx(1 / 9)
    assert sequence_error_rate(y_true, y_pred2) == 0.5
    # references of different lengths: the closest one (and its length) is used
    y_true3 = [[["A", "B", "C", "D"], ["A", "B"]]]
    assert token_error_rate(y_true3, [["A", "B", "X"]]) == pytest.approx(1 / 2)
    # tuple and object-array containers of references
    refs = np.empty(1, dtype=object)
    refs[0] = [("a", "b"), ("c",)]
    assert exact_match_score(refs, [["c"]]) == 1.0


def test_2d_token_array_is_not_multi_reference():
    y = [np.array([[1, 2], [3, 4]])]
    assert sequence_accuracy_score(y, [np.array([[1, 2], [3, 4]])]) == 1.0
    assert exact_match_score(y, [np.array([[1, 2], [3, 4]])]) == 1.0


def test_corpus_bleu():
    pytest.importorskip("sacrebleu")
    refs = [
        ["the", "cat", "sat", "on", "the", "mat"],
        ["a", "quick", "brown", "fox", "jumps"],
    ]
    assert corpus_bleu_score(refs, refs) == 1.0
    hyps = [
        ["the", "dog", "sat", "on", "a", "mat"],
        ["a", "slow", "brown", "fox", "jumps"],
    ]
    score = corpus_bleu_score(refs, hyps)
    assert 0.0 < score < 1.0
    assert corpus_bleu_score(refs, [["x", "y", "z", "w"], ["q", "r", "s", "t"]]) == 0.0
    # short sequences need effective order to score a perfect match as 1
    short = [["a", "b"], ["c"]]
    assert corpus_bleu_score(short, short, use_effective_order=True) == 1.0


def test_corpus_bleu_multi_reference_and_numbers():
    pytest.importorskip("sacrebleu")
    y_true = [[["a", "b", "c", "d"], ["a", "b", "c", "e"]], ["w", "x", "y", "z"]]
    y_pred = [["a", "b", "c", "e"], ["w", "x", "y", "z"]]
    assert corpus_bleu_score(y_true, y_pred) == 1.0
    ints = [np.array([1, 2, 3, 4, 5])]
    assert corpus_bleu_score(ints, [[1, 2, 3, 4, 5]]) == 1.0


# -------------------------------------------------------------- entity metrics


def test_entity_metrics():
    pytest.importorskip("seqeval")
    y_true = [["B-PER", "I-PER", "O"], ["B-LOC", "O"]]
    y_pred = [["B-PER", "I-PER", "O"], ["B-PER", "O"]]
    # 2 true entities, 2 predicted, 1 correct
    assert entity_f1_score(y_true, y_pred) == 0.5
    arr_pred = [np.array(s, dtype=object) for s in y_true]
    assert entity_f1_score(pd.Series(y_true), arr_pred) == 1.0
    report = entity_classification_report(y_true, y_pred, zero_division=0)
    assert "PER" in report and "LOC" in report


# --------------------------------------------------------------------- scorers


class MostFrequentTagger(BaseEstimator):
    """Tiny ragged estimator: predicts the most frequent training label."""

    def fit(self, X, y):
        self.label_ = Counter(M.flatten(y).tolist()).most_common(1)[0][0]
        return self

    def predict(self, X):
        return [np.full(len(x), self.label_, dtype=object) for x in X]


class EchoSeq2Seq(BaseEstimator):
    """Tiny seq2seq estimator: outputs the input tokens, optionally truncated."""

    def __init__(self, drop_last=False):
        self.drop_last = drop_last

    def fit(self, X, y):
        return self

    def predict(self, X):
        return [list(x[:-1]) if self.drop_last else list(x) for x in X]


def _ragged_data():
    X = [["w"] * n for n in [3, 1, 4, 2, 5, 2]]
    y = [
        ["O", "O", "B"],
        ["O"],
        ["B", "O", "O", "O"],
        ["O", "B"],
        ["O", "O", "O", "O", "B"],
        ["B", "B"],
    ]
    return X, y


@pytest.mark.parametrize(
    "as_container",
    [
        list,
        lambda y: pd.Series(y),
        lambda y: np.array([np.array(s) for s in y] + [None], dtype=object)[:-1],
    ],
    ids=["list", "series", "object-array"],
)
def test_scorer_through_cross_validate_with_ragged_y(as_container):
    X, y = _ragged_data()
    result = cross_validate(
        MostFrequentTagger(),
        X,
        as_container(y),
        cv=KFold(3),
        scoring={"acc": flat_accuracy_scorer, "seq": get_scorer("sequence_accuracy")},
    )
    # folds: seqs (0,1) -> 3/4 "O"; (2,3) -> 4/6 "O"; (4,5) -> 4/7 "O"
    np.testing.assert_allclose(result["test_acc"], [3 / 4, 4 / 6, 4 / 7])
    np.testing.assert_allclose(result["test_seq"], [0.5, 0.0, 0.0])


def test_seq2seq_scorers_in_grid_search():
    pytest.importorskip("sacrebleu")
    X = [["a", "b", "c", "d"], ["e", "f", "g", "h"], ["i", "j", "k", "l"]] * 2
    y = [list(x) for x in X]
    search = GridSearchCV(
        EchoSeq2Seq(),
        {"drop_last": [True, False]},
        cv=KFold(2),
        scoring={
            "ter": get_scorer("neg_token_error_rate"),
            "em": get_scorer("exact_match"),
            "bleu": get_scorer("corpus_bleu"),
        },
        refit="ter",
    )
    search.fit(X, y)
    assert search.best_params_ == {"drop_last": False}
    res = search.cv_results_
    np.testing.assert_allclose(res["mean_test_ter"], [-0.25, 0.0])
    np.testing.assert_allclose(res["mean_test_em"], [0.0, 1.0])
    assert res["mean_test_bleu"][1] == pytest.approx(1.0)
    assert res["mean_test_bleu"][0] < 1.0


def test_regression_scorers():
    X = [[0.0, 0.0], [0.0], [0.0, 0.0, 0.0]]
    y = [np.array([1.0, 2.0]), np.array([3.0]), np.array([1.0, 1.0, 1.0])]

    class Zero(BaseEstimator):
        def fit(self, X, y):
            return self

        def predict(self, X):
            return [np.zeros(len(x)) for x in X]

    est = Zero().fit(X, y)
    mse = flat_mean_squared_error(y, est.predict(X))
    assert get_scorer("neg_flat_mean_squared_error")(est, X, y) == pytest.approx(-mse)
    assert get_scorer("flat_r2")(est, X, y) == pytest.approx(flat_r2_score(y, est.predict(X)))


def test_scorer_registry_and_fallback():
    expected = {
        "flat_accuracy",
        "flat_f1_macro",
        "flat_r2",
        "neg_flat_mean_squared_error",
        "sequence_accuracy",
        "exact_match",
        "neg_token_error_rate",
        "corpus_bleu",
    }
    assert expected <= set(SCORERS)
    assert M.flat_f1_macro_scorer._kwargs == {"average": "macro"}
    assert M.neg_token_error_rate_scorer._sign == -1
    assert M.flat_neg_mean_squared_error_scorer._sign == -1
    assert get_scorer("flat_accuracy") is not SCORERS["flat_accuracy"]
    # falls back to scikit-learn's registry
    assert get_scorer("accuracy")._score_func.__name__ == "accuracy_score"
    with pytest.raises(ValueError):
        get_scorer("no_such_scorer")


@pytest.mark.filterwarnings("ignore::sklearn.exceptions.UndefinedMetricWarning")
def test_flat_f1_macro_scorer_value():
    X, y = _ragged_data()
    est = MostFrequentTagger().fit(X, y)
    expected = flat_f1_score(y, est.predict(X), average="macro", zero_division=0)
    got = M.flat_f1_macro_scorer(est, X, y)
    assert got == pytest.approx(expected)
