"""What users see interactively: warnings for likely mistakes, reprs."""

import warnings

import numpy as np
import pytest
from conftest import TINY, make_numeric_data, make_tagging_data

from skattention import (
    AttentionSeq2Seq,
    AttentionSequenceClassifier,
    AttentionSequenceRegressor,
    AttentionTokenClassifier,
    AttentionTokenRegressor,
)
from skattention.exceptions import DataWarning


def _data_warnings(fit):
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        fit()
    return [w for w in caught if issubclass(w.category, DataWarning)]


@pytest.mark.parametrize("make", [
    lambda X, y: AttentionTokenClassifier(**TINY).fit(X, y),
    lambda X, y: AttentionSequenceClassifier(**TINY).fit(X, [s[0] for s in y]),
    lambda X, y: AttentionSequenceRegressor(**TINY).fit(X, np.arange(len(X), dtype=float)),
    lambda X, y: AttentionTokenRegressor(**TINY).fit(X, [np.arange(len(s), dtype=float) for s in X]),
    lambda X, y: AttentionSeq2Seq(**TINY).fit(X, y),
])
def test_sensible_data_gives_no_warning(make):
    X, y = make_tagging_data(60)
    assert _data_warnings(lambda: make(X, y)) == []


def test_single_class_warns_and_names_the_label():
    X, y = make_tagging_data(20)
    found = _data_warnings(lambda: AttentionTokenClassifier(**TINY).fit(X, [["N"] * len(s) for s in y]))
    assert len(found) == 1 and "single class, 'N'" in str(found[0].message)
    assert found[0].filename == __file__  # attributed to the caller, not to skattention
    found = _data_warnings(lambda: AttentionSequenceClassifier(**TINY).fit(X, [3] * len(X)))
    assert "single class, 3:" in str(found[0].message)


def test_constant_regression_target_warns():
    X = make_numeric_data(20)
    found = _data_warnings(lambda: AttentionSequenceRegressor(**TINY).fit(X, np.full(len(X), 2.5)))
    assert len(found) == 1 and "constant" in str(found[0].message) and "2.5" in str(found[0].message)
    found = _data_warnings(lambda: AttentionTokenRegressor(**TINY).fit(X, [np.ones(len(x)) for x in X]))
    assert len(found) == 1


def test_token_labels_that_look_continuous_point_to_the_regressor():
    X, _ = make_tagging_data(30)
    y = [[f"{i}.{j}" for j in range(len(s))] for i, s in enumerate(X)]
    found = _data_warnings(lambda: AttentionTokenClassifier(**TINY).fit(X, y))
    assert len(found) == 1 and "use AttentionTokenRegressor" in str(found[0].message)


def test_huge_vocabulary_warns_with_a_hint():
    rng = np.random.RandomState(0)
    numbers = [[f"{v:.4f}" for v in rng.randn(20)] for _ in range(40)]
    tags = [["x"] * 10 + ["y"] * 10 for _ in numbers]
    found = _data_warnings(lambda: AttentionTokenClassifier(**TINY).fit(numbers, tags))
    assert len(found) == 1 and "look like numbers" in str(found[0].message)
    ids = [[f"id{rng.randint(10**9)}" for _ in range(20)] for _ in range(40)]
    found = _data_warnings(lambda: AttentionTokenClassifier(**TINY).fit(ids, tags))
    assert len(found) == 1 and "tokenisation" in str(found[0].message)


def test_warnings_can_be_silenced_by_category():
    X, y = make_tagging_data(20)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        warnings.filterwarnings("ignore", category=DataWarning)
        AttentionTokenClassifier(**TINY).fit(X, [["N"] * len(s) for s in y])


def test_repr_shows_changed_parameters_including_skorch_ones():
    est = AttentionTokenClassifier(d_model=64, module__word_dropout=0.0)
    assert repr(est) == "AttentionTokenClassifier(d_model=64, module__word_dropout=0.0)"


def test_html_repr_for_jupyter_shows_parameters_and_fitted_state():
    X, y = make_tagging_data(20)
    est = AttentionTokenClassifier(**TINY)
    html = est._repr_html_()
    assert "AttentionTokenClassifier" in html and "Not fitted" in html
    est.fit(X, y)
    html = est._repr_html_()
    assert "Not fitted" not in html and "Fitted" in html and "d_model" in html
    assert "text/html" in est._repr_mimebundle_()
