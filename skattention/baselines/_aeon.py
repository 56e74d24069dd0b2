"""Any aeon time-series classifier or regressor on skattention's sequences.

aeon keeps a collection channels first, ``(n_channels, n_timepoints)`` per
series, as a 3-D array when lengths agree and as a list of 2-D arrays when
they do not; our sequences are time first, ``(length, n_channels)``. The
adapters transpose, and give unequal lengths to an estimator the way aeon
documents: as the list, where the estimator's ``capability:unequal_length``
tag says it takes one, and otherwise made equal with aeon's unequal-length
transformers (``Resizer`` to the longest training length, or ``Padder``
after cutting to the longest or shortest one), fitted on the training series.
"""

from __future__ import annotations

import numpy as np
from sklearn.base import BaseEstimator, ClassifierMixin, RegressorMixin, clone
from sklearn.utils.validation import check_is_fitted

from .._sequences import NUMERIC
from .._target_checks import check_sequence_targets
from ._validation import check_kind, require

_STRATEGIES = ("auto", "resize", "pad", "truncate")


class _AeonAdapter(BaseEstimator):
    _numeric_target = False

    def __init__(self, estimator=None, *, unequal_length: str = "auto"):
        self.estimator = estimator
        self.unequal_length = unequal_length

    def _default(self):
        raise NotImplementedError

    def _collection(self, seqs, *, fit: bool):
        """Validated ``(length, channels)`` sequences as the collection aeon wants."""
        series = [np.ascontiguousarray(x.T, dtype=np.float64) for x in seqs.data]
        equal = len(set(seqs.lengths.tolist())) == 1
        if fit:
            self.n_features_in_ = seqs.n_features
            self.series_length_ = int(seqs.lengths[0]) if equal else None
            self.strategy_ = self._strategy(equal)
            self.transformer_ = None if self.strategy_ is None else self._transformer(self.strategy_).fit(series)
        transformer = self.transformer_
        if transformer is None and not self.takes_unequal_ and \
                not (equal and int(seqs.lengths[0]) == self.series_length_):
            from aeon.transformations.collection.unequal_length import Resizer

            transformer = Resizer(resized_length=self.series_length_)  # equal in fit, other lengths now
        if transformer is not None:
            return transformer.transform(series)
        return np.stack(series) if equal else series

    def _strategy(self, equal: bool) -> str | None:
        if self.unequal_length not in _STRATEGIES:
            raise ValueError(f"unequal_length must be one of {_STRATEGIES}, got {self.unequal_length!r}.")
        if self.unequal_length != "auto":
            return self.unequal_length
        return None if equal or self.takes_unequal_ else "resize"

    @staticmethod
    def _transformer(strategy: str):
        from aeon.transformations.collection.unequal_length import Resizer

        return Resizer(resized_length="max") if strategy == "resize" else _FixedLength(strategy)

    def _check_X(self, X, *, fit: bool):
        return check_kind(X, NUMERIC, type(self).__name__, allow_empty=False,
                          n_features=None if fit else self.n_features_in_)

    def fit(self, X, y):
        """Fit the aeon estimator on numeric sequences ``X`` and targets ``y``.

        Parameters
        ----------
        X : list of numeric sequences
            Arrays of shape ``(length, n_channels)``; 1-D arrays are univariate.
        y : array-like of shape (n_sequences,)
            One label (classifier) or value (regressor) per sequence.

        Returns
        -------
        self
        """
        require("aeon", "aeon", type(self).__name__)
        base = self.estimator if self.estimator is not None else self._default()
        self.estimator_ = clone(base)
        self.takes_unequal_ = bool(self.estimator_.get_tag("capability:unequal_length", raise_error=False,
                                                           tag_value_default=False))
        seqs = self._check_X(X, fit=True)
        target = check_sequence_targets(y, len(seqs), numeric=self._numeric_target)
        self.estimator_.fit(self._collection(seqs, fit=True), target)
        if not self._numeric_target:
            self.classes_ = self.estimator_.classes_
        return self

    def predict(self, X) -> np.ndarray:
        """One label or value per sequence."""
        check_is_fitted(self, "estimator_")
        return self.estimator_.predict(self._collection(self._check_X(X, fit=False), fit=False))


