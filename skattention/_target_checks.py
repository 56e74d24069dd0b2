"""Validate targets against the validated sequences, once, up front: one
label (or number) per element (N→N) or per sequence (N→1). Errors name the
target by index and say what was expected."""

from __future__ import annotations

from collections.abc import Hashable

import numpy as np
import pandas as pd
from sklearn.utils.validation import column_or_1d

from ._sequences import Sequences, _as_list_of_sequences


def _check_y_length(y_list: list, n: int, name: str = "y") -> None:
    if len(y_list) != n:
        raise ValueError(f"X has {n} sequences but {name} has {len(y_list)} entries.")


def check_token_targets(y, X: Sequences, *, numeric: bool, unlabelled: bool = False) -> list:
    """Validate per-element targets: one label sequence per input sequence.

    With ``unlabelled``, an element may have no target: ``None`` (or NaN) as
    its label, NaN in every output of a number; at least one element must
    have one. Returns a list of 1-D object/float arrays (2-D ``(length,
    n_outputs)`` for multi-output token regression), unlabelled elements as
    None or NaN rows.
    """
    if y is None:
        raise ValueError(
            "This estimator requires y to be passed, but the target y is None; pass one label "
            "sequence per input sequence."
        )
    ys = _as_list_of_sequences(y, "y")
    _check_y_length(ys, len(X))
    out = []
    n_outputs = None
    for i, (labels, length) in enumerate(zip(ys, X.lengths)):
        if isinstance(labels, (str, bytes)) or not hasattr(labels, "__len__") or \
                (isinstance(labels, np.ndarray) and labels.ndim == 0):
            raise TypeError(
                f"y[{i}] is a {type(labels).__name__}; expected a sequence of {length} labels."
            )
        if len(labels) != length:
            raise ValueError(
                f"y[{i}] has {len(labels)} labels but X[{i}] has {length} elements; token "
                "estimators need one label per element."
            )
        if numeric:
            try:
                arr = np.asarray(labels, dtype=np.float64)
            except (TypeError, ValueError):
                raise TypeError(f"y[{i}] holds non-numeric values; a regressor needs numbers.") from None
            if arr.ndim > 2:
                raise ValueError(f"y[{i}] has {arr.ndim} dimensions; expected 1 or 2.")
            if arr.ndim == 2 and arr.shape[1] == 0:
                raise ValueError(f"y[{i}] has shape {arr.shape}: 0 outputs per element; at least 1 is needed.")
            if not np.isfinite(arr).all():
                _check_unlabelled_numbers(arr, i, unlabelled)
            width = 1 if arr.ndim == 1 else arr.shape[1]
            if length and n_outputs is not None and width != n_outputs:
                raise ValueError(f"y[{i}] has {width} outputs per element but earlier ones have {n_outputs}.")
            if length:
                n_outputs = width
            out.append(arr)
        else:
            arr = np.empty(len(labels), dtype=object)
            arr[:] = list(labels)
            for j, label in enumerate(arr):
                if not isinstance(label, Hashable):
                    raise TypeError(f"y[{i}] has a {type(label).__name__} at position {j}; labels must be "
                                    "hashable (str, int, ...).")
                if _is_missing(label):
                    if not unlabelled:
                        raise ValueError(f"y[{i}] has a missing label (NaN or None) at position {j}.")
                    arr[j] = None
            out.append(arr)
    if unlabelled and sum(X.lengths) and not any(_labelled(a).any() for a in out):
        raise ValueError("y has no labelled element: every label is None or NaN. Unlabelled elements are left "
                         "out of training; at least one element needs a target.")
    return out


def _labelled(targets: np.ndarray) -> np.ndarray:
    """Which elements of one target sequence (labels, or numbers) have a
    target: not None or NaN, not NaN in every output."""
    if not len(targets):
        return np.zeros(0, dtype=bool)
    if targets.dtype == object:
        return np.array([not _is_missing(label) for label in targets], dtype=bool)
    return ~np.isnan(targets.reshape(len(targets), -1)).all(axis=1)


def _check_unlabelled_numbers(arr: np.ndarray, i: int, unlabelled: bool) -> None:
    """Non-finite numbers in ``y[i]``: NaN in every output of an element marks
    it unlabelled (when allowed); anything else is an error."""
    rows = arr.reshape(len(arr), -1)
    if not unlabelled or np.isinf(rows).any():
        raise ValueError(f"y[{i}] contains NaN or infinity." if not unlabelled else
                         f"y[{i}] contains infinity (NaN marks an unlabelled element).")
    partial = np.flatnonzero(np.isnan(rows).any(axis=1) & ~np.isnan(rows).all(axis=1))
    if len(partial):
        raise ValueError(f"y[{i}] has NaN in some but not all outputs of element {int(partial[0])}; an "
                         "unlabelled element has NaN in every output.")


