"""skattention.baselines: each baseline fits, predicts, clones, pickles and
rejects bad input as the attention estimators do."""

import pickle

import numpy as np
import pytest
from conftest import make_numeric_data, make_tagging_data
from sklearn.base import clone
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LinearRegression, LogisticRegression
from sklearn.model_selection import GridSearchCV, KFold
from sklearn.pipeline import make_pipeline
from sklearn.utils.estimator_checks import parametrize_with_checks

from skattention.baselines import (
    AeonClassifier,
    AeonRegressor,
    CRFTagger,
    MostFrequentTagTagger,
    SummaryStatistics,
    TokenSequenceVectorizer,
    WindowRegressor,
    WindowTagger,
    _validation,
    word_shape_features,
)
from skattention.metrics import flat_accuracy_scorer

TOKEN_TAGGERS = [CRFTagger, MostFrequentTagTagger, WindowTagger]


def _same(a, b):
    assert len(a) == len(b)
    for x, y in zip(a, b):
        np.testing.assert_array_equal(x, y)


def _series(n=24, seed=0, lengths=(20, 24, 28)):
    rng = np.random.RandomState(seed)
    X, y = [], []
    for i in range(n):
        k = i % 2
        length = lengths[i % len(lengths)]
        X.append((np.sin(np.arange(length) / (2 + 3 * k)) + 0.1 * rng.randn(length)).astype(np.float32))
        y.append("fast" if k == 0 else "slow")
    return X, np.array(y)


# --------------------------------------------------------------------------- taggers
@pytest.mark.parametrize("cls", TOKEN_TAGGERS)
def test_taggers_learn_a_lexicon_and_return_ragged_labels(cls):
    X, y = make_tagging_data(40)
    tagger = cls().fit(X, y)
    pred = tagger.predict(X)
    assert [len(p) for p in pred] == [len(s) for s in X]
    assert tagger.score(X, y) == 1.0
    proba = tagger.predict_proba(X[:3])
    assert [p.shape for p in proba] == [(len(s), len(tagger.classes_)) for s in X[:3]]
    np.testing.assert_allclose(np.concatenate(proba).sum(axis=1), 1.0)
    _same([tagger.classes_[p.argmax(axis=1)] for p in proba], pred[:3])


@pytest.mark.parametrize("cls", TOKEN_TAGGERS)
def test_taggers_clone_pickle_and_grid_search(cls):
    X, y = make_tagging_data(30)
    tagger = cls().fit(X, y)
    again = pickle.loads(pickle.dumps(tagger))
    _same(again.predict(X), tagger.predict(X))
    assert clone(tagger).get_params() == tagger.get_params() and not hasattr(clone(tagger), "classes_")
    grid = {"c2": [0.01, 1.0]} if cls is CRFTagger else {"lowercase": [False, True]} \
        if cls is MostFrequentTagTagger else {"window": [0, 1]}
    search = GridSearchCV(cls(), grid, cv=KFold(2), scoring=flat_accuracy_scorer).fit(X, y)
    assert search.cv_results_["mean_test_score"].shape == (2,)


@pytest.mark.parametrize("cls", TOKEN_TAGGERS)
@pytest.mark.parametrize("X, y, error, message", [
    ([["a", "b"], ["c"]], [["N", "V"]], ValueError, "X has 2 sequences but y has 1"),
    ([["a", "b"], ["c"]], [["N", "V"], ["N", "V"]], ValueError, r"y\[1\] has 2 labels but X\[1\] has 1"),
    ([["a", "b"], "c d"], [["N", "V"], ["N"]], TypeError, r"X\[1\] is a string"),
    ([["a", "b"], ["c", {"d"}]], [["N", "V"], ["N", "V"]], TypeError, r"X\[1\] has a set at position 1"),
    ([["a", "b"], ["c"]], [["N", None], ["N"]], ValueError, r"y\[0\] has a missing label"),
])
def test_taggers_reject_bad_input_like_the_attention_tagger(cls, X, y, error, message):
    with pytest.raises(error, match=message):
        cls().fit(X, y)


@pytest.mark.parametrize("cls", [CRFTagger, MostFrequentTagTagger])
def test_token_only_taggers_refuse_numeric_sequences_with_the_kind_named(cls):
    X = make_numeric_data(4)
    with pytest.raises(TypeError, match=f"{cls.__name__} takes token sequences"):
        cls().fit(X, [np.zeros(len(x)) for x in X])


