"""Bag-of-n-grams features of token sequences, on scikit-learn's vectorisers."""

from __future__ import annotations

import numpy as np
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.feature_extraction.text import CountVectorizer, TfidfVectorizer
from sklearn.utils.validation import check_is_fitted

from .._sequences import TOKENS
from ._validation import check_kind


def _as_strings(tokens) -> list[str]:
    return [str(token) for token in tokens]


def _as_lower_strings(tokens) -> list[str]:
    return [str(token).lower() for token in tokens]


class TokenSequenceVectorizer(TransformerMixin, BaseEstimator):
    """TF-IDF or counts over the n-grams of token sequences.

    scikit-learn's text vectorisers want strings to tokenise; this one takes
    the token lists our estimators take, so
    ``make_pipeline(TokenSequenceVectorizer(), LogisticRegression())`` is the
    text baseline on the same ``X``. It wraps
    :class:`~sklearn.feature_extraction.text.TfidfVectorizer` (or
    :class:`~sklearn.feature_extraction.text.CountVectorizer`) with the
    tokens passed through unchanged.

    Parameters
    ----------
    weighting : {"tfidf", "count", "binary"}, default="tfidf"
        TF-IDF weights (L2-normalised rows), raw counts, or presence (0/1);
        counts suit :class:`~sklearn.naive_bayes.MultinomialNB`.
    ngram_range : tuple (min_n, max_n), default=(1, 2)
        Token n-grams to use: ``(1, 2)`` is unigrams and bigrams.
    lowercase : bool, default=False
        Lower-case the tokens first.
    min_df : int or float, default=1
        Ignore n-grams in fewer documents than this (a float: a fraction).
    max_features : int or None, default=None
        Keep only the most frequent n-grams.
    sublinear_tf : bool, default=True
        ``1 + log(tf)`` in place of raw term frequencies (``"tfidf"`` only).

    Attributes
    ----------
    vectorizer_ : TfidfVectorizer or CountVectorizer
        The fitted scikit-learn vectoriser.
    vocabulary_ : dict
        n-gram (tokens joined by a space) to column index.

    Examples
    --------
    >>> from skattention.baselines import TokenSequenceVectorizer
    >>> vec = TokenSequenceVectorizer(weighting="count").fit([["not", "good"], ["good", "fun"]])
    >>> list(vec.get_feature_names_out())
    ['fun', 'good', 'good fun', 'not', 'not good']
    >>> vec.transform([["not", "good", "good"]]).toarray()
    array([[0, 2, 0, 1, 1]])
    """

    def __init__(self, *, weighting: str = "tfidf", ngram_range: tuple[int, int] = (1, 2),
                 lowercase: bool = False, min_df: int | float = 1, max_features: int | None = None,
                 sublinear_tf: bool = True):
        self.weighting = weighting
        self.ngram_range = ngram_range
        self.lowercase = lowercase
        self.min_df = min_df
        self.max_features = max_features
        self.sublinear_tf = sublinear_tf

    def _build(self):
        if self.weighting not in ("tfidf", "count", "binary"):
            raise ValueError(f"weighting must be 'tfidf', 'count' or 'binary', got {self.weighting!r}.")
        common = dict(tokenizer=_as_lower_strings if self.lowercase else _as_strings, preprocessor=_identity,
                      lowercase=False, token_pattern=None, ngram_range=tuple(self.ngram_range),
                      min_df=self.min_df, max_features=self.max_features)
        if self.weighting == "tfidf":
            return TfidfVectorizer(sublinear_tf=self.sublinear_tf, **common)
        return CountVectorizer(binary=self.weighting == "binary", **common)

    def fit(self, X, y=None) -> TokenSequenceVectorizer:
        """Learn the n-gram vocabulary (and IDF weights) of ``X``.

        Parameters
        ----------
        X : list of list of str
            Token sequences.
        y : ignored

        Returns
        -------
        self
        """
        seqs = check_kind(X, TOKENS, type(self).__name__)
        self.vectorizer_ = self._build().fit(seqs.data)
        self.vocabulary_ = self.vectorizer_.vocabulary_
        return self

    def transform(self, X):
        """A sparse ``(n_sequences, n_ngrams)`` matrix."""
        check_is_fitted(self, "vectorizer_")
        return self.vectorizer_.transform(check_kind(X, TOKENS, type(self).__name__).data)

    def fit_transform(self, X, y=None):
        """Fit, then transform ``X`` (in one pass over the data)."""
        seqs = check_kind(X, TOKENS, type(self).__name__)
        self.vectorizer_ = self._build()
        out = self.vectorizer_.fit_transform(seqs.data)
        self.vocabulary_ = self.vectorizer_.vocabulary_
        return out

    def get_feature_names_out(self, input_features=None) -> np.ndarray:
        """The n-grams, in column order."""
        check_is_fitted(self, "vectorizer_")
        return self.vectorizer_.get_feature_names_out()

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.two_d_array = False
        tags.input_tags.string = True
        return tags


def _identity(doc):
    return doc
