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
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np
from sklearn import metrics as _skm

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

#: A collection of sequences: list/tuple/object array/Series of sequences.
SequenceCollection = Any

# ---------------------------------------------------------------------------
# Input helpers
# ---------------------------------------------------------------------------


def _as_sequence_list(y: SequenceCollection, name: str = "y") -> list[Any]:
    """Turn a collection of sequences into a plain Python list of items."""
    if y is None:
        raise ValueError(f"{name} must be a collection of sequences, got None")
    if isinstance(y, (str, bytes)):
        raise ValueError(f"{name} must be a collection of sequences, got a single string")
    if hasattr(y, "to_numpy") and not isinstance(y, np.ndarray):
        # pandas Series/DataFrame: iterate over values (rows), not labels.
        y = y.to_numpy()
    if isinstance(y, np.ndarray) and y.ndim == 0:
        raise ValueError(f"{name} must be a collection of sequences, got a scalar")
    try:
        return list(y)
    except TypeError as exc:
        raise ValueError(
            f"{name} must be a collection of sequences, got {type(y).__name__}"
        ) from exc


def _seq_len(item: Any, index: int, name: str) -> int:
    """Length of one sequence, with a clear error for non-sequences."""
    if isinstance(item, np.ndarray) and item.ndim == 0:
        length = None
    else:
        try:
            length = len(item)
        except TypeError:
            length = None
    if length is None:
        raise ValueError(
            f"{name}[{index}] is not a sequence ({type(item).__name__}); "
            f"{name} must be a collection of label sequences, not flat labels"
        )
    return length


def _check_sequences(
    y_true: SequenceCollection, y_pred: SequenceCollection
) -> tuple[list[Any], list[Any]]:
    """Check that ``y_true``/``y_pred`` hold the same number of sequences."""
    true = _as_sequence_list(y_true, "y_true")
    pred = _as_sequence_list(y_pred, "y_pred")
    if len(true) != len(pred):
        raise ValueError(f"y_true has {len(true)} sequences but y_pred has {len(pred)}")
    return true, pred


def _check_aligned(
    y_true: SequenceCollection, y_pred: SequenceCollection
) -> tuple[list[Any], list[Any], list[int]]:
    """Check sequence counts and per-sequence lengths; return the lengths."""
    true, pred = _check_sequences(y_true, y_pred)
    lengths = []
    for i, (t, p) in enumerate(zip(true, pred, strict=True)):
        n_true = _seq_len(t, i, "y_true")
        n_pred = _seq_len(p, i, "y_pred")
        if n_true != n_pred:
            raise ValueError(f"sequence {i} has {n_true} true labels but {n_pred} predicted")
        lengths.append(n_true)
    return true, pred, lengths


def _to_array(item: Any) -> np.ndarray:
    """One sequence as an array; string labels become object dtype."""
    if isinstance(item, str):
        return np.array(list(item), dtype=object)
    arr = np.asarray(item)
    if arr.dtype.kind in "US":
        arr = arr.astype(object)
    return arr


def _to_python(value: Any) -> Any:
    """Numpy scalars become Python scalars; everything else is unchanged."""
    if isinstance(value, np.generic):
        return value.item()
    return value


def _tokens(seq: Any) -> list[Any]:
    """One sequence as a list of comparable (Python) tokens."""
    if isinstance(seq, np.ndarray):
        return seq.tolist()
    if isinstance(seq, str):
        return list(seq)
    return [t.tolist() if isinstance(t, np.ndarray) else t for t in seq]


def _is_multi_reference(item: Any) -> bool:
    """Whether ``item`` is a collection of references, not one reference.

    Multiple references are given as a list, tuple or 1-D object array whose
    first element is itself a list, tuple or array.
    """
    if isinstance(item, np.ndarray):
        if item.ndim != 1 or item.dtype != object:
            return False
    elif not isinstance(item, (list, tuple)):
        return False
    if len(item) == 0:
        return False
    first = item[0]
    return isinstance(first, (list, tuple)) or (isinstance(first, np.ndarray) and first.ndim >= 1)


def _references(item: Any) -> list[list[Any]]:
    """The acceptable references of one ``y_true`` item as token lists."""
    if _is_multi_reference(item):
        return [_tokens(ref) for ref in item]
    return [_tokens(item)]