def test_crf_labels_come_back_as_given_and_empty_sequences_are_empty():
    X = [["one", "two"], ["two", "one", "one"]] * 6
    y = [[1, 2], [2, 1, 1]] * 6
    crf = CRFTagger().fit(X + [[]], y + [[]])
    pred = crf.predict([["two", "one"], []])
    assert pred[0].tolist() == [2, 1] and pred[0].dtype.kind == "i"
    assert pred[1].shape == (0,) and crf.predict_proba([[]])[0].shape == (0, 2)


def _lower_only(sentence, i):
    return {"lower": sentence[i].lower()}


def test_crf_features_hook_replaces_the_word_shapes():
    X = [["Dogs", "bark"], ["cats", "Purr"]] * 5
    y = [["N", "V"]] * 10
    crf = CRFTagger(features=_lower_only).fit(X, y)
    assert set(crf.crf_.attributes_) == {"lower:dogs", "lower:bark", "lower:cats", "lower:purr"}
    assert len(CRFTagger().fit(X, y).crf_.attributes_) > 4
    with pytest.raises(TypeError, match="features must be a callable"):
        CRFTagger(features="shape").fit(X, y)


def test_word_shape_features_describe_the_word_and_its_neighbours():
    feats = word_shape_features(["I", "saw", "U.N.-2"], 2)
    assert feats["lower"] == "u.n.-2" and feats["hyphen"] and feats["hasdigit"] and not feats["isdigit"]
    assert feats["-1:lower"] == "saw" and feats["-2:istitle"] and feats["+1:pad"] and feats["+2:pad"]


def test_most_frequent_tag_counts_exactly():
    X = [["the", "duck"], ["to", "duck"], ["Duck", "eggs"]]
    y = [["DET", "NOUN"], ["PART", "VERB"], ["NOUN", "NOUN"]]
    mft = MostFrequentTagTagger().fit(X, y)
    np.testing.assert_allclose(mft.lexicon_["duck"], [0, 0.5, 0, 0.5])  # DET NOUN PART VERB
    np.testing.assert_allclose(mft.prior_, [1 / 6, 3 / 6, 1 / 6, 1 / 6])
    assert mft.predict([["duck", "swam"]])[0].tolist() == ["NOUN", "NOUN"]  # a tie goes to the first label
    lower = MostFrequentTagTagger(lowercase=True).fit(X, y)
    np.testing.assert_allclose(lower.lexicon_["duck"], [0, 2 / 3, 0, 1 / 3])


# --------------------------------------------------------------------------- window models
def test_window_features_of_numeric_sequences_are_the_neighbours_and_flags():
    tagger = WindowTagger(window=1)
    feats = tagger._numeric_windows([np.array([[1.0], [2.0], [3.0]])], 1)
    np.testing.assert_array_equal(feats, [[0, 1, 2, 0, 1], [1, 2, 3, 1, 1], [2, 3, 0, 1, 0]])
    rows = tagger._token_windows([["a", "b"]])
    assert rows == [{"w[-1]": "<pad>", "w[+0]": "a", "w[+1]": "b"}, {"w[-1]": "a", "w[+0]": "b", "w[+1]": "<pad>"}]


def test_window_regressor_learns_a_function_of_the_neighbours():
    rng = np.random.RandomState(0)
    X = [rng.randn(n, 2) for n in rng.randint(3, 9, size=30)]
    y = [x[:, 0] + np.concatenate([[0.0], x[:-1, 1]]) for x in X]  # own first channel + left neighbour's second
    reg = WindowRegressor(LinearRegression(), window=1).fit(X, y)
    assert reg.score(X, y) == pytest.approx(1.0, abs=1e-12)
    assert WindowRegressor(LinearRegression(), window=0).fit(X, y).score(X, y) < 0.9
    with pytest.raises(ValueError, match="window must be an int >= 0"):
        WindowRegressor(window=-1).fit(X, y)
    with pytest.raises(ValueError, match=r"X\[0\] has 3 features per element but 2 were seen at fit time"):
        reg.predict([rng.randn(4, 3)])


def test_window_tagger_probabilities_cover_every_class():
    X, y = make_tagging_data(30)
    tagger = WindowTagger(LogisticRegression(max_iter=200), window=0).fit(X, y)
    assert list(tagger.classes_) == sorted({t for s in y for t in s})
    assert tagger.predict_proba(X[:1])[0].shape == (len(X[0]), len(tagger.classes_))


