"""Pretrained word vectors for token input: what ``embeddings=`` accepts,
checked once and brought to one form, ``(tokens, matrix)``, and matched
against a fitted vocabulary.

The estimators accept three forms (see their ``embeddings`` parameter):

* a mapping ``{token: vector}``;
* a pair ``(tokens, matrix)`` with one row of ``matrix`` per token;
* a gensim ``KeyedVectors`` (anything with ``index_to_key`` and ``vectors``;
  gensim itself is not imported).
"""

from __future__ import annotations

import hashlib
from collections.abc import Hashable, Mapping

import numpy as np

Vectors = tuple  # (list of tokens, float32 array of shape (n_tokens, dim))


def is_embeddings(value) -> bool:
    """Whether ``value`` has one of the accepted forms (checked in depth by :func:`as_vectors`)."""
    return value is None or isinstance(value, Mapping) or _is_keyed_vectors(value) or (
        isinstance(value, (tuple, list)) and len(value) == 2)


def _is_keyed_vectors(value) -> bool:
    return hasattr(value, "index_to_key") and hasattr(value, "vectors")


def as_vectors(embeddings) -> Vectors | None:
    """``embeddings`` as ``(tokens, matrix)``: a list of distinct hashable
    tokens and a finite float32 matrix with one row per token.

    Raises
    ------
    TypeError
        When ``embeddings`` has none of the accepted forms.
    ValueError
        When the tokens and rows disagree in number, a token repeats, or a
        vector is ragged, empty or not finite; the message names the token
        and its position.

    Examples
    --------
    >>> tokens, matrix = as_vectors({"good": [1.0, 0.0], "bad": [0.0, 1.0]})
    >>> tokens, matrix.shape, matrix.dtype
    (['good', 'bad'], (2, 2), dtype('float32'))
    """
    if embeddings is None:
        return None
    if _is_keyed_vectors(embeddings):
        tokens, matrix = list(embeddings.index_to_key), embeddings.vectors
    elif isinstance(embeddings, Mapping):
        tokens = list(embeddings)
        rows = []
        width = None
        for i, token in enumerate(tokens):
            row = _row(embeddings[token], i, token)
            if width is not None and len(row) != width:
                raise ValueError(f"embeddings: the vector of token {i} ({token!r}) has {len(row)} numbers; the "
                                 f"ones before it have {width}.")
            width = len(row)
            rows.append(row)
        matrix = np.stack(rows) if rows else np.zeros((0, 0), np.float32)
    elif isinstance(embeddings, (tuple, list)) and len(embeddings) == 2:
        tokens = list(embeddings[0]) if not isinstance(embeddings[0], str) else None
        if tokens is None:
            raise TypeError("embeddings: the first item of a (tokens, matrix) pair must be a list of tokens, "
                            "not a string.")
        matrix = embeddings[1]
    else:
        raise TypeError("embeddings must be None, a {token: vector} mapping, a (tokens, matrix) pair or a gensim "
                        f"KeyedVectors; got {type(embeddings).__name__}.")
    try:
        matrix = np.asarray(matrix, dtype=np.float32)
    except (TypeError, ValueError):
        raise ValueError("embeddings: the matrix of a (tokens, matrix) pair must be a 2-D array of numbers, "
                         "one row per token.") from None
    if matrix.ndim != 2 or matrix.shape[1] == 0:
        raise ValueError(f"embeddings: expected a 2-D matrix with one row per token and at least one column, got "
                         f"shape {matrix.shape}.")
    if len(tokens) == 0:
        raise ValueError("embeddings holds no vectors.")
    if matrix.shape[0] != len(tokens):
        raise ValueError(f"embeddings: {len(tokens)} tokens but {matrix.shape[0]} rows; expected one row per token.")
    seen: dict = {}
    for i, token in enumerate(tokens):
        if not isinstance(token, Hashable):
            raise ValueError(f"embeddings: token {i} is a {type(token).__name__}, which is not hashable.")
        if token in seen:
            raise ValueError(f"embeddings: token {i} ({token!r}) repeats token {seen[token]}; each token needs "
                             "one vector.")
        seen[token] = i
    finite = np.isfinite(matrix).all(axis=1)
    if not finite.all():
        i = int(np.flatnonzero(~finite)[0])
        raise ValueError(f"embeddings: the vector of token {i} ({tokens[i]!r}) holds NaN or infinite values.")
    return tokens, matrix


def _row(vector, i: int, token) -> np.ndarray:
    try:
        row = np.asarray(vector, dtype=np.float32)
    except (TypeError, ValueError):
        row = None
    if row is None or row.ndim != 1 or len(row) == 0:
        raise ValueError(f"embeddings: the vector of token {i} ({token!r}) must be a non-empty 1-D array of "
                         f"numbers, got {vector!r:.60}.")
    return row


def vector_rows(itos: list, tokens: list, n_specials: int = 2) -> np.ndarray:
    """For each vocabulary entry, the row of its vector in ``tokens``'
    matrix, or -1: the token itself, else its lower-cased form (vectors are
    often trained on lower-cased text). The special entries (padding,
    unknown) never take a vector.

    Examples
    --------
    >>> vector_rows(["<pad>", "<unk>", "The", "cat", "sat"], ["the", "cat"]).tolist()
    [-1, -1, 0, 1, -1]
    """
    index = {t: i for i, t in enumerate(tokens)}
    rows = np.full(len(itos), -1, dtype=np.int64)
    for i, token in enumerate(itos[n_specials:], start=n_specials):
        row = index.get(token)
        if row is None and isinstance(token, str):
            row = index.get(token.lower())
        if row is not None:
            rows[i] = row
    return rows


def digest(vectors: Vectors | None) -> str | None:
    """SHA-256 of the tokens and the matrix (what a checkpoint's fingerprint records)."""
    if vectors is None:
        return None
    tokens, matrix = vectors
    h = hashlib.sha256(repr(tokens).encode())
    h.update(np.ascontiguousarray(matrix).tobytes())
    return h.hexdigest()
