"""Checking and reading the ragged ``y_true``/``y_pred`` that every metric takes."""

from __future__ import annotations

from typing import Any

import numpy as np

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
