"""Training data read in pieces: a torch ``Dataset`` or any re-iterable of
``(sequence, target)`` pairs, validated, encoded and batched one pool at a
time, so that memory holds one pool, never the corpus.

The estimators' ``fit`` reads such a source once to learn the vocabularies,
classes or scaling (counts and running moments only), then once per epoch for
training. Each pass reads pools of ``batch_size * pool_factor`` pairs, sorts a
pool by length into batches (little padding) and shuffles the batches. A
map-style ``Dataset`` (``__len__`` and ``__getitem__``) is shuffled as a
whole every epoch; an iterable is read in its own order and shuffled within
each pool, like a shuffle buffer, so store it in random order.

The validation split is a seeded hash of each pair's position: the same pairs
are held out in every epoch, at no memory cost.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator

import numpy as np
import pandas as pd
import torch
from torch.utils.data import Dataset, IterableDataset

MAX_ITEMS_NAMED = 3


def is_stream(X, y) -> bool:
    """Whether ``fit(X, y)`` reads ``X`` as a stream of ``(sequence, target)``
    pairs: a torch ``Dataset``, or (with ``y`` None) any iterable that is not
    a list, tuple, array, Series or DataFrame."""
    if isinstance(X, Dataset):
        return True
    if y is not None or isinstance(X, (list, tuple, np.ndarray, pd.Series, pd.DataFrame, str, bytes, dict)):
        return False
    return hasattr(X, "__iter__") and not hasattr(X, "__array__")


def renumber(exc: Exception, positions: np.ndarray) -> Exception:
    """The same error, with ``X[i]``/``y[i]`` of a pool renamed to the pair's
    position in the whole source."""
    def sub(match):
        i = int(match.group(2))
        return f"{match.group(1)}[{positions[i] if i < len(positions) else i}]"

    text = re.sub(r"\b([Xy])\[(\d+)\]", sub, str(exc))
    return type(exc)(f"In the streamed training data: {text}")


def _host(value):
    """Tensors from a torch ``Dataset`` become numpy arrays."""
    if isinstance(value, torch.Tensor):
        return value.detach().cpu().numpy()
    return value


def unzip(pairs: list, positions: np.ndarray) -> tuple[list, list]:
    """Split ``(sequence, target)`` pairs, naming the first item that is not one."""
    xs, ys = [], []
    for position, pair in zip(positions, pairs):
        if not isinstance(pair, (tuple, list)) or len(pair) != 2:
            what = f"a {type(pair).__name__}" + (f" of length {len(pair)}" if hasattr(pair, "__len__") else "")
            raise TypeError(
                f"Item {position} of the streamed X is {what}; a Dataset or iterable given to fit (with y=None) "
                "must yield (sequence, target) pairs. To pass sequences and targets separately, use lists: "
                "fit(X, y).")
        xs.append(_host(pair[0]))
        ys.append(_host(pair[1]))
    return xs, ys


def in_validation(positions: np.ndarray, fraction: float | None, seed: int) -> np.ndarray:
    """Whether each position belongs to the validation part: a seeded
    splitmix64 hash of the position, below ``fraction``."""
    if not fraction:
        return np.zeros(len(positions), dtype=bool)
    with np.errstate(over="ignore"):  # uint64 arithmetic wraps around, as the hash intends
        z = np.asarray(positions, dtype=np.uint64) + np.uint64(seed % 2**63) * np.uint64(0x9E3779B97F4A7C15)
        z = (z ^ (z >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
        z = (z ^ (z >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
        z = z ^ (z >> np.uint64(31))
    return (z >> np.uint64(11)).astype(np.float64) / 2.0**53 < fraction


class PairSource:
    """Read ``(sequence, target)`` pairs from a map-style ``Dataset`` or a
    re-iterable, in pools, keeping the pairs' positions."""

    def __init__(self, data):
        self.data = data
        self.sized = (isinstance(data, Dataset) and not isinstance(data, IterableDataset)
                      and hasattr(data, "__len__"))
        self.one_shot = False
        if not self.sized:
            if not hasattr(data, "__iter__"):
                raise TypeError(f"X of type {type(data).__name__} is a torch Dataset without __len__ or "
                                "__iter__; give it both __len__ and __getitem__, or make it an IterableDataset.")
            self.one_shot = isinstance(data, Iterator)  # a generator or iterator: read once, then spent
        self.passes = 0

    def check_passes(self, needed: int) -> None:
        """A generator can be read once; refuse before training starts if more passes are needed."""
        if self.one_shot and needed > 1:
            raise TypeError(
                f"X is a one-shot iterator ({type(self.data).__name__}), but fitting reads it {needed} times "
                "(once for the vocabulary and classes, then once per epoch, plus validation). Pass an object "
                "whose __iter__ starts over (a torch IterableDataset, or a class with __iter__), a Dataset, "
                "or lists; or call partial_fit with one chunk (a list) at a time.")

    def pools(self, size: int, *, rng: np.random.Generator | None = None,
              keep: Callable[[np.ndarray], np.ndarray] | None = None) -> Iterator[tuple[np.ndarray, list]]:
        """Yield ``(positions, pairs)`` pools of up to ``size`` pairs. A sized
        source is read in a permutation drawn from ``rng`` (in order without
        it); ``keep`` selects positions before they are read."""
        self.passes += 1
        if self.sized:
            n = len(self.data)
            order = rng.permutation(n) if rng is not None else np.arange(n)
            # select first, then fill whole pools: a pool of the validation part reads only its own pairs
            chosen = order if keep is None else order[keep(order)]
            for start in range(0, len(chosen), size):
                positions = chosen[start:start + size]
                yield positions, [self.data[int(i)] for i in positions]
            return
        if self.one_shot and self.passes > 1:
            raise TypeError(f"X is a one-shot iterator ({type(self.data).__name__}) that has already been read.")
        positions, pairs = [], []
        for start, pair in enumerate(self.data):
            positions.append(start)
            pairs.append(pair)
            if len(pairs) == size:
                yield from self._select(np.asarray(positions), pairs, keep)
                positions, pairs = [], []
        if pairs:
            yield from self._select(np.asarray(positions), pairs, keep)

    @staticmethod
    def _select(positions, pairs, keep):
        if keep is not None:
            mask = keep(positions)
            positions, pairs = positions[mask], [p for p, m in zip(pairs, mask) if m]
        if len(pairs):
            yield positions, pairs


