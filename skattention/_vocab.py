"""Vocabularies and encoders: validated :class:`~skattention._sequences.Sequences`
in, arrays of ids or scaled floats out. Fitted once in ``fit``; ``transform``
never re-validates."""

from __future__ import annotations

from collections import Counter

import numpy as np

from ._diagnostics import check_vocabulary
from ._sequences import NUMERIC, Sequences

PAD_ID = 0
UNK_ID = 1
PAD_TOKEN = "<pad>"
UNK_TOKEN = "<unk>"


class Vocabulary:
    """Token → id mapping with padding (0) and unknown (1) entries.

    Parameters
    ----------
    specials : tuple of str
        Reserved entries first (padding, unknown, and for targets of
        sequence-to-sequence models start and end).
    min_freq : int
        Tokens seen fewer times map to the unknown id.
    max_size : int or None
        Keep at most this many most frequent tokens (besides the two specials).
    """

    def __init__(self, min_freq: int = 1, max_size: int | None = None, specials=(PAD_TOKEN, UNK_TOKEN)):
        self.min_freq = min_freq
        self.max_size = max_size
        self.specials = tuple(specials)

    def fit(self, sequences) -> Vocabulary:
        counts = Counter(tok for seq in sequences for tok in seq)
        kept = [t for t, c in counts.items() if c >= self.min_freq]
        # most frequent first, ties broken by the token's text: deterministic
        kept.sort(key=lambda t: (-counts[t], str(t)))
        if self.max_size is not None:
            kept = kept[: self.max_size]
        self.n_distinct_ = len(counts)
        self.itos_ = [*self.specials, *kept]
        self.stoi_ = {t: i for i, t in enumerate(self.itos_)}
        return self

    def __len__(self) -> int:
        return len(self.itos_)

    def encode(self, tokens) -> np.ndarray:
        get = self.stoi_.get
        return np.fromiter((get(t, UNK_ID) for t in tokens), dtype=np.int64, count=len(tokens))

    def decode(self, ids) -> list:
        return [self.itos_[i] for i in ids]


class CharVocabulary(Vocabulary):
    """Character vocabulary over ``str(token)``, giving a ``(length,
    max_word_length)`` id array per sequence (zero-padded, longer words cut)
    so unseen tokens still get a representation."""

    def __init__(self, max_word_length: int = 24):
        super().__init__(min_freq=1)
        self.max_word_length = max_word_length

    def fit(self, sequences) -> CharVocabulary:
        super().fit([str(tok) for seq in sequences for tok in seq])
        self._cache: dict = {}
        return self

    def _word(self, token) -> np.ndarray:
        row = self._cache.get(token)
        if row is None:
            text = str(token)[: self.max_word_length] or " "
            row = np.zeros(self.max_word_length, dtype=np.int64)
            row[: len(text)] = super().encode(text)
            if len(self._cache) < 1_000_000:
                self._cache[token] = row
        return row

    def encode(self, tokens) -> np.ndarray:  # (length, max_word_length)
        if len(tokens) == 0:
            return np.zeros((0, self.max_word_length), dtype=np.int64)
        return np.stack([self._word(t) for t in tokens])

    def __getstate__(self):
        state = self.__dict__.copy()
        state["_cache"] = {}
        return state


class InputEncoder:
    """Turn validated sequences into the arrays a module consumes.

    Token sequences give ``{"tokens": (L,), "chars": (L, W)}``; numeric ones
    ``{"features": (L, F)}``, standardised with statistics from ``fit``.
    """

    def __init__(self, *, min_freq: int = 1, max_word_length: int = 24, char_features: bool = True):
        self.min_freq = min_freq
        self.max_word_length = max_word_length
        self.char_features = char_features

    def fit(self, X: Sequences) -> InputEncoder:
        self.kind_ = X.kind
        self.n_features_ = X.n_features
        if X.kind == NUMERIC:
            stacked = np.concatenate(X.data, axis=0).astype(np.float64)
            self.mean_ = stacked.mean(axis=0).astype(np.float32)
            scale = stacked.std(axis=0)
            scale[scale < 1e-8] = 1.0
            self.scale_ = scale.astype(np.float32)
        else:
            self.vocab_ = Vocabulary(min_freq=self.min_freq).fit(X.data)
            check_vocabulary(self.vocab_.n_distinct_, int(X.lengths.sum()), self.vocab_.itos_[2:])
            if self.char_features:
                self.chars_ = CharVocabulary(self.max_word_length).fit(X.data)
        return self

    def module_kwargs(self) -> dict:
        """Sizes the embedding module needs."""
        if self.kind_ == NUMERIC:
            return {"n_features": int(self.n_features_)}
        return {
            "n_tokens": len(self.vocab_),
            "n_chars": len(self.chars_) if self.char_features else 0,
        }

    def transform(self, X: Sequences) -> list[dict]:
        if self.kind_ == NUMERIC:
            return [{"features": (a - self.mean_) / self.scale_} for a in X.data]
        if self.char_features:
            return [
                {"tokens": self.vocab_.encode(s), "chars": self.chars_.encode(s)} for s in X.data
            ]
        return [{"tokens": self.vocab_.encode(s)} for s in X.data]


class TargetScaler:
    """Standardise regression targets; the estimator predicts in the original units."""

    def fit(self, y: np.ndarray) -> TargetScaler:
        y = np.asarray(y, dtype=np.float64)
        self.mean_ = y.mean(axis=0)
        scale = y.std(axis=0)
        self.scale_ = np.where(scale < 1e-12, 1.0, scale)
        return self

    def transform(self, y: np.ndarray) -> np.ndarray:
        return ((np.asarray(y, dtype=np.float64) - self.mean_) / self.scale_).astype(np.float32)

    def inverse_transform(self, y: np.ndarray) -> np.ndarray:
        return np.asarray(y, dtype=np.float64) * self.scale_ + self.mean_
