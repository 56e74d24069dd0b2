"""``flat_*`` metrics: scikit-learn's metrics over the concatenated tokens."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
from sklearn import metrics as _skm

from ._checks import (
    SequenceCollection,
    _as_sequence_list,
    _check_aligned,
    _seq_len,
    _to_array,
    _to_python,
)

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


#: one row per flat metric: the scikit-learn metric it wraps (``flat_<name>``), a summary, what it
#: returns and a doctest
_TABLE = (
    ("accuracy_score", "Token-level accuracy over all tokens of all sequences.",
     "float\n        Share of correctly labelled tokens (or the count with\n        ``normalize=False``).",
     """\
    >>> from skattention.metrics import flat_accuracy_score
    >>> y_true = [["B", "I", "O"], ["O", "O", "B"]]
    >>> y_pred = [["B", "I", "O"], ["O", "B", "B"]]
    >>> round(flat_accuracy_score(y_true, y_pred), 4)
    0.8333
    >>> flat_accuracy_score(y_true, y_pred, sample_weight=[1, 0])
    1.0
"""),
    ("f1_score", "Token-level F1 score.",
     "float or numpy.ndarray\n        F1 score (per class with ``average=None``).",
     """\
    >>> from skattention.metrics import flat_f1_score
    >>> round(flat_f1_score([[0, 1, 1], [1, 0]], [[0, 1, 0], [1, 0]], average="macro"), 4)
    0.8
"""),
    ("precision_score", "Token-level precision.",
     "float or numpy.ndarray\n        Precision (per class with ``average=None``).",
     """\
    >>> from skattention.metrics import flat_precision_score
    >>> y_true = [[0, 1, 1], [1, 0]]
    >>> y_pred = [[1, 1, 0], [1, 0]]
    >>> round(flat_precision_score(y_true, y_pred), 4)
    0.6667
"""),
    ("recall_score", "Token-level recall.",
     "float or numpy.ndarray\n        Recall (per class with ``average=None``).",
     """\
    >>> from skattention.metrics import flat_recall_score
    >>> flat_recall_score([["N", "V", "V"]], [["N", "N", "V"]], average=None, labels=["N", "V"]).tolist()
    [1.0, 0.5]
"""),
    ("classification_report", "Token-level classification report.",
     "str or dict\n        The report (a dict with ``output_dict=True``).",
     """\
    >>> from skattention.metrics import flat_classification_report
    >>> y_true = [["N", "V"], ["N"]]
    >>> y_pred = [["N", "V"], ["V"]]
    >>> report = flat_classification_report(y_true, y_pred, output_dict=True)
    >>> round(report["N"]["recall"], 2), report["accuracy"]
    (0.5, 0.6666666666666666)
"""),
    ("r2_score", "Token-level coefficient of determination (R^2).",
     "float or numpy.ndarray\n        R^2 over all tokens.",
     """\
    >>> from skattention.metrics import flat_r2_score
    >>> flat_r2_score([[1.0, 2.0], [3.0]], [[1.0, 2.0], [3.0]])
    1.0
"""),
    ("mean_squared_error", "Token-level mean squared error.",
     "float or numpy.ndarray\n        Mean squared error over all tokens.",
     """\
    >>> from skattention.metrics import flat_mean_squared_error
    >>> flat_mean_squared_error([[1.0, 2.0], [3.0]], [[1.0, 2.0], [5.0]])
    1.3333333333333333
"""),
    ("mean_absolute_error", "Token-level mean absolute error.",
     "float or numpy.ndarray\n        Mean absolute error over all tokens.",
     """\
    >>> from skattention.metrics import flat_mean_absolute_error
    >>> flat_mean_absolute_error([[1.0, 2.0], [3.0]], [[1.0, 2.0], [6.0]])
    1.0
"""),
)

#: ``flat_<name>`` -> the flat metric, built from :data:`_TABLE`
FLAT_METRICS = {f"flat_{sk}": _flat_metric(getattr(_skm, sk), f"flat_{sk}", _flat_doc(summary, sk, returns, example))
                for sk, summary, returns, example in _TABLE}
globals().update(FLAT_METRICS)  # flat_accuracy_score, flat_f1_score, ... as names of this module