# --------------------------------------------------------------------------- text
def test_token_sequence_vectorizer_counts_token_ngrams():
    X = [["not", "good"], ["good", "fun"], ["Good"]]
    vec = TokenSequenceVectorizer(weighting="count")
    counts = vec.fit_transform(X).toarray()
    assert vec.get_feature_names_out().tolist() == ["Good", "fun", "good", "good fun", "not", "not good"]
    np.testing.assert_array_equal(counts, [[0, 0, 1, 0, 1, 1], [0, 1, 1, 1, 0, 0], [1, 0, 0, 0, 0, 0]])
    np.testing.assert_array_equal(vec.transform(X).toarray(), counts)
    lower = TokenSequenceVectorizer(weighting="binary", lowercase=True, ngram_range=(1, 1)).fit(X)
    assert lower.get_feature_names_out().tolist() == ["fun", "good", "not"]


def test_token_sequence_vectorizer_tfidf_is_sklearns_on_joined_tokens():
    X, _ = make_tagging_data(20)
    ours = TokenSequenceVectorizer().fit_transform(X).toarray()
    theirs = TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True, token_pattern=r"\S+", lowercase=False)
    np.testing.assert_allclose(ours, theirs.fit_transform([" ".join(s) for s in X]).toarray())


def test_text_baseline_pipeline_fits_and_pickles():
    X, y = make_tagging_data(40)
    labels = np.array([s[0] for s in y])
    pipe = make_pipeline(TokenSequenceVectorizer(), LogisticRegression()).fit(X, labels)
    again = pickle.loads(pickle.dumps(pipe))
    np.testing.assert_array_equal(again.predict(X), pipe.predict(X))
    with pytest.raises(ValueError, match="weighting must be"):
        TokenSequenceVectorizer(weighting="bm25").fit(X)
    with pytest.raises(TypeError, match="TokenSequenceVectorizer takes token sequences"):
        TokenSequenceVectorizer().fit(make_numeric_data(3))


# --------------------------------------------------------------------------- summary statistics
def test_summary_statistics_are_exact():
    rng = np.random.RandomState(0)
    X = [rng.randn(n, 2) for n in (5, 1, 9)]
    out = SummaryStatistics().fit_transform(X)
    assert out.shape == (3, 7 * 2 + 1)
    for row, x in zip(out, X):
        x = x.astype(np.float32).astype(np.float64)  # validated as float32, as the estimators do
        slope = np.polyfit(np.arange(len(x)), x, 1)[0] if len(x) > 1 else np.zeros(2)
        expected = np.concatenate([x.mean(0), x.std(0), x.min(0), x.max(0), x[0], x[-1], slope, [len(x)]])
        np.testing.assert_allclose(row, expected, rtol=1e-9, atol=1e-12)
    names = SummaryStatistics(statistics=("max", "slope"), length=False).fit(X).get_feature_names_out()
    assert names.tolist() == ["x0__max", "x1__max", "x0__slope", "x1__slope"]


def test_summary_statistics_reject_bad_input_by_index():
    X = make_numeric_data(4)
    stats = SummaryStatistics().fit(X)
    with pytest.raises(ValueError, match=r"X\[1\] is empty"):
        stats.transform([X[0], np.zeros((0, 3))])
    with pytest.raises(ValueError, match=r"X\[0\] has 2 features per element but 3 were seen at fit time"):
        stats.transform([np.zeros((4, 2))])
    with pytest.raises(ValueError, match=r"X\[1\] contains NaN"):
        stats.transform([X[0], np.full((3, 3), np.nan)])
    with pytest.raises(TypeError, match="SummaryStatistics takes numeric sequences"):
        stats.transform([["a", "b"]])
    with pytest.raises(ValueError, match="statistics must be"):
        SummaryStatistics(statistics=("median",)).fit(X)


# --------------------------------------------------------------------------- aeon
def test_aeon_classifier_default_is_1nn_dtw_on_unequal_lengths():
    from aeon.classification.distance_based import KNeighborsTimeSeriesClassifier

    X, y = _series()
    clf = AeonClassifier().fit(X, y)
    assert clf.strategy_ is None and clf.takes_unequal_  # DTW takes the list as it is
    theirs = KNeighborsTimeSeriesClassifier(n_neighbors=1, distance="dtw").fit([x[None, :] for x in X], y)
    np.testing.assert_array_equal(clf.predict(X), theirs.predict([x[None, :] for x in X]))
    assert clf.predict_proba(X).shape == (len(X), 2) and list(clf.classes_) == ["fast", "slow"]
    again = pickle.loads(pickle.dumps(clf))
    np.testing.assert_array_equal(again.predict(X), clf.predict(X))


