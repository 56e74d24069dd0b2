"""skattention.model_selection: the same folds for every model, exact scores,
the paired tests and the plot."""

import math

import numpy as np
import pytest
from conftest import TINY, make_tagging_data
from scipy import stats
from sklearn.base import clone
from sklearn.dummy import DummyClassifier
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import KFold, StratifiedKFold, cross_validate
from sklearn.pipeline import make_pipeline

from skattention import AttentionTokenClassifier
from skattention.baselines import CRFTagger, MostFrequentTagTagger, TokenSequenceVectorizer
from skattention.metrics import flat_accuracy_scorer
from skattention.model_selection import WILCOXON_MIN_FOLDS, compare, paired_test


def _noisy_tagging(n=30):
    X, y = make_tagging_data(n)
    y = [list(tags) for tags in y]
    for i in range(0, n, 3):  # "big" is sometimes a noun: the taggers now disagree
        y[i] = ["NOUN" if w == "big" else t for w, t in zip(X[i], y[i])]
    return X, y


def test_compare_on_ragged_tokens_gives_the_scores_of_cross_validate_on_the_same_folds():
    X, y = _noisy_tagging()
    models = {"attention": AttentionTokenClassifier(**TINY), "crf": CRFTagger(), "mft": MostFrequentTagTagger()}
    result = compare(models, X, y, cv=3, scoring=flat_accuracy_scorer)
    assert len(result.table) == 9 and result.table["fold"].tolist() == [0, 1, 2] * 3
    assert result.scoring == "flat_accuracy_score"
    folds = list(KFold(3, shuffle=True, random_state=0).split(X))
    for name, model in models.items():
        expected = cross_validate(model, X, y, cv=folds, scoring=flat_accuracy_scorer)["test_score"]
        np.testing.assert_array_equal(result.table[result.table.model == name]["score"], expected)
    assert result.table["n_test"].tolist() == [len(t) for _, t in folds] * 3
    summary = result.summary
    assert list(summary.columns) == ["mean_score", "std_score", "fit_time", "predict_time"]
    assert summary["mean_score"].is_monotonic_decreasing
    test = result.test()
    assert (test.a, test.b) == tuple(summary.index[:2]) and test.n_folds == 3 and test.method == "corrected_t"


def test_compare_stratifies_class_labels_and_matches_n_jobs_1():
    X, y = make_tagging_data(40)
    labels = np.array(["long" if len(s) > 5 else "short" for s in X])
    models = {"tfidf": make_pipeline(TokenSequenceVectorizer(), LogisticRegression()),
              "prior": DummyClassifier()}
    one = compare(models, X, labels, cv=4)
    two = compare(models, X, labels, cv=4, n_jobs=2)
    np.testing.assert_array_equal(one.table["score"], two.table["score"])
    assert one.scoring == "estimator.score"
    folds = StratifiedKFold(4, shuffle=True, random_state=0).split(X, labels)
    shares = [np.mean(labels[test] == "long") for _, test in folds]
    prior = one.table[one.table.model == "prior"]["score"].to_numpy()  # the majority class's share per fold
    np.testing.assert_allclose(prior, [max(s, 1 - s) for s in shares])


def test_compare_takes_a_cv_object_and_rejects_bad_estimator_lists():
    X, y = make_tagging_data(12)
    result = compare([("mft", MostFrequentTagTagger())], X, y, cv=KFold(2), scoring="flat_accuracy")
    assert result.table["n_train"].tolist() == [6, 6]
    with pytest.raises(ValueError, match="needs two models"):
        result.test()
    with pytest.raises(ValueError, match="names must be unique"):
        compare([("a", MostFrequentTagTagger()), ("a", CRFTagger())], X, y)
    with pytest.raises(ValueError, match="estimators is empty"):
        compare({}, X, y)


def test_corrected_t_test_is_nadeau_and_bengio():
    a, b = [0.81, 0.83, 0.80, 0.82, 0.84], [0.78, 0.80, 0.79, 0.78, 0.80]
    d = np.subtract(a, b)
    t = d.mean() / math.sqrt((1 / 5 + 0.25) * d.var(ddof=1))
    res = paired_test(a, b, test_train_ratio=0.25)
    assert res.statistic == pytest.approx(t, rel=1e-12)
    assert res.p_value == pytest.approx(2 * stats.t.sf(t, 4), rel=1e-12)
    naive = stats.ttest_rel(a, b).pvalue
    assert naive < res.p_value  # the correction only ever widens the variance
    assert paired_test(a, a).p_value == 1.0 and not paired_test(a, a).significant
    assert paired_test([1.0, 1.0], [0.5, 0.5]).p_value == 0.0


def test_wilcoxon_from_many_folds_and_errors():
    rng = np.random.RandomState(0)
    a = rng.rand(WILCOXON_MIN_FOLDS)
    b = a - 0.01 + 0.02 * rng.rand(WILCOXON_MIN_FOLDS)
    res = paired_test(a, b)
    assert res.method == "wilcoxon" and res.p_value == stats.wilcoxon(a, b).pvalue
    assert paired_test(a[:5], b[:5]).method == "corrected_t"
    with pytest.raises(ValueError, match="same number"):
        paired_test([1, 2, 3], [1, 2])
    with pytest.raises(ValueError, match="NaN"):
        paired_test([1, np.nan], [1, 2])
    with pytest.raises(ValueError, match="method must be"):
        paired_test([1, 2], [1, 2], method="bayes")
    assert "not significant" in str(paired_test(a[:5], b[:5], a="x", b="y"))