class _FixedLength:
    """Cut every series to the longest (``"pad"``) or shortest (``"truncate"``)
    training length, and pad shorter ones (seen only at predict time for
    ``"truncate"``) with zeros through aeon's Padder."""

    def __init__(self, rule):
        self.rule = rule

    def fit(self, series):
        self.length = (max if self.rule == "pad" else min)(s.shape[-1] for s in series)
        return self

    def transform(self, series):
        from aeon.transformations.collection.unequal_length import Padder

        return Padder(padded_length=self.length).fit_transform([s[:, :self.length] for s in series])


class AeonClassifier(ClassifierMixin, _AeonAdapter):
    """Run any aeon classifier (1-NN DTW, MiniRocket, ...) on our sequences.

    Parameters
    ----------
    estimator : aeon classifier or None, default=None
        Cloned at fit. None is the classic baseline, 1-NN under full-window
        DTW (:class:`~aeon.classification.distance_based.KNeighborsTimeSeriesClassifier`).
    unequal_length : {"auto", "resize", "pad", "truncate"}, default="auto"
        What to do with series of different lengths. ``"auto"`` gives them
        as they are to an estimator that takes unequal lengths (its
        ``capability:unequal_length`` tag) and resizes them to the longest
        training length by linear interpolation for the others; ``"pad"``
        pads with zeros to that length, ``"truncate"`` cuts to the shortest
        training length. Series longer than the training length at predict
        time are cut, shorter ones padded with zeros.

    Attributes
    ----------
    estimator_ : aeon classifier
        The fitted estimator.
    classes_ : ndarray
        The class labels.
    n_features_in_ : int
        Channels per element.

    Examples
    --------
    >>> import numpy as np
    >>> from skattention.baselines import AeonClassifier
    >>> rng = np.random.RandomState(0)
    >>> X = [np.sin(np.arange(n) / (2 + k)) + 0.1 * rng.randn(n) for k in (0, 3) for n in (20, 24, 28)]
    >>> y = ["fast"] * 3 + ["slow"] * 3
    >>> AeonClassifier().fit(X, y).predict([np.sin(np.arange(22) / 5.0)])
    array(['slow'], dtype='<U4')
    """

    def _default(self):
        from aeon.classification.distance_based import KNeighborsTimeSeriesClassifier

        return KNeighborsTimeSeriesClassifier(n_neighbors=1, distance="dtw")

    def predict_proba(self, X) -> np.ndarray:
        """Class probabilities, columns in ``classes_`` order."""
        check_is_fitted(self, "estimator_")
        return self.estimator_.predict_proba(self._collection(self._check_X(X, fit=False), fit=False))


class AeonRegressor(RegressorMixin, _AeonAdapter):
    """Run any aeon regressor on our sequences.

    Parameters
    ----------
    estimator : aeon regressor or None, default=None
        Cloned at fit. None is 1-NN under full-window DTW
        (:class:`~aeon.regression.distance_based.KNeighborsTimeSeriesRegressor`).
    unequal_length : {"auto", "resize", "pad", "truncate"}, default="auto"
        As in :class:`AeonClassifier`.

    Attributes
    ----------
    estimator_ : aeon regressor
        The fitted estimator.
    n_features_in_ : int
        Channels per element.

    Examples
    --------
    >>> import numpy as np
    >>> from skattention.baselines import AeonRegressor
    >>> X = [np.full(10, float(v)) for v in range(6)]
    >>> AeonRegressor().fit(X, np.arange(6.0)).predict([np.full(10, 4.2)])
    array([4.])
    """

    _numeric_target = True

    def _default(self):
        from aeon.regression.distance_based import KNeighborsTimeSeriesRegressor

        return KNeighborsTimeSeriesRegressor(n_neighbors=1, distance="dtw")
