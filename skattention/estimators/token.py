"""N→N estimators: one label (or number) per element."""

from __future__ import annotations

import numpy as np

from .._sequences import Sequences, _as_list_of_sequences
from .._target_checks import _labelled, check_token_targets
from ..metrics import flat_accuracy_score, flat_r2_score
from ..modules import TokenCrossEntropyLoss, TokenModel
from ._base import BaseSequenceEstimator
from ._docs import estimator_doc
from ._targets import ClassifierTargets, RegressorTargets


def _labelled_pairs(y, pred: list, numeric: bool = False) -> tuple:
    """``y`` and ``pred`` without the unlabelled elements of ``y`` (None, or
    NaN in every output), for scoring; anything malformed passes unchanged,
    for the metric to name."""
    try:
        ys = _as_list_of_sequences(y, "y")
        t = [np.asarray(s, dtype=np.float64 if numeric else object) for s in ys]
        keep = [_labelled(a) for a in t]
    except (TypeError, ValueError):
        return y, pred
    if len(ys) != len(pred) or all(k.all() for k in keep) or \
            any(len(a) != len(p) or a.ndim > 1 + numeric for a, p in zip(t, pred)):
        return y, pred
    return [a[k] for a, k in zip(t, keep)], [np.asarray(p)[k] for p, k in zip(pred, keep)]


class _TokenEstimator(BaseSequenceEstimator):
    _token_level = True
    _module = TokenModel

    def _check_targets(self, y, X: Sequences):
        return check_token_targets(y, X, numeric=self._regression, unlabelled=True)

    def predict(self, X) -> list[np.ndarray]:
        """One prediction array per sequence (empty sequences give empty arrays)."""
        return self._predict_from_outputs(self._forward(X))


class AttentionTokenClassifier(ClassifierTargets, _TokenEstimator):
    __doc__ = estimator_doc(
        """Attention tagger: one class per element (POS tagging, per-frame labels).

    ``X`` is a list of sequences (token lists or ``(length, n_features)``
    arrays), ``y`` a list of label sequences of the same lengths. Token input
    gets a learned vocabulary with an unknown token plus a character CNN, so
    unseen words still get sensible representations.
""",
        """\
    >>> from skattention import AttentionTokenClassifier
    >>> X = [["the", "cat", "sat"], ["a", "dog", "ran", "home"]] * 10
    >>> y = [["DET", "NOUN", "VERB"], ["DET", "NOUN", "VERB", "NOUN"]] * 10
    >>> tagger = AttentionTokenClassifier(d_model=32, max_epochs=10, batch_size=4, random_state=0)
    >>> tagger = tagger.fit(X, y)
    >>> [list(tags) for tags in tagger.predict([["the", "dog", "sat"]])]
    [['DET', 'NOUN', 'VERB']]
    >>> tagger.predict_proba([["the", "dog"]])[0].shape
    (2, 3)
    """,
        classes=True,
    )

    _criterion = TokenCrossEntropyLoss

    def predict_proba(self, X) -> list[np.ndarray]:
        """Per sequence a ``(length, n_classes)`` array whose rows sum to 1."""
        return self._forward(X)

    def predict(self, X) -> list[np.ndarray]:
        """One label array per sequence (empty sequences give empty arrays)."""
        return [self.classes_[i] for i in self._predicted_classes(X)]

    def score(self, X, y) -> float:
        """Token accuracy over the labelled elements of all sequences
        (unlabelled ones, None, are left out)."""
        return flat_accuracy_score(*_labelled_pairs(y, self.predict(X)))


class AttentionTokenRegressor(RegressorTargets, _TokenEstimator):
    __doc__ = estimator_doc(
        """Attention model predicting one number (or vector) per element.

    ``y`` is a list of float sequences of the same lengths as ``X``, each 1-D,
    or 2-D ``(length, n_outputs)`` for several outputs per element. Targets are
    standardised internally; predictions are in the original units.
""",
        """\
    >>> import numpy as np
    >>> from skattention import AttentionTokenRegressor
    >>> rng = np.random.RandomState(0)
    >>> X = [rng.randn(n, 2) for n in rng.randint(3, 9, size=40)]
    >>> y = [x.sum(axis=1) for x in X]
    >>> reg = AttentionTokenRegressor(d_model=32, max_epochs=5, random_state=0).fit(X, y)
    >>> [p.shape for p in reg.predict(X[:2])] == [x.shape[:1] for x in X[:2]]
    True
    """,
    )

    def _predict_from_outputs(self, outputs):
        return [self._to_original_units(o) for o in outputs]

    def score(self, X, y) -> float:
        """R² over the labelled elements of all sequences (unlabelled ones,
        NaN, are left out)."""
        return flat_r2_score(*_labelled_pairs(y, self.predict(X), numeric=True))