def _require(module: str, func: str) -> Any:
    """Import an optional dependency with an actionable error message."""
    import importlib

    try:
        return importlib.import_module(module)
    except ImportError as exc:  # pragma: no cover - depends on the environment
        package = module.split(".")[0]
        raise ImportError(
            f"{func} requires the optional dependency {package!r}; install it with "
            f"`pip install {package}` or `pip install skattention[metrics]`"
        ) from exc


# ---------------------------------------------------------------------------
# Flattening and flat (token-level) metrics
# ---------------------------------------------------------------------------


def flatten(y: SequenceCollection) -> np.ndarray:
    """Concatenate a ragged collection of label sequences into one array.

    Parameters
    ----------
    y : list, tuple, numpy object array or pandas Series of sequences
        One label sequence per item. Items may be lists, tuples or arrays;
        2-D items (``n_tokens, n_outputs``), as produced by multi-output
        token regressors, are concatenated along axis 0. A ``str`` item is
        treated as a sequence of characters.

    Returns
    -------
    numpy.ndarray
        All labels in order. String labels give an ``object`` array, numeric
        labels keep their dtype (floats stay floats). Empty input (or only
        empty sequences) gives an empty array.

    Raises
    ------
    ValueError
        If an item is not a sequence (e.g. ``y`` is already flat).

    Examples
    --------
    >>> from skattention.metrics import flatten
    >>> flatten([["B-PER", "I-PER"], ["O"]])
    array(['B-PER', 'I-PER', 'O'], dtype=object)
    >>> flatten([[0.5, 1.5], [2.0]])
    array([0.5, 1.5, 2. ])
    >>> flatten([[[1, 2], [3, 4]], [[5, 6]]]).shape
    (3, 2)
    >>> flatten([])
    array([], dtype=float64)
    """
    items = _as_sequence_list(y, "y")
    arrays = []
    for i, item in enumerate(items):
        _seq_len(item, i, "y")
        arrays.append(_to_array(item))
    # Drop empty sequences so that e.g. np.asarray([]) (float64) does not
    # upcast integer labels or clash with 2-D items.
    non_empty = [a for a in arrays if a.size > 0]
    if not non_empty:
        if arrays and all(a.ndim > 1 for a in arrays):
            return np.concatenate(arrays, axis=0)
        return np.array([], dtype=float)
    out = np.concatenate(non_empty, axis=0)
    if out.dtype == object and out.ndim == 1:
        # numbers and bools held in object arrays: give scikit-learn's metrics their native type
        native = np.asarray(out.tolist())
        if native.dtype.kind in "biuf":
            return native
    return out


def _flat_sample_weight(
    sample_weight: Any, true: list[Any], lengths: list[int]
) -> np.ndarray | None:
    """Expand ``sample_weight`` to one weight per token.

    Accepts one scalar per sequence (repeated over its tokens), one sequence
    of weights per sequence (ragged, like ``y``), or an already flat array
    with one weight per token.
    """
    if sample_weight is None:
        return None
    weights = _as_sequence_list(sample_weight, "sample_weight")
    n_tokens = int(sum(lengths))
    if len(weights) == len(true):
        scalar = [np.ndim(w) == 0 and not isinstance(w, str) for w in weights]
        if all(scalar):
            return np.repeat(np.asarray(weights, dtype=float), lengths)
        for i, (w, n) in enumerate(zip(weights, lengths, strict=True)):
            m = _seq_len(w, i, "sample_weight")
            if m != n:
                raise ValueError(
                    f"sample_weight for sequence {i} has {m} weights "
                    f"but the sequence has {n} labels"
                )
        return np.concatenate(
            [np.asarray(w, dtype=float).reshape(-1) for w in weights] or [np.array([], dtype=float)]
        )
    if len(weights) == n_tokens:
        return np.asarray(weights, dtype=float)
    raise ValueError(
        f"sample_weight has {len(weights)} entries; expected one per sequence "
        f"({len(true)}) or one per token ({n_tokens})"
    )


