"""Validate and normalise sequence inputs, once, up front (their targets:
:mod:`skattention._target_checks`).

Every public estimator funnels ``X`` through this module. What comes
out is a :class:`Sequences` holding either token lists or ``float32`` arrays of
shape ``(length, n_features)``; nothing downstream re-validates.

Accepted forms of ``X``
-----------------------
* a list / tuple / pandas Series / object array of sequences, where a sequence
  is a list or tuple of hashable tokens (usually ``str``), or a numeric array of
  shape ``(length, n_features)``, or a 1-D numeric array (univariate);
* a list of lists of Python floats (univariate numeric sequences);
* a 2-D numeric array ``(n_sequences, length)``: each row is one univariate
  sequence (this is how tabular data is read as sequences);
* a 3-D numeric array ``(n_sequences, length, n_features)`` of equal-length
  sequences. Padded arrays with a ``lengths`` companion go through
  :func:`skattention.preprocessing.from_padded`, and pandas long-format frames through
  :func:`skattention.preprocessing.from_long_format`.
"""

from __future__ import annotations

import numbers
from collections.abc import Hashable, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd
import scipy.sparse as sp

from ._graphs import check_edges, split_graphs

TOKENS = "tokens"
NUMERIC = "numeric"


@dataclass
class Sequences:
    """Validated sequences: one kind for all of them.

    Attributes
    ----------
    kind : {"tokens", "numeric"}
    data : list
        ``list[str | Hashable]`` per sequence for tokens, ``float32`` arrays of
        shape ``(length, n_features)`` for numeric input.
    lengths : ndarray of int64
    n_features : int or None
        Feature count of numeric sequences, None for tokens.
    edges : list of ndarray or None
        Graphs: each graph's ``(n_edges, 2)`` int64 node positions (``data``
        holds the nodes); None for sequences.
    edge_types : list of ndarray or None
        Typed graphs: each graph's edge labels, one per row of its ``edges``
        (object arrays); None otherwise.
    """

    kind: str
    data: list
    lengths: np.ndarray
    n_features: int | None = None
    edges: list | None = None
    edge_types: list | None = None

    def __len__(self) -> int:
        return len(self.data)

    def subset(self, indices) -> Sequences:
        indices = np.asarray(indices, dtype=np.int64)
        return Sequences(
            self.kind, [self.data[i] for i in indices], self.lengths[indices], self.n_features,
            None if self.edges is None else [self.edges[i] for i in indices],
            None if self.edge_types is None else [self.edge_types[i] for i in indices],
        )


def _as_list_of_sequences(X, name: str = "X") -> list:
    if X is None:
        raise TypeError(f"{name} is None; expected a list of sequences.")
    if isinstance(X, pd.DataFrame):
        raise TypeError(
            f"{name} is a pandas DataFrame. Long-format frames (one row per element) go "
            "through skattention.preprocessing.from_long_format(df, sequence_col=...) first."
        )
    if isinstance(X, (str, bytes)):
        raise TypeError(f"{name} is a single string; expected a list of sequences.")
    if hasattr(X, "__torch_function__"):
        raise TypeError(f"{name} is a torch tensor; pass numpy arrays or lists of sequences.")
    if sp.issparse(X):
        raise TypeError(
            f"{name} is a sparse matrix; sparse input is not supported. Pass a list of sequences "
            "or a dense array."
        )
    if isinstance(X, pd.Series):
        return X.tolist()
    if not isinstance(X, (list, tuple, np.ndarray)) and hasattr(X, "__array__"):
        X = np.asarray(X)
    if isinstance(X, np.ndarray):
        if X.dtype.kind == "c":
            raise ValueError(f"Complex data not supported: {name} has dtype {X.dtype}.")
        if X.dtype == object:
            if X.ndim not in (1, 2):
                raise ValueError(f"{name} is an object array with {X.ndim} dimensions; expected 1 or 2.")
            return list(X)
        if X.dtype.kind in "fiub":
            if X.ndim == 2:
                return [row for row in X]
            if X.ndim == 3:
                return [seq for seq in X]
            raise ValueError(
                f"{name} is a numeric array with {X.ndim} dimension(s); expected 2 "
                "(n_sequences, length) or 3 (n_sequences, length, n_features). Reshape your data: "
                "pass [x] for a single sequence x."
            )
        if X.dtype.kind in "US":
            if X.ndim == 2:
                return [list(row) for row in X]
            raise ValueError(
                f"{name} is an array of strings with {X.ndim} dimension(s); expected a list of "
                "token sequences."
            )
        raise TypeError(f"{name} has unsupported dtype {X.dtype}.")
    if not isinstance(X, Sequence) and not hasattr(X, "__iter__"):
        raise TypeError(f"{name} of type {type(X).__name__} is not a list of sequences.")
    return list(X)


