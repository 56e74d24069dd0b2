"""Summary statistics of numeric sequences: any scikit-learn model becomes a
sequence baseline."""

from __future__ import annotations

import numpy as np
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.utils.validation import check_is_fitted

from .._sequences import NUMERIC
from ._validation import check_kind

#: The statistics :class:`SummaryStatistics` computes per channel, in column order.
STATISTICS = ("mean", "std", "min", "max", "first", "last", "slope")


def _slope(x: np.ndarray) -> np.ndarray:
    """Least-squares slope of every channel against the position 0..n-1."""
    n = len(x)
    if n < 2:
        return np.zeros(x.shape[1])
    t = np.arange(n, dtype=np.float64) - (n - 1) / 2
    return t @ (x - x.mean(axis=0)) / (t @ t)


class SummaryStatistics(TransformerMixin, BaseEstimator):
    """Per channel: mean, standard deviation, min, max, first, last and slope,
    plus the sequence's length.

    Turns ragged numeric sequences (the ``X`` of the attention estimators)
    into one fixed-width row per sequence, so that any scikit-learn model is
    a baseline: ``make_pipeline(SummaryStatistics(), RidgeClassifierCV())``.
    The slope is the least-squares slope of each channel against the element
    index (0 for one element).

    Parameters
    ----------
    statistics : tuple of str, default=("mean", "std", "min", "max", "first", "last", "slope")
        Which statistics, from :data:`STATISTICS`, in the order given.
    length : bool, default=True
        Add the length as a last column.

    Attributes
    ----------
    n_features_in_ : int
        Channels per element, as seen in ``fit``.

    Examples
    --------
    >>> import numpy as np
    >>> from skattention.baselines import SummaryStatistics
    >>> X = [np.array([[1.0], [2.0], [3.0]]), np.array([[5.0], [5.0]])]
    >>> SummaryStatistics(statistics=("mean", "slope")).fit_transform(X)
    array([[2., 1., 3.],
           [5., 0., 2.]])
    """

    def __init__(self, *, statistics: tuple[str, ...] = STATISTICS, length: bool = True):
        self.statistics = statistics
        self.length = length

    def _check_statistics(self) -> list[str]:
        stats = [self.statistics] if isinstance(self.statistics, str) else list(self.statistics)
        unknown = [s for s in stats if s not in STATISTICS]
        if unknown or not stats:
            raise ValueError(f"statistics must be a non-empty selection of {STATISTICS}, got {self.statistics!r}.")
        return stats

    def fit(self, X, y=None) -> SummaryStatistics:
        """Check ``X`` and record its channel count.

        Parameters
        ----------
        X : list of numeric sequences
            Arrays of shape ``(length, n_channels)`` (1-D: univariate), at
            least one element each.
        y : ignored

        Returns
        -------
        self
        """
        self._check_statistics()
        self.n_features_in_ = check_kind(X, NUMERIC, type(self).__name__, allow_empty=False).n_features
        return self

    def transform(self, X) -> np.ndarray:
        """An array of shape ``(n_sequences, len(statistics) * n_channels + length)``."""
        check_is_fitted(self, "n_features_in_")
        stats = self._check_statistics()
        seqs = check_kind(X, NUMERIC, type(self).__name__, allow_empty=False, n_features=self.n_features_in_)
        compute = {"mean": lambda x: x.mean(axis=0), "std": lambda x: x.std(axis=0),
                   "min": lambda x: x.min(axis=0), "max": lambda x: x.max(axis=0),
                   "first": lambda x: x[0], "last": lambda x: x[-1], "slope": _slope}
        rows = []
        for x in seqs.data:
            x = x.astype(np.float64)
            row = [compute[s](x) for s in stats] + ([np.array([len(x)], dtype=np.float64)] if self.length else [])
            rows.append(np.concatenate(row))
        return np.vstack(rows)

    def get_feature_names_out(self, input_features=None) -> np.ndarray:
        """``x<channel>__<statistic>`` for every column, then ``length``."""
        check_is_fitted(self, "n_features_in_")
        names = [f"x{c}__{s}" for s in self._check_statistics() for c in range(self.n_features_in_)]
        return np.asarray(names + (["length"] if self.length else []), dtype=object)

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.three_d_array = True
        return tags
