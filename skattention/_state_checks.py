"""What a fitted state must look like, checked when a model file is read.

A model file's JSON rebuilds the vocabularies, scalers and label encoders
attribute by attribute (:mod:`skattention._serialization`). A damaged or
hostile file can give them any values, so each is checked against the
invariants ``fit`` guarantees before the model is used; a file that breaks
one raises :class:`~skattention.exceptions.ModelFileError` at load time, not
an ``IndexError`` at predict time.
"""

from __future__ import annotations

from collections.abc import Hashable

import numpy as np

from ._sequences import NUMERIC, TOKENS
from .exceptions import ModelFileError


def _fail(where: str, what: str):
    raise ModelFileError(f"The model file's {where} {what}.")


def _int(value, where: str, low: int = 0) -> int:
    if not isinstance(value, (int, np.integer)) or isinstance(value, (bool, np.bool_)) or value < low:
        _fail(where, f"must be an int >= {low}, not {value!r}")
    return int(value)


def _finite(value, where: str, shape=None, positive: bool = False) -> None:
    if not isinstance(value, np.ndarray) or value.dtype.kind != "f":
        _fail(where, f"must be a float array, not a {type(value).__name__}")
    if shape is not None and value.shape != shape:
        _fail(where, f"has shape {value.shape}, not {shape}")
    if not np.isfinite(value).all() or (positive and not (value > 0).all()):
        _fail(where, "holds values that are not finite" + (" and positive" if positive else ""))


def check_vocabulary(vocab, where: str) -> None:
    itos, stoi = vars(vocab).get("itos_"), vars(vocab).get("stoi_")
    if not isinstance(itos, list) or not all(isinstance(t, Hashable) for t in itos) or len(itos) < 2:
        _fail(f"{where}.itos_", "must be a list of at least the two special tokens")
    if not isinstance(stoi, dict) or stoi != {t: i for i, t in enumerate(itos)}:
        _fail(f"{where}.stoi_", "does not number the entries of itos_ in order")
    specials = vars(vocab).get("specials")
    if not isinstance(specials, tuple) or list(specials) != itos[:len(specials)]:
        _fail(f"{where}.specials", "must be the first entries of itos_")
    for key in ("min_freq", "n_distinct_"):
        _int(vars(vocab).get(key), f"{where}.{key}")
    if not isinstance(vars(vocab).get("fold_case", False), bool):
        _fail(f"{where}.fold_case", "must be a bool")
    if "max_word_length" in vars(vocab) or type(vocab).__name__ == "CharVocabulary":
        _int(vars(vocab).get("max_word_length"), f"{where}.max_word_length", 1)


def check_input_encoder(enc, where: str) -> None:
    from ._vocab import CharVocabulary, Vocabulary

    state = vars(enc)
    kind = state.get("kind_")
    if kind == NUMERIC:
        n = _int(state.get("n_features_"), f"{where}.n_features_", 1)
        _finite(state.get("mean_"), f"{where}.mean_", (n,))
        _finite(state.get("scale_"), f"{where}.scale_", (n,), positive=True)
    elif kind == TOKENS:
        if not isinstance(state.get("vocab_"), Vocabulary):
            _fail(f"{where}.vocab_", "must be a Vocabulary")
        if not isinstance(state.get("char_features"), bool):
            _fail(f"{where}.char_features", "must be a bool")
        if state["char_features"] and not isinstance(state.get("chars_"), CharVocabulary):
            _fail(f"{where}.chars_", "must be a CharVocabulary when char_features is on")
        if "vector_rows_" in state:
            n = _int(state.get("n_vectors_"), f"{where}.n_vectors_", 1)
            _int(state.get("vector_dim_"), f"{where}.vector_dim_", 1)
            rows = state["vector_rows_"]
            if not isinstance(rows, np.ndarray) or rows.dtype.kind not in "iu" or \
                    rows.shape != (len(state["vocab_"].itos_),) or (rows < -1).any() or (rows >= n).any() or \
                    (rows[:2] != -1).any():
                _fail(f"{where}.vector_rows_", f"must give each vocabulary entry a row in [-1, {n}) (-1 for the "
                      "padding and unknown entries)")
    else:
        _fail(f"{where}.kind_", f"must be {TOKENS!r} or {NUMERIC!r}, not {kind!r}")
    if not isinstance(state.get("graph_", False), bool):  # files written before graphs lack it: sequences
        _fail(f"{where}.graph_", "must be a bool")
    if "edge_types_" in state and (not state.get("graph_") or not isinstance(state["edge_types_"], list) or
                                   len(set(map(repr, state["edge_types_"]))) != len(state["edge_types_"])):
        _fail(f"{where}.edge_types_", "must be a list of distinct edge types, on a graph encoder")
    _int(state.get("max_word_length"), f"{where}.max_word_length", 1)
    length = state.get("mean_length_", 1.0)  # files written before sum pooling lack it
    if not isinstance(length, (float, int, np.floating)) or isinstance(length, bool) or not np.isfinite(length) \
            or length < 1:
        _fail(f"{where}.mean_length_", f"must be a finite number >= 1, not {length!r}")


def check_target_scaler(scaler, where: str) -> None:
    mean = vars(scaler).get("mean_")
    _finite(mean, f"{where}.mean_")
    _finite(vars(scaler).get("scale_"), f"{where}.scale_", mean.shape, positive=True)


def check_label_encoder(encoder, where: str) -> None:
    classes = vars(encoder).get("classes_")
    if not isinstance(classes, np.ndarray) or classes.ndim != 1 or len(classes) == 0:
        _fail(f"{where}.classes_", "must be a non-empty 1-D array")
    try:
        if len(set(classes.tolist())) != len(classes) or list(np.sort(classes)) != list(classes):
            _fail(f"{where}.classes_", "must hold distinct labels in sorted order")
    except TypeError:
        _fail(f"{where}.classes_", "holds labels that cannot be compared")


CHECKS = {"Vocabulary": check_vocabulary, "CharVocabulary": check_vocabulary, "InputEncoder": check_input_encoder,
          "TargetScaler": check_target_scaler, "LabelEncoder": check_label_encoder}


def check_fitted(estimator) -> None:
    """Cross-checks between the fitted attributes of one estimator."""
    state = vars(estimator)
    if "classes_" in state:
        classes, encoded = state["classes_"], state["_label_encoder"].classes_
        if classes.ndim != 1 or classes.tolist() != encoded.tolist():
            _fail("classes_", "are not the labels of its label encoder")
    encoder, vectors = state.get("input_encoder_"), state.get("embeddings")
    if encoder is not None and (vectors is not None) != hasattr(encoder, "vector_rows_"):
        _fail("input_encoder_", "and the embeddings parameter disagree on whether the model has pretrained vectors")
    if vectors is not None and vectors[1].shape != (encoder.n_vectors_, encoder.vector_dim_):
        _fail("embeddings", f"have shape {vectors[1].shape}, but the vocabulary was fitted to vectors of shape "
              f"{(encoder.n_vectors_, encoder.vector_dim_)}")
    if "target_vocab_" in state and len(state["target_vocab_"].specials) < 4:
        _fail("target_vocab_", "lacks the start and end tokens of a sequence-to-sequence vocabulary")