def _flat_metric(metric: Callable[..., Any], name: str, doc: str) -> Callable[..., Any]:
    """Build a flat (token-level) version of a scikit-learn metric.

    The returned function checks that ``y_true`` and ``y_pred`` pair up
    sequence by sequence, flattens both, expands ``sample_weight`` to one
    weight per token and calls ``metric``.
    """

    def flat(
        y_true: SequenceCollection,
        y_pred: SequenceCollection,
        *,
        sample_weight: Any = None,
        **kwargs: Any,
    ) -> Any:
        true, pred, lengths = _check_aligned(y_true, y_pred)
        weights = _flat_sample_weight(sample_weight, true, lengths)
        if weights is not None:
            kwargs["sample_weight"] = weights
        return _to_python(metric(flatten(true), flatten(pred), **kwargs))

    flat.__name__ = flat.__qualname__ = name
    flat.__doc__ = doc
    flat.__module__ = __name__
    flat.__wrapped_metric__ = metric  # type: ignore[attr-defined]
    return flat


_FLAT_PARAMS = """\
    Parameters
    ----------
    y_true : list, tuple, numpy object array or pandas Series of sequences
        True labels, one sequence per sample.
    y_pred : same structure as ``y_true``
        Predicted labels (e.g. the ragged list returned by ``predict``);
        each sequence must be as long as its ``y_true`` counterpart.
    sample_weight : array-like, optional
        Either one weight per sequence (applied to all of its tokens), one
        weight sequence per sequence (ragged like ``y_true``) or one weight
        per token. Where the number of sequences equals the number of tokens
        the per-sequence reading is used.
    **kwargs
        Passed on to :func:`sklearn.metrics.{sk}`.

    Returns
    -------
    {ret}

    Raises
    ------
    ValueError
        If the numbers of sequences differ, or sequence ``i`` has a
        different number of true and predicted labels (the message names
        the first such ``i`` and both lengths).
"""


def _flat_doc(summary: str, sk: str, ret: str, examples: str) -> str:
    return (
        f"{summary}\n\n"
        "    The sequences are concatenated (after checking that they pair up)\n"
        f"    and scored with :func:`sklearn.metrics.{sk}`.\n\n"
        + _FLAT_PARAMS.format(sk=sk, ret=ret)
        + "\n    Examples\n    --------\n"
        + examples
    )


flat_accuracy_score = _flat_metric(
    _skm.accuracy_score,
    "flat_accuracy_score",
    _flat_doc(
        "Token-level accuracy over all tokens of all sequences.",
        "accuracy_score",
        "float\n        Share of correctly labelled tokens (or the count with\n"
        "        ``normalize=False``).",
        """\
    >>> from skattention.metrics import flat_accuracy_score
    >>> y_true = [["B", "I", "O"], ["O", "O", "B"]]
    >>> y_pred = [["B", "I", "O"], ["O", "B", "B"]]
    >>> round(flat_accuracy_score(y_true, y_pred), 4)
    0.8333
    >>> flat_accuracy_score(y_true, y_pred, sample_weight=[1, 0])
    1.0
""",
    ),
)

flat_f1_score = _flat_metric(
    _skm.f1_score,
    "flat_f1_score",
    _flat_doc(
        "Token-level F1 score.",
        "f1_score",
        "float or numpy.ndarray\n        F1 score (per class with ``average=None``).",
        """\
    >>> from skattention.metrics import flat_f1_score
    >>> y_true = [[0, 1, 1], [1, 0]]
    >>> y_pred = [[0, 1, 0], [1, 0]]
    >>> round(flat_f1_score(y_true, y_pred), 4)
    0.8
    >>> round(flat_f1_score(y_true, y_pred, average="macro"), 4)
    0.8
""",
    ),
)

flat_precision_score = _flat_metric(
    _skm.precision_score,
    "flat_precision_score",
    _flat_doc(
        "Token-level precision.",
        "precision_score",
        "float or numpy.ndarray\n        Precision (per class with ``average=None``).",
        """\
    >>> from skattention.metrics import flat_precision_score
    >>> y_true = [[0, 1, 1], [1, 0]]
    >>> y_pred = [[1, 1, 0], [1, 0]]
    >>> round(flat_precision_score(y_true, y_pred), 4)
    0.6667
""",
    ),
)

flat_recall_score = _flat_metric(
    _skm.recall_score,
    "flat_recall_score",
    _flat_doc(
        "Token-level recall.",
        "recall_score",
        "float or numpy.ndarray\n        Recall (per class with ``average=None``).",
        """\
    >>> from skattention.metrics import flat_recall_score
    >>> y_true = [[0, 1, 1], [1, 0]]
    >>> y_pred = [[1, 1, 0], [1, 0]]
    >>> round(flat_recall_score(y_true, y_pred), 4)
    0.6667
""",
    ),
)

