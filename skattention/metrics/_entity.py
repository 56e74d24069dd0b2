"""Entity-level metrics for BIO tags, through seqeval."""

from __future__ import annotations

from typing import Any

from ._checks import (
    SequenceCollection,
    _check_aligned,
    _require,
    _to_python,
    _tokens,
)

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
