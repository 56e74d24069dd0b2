"""Vocabularies and encoders: validated :class:`~skattention._sequences.Sequences`
in, arrays of ids or scaled floats out. Fitted once in ``fit``; ``transform``
never re-validates."""

from __future__ import annotations

from collections import Counter

import numpy as np

from ._diagnostics import check_vocabulary
from ._graphs import graph_items
from ._pretrained import vector_rows
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
        return self.fit_counts(Counter(tok for seq in sequences for tok in seq))

    def fit_counts(self, counts: Counter) -> Vocabulary:
        """Fit from token counts (what :meth:`fit` counts itself; data read in
        chunks add up their counts first)."""
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

    def extend(self, tokens) -> Vocabulary:
        """Append the ``tokens`` not yet in the vocabulary (in their order),
        and from then on look up a token that is missing by its lower-cased
        form too (what pretrained vectors, often lower-cased, need)."""
        for token in tokens:
            if token not in self.stoi_:
                self.stoi_[token] = len(self.itos_)
                self.itos_.append(token)
        self.fold_case = True
        return self

    def encode(self, tokens) -> np.ndarray:
        get = self.stoi_.get
        if not getattr(self, "fold_case", False):
            return np.fromiter((get(t, UNK_ID) for t in tokens), dtype=np.int64, count=len(tokens))

        def lookup(token) -> int:
            i = get(token)
            if i is None and isinstance(token, str):
                i = get(token.lower())
            return UNK_ID if i is None else i

        return np.fromiter(map(lookup, tokens), dtype=np.int64, count=len(tokens))

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
        return self.fit_counts(Counter(tok for seq in sequences for tok in seq))

    def fit_counts(self, counts: Counter) -> CharVocabulary:
        """Fit from *token* counts: each token's characters count as often as it occurs."""
        chars: Counter = Counter()
        for token, count in counts.items():
            for ch in str(token):
                chars[ch] += count
        super().fit_counts(chars)
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


# Standardised numeric inputs are clipped to this many standard deviations from the
# training mean: nothing real lies further out, and a value near float32's range
# (1e25 times the training spread, say) would overflow inside a layer norm and
# turn every output into NaN.
MAX_STANDARDIZED = 1e6


