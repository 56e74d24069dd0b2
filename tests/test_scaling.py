"""Data bigger than memory, a chunk at a time: partial_fit over chunks, for
every estimator. (A streamed fit: test_streaming.py.)"""

import numpy as np
import pytest
from conftest import ESTIMATORS, TINY_SPLIT, WORDS, assert_same_state, fitted_state, make_problem
from sklearn.base import clone

from skattention import AttentionSeq2Seq


@pytest.mark.parametrize("name", ESTIMATORS)
def test_partial_fit_over_chunks(name):
    cls, X, y = make_problem(name)
    est = cls(**{**TINY_SPLIT, "max_epochs": 1})
    third = len(X) // 3
    chunks = [slice(0, third), slice(third, 2 * third), slice(2 * third, None)]
    kwargs = {}
    if name.endswith("classifier"):
        kwargs["classes"] = (sorted({label for seq in y for label in seq}) if name.startswith("token")
                             else np.unique(y))
    if name == "seq2seq":
        kwargs["classes"] = WORDS
    for chunk in chunks:
        ys = y[chunk]
        est.partial_fit(X[chunk], ys, **kwargs)
    assert len(est.history_) == 3
    first = clone(est).partial_fit(X[:third], y[:third], **kwargs)
    assert_same_state(fitted_state(first), fitted_state(est))  # later chunks never refit the encoders
    assert len(est.predict(X[:3])) == 3


def test_seq2seq_partial_fit_declares_target_tokens():
    X = [["a", "b"], ["b", "a"]] * 10
    later = [["c", "d"], ["d", "c"]] * 10
    est = AttentionSeq2Seq(**{**TINY_SPLIT, "max_epochs": 1})
    with pytest.raises(ValueError, match=r"y\[0\] has token 'c', which the model's target vocabulary"):
        clone(est).partial_fit(X, X).partial_fit(later, later)
    est.partial_fit(X, X, classes=["a", "b", "c", "d"]).partial_fit(later, later)
    assert {"c", "d"} <= set(est.target_vocabulary_)