def _is_number(value) -> bool:
    return isinstance(value, numbers.Real) and not isinstance(value, bool)


def _sequence_kind(seq, index: int, name: str) -> str:
    """Tell whether one sequence holds tokens or numbers."""
    if isinstance(seq, (str, bytes)):
        raise TypeError(
            f"{name}[{index}] is a string, not a sequence of tokens; split it into tokens first "
            "(for example text.split() or list(text))."
        )
    if isinstance(seq, np.ndarray):
        if seq.dtype.kind in "fiub":
            return NUMERIC
        if seq.dtype.kind in "US":
            return TOKENS
        if seq.dtype.kind == "O":
            return _sequence_kind(list(seq), index, name)
        if seq.dtype.kind == "c":
            raise ValueError(f"Complex data not supported: {name}[{index}] has dtype {seq.dtype}.")
        raise TypeError(f"{name}[{index}] has unsupported dtype {seq.dtype}.")
    if isinstance(seq, pd.Series):
        return NUMERIC if seq.dtype.kind in "fiub" else TOKENS
    if isinstance(seq, (list, tuple)):
        if len(seq) == 0:
            return ""  # decided by the other sequences
        first = seq[0]
        # rows (lists, tuples or arrays) make a numeric (length, n_features) sequence;
        # checked before hashability, which lists and arrays lack
        if isinstance(first, (float, np.floating, list, tuple, np.ndarray)):
            return NUMERIC
        if isinstance(first, (dict, set)) or not isinstance(first, Hashable):
            raise TypeError(
                f"{name}[{index}] has a {type(first).__name__} at position 0: each argument must be "
                "a hashable token (a string or a number), or a row of numbers."
            )
        return TOKENS
    raise TypeError(
        f"{name}[{index}] is a {type(seq).__name__}; expected a list of tokens or a numeric "
        "array of shape (length, n_features)."
    )


def _check_numeric(seq, index: int, name: str) -> np.ndarray:
    try:
        arr = np.asarray(seq, dtype=np.float32)
    except (TypeError, ValueError) as exc:
        raise TypeError(
            f"{name}[{index}] mixes numbers with non-numeric values or has ragged rows: {exc}"
        ) from None
    if arr.ndim == 1:
        arr = arr[:, None]
    elif arr.ndim == 0 or arr.ndim > 2:
        raise ValueError(
            f"{name}[{index}] has {arr.ndim} dimension(s); a numeric sequence must be 1-D "
            "(univariate) or 2-D (length, n_features)."
        )
    if arr.shape[1] == 0:
        raise ValueError(f"{name}[{index}] has 0 features per element (shape {arr.shape}); a numeric sequence "
                         "needs at least 1.")
    if not np.isfinite(arr).all():
        row = int(np.argwhere(~np.isfinite(arr))[0, 0])
        raise ValueError(
            f"{name}[{index}] contains NaN or infinity (first at position {row}); numeric "
            "sequences must be finite."
        )
    return arr


def _check_tokens(seq, index: int, name: str) -> list:
    tokens = list(seq)
    if set(map(type, tokens)) <= {str}:  # the common case, checked at C speed
        return tokens
    for pos, tok in enumerate(tokens):
        if isinstance(tok, (list, tuple, np.ndarray, dict, set)) or not isinstance(tok, Hashable):
            raise TypeError(
                f"{name}[{index}] has a {type(tok).__name__} at position {pos}; tokens must be "
                "hashable scalars such as str."
            )
        if _is_number(tok) and isinstance(tok, (float, np.floating)):
            raise TypeError(
                f"{name}[{index}] mixes tokens with numbers (float {tok!r} at position {pos}); "
                "pass numeric sequences as float arrays of shape (length, n_features)."
            )
    return tokens