def test_comparison_plot_orders_models_by_mean():
    pytest.importorskip("matplotlib")
    X, y = _noisy_tagging()
    result = compare({"mft": MostFrequentTagTagger(), "crf": CRFTagger()}, X, y, cv=3, scoring=flat_accuracy_scorer)
    disp = result.plot()
    assert disp.order_ == list(result.summary.index)
    assert [t.get_text() for t in disp.ax_.get_xticklabels()] == disp.order_
    assert len(disp.ax_.lines) == 3  # one line per fold
    assert "folds" in repr(result)


def test_cross_val_predict_keeps_ragged_outputs_in_the_order_of_x():
    from skattention.model_selection import cross_val_predict

    X, y = _noisy_tagging(18)
    pred = cross_val_predict(CRFTagger(), X, y, cv=3)
    assert [len(p) for p in pred] == [len(s) for s in X]
    for train, test in KFold(3, shuffle=True, random_state=0).split(X):  # the same folds, by hand
        fold = CRFTagger().fit([X[i] for i in train], [y[i] for i in train])
        for i, p in zip(test, fold.predict([X[i] for i in test])):
            np.testing.assert_array_equal(pred[i], p)
    proba = cross_val_predict(MostFrequentTagTagger(), X, y, cv=3, method="predict_proba", n_jobs=2)
    assert [p.shape[0] for p in proba] == [len(s) for s in X]
    with pytest.raises(ValueError, match="every sequence exactly once"):
        cross_val_predict(CRFTagger(), X, y, cv=[(np.arange(9), np.arange(9, 17))])


def test_cross_val_predict_with_the_attention_tagger_is_the_folds_fitted_by_hand():
    from skattention.model_selection import cross_val_predict

    X, y = make_tagging_data(18)
    tagger = AttentionTokenClassifier(**{**TINY, "max_epochs": 1}, device="cpu")
    proba = cross_val_predict(tagger, X, y, cv=3, method="predict_proba")
    for train, test in KFold(3, shuffle=True, random_state=0).split(X):
        fold = clone(tagger).fit([X[i] for i in train], [y[i] for i in train])
        for i, p in zip(test, fold.predict_proba([X[i] for i in test])):
            np.testing.assert_array_equal(proba[i], p)


@pytest.mark.parametrize("ensemble", ["BaggingClassifier", "AdaBoostClassifier"])
def test_the_ensembles_the_readme_names_as_unsupported_refuse_ragged_x(ensemble):
    """README and the user guide say these two need 2-D X; if scikit-learn ever
    takes ragged X here, this fails and the claim must change."""
    import sklearn.ensemble

    from skattention import AttentionSequenceClassifier

    X, _ = make_tagging_data(12)
    meta = getattr(sklearn.ensemble, ensemble)(AttentionSequenceClassifier(**{**TINY, "max_epochs": 1}),
                                              n_estimators=2)
    with pytest.raises(ValueError, match="inhomogeneous|setting an array element with a sequence"):
        meta.fit(X, [len(s) % 2 for s in X])


def _sequence_workflows():
    from sklearn.calibration import CalibratedClassifierCV
    from sklearn.compose import TransformedTargetRegressor
    from sklearn.ensemble import StackingClassifier, VotingClassifier
    from sklearn.model_selection import (
        cross_val_predict,
        cross_val_score,
        learning_curve,
        permutation_test_score,
        validation_curve,
    )
    from sklearn.multioutput import MultiOutputRegressor

    from skattention import AttentionSequenceClassifier, AttentionSequenceRegressor

    tiny = {**TINY, "max_epochs": 1}
    clf = lambda: AttentionSequenceClassifier(**tiny)  # noqa: E731
    reg = lambda: AttentionSequenceRegressor(**tiny)  # noqa: E731
    return {
        "cross_val_predict": lambda X, y, v: cross_val_predict(clf(), X, y, cv=3),
        "cross_val_predict proba": lambda X, y, v: cross_val_predict(clf(), X, y, cv=3, method="predict_proba"),
        "cross_val_score": lambda X, y, v: cross_val_score(clf(), X, y, cv=3),
        "learning_curve": lambda X, y, v: learning_curve(clf(), X, y, cv=3, train_sizes=[0.5, 1.0]),
        "validation_curve": lambda X, y, v: validation_curve(clf(), X, y, param_name="d_model",
                                                             param_range=[8, 16], cv=3),
        "permutation_test_score": lambda X, y, v: permutation_test_score(clf(), X, y, cv=3, n_permutations=2),
        "VotingClassifier": lambda X, y, v: VotingClassifier([("a", clf()), ("b", clf())], voting="soft")
        .fit(X, y).predict(X),
        "StackingClassifier": lambda X, y, v: StackingClassifier([("a", clf()), ("b", clf())], cv=3)
        .fit(X, y).predict(X),
        "CalibratedClassifierCV": lambda X, y, v: CalibratedClassifierCV(clf(), cv=3).fit(X, y).predict(X),
        "TransformedTargetRegressor": lambda X, y, v: TransformedTargetRegressor(
            reg(), func=np.log1p, inverse_func=np.expm1).fit(X, v).predict(X),
        "MultiOutputRegressor": lambda X, y, v: MultiOutputRegressor(reg()).fit(X, np.c_[v, v]).predict(X),
    }


@pytest.mark.parametrize("name", list(_sequence_workflows()))
def test_the_scikit_learn_tools_the_readme_names_work_over_ragged_x(name):
    X, tags = make_tagging_data(24)
    labels = np.array([len(s) % 2 for s in X])
    _sequence_workflows()[name](X, labels, np.arange(24.0))  # scikit-learn raises if it refuses ragged X
