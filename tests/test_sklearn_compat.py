"""scikit-learn behaviour: clone, params, Pipeline, search, CV and the common checks."""

import numpy as np
from conftest import TINY, make_numeric_data, make_tagging_data
from sklearn.base import clone
from sklearn.model_selection import GridSearchCV, KFold, cross_validate
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import FunctionTransformer
from sklearn.utils.estimator_checks import parametrize_with_checks

from skattention import (
    AttentionSequenceClassifier,
    AttentionSequenceRegressor,
    AttentionTokenClassifier,
    AttentionTokenRegressor,
)
from skattention.metrics import flat_accuracy_score, flat_accuracy_scorer, flat_f1_macro_scorer


def test_clone_and_params_including_skorch_prefixes():
    est = AttentionTokenClassifier(d_model=32, module__word_dropout=0.2, optimizer__weight_decay=0.0)
    params = est.get_params()
    assert params["d_model"] == 32 and params["module__word_dropout"] == 0.2
    twin = clone(est)
    assert twin.get_params()["optimizer__weight_decay"] == 0.0
    twin.set_params(module__word_dropout=0.0, lr=0.1)
    assert twin.module__word_dropout == 0.0 and twin.lr == 0.1
    assert est.module__word_dropout == 0.2
    assert "pooling" in AttentionSequenceClassifier().get_params()
    assert "pooling" not in AttentionTokenRegressor().get_params()


def test_clone_of_fitted_is_unfitted():
    X, y = make_tagging_data(20)
    fitted = AttentionTokenClassifier(**TINY).fit(X, y)
    assert not hasattr(clone(fitted), "net_")


def test_pipeline_grid_search_and_cross_validate_over_ragged_data():
    X, y = make_tagging_data(30)
    lower = FunctionTransformer(lambda seqs: [[w.lower() for w in s] for s in seqs])
    pipe = Pipeline([("lower", lower), ("tagger", AttentionTokenClassifier(**TINY))])
    search = GridSearchCV(pipe, {"tagger__d_model": [8, 16]}, cv=KFold(2), scoring=flat_accuracy_scorer)
    search.fit(X, y)
    # the best candidate is the one with the highest mean score, refit on everything through the pipeline
    means = search.cv_results_["mean_test_score"]
    assert search.best_params_ == search.cv_results_["params"][int(np.argmax(means))]
    refit = clone(pipe).set_params(**search.best_params_).fit(X, y)
    assert all(np.array_equal(a, b) for a, b in zip(search.predict(X[:3]), refit.predict(X[:3])))
    scores = cross_validate(AttentionTokenClassifier(**TINY), X, y, cv=3,
                            scoring={"acc": flat_accuracy_scorer, "f1": flat_f1_macro_scorer})
    for fold, (train, test) in enumerate(KFold(3).split(X)):  # each fold's score, by hand
        fold_model = AttentionTokenClassifier(**TINY).fit([X[i] for i in train], [y[i] for i in train])
        assert scores["test_acc"][fold] == flat_accuracy_score([y[i] for i in test],
                                                               fold_model.predict([X[i] for i in test]))


def test_sequence_estimators_in_grid_search_with_default_scoring():
    X, y = make_tagging_data(40)
    labels = [s[0] for s in y]
    search = GridSearchCV(AttentionSequenceClassifier(**TINY), {"pooling": ["attention", "mean"]}, cv=2)
    search.fit(X, labels)
    assert search.best_estimator_.pooling in ("attention", "mean")
    Xn = make_numeric_data()
    res = cross_validate(AttentionSequenceRegressor(**TINY), Xn, [x.mean() for x in Xn], cv=2)
    assert res["test_score"].shape == (2,)
    res = cross_validate(AttentionTokenRegressor(**TINY), Xn, [x.sum(1) for x in Xn], cv=2)
    assert np.isfinite(res["test_score"]).all()


# ------------------------------------------------------------ common checks
CHECK_PARAMS = dict(d_model=16, n_heads=2, n_layers=1, encoder="transformer", lr=1e-2, max_epochs=15,
                    train_split=None, random_state=0)

_N_FEATURES = (
    "A 2-D array is read as one univariate sequence per row, so its column count is a sequence "
    "length, which may differ between calls; there is no fixed n_features_in_."
)
EXPECTED_FAILED = {
    "check_do_not_raise_errors_in_init_or_set_params": (
        "**kwargs forwards skorch's prefixed parameters (module__*, optimizer__*); the check "
        "passes a parameter literally named 'kwargs'."
    ),
    "check_n_features_in": _N_FEATURES,
    "check_n_features_in_after_fitting": _N_FEATURES,
    "check_estimators_partial_fit_n_features": _N_FEATURES,
    "check_classifiers_train": _N_FEATURES,
    "check_classifier_data_not_an_array": (
        "pandas DataFrames are rejected on purpose: long-format frames go through "
        "skattention.datasets.from_long_format, and reading one as wide rows would silently be wrong."
    ),
    "check_regressor_data_not_an_array": (
        "pandas DataFrames are rejected on purpose (see from_long_format)."
    ),
}


# Predictions are float32 computations: a batch and its subsets are padded to different
# lengths and their matrix products blocked differently, so a regressor's outputs (scaled back
# to the targets' units) can differ by one float32 rounding step, about 1e-7 relative, which is
# the check's own tolerance. A classifier's labels do not move at that scale.
FLOAT32_ROUNDING = {
    "check_methods_subset_invariance": (
        "float32 outputs of a batch and of its subsets can differ by one rounding step (about 1e-7), "
        "the check's tolerance"
    ),
}


def _expected_failed(estimator):
    if isinstance(estimator, AttentionSequenceRegressor):
        return {**EXPECTED_FAILED, **FLOAT32_ROUNDING}
    return EXPECTED_FAILED


@parametrize_with_checks(
    [AttentionSequenceClassifier(**CHECK_PARAMS), AttentionSequenceRegressor(**CHECK_PARAMS)],
    expected_failed_checks=_expected_failed,
)
def test_sklearn_common_checks(estimator, check):
    check(estimator)