class InputEncoder:
    """Turn validated sequences into the arrays a module consumes.

    Token sequences give ``{"tokens": (L,), "chars": (L, W)}``; numeric ones
    ``{"features": (L, F)}``, standardised with statistics from ``fit`` and
    clipped to ``MAX_STANDARDIZED`` standard deviations.
    """

    def __init__(self, *, min_freq: int = 1, max_word_length: int = 24, char_features: bool = True):
        self.min_freq = min_freq
        self.max_word_length = max_word_length
        self.char_features = char_features

    def fit(self, X: Sequences, vectors: tuple | None = None) -> InputEncoder:
        return self.update(X).finish(vectors)

    def update(self, X: Sequences) -> InputEncoder:
        """Add one chunk of sequences to the statistics (token counts, or
        running means and variances); :meth:`finish` then fits from them.
        ``fit`` is one ``update`` and ``finish``, so data read in chunks fit
        the same vocabularies and (up to rounding) the same scaling."""
        if not hasattr(self, "_counts") and not hasattr(self, "_moments"):
            self.kind_, self.n_features_ = X.kind, X.n_features
            self.graph_ = X.edges is not None
            if X.edge_types is not None:
                self._edge_type_counts = Counter()
            self._n_sequences, self._n_elements = 0, 0
            if X.kind == NUMERIC:
                self._moments = RunningMoments()
            else:
                self._counts, self._n_tokens = Counter(), 0
        elif self.graph_ != (X.edges is not None):
            raise TypeError("X mixes graphs and sequences; all of it must be graphs or all sequences.")
        elif self.graph_ and hasattr(self, "_edge_type_counts") != (X.edge_types is not None):
            raise ValueError("X mixes graphs with and without edge types; give edge types for every graph or none.")
        if X.edge_types is not None:
            self._edge_type_counts.update(t for types in X.edge_types for t in types)
        self._n_sequences += len(X)
        self._n_elements += int(X.lengths.sum())
        if self.kind_ == NUMERIC:
            self._moments.update(np.concatenate(X.data, axis=0) if len(X) else np.zeros((0, self.n_features_)))
        else:
            self._counts.update(tok for seq in X.data for tok in seq)
            self._n_tokens += int(X.lengths.sum())
        return self

    def finish(self, vectors: tuple | None = None) -> InputEncoder:
        """Fit the vocabularies or the scaling from what :meth:`update` saw.

        ``vectors``: pretrained word vectors as ``(tokens, matrix)`` (see
        :func:`~skattention._pretrained.as_vectors`). Their tokens join the
        vocabulary after the training tokens, so words met only at predict
        time still find their vector; ``vector_rows_`` records each entry's
        row of ``matrix`` (-1: none) and ``vector_dim_`` its width. The
        matrix itself goes to the module's weights, not here.
        """
        if vectors is not None and self.kind_ == NUMERIC:
            raise ValueError("embeddings gives vectors for tokens, but X holds numeric sequences; leave "
                             "embeddings=None for numeric input.")
        n_sequences, n_elements = self.__dict__.pop("_n_sequences"), self.__dict__.pop("_n_elements")
        if "_edge_type_counts" in self.__dict__:  # ids from 2: 0 is "no edge", 1 a type unseen in fit
            self.edge_types_ = sorted(self.__dict__.pop("_edge_type_counts"), key=lambda t: (type(t).__name__, repr(t)))
        # what sum pooling divides by: a sum over a sequence of typical length is on a mean's scale
        self.mean_length_ = max(n_elements / max(n_sequences, 1), 1.0)
        if self.kind_ == NUMERIC:
            moments = self.__dict__.pop("_moments")
            self.mean_ = moments.mean.astype(np.float32)
            scale = moments.std
            scale[scale < 1e-8] = 1.0
            self.scale_ = scale.astype(np.float32)
        else:
            counts, n_tokens = self.__dict__.pop("_counts"), self.__dict__.pop("_n_tokens")
            self.vocab_ = Vocabulary(min_freq=self.min_freq).fit_counts(counts)
            check_vocabulary(self.vocab_.n_distinct_, n_tokens, self.vocab_.itos_[2:])
            if self.char_features:
                self.chars_ = CharVocabulary(self.max_word_length).fit_counts(counts)
            if vectors is not None:
                tokens, matrix = vectors
                self.vector_rows_ = vector_rows(self.vocab_.extend(tokens).itos_, tokens)
                self.n_vectors_, self.vector_dim_ = matrix.shape
        return self

    def module_kwargs(self) -> dict:
        """Sizes the embedding module needs (and ``graph=True`` for graphs)."""
        graph = {"graph": True} if getattr(self, "graph_", False) else {}  # files before graphs: sequences
        if hasattr(self, "edge_types_"):
            graph["edge_types"] = len(self.edge_types_) + 2
        if self.kind_ == NUMERIC:
            return {"n_features": int(self.n_features_), **graph}
        kwargs = {**graph,
            "n_tokens": len(self.vocab_),
            "n_chars": len(self.chars_) if self.char_features else 0,
        }
        if hasattr(self, "vector_rows_"):
            kwargs.update(vector_rows=self.vector_rows_, n_vectors=int(self.n_vectors_),
                          word_dim=int(self.vector_dim_))
        return kwargs

    def transform(self, X: Sequences) -> list[dict]:
        """One item per sequence; graphs add their nodes' ``degrees`` and
        ``distances`` (and ``edge_types``, ids: 0 no edge, 1 a type unseen in
        fit)."""
        items = self._elements(X)
        if X.edges is not None:
            ids = {t: i for i, t in enumerate(getattr(self, "edge_types_", []), start=2)}
            types = X.edge_types or [None] * len(X)
            for item, edges, kinds, n in zip(items, X.edges, types, X.lengths):
                type_ids = None if kinds is None else np.array([ids.get(t, 1) for t in kinds], dtype=np.int16)
                item.update(graph_items(edges, int(n), type_ids))
        return items

    def _elements(self, X: Sequences) -> list[dict]:
        if self.kind_ == NUMERIC:
            return [{"features": np.clip((a - self.mean_) / self.scale_, -MAX_STANDARDIZED, MAX_STANDARDIZED)}
                    for a in X.data]
        if self.char_features:
            return [
                {"tokens": self.vocab_.encode(s), "chars": self.chars_.encode(s)} for s in X.data
            ]
        return [{"tokens": self.vocab_.encode(s)} for s in X.data]


class RunningMoments:
    """Count, mean, variance, minimum and maximum per column of rows added in
    chunks (Chan et al.'s pairwise update, in float64)."""

    def __init__(self):
        self.n = 0

    def update(self, rows: np.ndarray) -> RunningMoments:
        rows = np.asarray(rows, dtype=np.float64)
        if not len(rows):
            return self
        n, mean = len(rows), rows.mean(axis=0)
        m2 = ((rows - mean) ** 2).sum(axis=0)
        lo, hi = rows.min(axis=0), rows.max(axis=0)
        if self.n == 0:
            self.mean, self.m2, self.min, self.max = mean, m2, lo, hi
        else:
            total = self.n + n
            delta = mean - self.mean
            self.mean = self.mean + delta * (n / total)
            self.m2 = self.m2 + m2 + delta ** 2 * (self.n * n / total)
            self.min, self.max = np.minimum(self.min, lo), np.maximum(self.max, hi)
        self.n += n
        return self

    @property
    def std(self) -> np.ndarray:
        return np.sqrt(self.m2 / self.n)


class TargetScaler:
    """Standardise regression targets; the estimator predicts in the original units."""

    def fit(self, y: np.ndarray) -> TargetScaler:
        return self.fit_moments(RunningMoments().update(y))

    def fit_moments(self, moments: RunningMoments) -> TargetScaler:
        """Fit from the moments of targets read in chunks."""
        self.mean_ = moments.mean
        scale = moments.std
        self.scale_ = np.where(scale < 1e-12, 1.0, scale)
        return self

    def transform(self, y: np.ndarray) -> np.ndarray:
        return ((np.asarray(y, dtype=np.float64) - self.mean_) / self.scale_).astype(np.float32)

    def inverse_transform(self, y: np.ndarray) -> np.ndarray:
        return np.asarray(y, dtype=np.float64) * self.scale_ + self.mean_
