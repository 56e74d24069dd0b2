"""Per-element baselines: any scikit-learn model on each element and its
neighbours, for tagging and token-level regression."""

from __future__ import annotations

import numpy as np
from sklearn.base import BaseEstimator, clone
from sklearn.feature_extraction import DictVectorizer
from sklearn.linear_model import LogisticRegression, Ridge
from sklearn.utils.validation import check_is_fitted

from .._sequences import NUMERIC, check_sequences
from .._target_checks import check_token_targets
from ..metrics import flat_accuracy_score, flat_r2_score
from ._tagging import sorted_labels

_PAD = "<pad>"


class _WindowEstimator(BaseEstimator):
    _numeric_target = False

    def __init__(self, estimator=None, *, window: int = 1):
        self.estimator = estimator
        self.window = window

    def _default(self):
        raise NotImplementedError

    def _numeric_windows(self, data: list[np.ndarray], n_features: int) -> np.ndarray:
        w, rows = self.window, []
        for x in data:
            n = len(x)
            padded = np.vstack([np.zeros((w, n_features)), x, np.zeros((w, n_features))])
            inside = np.concatenate([np.zeros(w), np.ones(n), np.zeros(w)])
            parts = [padded[w + o:w + o + n] for o in range(-w, w + 1)]
            parts += [inside[w + o:w + o + n, None] for o in range(-w, w + 1) if o]  # is there a neighbour?
            rows.append(np.hstack(parts) if parts else np.zeros((n, 0)))
        return np.vstack(rows) if rows else np.zeros((0, (2 * w + 1) * n_features + 2 * w))

    def _token_windows(self, data: list[list]) -> list[dict]:
        w, rows = self.window, []
        for tokens in data:
            words = [_PAD] * w + [str(t) for t in tokens] + [_PAD] * w
            rows.extend({f"w[{o:+d}]": words[w + i + o] for o in range(-w, w + 1)} for i in range(len(tokens)))
        return rows

    def _features(self, seqs, *, fit: bool):
        if seqs.kind == NUMERIC:
            return self._numeric_windows(seqs.data, seqs.n_features)
        rows = self._token_windows(seqs.data)
        if fit:
            self.vectorizer_ = DictVectorizer()
            return self.vectorizer_.fit_transform(rows)
        return self.vectorizer_.transform(rows)

    def fit(self, X, y):
        """Fit the model on every element of every sequence, with its window.

        Parameters
        ----------
        X : list of sequences
            Token lists or numeric ``(length, n_features)`` arrays.
        y : list of target sequences
            One label (tagger) or value (regressor) per element.

        Returns
        -------
        self
        """
        if not isinstance(self.window, (int, np.integer)) or isinstance(self.window, bool) or self.window < 0:
            raise ValueError(f"window must be an int >= 0, got {self.window!r}.")
        seqs = check_sequences(X)
        targets = check_token_targets(y, seqs, numeric=self._numeric_target)
        self.kind_, self.n_features_in_ = seqs.kind, seqs.n_features
        features = self._features(seqs, fit=True)
        flat = [t for t in targets if len(t)]
        if not flat:
            raise ValueError("X holds only empty sequences; there is nothing to fit.")
        flat = np.concatenate(flat, axis=0)
        if not self._numeric_target:  # the model sees class indices; labels come back as given
            self.classes_ = sorted_labels(targets)
            index = {label: i for i, label in enumerate(self.classes_.tolist())}
            flat = np.fromiter((index[label] for label in flat.tolist()), dtype=np.int64, count=len(flat))
        self.estimator_ = clone(self.estimator if self.estimator is not None else self._default())
        self.estimator_.fit(features, flat)
        return self

    def _per_element(self, X, method: str) -> list[np.ndarray]:
        check_is_fitted(self, "estimator_")
        seqs = check_sequences(X, kind=self.kind_, n_features=self.n_features_in_)
        out = getattr(self.estimator_, method)(self._features(seqs, fit=False))
        return np.split(out, np.cumsum(seqs.lengths)[:-1]) if len(out) else [out[:0] for _ in seqs.data]

    def predict(self, X) -> list[np.ndarray]:
        """One array of predictions per sequence."""
        return self._per_element(X, "predict")


class WindowTagger(_WindowEstimator):
    """Tag every element with a scikit-learn classifier that sees the element
    and its ``window`` neighbours on each side.

    Numeric elements are concatenated (zeros and a flag where a neighbour is
    missing), tokens become one-hot features per position
    (:class:`~sklearn.feature_extraction.DictVectorizer`). The per-frame
    baseline for numeric tagging, and a fast one for tokens.

    Parameters
    ----------
    estimator : scikit-learn classifier or None, default=None
        Cloned at fit; None is ``LogisticRegression(max_iter=1000)``.
    window : int, default=1
        Neighbours on each side.

    Attributes
    ----------
    estimator_ : classifier
        The fitted classifier.
    classes_ : ndarray
        The labels.

    Examples
    --------
    >>> import numpy as np
    >>> from skattention.baselines import WindowTagger
    >>> X = [np.array([[0.0], [1.0], [0.0], [1.0]])] * 5
    >>> y = [["low", "high", "low", "high"]] * 5
    >>> [list(t) for t in WindowTagger(window=0).fit(X, y).predict([np.array([[1.0], [0.0]])])]
    [['high', 'low']]
    """

    def _default(self):
        return LogisticRegression(max_iter=1000)

    def predict(self, X) -> list[np.ndarray]:
        """One label array per sequence."""
        return [self.classes_[p] for p in self._per_element(X, "predict")]

    def predict_proba(self, X) -> list[np.ndarray]:
        """Per sequence a ``(length, n_classes)`` array, columns in ``classes_``
        order (a class absent from the training elements has probability 0)."""
        check_is_fitted(self, "estimator_")
        proba = self._per_element(X, "predict_proba")
        columns = self.estimator_.classes_
        out = []
        for p in proba:
            full = np.zeros((len(p), len(self.classes_)))
            full[:, columns] = p
            out.append(full)
        return out

    def score(self, X, y) -> float:
        """Token accuracy over all elements of all sequences."""
        return flat_accuracy_score(y, self.predict(X))


class WindowRegressor(_WindowEstimator):
    """Predict a number (or vector) for every element with a scikit-learn
    regressor that sees the element and its ``window`` neighbours on each side.

    Parameters
    ----------
    estimator : scikit-learn regressor or None, default=None
        Cloned at fit; None is ``Ridge()``.
    window : int, default=1
        Neighbours on each side.

    Attributes
    ----------
    estimator_ : regressor
        The fitted regressor.

    Examples
    --------
    >>> import numpy as np
    >>> from skattention.baselines import WindowRegressor
    >>> X = [np.arange(5.0), np.arange(3.0)]
    >>> y = [2 * x for x in X]
    >>> from sklearn.linear_model import LinearRegression
    >>> reg = WindowRegressor(LinearRegression(), window=0).fit(X, y)
    >>> [np.round(p, 2) for p in reg.predict([np.array([1.0, 3.0])])]
    [array([2., 6.])]
    """

    _numeric_target = True

    def _default(self):
        return Ridge()

    def score(self, X, y) -> float:
        """R² over all elements of all sequences."""
        return flat_r2_score(y, self.predict(X))