flat_classification_report = _flat_metric(
    _skm.classification_report,
    "flat_classification_report",
    _flat_doc(
        "Token-level classification report.",
        "classification_report",
        "str or dict\n        The report (a dict with ``output_dict=True``).",
        """\
    >>> from skattention.metrics import flat_classification_report
    >>> y_true = [["N", "V"], ["N"]]
    >>> y_pred = [["N", "V"], ["V"]]
    >>> report = flat_classification_report(y_true, y_pred, output_dict=True)
    >>> round(report["N"]["recall"], 2), report["accuracy"]
    (0.5, 0.6666666666666666)
""",
    ),
)

flat_r2_score = _flat_metric(
    _skm.r2_score,
    "flat_r2_score",
    _flat_doc(
        "Token-level coefficient of determination (R^2).",
        "r2_score",
        "float or numpy.ndarray\n        R^2 over all tokens.",
        """\
    >>> from skattention.metrics import flat_r2_score
    >>> y_true = [[1.0, 2.0], [3.0]]
    >>> y_pred = [[1.0, 2.0], [3.0]]
    >>> flat_r2_score(y_true, y_pred)
    1.0
""",
    ),
)

flat_mean_squared_error = _flat_metric(
    _skm.mean_squared_error,
    "flat_mean_squared_error",
    _flat_doc(
        "Token-level mean squared error.",
        "mean_squared_error",
        "float or numpy.ndarray\n        Mean squared error over all tokens.",
        """\
    >>> from skattention.metrics import flat_mean_squared_error
    >>> flat_mean_squared_error([[1.0, 2.0], [3.0]], [[1.0, 2.0], [5.0]])
    1.3333333333333333
""",
    ),
)

flat_mean_absolute_error = _flat_metric(
    _skm.mean_absolute_error,
    "flat_mean_absolute_error",
    _flat_doc(
        "Token-level mean absolute error.",
        "mean_absolute_error",
        "float or numpy.ndarray\n        Mean absolute error over all tokens.",
        """\
    >>> from skattention.metrics import flat_mean_absolute_error
    >>> flat_mean_absolute_error([[1.0, 2.0], [3.0]], [[1.0, 2.0], [6.0]])
    1.0
""",
    ),
)


# ---------------------------------------------------------------------------
# Sequence-level and sequence-to-sequence metrics
# ---------------------------------------------------------------------------


def sequence_accuracy_score(y_true: SequenceCollection, y_pred: SequenceCollection) -> float:
    """Share of sequences predicted entirely correctly (exact match).

    Each pair is compared as a list of tokens, so sequences of different
    lengths (seq2seq outputs) simply count as wrong, and numpy arrays, lists
    and tuples compare equal when their tokens do. Unlike
    :func:`exact_match_score`, ``y_true`` holds exactly one reference per
    sequence.

    Parameters
    ----------
    y_true : list, tuple, numpy object array or pandas Series of sequences
        True label (or token) sequences.
    y_pred : same structure as ``y_true``
        Predicted sequences.

    Returns
    -------
    float
        Number of exactly matching sequences divided by the number of
        sequences.

    Raises
    ------
    ValueError
        If the numbers of sequences differ or there are none.

    Examples
    --------
    >>> import numpy as np
    >>> from skattention.metrics import sequence_accuracy_score
    >>> y_true = [["B", "I"], ["O"], ["O", "B"]]
    >>> y_pred = [np.array(["B", "I"]), np.array(["O"]), np.array(["O", "O"])]
    >>> round(sequence_accuracy_score(y_true, y_pred), 4)
    0.6667
    """
    true, pred = _check_sequences(y_true, y_pred)
    if not true:
        raise ValueError("y_true and y_pred contain no sequences")
    correct = sum(_tokens(t) == _tokens(p) for t, p in zip(true, pred, strict=True))
    return correct / len(true)


