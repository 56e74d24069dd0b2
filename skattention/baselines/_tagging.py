"""Classical taggers on token sequences: a linear-chain CRF (sklearn-crfsuite)
with word-shape features, and the most-frequent-tag baseline."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable, Hashable

import numpy as np
from sklearn.base import BaseEstimator
from sklearn.utils.validation import check_is_fitted

from .._sequences import TOKENS
from .._target_checks import check_token_targets
from ..metrics import flat_accuracy_score
from ._validation import check_kind, require


def _shape(word: str, prefix: str) -> dict:
    return {f"{prefix}lower": word.lower(), f"{prefix}suffix2": word[-2:], f"{prefix}suffix3": word[-3:],
            f"{prefix}istitle": word.istitle(), f"{prefix}isupper": word.isupper()}


def word_shape_features(sentence: list[str], i: int) -> dict:
    """The usual CRF features of word ``i`` of ``sentence``: its lower-cased
    form, prefixes and suffixes up to 3 characters, case, digits, hyphens and
    length, plus the form, suffixes and case of the two words on each side.

    Parameters
    ----------
    sentence : list of str
        The tokens of one sentence.
    i : int
        The position of the word.

    Returns
    -------
    dict
        Feature name to value (str, bool or float), as sklearn-crfsuite takes.

    Examples
    --------
    >>> feats = word_shape_features(["The", "cat", "sat"], 1)
    >>> feats["lower"], feats["suffix2"], feats["-1:istitle"], feats["+2:pad"]
    ('cat', 'at', True, True)
    """
    word = sentence[i]
    feats = {
        "bias": 1.0, "lower": word.lower(), "prefix1": word[:1], "prefix2": word[:2], "prefix3": word[:3],
        "suffix1": word[-1:], "suffix2": word[-2:], "suffix3": word[-3:], "istitle": word.istitle(),
        "isupper": word.isupper(), "isdigit": word.isdigit(), "hasdigit": any(c.isdigit() for c in word),
        "hyphen": "-" in word, "length": float(min(len(word), 10)),
    }
    for offset in (-2, -1, 1, 2):
        j = i + offset
        if 0 <= j < len(sentence):
            feats.update(_shape(sentence[j], f"{offset:+d}:"))
        else:
            feats[f"{offset:+d}:pad"] = True
    return feats


class _Tagger(BaseEstimator):
    """What the token taggers share: the checks of ``X``/``y``, ``classes_``
    and the score."""

    def fit(self, X, y):
        """Fit on token sequences ``X`` and label sequences ``y``.

        Parameters
        ----------
        X : list of list of str
            Token sequences.
        y : list of label sequences
            One label per token.

        Returns
        -------
        self
        """
        seqs = check_kind(X, TOKENS, type(self).__name__)
        labels = check_token_targets(y, seqs, numeric=False)
        self.classes_ = sorted_labels(labels)
        self._fit(seqs, labels)
        return self

    def _fit(self, seqs, labels) -> None:
        """Fit on the checked sequences and label arrays (``classes_`` is set)."""
        raise NotImplementedError

    def _check_predict(self, X):
        check_is_fitted(self, "classes_")
        return check_kind(X, TOKENS, type(self).__name__)

    def score(self, X, y) -> float:
        """Token accuracy over all elements of all sequences."""
        return flat_accuracy_score(y, self.predict(X))


class CRFTagger(_Tagger):
    """A linear-chain CRF tagger (sklearn-crfsuite) on raw token lists.

    It takes exactly the ``X``/``y`` of :class:`~skattention.AttentionTokenClassifier`
    (lists of tokens, lists of labels), computes the features inside, and
    returns one label array per sequence, so both fit in one
    ``cross_validate``, ``GridSearchCV`` or :func:`~skattention.model_selection.compare`.
    Labels may be any hashable values; they come back as given.

    Parameters
    ----------
    features : callable or None, default=None
        ``features(sentence, i) -> dict`` for word ``i`` of a sentence (a list
        of str); None uses :func:`word_shape_features`. Use a module-level
        function so that the tagger pickles.
    algorithm : str, default="lbfgs"
        crfsuite's training algorithm (``"lbfgs"``, ``"l2sgd"``, ``"ap"``,
        ``"pa"``, ``"arow"``).
    c1, c2 : float, default=0.1
        L1 and L2 regularisation (``"lbfgs"``).
    max_iterations : int, default=100
    all_possible_transitions : bool, default=False
        Also learn weights for label transitions never seen in training.

    Attributes
    ----------
    crf_ : sklearn_crfsuite.CRF
        The fitted CRF.
    classes_ : ndarray
        The labels seen in training, sorted; the columns of ``predict_proba``.

    Examples
    --------
    >>> from skattention.baselines import CRFTagger
    >>> X = [["the", "cat", "sat"], ["a", "dog", "ran"]] * 5
    >>> y = [["DET", "NOUN", "VERB"]] * 10
    >>> crf = CRFTagger().fit(X, y)
    >>> [list(tags) for tags in crf.predict([["the", "dog", "sat"]])]
    [['DET', 'NOUN', 'VERB']]
    >>> crf.predict_proba([["a", "cat"]])[0].shape
    (2, 3)
    """

    def __init__(self, features: Callable | None = None, *, algorithm: str = "lbfgs", c1: float = 0.1,
                 c2: float = 0.1, max_iterations: int = 100, all_possible_transitions: bool = False):
        self.features = features
        self.algorithm = algorithm
        self.c1 = c1
        self.c2 = c2
        self.max_iterations = max_iterations
        self.all_possible_transitions = all_possible_transitions

    def _featurise(self, seqs) -> list[list[dict]]:
        feats = self.features or word_shape_features
        if not callable(feats):
            raise TypeError(f"features must be a callable features(sentence, i) -> dict or None, got "
                            f"{type(feats).__name__}.")
        out = []
        for sentence in seqs.data:
            words = [str(token) for token in sentence]
            out.append([feats(words, i) for i in range(len(words))])
        return out

    def _fit(self, seqs, labels) -> None:
        crfsuite = require("sklearn_crfsuite", "sklearn-crfsuite", type(self).__name__)
        index = {label: str(i) for i, label in enumerate(self.classes_.tolist())}
        keep = [i for i, n in enumerate(seqs.lengths) if n]  # crfsuite has no use for empty sequences
        xseqs = self._featurise(seqs.subset(keep))
        yseqs = [[index[label] for label in labels[i]] for i in keep]
        self.crf_ = crfsuite.CRF(algorithm=self.algorithm, c1=self.c1, c2=self.c2,
                                 max_iterations=self.max_iterations,
                                 all_possible_transitions=self.all_possible_transitions)
        self.crf_.fit(xseqs, yseqs)

    def predict(self, X) -> list[np.ndarray]:
        """One label array per sequence (empty sequences give empty arrays)."""
        seqs = self._check_predict(X)
        return [self.classes_[[int(tag) for tag in tags]] if len(tags) else self.classes_[:0]
                for tags in self.crf_.predict(self._featurise(seqs))]

    def predict_proba(self, X) -> list[np.ndarray]:
        """Per sequence a ``(length, n_classes)`` array of the CRF's marginal
        probabilities, columns in ``classes_`` order; rows sum to 1."""
        seqs = self._check_predict(X)
        names = [str(i) for i in range(len(self.classes_))]
        return [np.array([[m.get(name, 0.0) for name in names] for m in marginals], dtype=np.float64)
                .reshape(len(marginals), len(names))
                for marginals in self.crf_.predict_marginals(self._featurise(seqs))]


def sorted_labels(labels: list[np.ndarray]) -> np.ndarray:
    seen = list(dict.fromkeys(label for seq in labels for label in seq.tolist()))
    try:
        seen.sort()
    except TypeError:
        raise TypeError("y mixes label types that cannot be ordered (e.g. str and int).") from None
    native = np.asarray(seen)  # numbers come back as numbers, as the attention tagger returns them
    if native.dtype.kind in "biuf":
        return native
    out = np.empty(len(seen), dtype=object)
    out[:] = seen
    return out


class MostFrequentTagTagger(_Tagger):
    """Tags each token with the label it had most often in training; tokens
    never seen get the most frequent label overall.

    The floor every tagger must clear. Ties go to the label that sorts first.

    Parameters
    ----------
    lowercase : bool, default=False
        Count ``"The"`` and ``"the"`` as one token.

    Attributes
    ----------
    classes_ : ndarray
        The labels seen in training, sorted.
    lexicon_ : dict
        Token to its label distribution (an array over ``classes_``).
    prior_ : ndarray
        The label distribution over all tokens, used for unseen ones.

    Examples
    --------
    >>> from skattention.baselines import MostFrequentTagTagger
    >>> X = [["the", "duck"], ["to", "duck"], ["duck", "eggs"]]
    >>> y = [["DET", "NOUN"], ["PART", "VERB"], ["NOUN", "NOUN"]]
    >>> mft = MostFrequentTagTagger().fit(X, y)
    >>> [list(tags) for tags in mft.predict([["the", "duck", "swam"]])]
    [['DET', 'NOUN', 'NOUN']]
    """

    def __init__(self, *, lowercase: bool = False):
        self.lowercase = lowercase

    def _key(self, token: Hashable) -> Hashable:
        return token.lower() if self.lowercase and isinstance(token, str) else token

    def _fit(self, seqs, labels) -> None:  # count the labels of every token
        index = {label: i for i, label in enumerate(self.classes_.tolist())}
        counts: dict = defaultdict(Counter)
        for sentence, tags in zip(seqs.data, labels):
            for token, tag in zip(sentence, tags.tolist()):
                counts[self._key(token)][index[tag]] += 1
        self.lexicon_ = {}
        total = np.zeros(len(self.classes_))
        for token, counter in counts.items():
            dist = np.zeros(len(self.classes_))
            dist[list(counter)] = list(counter.values())
            total += dist
            self.lexicon_[token] = dist / dist.sum()
        self.prior_ = total / total.sum()

    def predict_proba(self, X) -> list[np.ndarray]:
        """Per sequence a ``(length, n_classes)`` array: each token's label
        frequencies in training (the overall ones for unseen tokens)."""
        seqs = self._check_predict(X)
        width = len(self.classes_)
        return [np.array([self.lexicon_.get(self._key(t), self.prior_) for t in s]).reshape(len(s), width)
                for s in seqs.data]

    def predict(self, X) -> list[np.ndarray]:
        """One label array per sequence."""
        return [self.classes_[p.argmax(axis=1)] for p in self.predict_proba(X)]