def _check_label_list(arr: np.ndarray) -> None:
    """Missing labels, and str mixed with other types, in one label per sequence."""
    flat = arr.ravel() if arr.ndim == 1 else []
    bad = next((i for i, label in enumerate(flat) if _is_missing(label)), None)
    if bad is not None:
        raise ValueError(f"y[{bad}] is a missing label (NaN or None).")
    is_str = [isinstance(label, str) for label in flat]
    if any(is_str) and not all(is_str):
        raise TypeError("y mixes label types that cannot be ordered (e.g. str and int).")


def _check_output_widths(y) -> None:
    """Ragged rows in multi-output targets, named by index (numpy would only
    say that the array is inhomogeneous)."""
    widths = [len(v) if isinstance(v, (list, tuple)) or (isinstance(v, np.ndarray) and v.ndim) else None
              for v in y]
    first = next((i for i, w in enumerate(widths) if w != widths[0]), None)
    if first is not None:
        what = lambda w: "a single value" if w is None else f"{w} outputs"  # noqa: E731
        raise ValueError(f"y[{first}] has {what(widths[first])} but y[0] has {what(widths[0])}; multi-output "
                         "targets need the same number of outputs for every sequence.")


def _first_non_numeric(y) -> int:
    """The index of the first target that is not a number (or a row of numbers)."""
    for i, v in enumerate(y):
        try:
            np.asarray(v, dtype=np.float64)
        except (TypeError, ValueError):
            return i
    return 0


def _is_missing(label) -> bool:
    return label is None or (isinstance(label, (float, np.floating)) and label != label)


def check_sequence_targets(y, n: int, *, numeric: bool) -> np.ndarray:
    """Validate one target per sequence: 1-D labels, or 1-/2-D numbers."""
    if y is None:
        raise ValueError(
            "This estimator requires y to be passed, but the target y is None; pass one target "
            "per sequence."
        )
    if isinstance(y, pd.DataFrame):
        y = y.to_numpy()
    if isinstance(y, pd.Series):
        y = y.to_numpy()
    if numeric:
        if isinstance(y, (list, tuple)) or (isinstance(y, np.ndarray) and y.dtype == object and y.ndim == 1):
            _check_output_widths(y)
        try:
            arr = np.asarray(y, dtype=np.float64)
        except (TypeError, ValueError):
            raise TypeError(f"y[{_first_non_numeric(y)}] is not a number; a regressor needs numbers.") from None
        if arr.ndim not in (1, 2):
            raise ValueError(f"y has {arr.ndim} dimensions; expected 1 or 2 (multi-output).")
        if arr.ndim == 2 and arr.shape[1] == 0:
            raise ValueError(f"y has shape {arr.shape}: 0 outputs per sequence; a regressor needs at least 1.")
        if not np.isfinite(arr).all():
            i = int(np.argwhere(~np.isfinite(arr))[0, 0])
            raise ValueError(f"y[{i}] is NaN or infinity.")
    else:
        if isinstance(y, (list, tuple)):  # checked before numpy turns None/NaN/ints into strings
            _check_label_list(np.array(list(y) + [None], dtype=object)[:-1])
        try:
            arr = np.asarray(y)
        except ValueError:  # ragged: per-element label lists given to a sequence estimator
            raise ValueError("y holds sequences of different lengths; a sequence classifier needs one "
                             "label per sequence (token estimators take one label per element).") from None
        if arr.dtype == object:
            _check_label_list(arr)
        elif arr.dtype.kind == "f" and arr.ndim == 1 and not np.isfinite(arr).all():
            raise ValueError(f"y[{int(np.flatnonzero(~np.isfinite(arr))[0])}] is a missing label (NaN or infinity).")
        if arr.ndim == 2 and arr.shape[1] == 1:
            arr = column_or_1d(arr, warn=True)
        if arr.ndim != 1:
            raise ValueError(
                f"y has shape {arr.shape}; a sequence classifier needs one label per sequence."
            )
    if len(arr) != n:
        raise ValueError(f"X has {n} sequences but y has {len(arr)} entries.")
    return arr