def check_sequences(
    X,
    *,
    kind: str | None = None,
    n_features: int | None = None,
    allow_empty: bool = True,
    graphs: bool | None = None,
    typed: bool | None = None,
    name: str = "X",
) -> Sequences:
    """Validate ``X`` and return it as :class:`Sequences`.

    Parameters
    ----------
    X : sequence of sequences
        See the module docstring for the accepted forms.
    kind : {"tokens", "numeric"} or None
        The kind seen at fit time; a different kind raises ``TypeError``.
    n_features : int or None
        The feature count seen at fit time for numeric input.
    allow_empty : bool
        Whether zero-length sequences are accepted.
    graphs : bool or None
        Whether the estimator was fitted on graphs (None: either is fine).
    typed : bool or None
        Whether it was fitted on graphs with edge types (None: either is fine).
    name : str
        Name used in error messages.

    Returns
    -------
    Sequences
    """
    if not allow_empty and isinstance(X, np.ndarray) and X.ndim == 2 and X.shape[1] == 0:
        raise ValueError(
            f"{name} has 0 feature(s) (shape={X.shape}) while a minimum of 1 is required: read as "
            "sequences, every row is empty."
        )
    seqs = _as_list_of_sequences(X, name)
    if len(seqs) == 0:
        raise ValueError(f"{name} is empty; expected at least one sequence.")
    seqs, edges, edge_types = split_graphs(seqs, name)
    if graphs is not None and graphs != (edges is not None):
        raise TypeError(f"{name} holds {'graphs' if edges is not None else 'sequences'} but the estimator was "
                        f"fitted on {'graphs' if graphs else 'sequences'}.")
    if typed is not None and edges is not None and typed != (edge_types is not None):
        raise ValueError(f"{name} holds graphs {'with' if edge_types is not None else 'without'} edge types but "
                         f"the estimator was fitted on graphs {'with' if typed else 'without'}.")

    kinds = [_sequence_kind(s, i, name) for i, s in enumerate(seqs)]
    seen = [k for k in kinds if k]
    found = seen[0] if seen else (kind or TOKENS)
    for i, k in enumerate(kinds):
        if k and k != found:
            first = kinds.index(found)
            raise TypeError(
                f"{name}[{i}] holds {k} but {name}[{first}] holds {found}; all sequences must "
                "be token lists or all numeric arrays, not a mix."
            )
    if kind is not None and found != kind:
        raise TypeError(
            f"{name} holds {found} sequences but the estimator was fitted on {kind} sequences."
        )

    if found == NUMERIC:
        data = [_check_numeric(s, i, name) for i, s in enumerate(seqs)]
        expected = n_features if n_features is not None else None
        for i, arr in enumerate(data):
            if len(arr) == 0:
                continue
            if expected is None:
                expected = arr.shape[1]
            elif arr.shape[1] != expected:
                where = "at fit time" if n_features is not None else "in the first sequence"
                raise ValueError(
                    f"{name}[{i}] has {arr.shape[1]} features per element but {expected} were "
                    f"seen {where}."
                )
        expected = expected if expected is not None else 1
        data = [a if len(a) else np.zeros((0, expected), np.float32) for a in data]
        n_feat = expected
    else:
        data = [_check_tokens(s, i, name) for i, s in enumerate(seqs)]
        n_feat = None

    lengths = np.fromiter((len(s) for s in data), dtype=np.int64, count=len(data))
    if not allow_empty and (lengths == 0).any():
        i = int(np.flatnonzero(lengths == 0)[0])
        raise ValueError(
            f"{name}[{i}] is empty; a sequence-level estimator needs at least one element per "
            "sequence."
        )
    if edges is None:
        return Sequences(found, data, lengths, n_feat)
    if edge_types is None:
        return Sequences(found, data, lengths, n_feat, check_edges(edges, lengths, name))
    return Sequences(found, data, lengths, n_feat, *check_edges(edges, lengths, name, edge_types))


def truncate(seqs: Sequences, max_length: int) -> Sequences:
    """Keep the first ``max_length`` elements of every sequence."""
    return Sequences(seqs.kind, [d[:max_length] for d in seqs.data], np.minimum(seqs.lengths, max_length),
                     seqs.n_features)


def split_windows(seqs: Sequences, y, max_length: int):
    """Cut every sequence (and its per-element targets ``y``, if given) into
    consecutive windows of at most ``max_length`` elements.

    Returns the windows, their targets (None without ``y``) and, per window,
    the index of the sequence it came from (windows keep their order, so
    concatenating a sequence's windows gives it back)."""
    data, lengths, owners, targets = [], [], [], None if y is None else []
    for i, (seq, n) in enumerate(zip(seqs.data, seqs.lengths)):
        for start in range(0, max(int(n), 1), max_length):
            data.append(seq[start:start + max_length])
            lengths.append(min(max_length, int(n) - start) if n else 0)
            owners.append(i)
            if y is not None:
                targets.append(y[i][start:start + max_length])
    windows = Sequences(seqs.kind, data, np.asarray(lengths, dtype=np.int64), seqs.n_features)
    return windows, targets, np.asarray(owners, dtype=np.int64)