class BatchStream(IterableDataset):
    """Collated training batches from a :class:`PairSource`, one part
    (``"train"``, ``"valid"``) of a seeded hash split.

    Parameters
    ----------
    source : PairSource
    encode : callable
        ``encode(pairs, positions) -> (items, lengths, targets, positions)``:
        validated, encoded inputs and targets of one pool (empty sequences
        dropped; ``positions`` may repeat when sequences were cut into
        windows).
    collate : callable
        Turns ``[(item, target), ...]`` into a padded batch.
    valid_fraction : float or None
        Share of the pairs held out for validation.
    part : {"train", "valid", "all"}
    """

    def __init__(self, source: PairSource, encode: Callable, collate: Callable, *,
                 valid_fraction: float | None = None, part: str = "all"):
        self.source = source
        self.encode = encode
        self.collate = collate
        self.valid_fraction = valid_fraction
        self.part = part

    def split(self) -> tuple[BatchStream, BatchStream | None]:
        """The training part and the validation part (None without validation)."""
        if not self.valid_fraction:
            return self, None
        return (BatchStream(self.source, self.encode, self.collate, valid_fraction=self.valid_fraction,
                            part=part) for part in ("train", "valid"))

    def batches(self, batch_size: int, *, shuffle: bool, seed: int, pool_factor: int = 50,
                pin_memory: bool = False) -> Batches:
        """A re-iterable of batches: each pass is one epoch, reshuffled."""
        return Batches(self, batch_size, shuffle=shuffle, seed=seed, pool_factor=pool_factor,
                       pin_memory=pin_memory)

    def _keep(self, seed: int):
        if self.part == "all" or not self.valid_fraction:
            return None
        valid = self.part == "valid"
        return lambda positions: in_validation(positions, self.valid_fraction, seed) == valid

    def __iter__(self):  # a plain pass, as a Dataset: one batch of 32 at a time
        return iter(self.batches(32, shuffle=False, seed=0))


class Batches:
    """One :class:`BatchStream` part as an iterable of padded batches; every
    ``iter`` is a new epoch with its own shuffle."""

    def __init__(self, stream: BatchStream, batch_size: int, *, shuffle: bool, seed: int, pool_factor: int,
                 pin_memory: bool):
        self.stream = stream
        self.batch_size = batch_size
        self.shuffle = shuffle
        self.seed = seed
        self.pool_factor = max(int(pool_factor), 1)
        self.pin_memory = pin_memory
        self.epoch = 0

    def __iter__(self):
        stream = self.stream
        rng = np.random.default_rng([self.seed, self.epoch]) if self.shuffle else None
        self.epoch += 1
        pool = self.batch_size * self.pool_factor
        for positions, pairs in stream.source.pools(pool, rng=rng, keep=stream._keep(self.seed)):
            items, lengths, targets, _ = stream.encode(pairs, positions)
            if not len(items):
                continue
            if rng is None:
                order = np.argsort(-lengths, kind="stable")
            else:  # sorted by length, ties in random order; then the batches in random order
                order = np.lexsort((rng.random(len(lengths)), lengths))
            batches = [order[i:i + self.batch_size] for i in range(0, len(order), self.batch_size)]
            if rng is not None:
                batches = [batches[i] for i in rng.permutation(len(batches))]
            for batch in batches:
                Xb, yb = stream.collate([(items[i], None if targets is None else targets[i]) for i in batch])
                if self.pin_memory:
                    Xb = Xb.pin_memory()
                yield Xb, yb