@pytest.mark.parametrize("strategy, length", [("auto", 28), ("resize", 28), ("pad", 28), ("truncate", 20)])
def test_aeon_unequal_lengths_reach_an_equal_length_estimator_as_aeon_documents(strategy, length):
    from aeon.classification.feature_based import SummaryClassifier

    X, y = _series()
    clf = AeonClassifier(SummaryClassifier(random_state=0), unequal_length=strategy).fit(X, y)
    assert clf.strategy_ == ("resize" if strategy == "auto" else strategy)
    collection = clf._collection(clf._check_X([np.zeros(40), np.zeros(9)], fit=False), fit=False)
    assert collection.shape == (2, 1, length)  # longer ones cut, shorter ones padded or stretched
    assert clf.predict([np.zeros(40)]).shape == (1,)


def test_aeon_equal_length_fit_then_other_lengths_at_predict():
    from aeon.classification.feature_based import SummaryClassifier

    X, y = _series(lengths=(24,))
    clf = AeonClassifier(SummaryClassifier(random_state=0)).fit(X, y)
    assert clf.strategy_ is None and clf.series_length_ == 24
    assert clf._collection(clf._check_X([np.zeros(30)], fit=False), fit=False).shape == (1, 1, 24)


def test_aeon_regressor_and_bad_input():
    X = [np.full(10, float(v)) for v in range(6)]
    reg = AeonRegressor().fit(X, np.arange(6.0))
    np.testing.assert_array_equal(reg.predict([np.full(10, 2.9)]), [3.0])
    with pytest.raises(ValueError, match="X has 6 sequences but y has 5"):
        AeonRegressor().fit(X, np.arange(5.0))
    with pytest.raises(ValueError, match=r"y\[2\] is NaN"):
        AeonRegressor().fit(X, [0, 1, np.nan, 3, 4, 5])
    with pytest.raises(TypeError, match="AeonClassifier takes numeric sequences"):
        AeonClassifier().fit([["a"], ["b"]], [0, 1])
    with pytest.raises(ValueError, match="unequal_length must be one of"):
        AeonClassifier(unequal_length="stretch").fit(*_series())
    with pytest.raises(ValueError, match=r"X\[1\] has 2 features per element but 1 were seen"):
        reg.predict([np.zeros(10), np.zeros((10, 2))])


# --------------------------------------------------------------------------- optional dependencies
def test_a_missing_optional_dependency_names_the_extra(monkeypatch):
    real = _validation.importlib.import_module

    def fake(name, *args):
        if name == "sklearn_crfsuite":
            raise ImportError("No module named 'sklearn_crfsuite'")
        return real(name, *args)

    monkeypatch.setattr(_validation.importlib, "import_module", fake)
    X, y = make_tagging_data(5)
    with pytest.raises(ImportError, match=r"CRFTagger needs .*sklearn-crfsuite.*skattention\[baselines\]"):
        CRFTagger().fit(X, y)


# --------------------------------------------------------------------------- scikit-learn's common checks
_N_FEATURES = ("A 2-D array is read as one univariate sequence per row (as the attention estimators read it), "
               "so its column count is a sequence length, not n_features_in_.")
_FRAMES = "pandas DataFrames are rejected on purpose, as by the attention estimators (see from_long_format)."
_AEON = "aeon's own validation answers first, with its own message"
EXPECTED_FAILED = {
    "SummaryStatistics": {
        "check_n_features_in": _N_FEATURES, "check_n_features_in_after_fitting": _N_FEATURES,
        "check_transformer_general": _N_FEATURES,
    },
    "AeonClassifier": {
        "check_n_features_in": _N_FEATURES, "check_n_features_in_after_fitting": _N_FEATURES,
        "check_classifiers_train": _N_FEATURES, "check_classifier_data_not_an_array": _FRAMES,
        "check_dtype_object": f"{_AEON}: it refuses object labels without sklearn's wording.",
        "check_classifiers_one_label": f"{_AEON}: it cannot train on one class.",
        "check_fit2d_1sample": f"{_AEON}: 'y must contain at least two classes'.",
    },
}


@parametrize_with_checks([SummaryStatistics(), AeonClassifier()],
                         expected_failed_checks=lambda est: EXPECTED_FAILED[type(est).__name__])
def test_sklearn_common_checks(estimator, check):
    check(estimator)