def edit_distance(a: Sequence[Any], b: Sequence[Any]) -> int:
    """Levenshtein distance between two token sequences.

    The minimum number of token insertions, deletions and substitutions
    turning ``a`` into ``b``, each costing 1. Uses the classic dynamic
    programme with two rows: ``O(len(a) * len(b))`` time and
    ``O(min(len(a), len(b)))`` memory, after stripping the common prefix
    and suffix.

    Parameters
    ----------
    a, b : sequence
        Token sequences (lists, tuples, 1-D arrays); a ``str`` is a
        sequence of characters. Tokens are compared with ``==``.

    Returns
    -------
    int
        The edit distance.

    Examples
    --------
    >>> from skattention.metrics import edit_distance
    >>> edit_distance("kitten", "sitting")
    3
    >>> edit_distance(["HH", "AH", "L", "OW"], ["HH", "EH", "L", "OW"])
    1
    >>> edit_distance([], ["a", "b"])
    2
    """
    x = _tokens(a)
    y = _tokens(b)
    start = 0
    end_x, end_y = len(x), len(y)
    while start < end_x and start < end_y and x[start] == y[start]:
        start += 1
    while end_x > start and end_y > start and x[end_x - 1] == y[end_y - 1]:
        end_x -= 1
        end_y -= 1
    x = x[start:end_x]
    y = y[start:end_y]
    if len(x) < len(y):
        x, y = y, x
    if not y:
        return len(x)
    previous = list(range(len(y) + 1))
    for i, token_x in enumerate(x, 1):
        current = [i]
        for j, token_y in enumerate(y, 1):
            substitute = previous[j - 1] + (token_x != token_y)
            delete = previous[j] + 1
            insert = current[j - 1] + 1
            current.append(min(substitute, delete, insert))
        previous = current
    return int(previous[-1])


def _best_reference(item: Any, prediction: list[Any]) -> tuple[int, int]:
    """``(distance, reference length)`` for the closest reference.

    Ties are broken by reference order (the first closest one wins).
    """
    best: tuple[int, int] | None = None
    for ref in _references(item):
        dist = edit_distance(ref, prediction)
        if best is None or dist < best[0]:
            best = (dist, len(ref))
            if dist == 0:
                break
    assert best is not None
    return best


def token_error_rate(y_true: SequenceCollection, y_pred: SequenceCollection) -> float:
    """Corpus token error rate: total edit distance / total reference tokens.

    This is the phoneme error rate (PER) when tokens are phonemes and the
    speech-recognition word error rate (WER) when tokens are words; it is
    also available as :data:`phoneme_error_rate` and
    :data:`word_error_rate`. Errors are summed over the corpus before
    dividing (not averaged per sequence), so the rate can exceed 1 when
    predictions are much longer than the references.

    Parameters
    ----------
    y_true : collection of token sequences
        Reference token sequences. An item may instead hold several
        acceptable references -- a list/tuple (or 1-D object array) whose
        first element is itself a list, tuple or array, e.g.
        ``[["T", "AH", "M", "EY", "T", "OW"], ["T", "AH", "M", "AA", "T",
        "OW"]]`` for a CMUdict word with two pronunciations. The prediction
        is then scored against the closest reference (minimum edit
        distance; the first one on ties), whose length enters the
        denominator.
    y_pred : collection of token sequences
        Predicted token sequences; lengths may differ from the references.

    Returns
    -------
    float
        The error rate. If all references are empty it is ``0.0`` when all
        predictions are empty too and ``inf`` otherwise.

    Raises
    ------
    ValueError
        If the numbers of sequences differ or there are none.

    See Also
    --------
    sequence_error_rate : share of sequences with any error (the "WER" of
        grapheme-to-phoneme papers).

    Examples
    --------
    >>> from skattention.metrics import token_error_rate
    >>> y_true = [["HH", "AH", "L", "OW"], ["W", "ER", "L", "D"]]
    >>> y_pred = [["HH", "EH", "L", "OW"], ["W", "ER", "L", "D"]]
    >>> token_error_rate(y_true, y_pred)
    0.125
    >>> multi = [[["T", "AH", "M", "EY", "T", "OW"],
    ...           ["T", "AH", "M", "AA", "T", "OW"]]]
    >>> token_error_rate(multi, [["T", "AH", "M", "AA", "T", "OW"]])
    0.0
    """
    true, pred = _check_sequences(y_true, y_pred)
    if not true:
        raise ValueError("y_true and y_pred contain no sequences")
    errors = 0
    n_ref = 0
    for t, p in zip(true, pred, strict=True):
        dist, length = _best_reference(t, _tokens(p))
        errors += dist
        n_ref += length
    if n_ref == 0:
        return 0.0 if errors == 0 else float("inf")
    return errors / n_ref


#: Alias of :func:`token_error_rate` for phoneme sequences (PER).
phoneme_error_rate = token_error_rate

