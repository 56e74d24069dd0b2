"""Input checks shared by the baselines: the same validation, and the same
errors, as the attention estimators (:mod:`skattention._sequences`)."""

from __future__ import annotations

import importlib
from types import ModuleType

import numpy as np

from .._sequences import NUMERIC, TOKENS, Sequences, check_sequences

#: The optional dependencies of the baselines, and the extra that installs them.
EXTRA = "baselines"


def require(module: str, package: str, owner: str) -> ModuleType:
    """Import an optional dependency, or say which extra installs it."""
    try:
        return importlib.import_module(module)
    except ImportError as exc:
        raise ImportError(
            f"{owner} needs the optional dependency {package!r}; install it with "
            f"`pip install skattention[{EXTRA}]` (or `pip install {package}`)."
        ) from exc


def check_kind(X, kind: str, owner: str, *, allow_empty: bool = True,
               n_features: int | None = None) -> Sequences:
    """Validate ``X`` as our estimators do, and insist on one kind of sequence.

    ``n_features`` is the feature count seen at fit time for numeric input
    (None in ``fit``).
    """
    seqs = check_sequences(X, n_features=n_features if kind == NUMERIC else None, allow_empty=allow_empty)
    if seqs.kind != kind:
        what = "token sequences (lists of str)" if kind == TOKENS else \
            "numeric sequences (float arrays of shape (length, n_features))"
        raise TypeError(f"{owner} takes {what}, but X holds {seqs.kind} sequences.")
    return seqs


def ragged(arrays: list, dtype=None) -> list[np.ndarray]:
    """One array per sequence, as the attention estimators return them."""
    return [np.asarray(a, dtype=dtype) for a in arrays]
