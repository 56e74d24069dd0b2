"""skattention._diagnostics: warnings (DataWarning) for data that are valid
but probably a mistake: a single class, labels that look continuous, a
constant regression target, a vocabulary almost as large as the data;
attributed to the user's call, and silenced by category."""

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
from skattention._diagnostics import (
    MIN_LABELS_FOR_CLASS_CHECK,
    MIN_TOKENS_FOR_VOCABULARY_CHECK,
    check_classes,
    check_constant,
    check_vocabulary,
    warn_user,
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


# ---------------------------------------------------------------- the checks themselves
def _no_warning(check, *args, **kwargs):
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        check(*args, **kwargs)


def test_check_constant_warns_only_for_more_than_one_equal_target():
    with pytest.warns(DataWarning, match=r"y is constant \(every target is \[3.0\]\)"):
        check_constant(3, np.array([3.0]), np.array([3.0]))
    with pytest.warns(DataWarning, match=r"every target is \[1.0, 2.0\]"):  # several outputs
        check_constant(2, np.array([1.0, 2.0]), np.array([1.0, 2.0]))
    _no_warning(check_constant, 3, np.array([1.0]), np.array([2.0]))
    _no_warning(check_constant, 2, np.array([1.0, 2.0]), np.array([1.0, 5.0]))  # one output varies
    _no_warning(check_constant, 1, np.array([1.0]), np.array([1.0]))  # one target is no pattern


def test_check_vocabulary_warns_from_the_threshold_with_a_hint():
    n = MIN_TOKENS_FOR_VOCABULARY_CHECK
    words = [f"w{i}" for i in range(n)]
    _no_warning(check_vocabulary, n - 1, n - 1, words[:-1])  # too few tokens to tell
    _no_warning(check_vocabulary, int(0.8 * n), n, words)  # distinct tokens are not almost all of them
    with pytest.warns(DataWarning, match=rf"X has {n} distinct tokens among {n} \(100%\).*tokenisation"):
        check_vocabulary(n, n, words)
    with pytest.warns(DataWarning, match="most of them look like numbers") as record:
        check_vocabulary(n, n, [str(0.5 * i) for i in range(n)])
    assert "tokenisation" not in str(record[0].message)


def test_check_classes_warns_about_one_class_or_nearly_distinct_labels():
    with pytest.warns(DataWarning, match="y holds a single class, 'N': Tagger will predict it for everything"):
        check_classes(np.array(["N"]), 10, "Tagger", "Regressor")
    n = MIN_LABELS_FOR_CLASS_CHECK
    with pytest.warns(DataWarning, match=rf"y has {n} distinct labels among {n}; .* use Regressor"):
        check_classes(np.arange(n), n, "Tagger", "Regressor")
    _no_warning(check_classes, np.arange(n), n, "Tagger", "Regressor", distinct=False)
    _no_warning(check_classes, np.arange(n - 1), n - 1, "Tagger", "Regressor")  # too few labels to tell
    _no_warning(check_classes, np.arange(n // 2), n, "Tagger", "Regressor")  # half of them distinct
    _no_warning(check_classes, np.array(["a", "b"]), 10, "Tagger", "Regressor")


def test_warn_user_attributes_the_warning_to_the_caller_outside_the_package():
    with pytest.warns(DataWarning, match="from the test") as record:
        warn_user("from the test")
    assert record[0].category is DataWarning and record[0].filename == __file__
    with pytest.warns(UserWarning, match="a user warning") as record:
        warn_user("a user warning", UserWarning)
    assert record[0].category is UserWarning
    X = make_numeric_data(20)
    with pytest.warns(DataWarning, match="y is constant") as record:  # raised deep inside fit
        AttentionSequenceRegressor(**TINY).fit(X, np.full(len(X), 2.5))
    found = [w for w in record if issubclass(w.category, DataWarning)]
    assert len(found) == 1 and found[0].filename == __file__