#: Alias of :func:`token_error_rate` for word sequences: the speech
#: recognition / machine translation word error rate (total word edits /
#: total reference words). Not the grapheme-to-phoneme "WER", which is
#: :func:`sequence_error_rate`.
word_error_rate = token_error_rate


def sequence_error_rate(y_true: SequenceCollection, y_pred: SequenceCollection) -> float:
    """Share of sequences whose prediction has at least one error.

    Naming clash: in grapheme-to-phoneme (G2P) papers this quantity is
    called "word error rate" (WER), because each *sequence* is one word and
    a word is wrong if any of its phonemes is. In speech recognition "WER"
    instead means the token-level rate over words, which here is
    :func:`token_error_rate` (aliased :data:`word_error_rate`). So the G2P
    "WER" is ``sequence_error_rate`` and the G2P "PER" is
    :func:`token_error_rate` (aliased :data:`phoneme_error_rate`).

    Parameters
    ----------
    y_true : collection of token sequences
        References. As in :func:`token_error_rate`, an item may be a list of
        several acceptable references; the prediction is correct if it
        equals any of them.
    y_pred : collection of token sequences
        Predictions; lengths may differ from the references.

    Returns
    -------
    float
        Number of wrong sequences divided by the number of sequences.

    Raises
    ------
    ValueError
        If the numbers of sequences differ or there are none.

    Examples
    --------
    >>> from skattention.metrics import sequence_error_rate
    >>> y_true = [["K", "AE", "T"], ["D", "AO", "G"]]
    >>> y_pred = [["K", "AE", "T"], ["D", "AA", "G"]]
    >>> sequence_error_rate(y_true, y_pred)
    0.5
    >>> sequence_error_rate([[["AH"], ["EY"]]], [["EY"]])
    0.0
    """
    true, pred = _check_sequences(y_true, y_pred)
    if not true:
        raise ValueError("y_true and y_pred contain no sequences")
    wrong = 0
    for t, p in zip(true, pred, strict=True):
        prediction = _tokens(p)
        if not any(ref == prediction for ref in _references(t)):
            wrong += 1
    return wrong / len(true)


def exact_match_score(y_true: SequenceCollection, y_pred: SequenceCollection) -> float:
    """Share of sequences predicted exactly: ``1 - sequence_error_rate``.

    Supports several acceptable references per item like
    :func:`sequence_error_rate`.

    Parameters
    ----------
    y_true : collection of token sequences (or of lists of references)
        References.
    y_pred : collection of token sequences
        Predictions.

    Returns
    -------
    float
        Share of sequences equal to (one of) their reference(s).

    Examples
    --------
    >>> from skattention.metrics import exact_match_score
    >>> exact_match_score([["a", "b"], ["c"]], [["a", "b"], ["d"]])
    0.5
    """
    return 1.0 - sequence_error_rate(y_true, y_pred)


def corpus_bleu_score(
    y_true: SequenceCollection,
    y_pred: SequenceCollection,
    tokenize: str = "none",
    **kwargs: Any,
) -> float:
    """Corpus BLEU of token sequences via :func:`sacrebleu.corpus_bleu`.

    Tokens are converted with ``str`` and joined with single spaces; with
    the default ``tokenize="none"`` sacrebleu splits them on whitespace
    again, so the n-grams are exactly the given tokens.

    Parameters
    ----------
    y_true : collection of token sequences
        References, used as a single reference stream. An item holding
        several references (see :func:`token_error_rate`) adds further
        reference streams (missing ones are left out for the other items).
    y_pred : collection of token sequences
        Hypotheses.
    tokenize : str, default="none"
        sacrebleu tokenizer applied to the joined strings.
    **kwargs
        Passed on to :func:`sacrebleu.corpus_bleu`, e.g. ``smooth_method``
        or ``lowercase``. Sacrebleu's BLEU uses n-grams up to 4 and is 0
        when no hypothesis has 4 tokens, even for perfect output; pass
        ``use_effective_order=True`` for corpora of short sequences.

    Returns
    -------
    float
        BLEU divided by 100, so that it lies in ``[0, 1]``.

    Raises
    ------
    ValueError
        If the numbers of sequences differ or there are none.

    Examples
    --------
    >>> from skattention.metrics import corpus_bleu_score
    >>> refs = [["the", "cat", "sat", "on", "the", "mat"]]
    >>> corpus_bleu_score(refs, refs)
    1.0
    >>> corpus_bleu_score(refs, [["the", "dog", "sat", "on", "a", "mat"]]) < 0.5
    True
    """
    sacrebleu = _require("sacrebleu", "corpus_bleu_score")
    true, pred = _check_sequences(y_true, y_pred)
    if not true:
        raise ValueError("y_true and y_pred contain no sequences")

    def join(tokens: list[Any]) -> str:
        return " ".join(str(tok) for tok in tokens)

    hypotheses = [join(_tokens(p)) for p in pred]
    references = [[join(ref) for ref in _references(t)] for t in true]
    n_streams = max(len(refs) for refs in references)
    streams: list[list[str | None]] = [
        [refs[k] if k < len(refs) else None for refs in references] for k in range(n_streams)
    ]
    bleu = sacrebleu.corpus_bleu(hypotheses, streams, tokenize=tokenize, **kwargs)
    return float(min(1.0, max(0.0, bleu.score / 100.0)))


