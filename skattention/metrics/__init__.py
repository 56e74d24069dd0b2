"""Metrics and scorers for sequence estimators.

Token-level estimators in :mod:`skattention` predict one label per token,
so ``predict(X)`` returns a *ragged* list of 1-D arrays (one per
sequence), and ``y`` is a list of label sequences of matching lengths.
Sequence-to-sequence estimators return lists of token lists whose lengths
are chosen by the model. scikit-learn's metrics expect flat 1-D arrays,
so this module provides:

* ``flat_*`` metrics (in the style of sklearn-crfsuite) that check the
  sequences pair up, concatenate them and call the scikit-learn metric;
* sequence-level metrics (:func:`sequence_accuracy_score`,
  :func:`exact_match_score`, :func:`sequence_error_rate`);
* sequence-to-sequence metrics over token lists of differing lengths
  (:func:`edit_distance`, :func:`token_error_rate` and its aliases,
  :func:`corpus_bleu_score`);
* entity-level metrics for BIO tags via seqeval
  (:func:`entity_f1_score`, :func:`entity_classification_report`);
* ready-made scorers for ``GridSearchCV(scoring=...)`` and
  ``cross_validate``, a :data:`SCORERS` registry and :func:`get_scorer`.

Every metric accepts ``y_true``/``y_pred`` as a list, tuple, 1-D numpy
object array, 2-D numpy array (one row per sequence) or pandas Series of
sequences, which is what scikit-learn's cross-validation hands to a
scorer after indexing a ragged ``y``. A ``str`` item is treated as a
sequence of characters.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import Any

from sklearn import metrics as _skm

from ._entity import (
    entity_classification_report,
    entity_f1_score,
)
from ._flat import (
    flat_accuracy_score,
    flat_classification_report,
    flat_f1_score,
    flat_mean_absolute_error,
    flat_mean_squared_error,
    flat_precision_score,
    flat_r2_score,
    flat_recall_score,
    flatten,
)
from ._sequence import (
    corpus_bleu_score,
    edit_distance,
    exact_match_score,
    phoneme_error_rate,
    sequence_accuracy_score,
    sequence_error_rate,
    token_error_rate,
    word_error_rate,
)

__all__ = [
    "SCORERS",
    "corpus_bleu_score",
    "corpus_bleu_scorer",
    "edit_distance",
    "entity_classification_report",
    "entity_f1_score",
    "entity_f1_scorer",
    "exact_match_score",
    "exact_match_scorer",
    "flat_accuracy_score",
    "flat_accuracy_scorer",
    "flat_classification_report",
    "flat_f1_macro_scorer",
    "flat_f1_score",
    "flat_mean_absolute_error",
    "flat_mean_squared_error",
    "flat_neg_mean_squared_error_scorer",
    "flat_precision_score",
    "flat_r2_score",
    "flat_r2_scorer",
    "flat_recall_score",
    "flatten",
    "get_scorer",
    "neg_token_error_rate_scorer",
    "phoneme_error_rate",
    "sequence_accuracy_score",
    "sequence_accuracy_scorer",
    "sequence_error_rate",
    "token_error_rate",
    "word_error_rate",
]

# ---------------------------------------------------------------------------
# Scorers
# ---------------------------------------------------------------------------

#: Token accuracy scorer (:func:`flat_accuracy_score`).
flat_accuracy_scorer = _skm.make_scorer(flat_accuracy_score)
#: Macro-averaged token F1 scorer (:func:`flat_f1_score`, ``average="macro"``).
flat_f1_macro_scorer = _skm.make_scorer(flat_f1_score, average="macro")
#: Token R^2 scorer (:func:`flat_r2_score`).
flat_r2_scorer = _skm.make_scorer(flat_r2_score)
#: Negated token MSE scorer (:func:`flat_mean_squared_error`).
flat_neg_mean_squared_error_scorer = _skm.make_scorer(
    flat_mean_squared_error, greater_is_better=False
)
#: Whole-sequence accuracy scorer (:func:`sequence_accuracy_score`).
sequence_accuracy_scorer = _skm.make_scorer(sequence_accuracy_score)
#: Exact-match scorer, multi-reference aware (:func:`exact_match_score`).
exact_match_scorer = _skm.make_scorer(exact_match_score)
#: Negated token error rate (PER/WER) scorer (:func:`token_error_rate`).
neg_token_error_rate_scorer = _skm.make_scorer(token_error_rate, greater_is_better=False)
#: Corpus BLEU scorer in ``[0, 1]`` (:func:`corpus_bleu_score`).
corpus_bleu_scorer = _skm.make_scorer(corpus_bleu_score)
#: Micro-averaged entity F1 scorer for BIO tags (:func:`entity_f1_score`).
entity_f1_scorer = _skm.make_scorer(entity_f1_score)

#: Scorers by name, for :func:`get_scorer` or as a multi-metric ``scoring``
#: dict (``scoring={k: SCORERS[k] for k in [...]}``).
SCORERS: dict[str, Any] = {
    "flat_accuracy": flat_accuracy_scorer,
    "flat_f1_macro": flat_f1_macro_scorer,
    "flat_r2": flat_r2_scorer,
    "neg_flat_mean_squared_error": flat_neg_mean_squared_error_scorer,
    "sequence_accuracy": sequence_accuracy_scorer,
    "exact_match": exact_match_scorer,
    "neg_token_error_rate": neg_token_error_rate_scorer,
    "corpus_bleu": corpus_bleu_scorer,
    "entity_f1": entity_f1_scorer,
}


def get_scorer(scoring: str | Callable[..., Any] | None) -> Any:
    """Get a scorer by name, from :data:`SCORERS` or scikit-learn.

    Parameters
    ----------
    scoring : str, callable or None
        A name from :data:`SCORERS` (e.g. ``"flat_accuracy"``,
        ``"neg_token_error_rate"``); any other value is passed to
        :func:`sklearn.metrics.get_scorer` (so scikit-learn names such as
        ``"accuracy"``, callables and ``None`` work too).

    Returns
    -------
    callable
        A scorer ``scorer(estimator, X, y)``; a copy for names from
        :data:`SCORERS`.

    Raises
    ------
    ValueError
        If the name is neither ours nor scikit-learn's.

    Examples
    --------
    >>> from skattention.metrics import get_scorer
    >>> get_scorer("flat_accuracy")
    make_scorer(flat_accuracy_score, response_method='predict')
    >>> get_scorer("accuracy")
    make_scorer(accuracy_score, response_method='predict')
    """
    if isinstance(scoring, str) and scoring in SCORERS:
        return copy.deepcopy(SCORERS[scoring])
    return _skm.get_scorer(scoring)

# the functions live in private modules; they belong to (and are pickled by reference from) this one
for _name in __all__:
    if callable(_obj := globals()[_name]) and getattr(_obj, "__module__", "").startswith(__name__ + "._"):
        _obj.__module__ = __name__
del _name, _obj