# ---------------------------------------------------------------------------
# Entity-level metrics (seqeval)
# ---------------------------------------------------------------------------


def _as_str_sequences(
    y_true: SequenceCollection, y_pred: SequenceCollection
) -> tuple[list[list[str]], list[list[str]]]:
    true, pred, _ = _check_aligned(y_true, y_pred)
    return (
        [[str(tag) for tag in _tokens(t)] for t in true],
        [[str(tag) for tag in _tokens(p)] for p in pred],
    )


def entity_f1_score(y_true: SequenceCollection, y_pred: SequenceCollection, **kwargs: Any) -> float:
    """Entity-level F1 score for BIO-style tags via :func:`seqeval.metrics.f1_score`.

    An entity counts as correct only if its type and its whole span match.
    Tags are converted to ``str``.

    Parameters
    ----------
    y_true : collection of tag sequences
        True tags such as ``["B-PER", "I-PER", "O"]``.
    y_pred : same structure as ``y_true``
        Predicted tags; each sequence as long as its ``y_true`` counterpart.
    **kwargs
        Passed on to seqeval (``average``, ``mode``, ``scheme``, ...).

    Returns
    -------
    float
        The entity F1 score (micro-averaged by default).

    Raises
    ------
    ValueError
        On mismatched numbers or lengths of sequences.

    Examples
    --------
    >>> from skattention.metrics import entity_f1_score
    >>> y_true = [["B-PER", "I-PER", "O"], ["B-LOC", "O"]]
    >>> y_pred = [["B-PER", "I-PER", "O"], ["B-PER", "O"]]
    >>> entity_f1_score(y_true, y_pred)
    0.5
    """
    true, pred = _as_str_sequences(y_true, y_pred)
    seqeval_metrics = _require("seqeval.metrics", "entity_f1_score")
    return _to_python(seqeval_metrics.f1_score(true, pred, **kwargs))


def entity_classification_report(
    y_true: SequenceCollection, y_pred: SequenceCollection, **kwargs: Any
) -> str | dict[str, Any]:
    """Entity-level classification report via seqeval.

    Parameters
    ----------
    y_true : collection of tag sequences
        True BIO-style tags.
    y_pred : same structure as ``y_true``
        Predicted tags.
    **kwargs
        Passed on to :func:`seqeval.metrics.classification_report`
        (``digits``, ``output_dict``, ``mode``, ``scheme``, ...).

    Returns
    -------
    str or dict
        The report per entity type (a dict with ``output_dict=True``).

    Raises
    ------
    ValueError
        On mismatched numbers or lengths of sequences.

    Examples
    --------
    >>> from skattention.metrics import entity_classification_report
    >>> y_true = [["B-PER", "I-PER", "O"], ["B-LOC", "O"]]
    >>> y_pred = [["B-PER", "I-PER", "O"], ["B-PER", "O"]]
    >>> report = entity_classification_report(
    ...     y_true, y_pred, output_dict=True, zero_division=0
    ... )
    >>> float(report["PER"]["precision"]), float(report["LOC"]["recall"])
    (0.5, 0.0)
    """
    true, pred = _as_str_sequences(y_true, y_pred)
    seqeval_metrics = _require("seqeval.metrics", "entity_classification_report")
    return seqeval_metrics.classification_report(true, pred, **kwargs)


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
