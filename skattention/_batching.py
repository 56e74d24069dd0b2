"""Datasets, padding/masking collate and the length-bucketed batch sampler."""

from __future__ import annotations

import math

import numpy as np
import torch
from torch.utils.data import DataLoader, Dataset, Sampler

from .modules.batch import Batch

IGNORE_INDEX = -100  # padded class targets; ``nn.CrossEntropyLoss`` skips them


class EncodedDataset(Dataset):
    """Already-encoded sequences (dicts of arrays) with optional targets.

    Parameters
    ----------
    items : list of dict
        One dict of numpy arrays per sequence, time on the first axis.
    lengths : array of int
    targets : list of arrays, array, or None
    target_pad : int or float
        Value used to pad token-level targets.
    """

    def __init__(self, items: list[dict], lengths, targets=None, target_pad=IGNORE_INDEX):
        self.items = items
        self.lengths = np.asarray(lengths, dtype=np.int64)
        self.targets = targets
        self.target_pad = target_pad

    def __len__(self) -> int:
        return len(self.items)

    def __getitem__(self, i):
        y = None if self.targets is None else self.targets[i]
        return self.items[i], y


def dataset_lengths(dataset, targets: bool = False) -> np.ndarray:
    """Lengths of an :class:`EncodedDataset` or a ``Subset`` of one (with
    ``targets``: of its token-level targets, zeros when there are none)."""
    if isinstance(dataset, torch.utils.data.Subset):
        return dataset_lengths(dataset.dataset, targets)[np.asarray(dataset.indices)]
    if not targets:
        return dataset.lengths
    if not isinstance(dataset.targets, list):
        return np.zeros(len(dataset), dtype=np.int64)
    return np.fromiter((len(t) for t in dataset.targets), np.int64, len(dataset))


def _root(dataset):
    while isinstance(dataset, torch.utils.data.Subset):
        dataset = dataset.dataset
    return dataset


def pad_stack(arrays: list[np.ndarray], value=0) -> np.ndarray:
    """Pad arrays of equal rank to their common maximal shape and stack them."""
    shape = tuple(max(a.shape[d] for a in arrays) for d in range(arrays[0].ndim))
    out = np.full((len(arrays), *shape), value, dtype=arrays[0].dtype)
    for i, a in enumerate(arrays):
        out[(i, *(slice(0, s) for s in a.shape))] = a
    return out


def unique_words(chars: list[np.ndarray], tokens: list[np.ndarray] | None = None):
    """Deduplicate the words of a batch.

    ``chars`` holds one ``(L_i, W_i)`` character-id array per sequence. Returns
    a table ``(1 + U, W)`` of the ``U`` distinct words (row 0 is all padding)
    and, per sequence, the ``(L_i,)`` row of each word in that table. Words
    repeat a lot in text ("the", ",", "."), so a character encoder run over
    the table instead of every position does a fraction of the work.

    With ``tokens`` (word ids, where every id above the unknown id 1 stands
    for one spelling) words are told apart by id, which is much faster than
    comparing rows; unknown words each keep their own row.
    """
    width = max(c.shape[1] for c in chars)
    sizes = [len(c) for c in chars]
    rows = np.zeros((sum(sizes) + 1, width), dtype=chars[0].dtype)
    start = 1
    for c in chars:
        rows[start : start + len(c), : c.shape[1]] = c
        start += len(c)
    if tokens is None:
        table, inverse = np.unique(rows, axis=0, return_inverse=True)  # the all-zero row sorts first
    else:
        ids = np.concatenate([[0], *tokens])
        keys = np.where(ids > 1, ids, -1 - np.arange(len(ids)))  # unknown words: one key per position
        keys[0] = -1 - len(ids)  # the padding row sorts first
        _, first, inverse = np.unique(keys, return_index=True, return_inverse=True)
        table = rows[first]
    used = np.flatnonzero(table.any(axis=0))  # drop the columns no word of the batch reaches
    table = table[:, : used[-1] + 1 if len(used) else 1]
    inverse = inverse.reshape(-1)
    return table, np.split(inverse[1:], np.cumsum(sizes)[:-1])


class Collate:
    """Pad a list of ``(x_dict, y)`` into ``(Batch, y)``.

    Each key of the items names a field of :class:`~skattention.modules.Batch`
    and is padded with 0 along every axis (``"pairwise"`` ``(L, L)`` arrays
    too); the mask is derived from ``lengths`` inside the modules.
    Token-level targets are padded with ``target_pad``. Character arrays
    (``"chars"``) become a table of the batch's distinct words plus a
    ``char_index`` ``(B, T)`` into it (0, an all-padding row, at padding).
    """

    def __init__(self, target_pad=IGNORE_INDEX, token_targets: bool = True):
        self.target_pad = target_pad
        self.token_targets = token_targets

    def __call__(self, batch):
        xs, ys = zip(*batch)
        lengths = np.fromiter((len(next(iter(x.values()))) for x in xs), np.int64, len(xs))
        out = {key: torch.from_numpy(pad_stack([x[key] for x in xs])) for key in xs[0] if key != "chars"}
        if "chars" in xs[0]:
            tokens = [x["tokens"] for x in xs] if "tokens" in xs[0] else None
            table, index = unique_words([x["chars"] for x in xs], tokens)
            out["chars"] = torch.from_numpy(table)
            out["char_index"] = torch.from_numpy(pad_stack(index))
        X = Batch(lengths=torch.from_numpy(lengths), **out)
        if ys[0] is None:
            return X, None
        if self.token_targets:
            y = torch.from_numpy(pad_stack(list(ys), self.target_pad))
        else:
            y = torch.from_numpy(np.stack(ys))
        return X, y


class BucketBatchSampler(Sampler):
    """Batches of similar length, shuffled between epochs.

    Each epoch the indices are shuffled, cut into pools of
    ``batch_size * pool_factor``, each pool is sorted by length and chunked
    into batches, and the batch order is shuffled. Without ``shuffle`` the
    batches follow decreasing length (least padding, for prediction).

    Parameters
    ----------
    lengths : array of int
    batch_size : int
    shuffle : bool
    seed : int or None
    pool_factor : int
        Pools span this many batches; 1 gives random batches.
    tiebreak : array of int, optional
        A second length to sort by among equal ``lengths`` (target lengths for
        sequence-to-sequence data, so that targets are padded little too).
    max_tokens : int, optional
        Without ``shuffle``: fill each batch up to this many padded elements
        instead of ``batch_size`` sequences (at least one sequence per batch),
        so short sequences travel in large batches and long ones in small.
    """

    def __init__(self, lengths, batch_size: int, shuffle: bool = True, seed=None, pool_factor: int = 50,
                 tiebreak=None, max_tokens: int | None = None):
        self.lengths = np.asarray(lengths, dtype=np.int64)
        self.batch_size = int(batch_size)
        self.shuffle = shuffle
        self.pool_factor = pool_factor
        self.tiebreak = np.zeros_like(self.lengths) if tiebreak is None else np.asarray(tiebreak)
        self.max_tokens = max_tokens
        self.rng = np.random.default_rng(seed)

    def __len__(self) -> int:
        if not self.shuffle and self.max_tokens is not None:
            return len(self.batches())
        return math.ceil(len(self.lengths) / self.batch_size)

    def batches(self) -> list[np.ndarray]:
        n, bs = len(self.lengths), self.batch_size
        if not self.shuffle:
            order = np.argsort(-self.lengths, kind="stable")
            if self.max_tokens is None:
                return [order[i : i + bs] for i in range(0, n, bs)]
            batches, start = [], 0
            while start < n:  # lengths decrease, so the first sequence sets the batch's width
                size = max(1, self.max_tokens // max(int(self.lengths[order[start]]), 1))
                batches.append(order[start : start + size])
                start += size
            return batches
        perm = self.rng.permutation(n)
        pool = bs * self.pool_factor
        batches = []
        for start in range(0, n, pool):
            chunk = perm[start : start + pool]
            chunk = chunk[np.lexsort((self.tiebreak[chunk], self.lengths[chunk]))]
            batches.extend(chunk[i : i + bs] for i in range(0, len(chunk), bs))
        order = self.rng.permutation(len(batches))
        return [batches[i] for i in order]

    def __iter__(self):
        for b in self.batches():
            yield b.tolist()


def padding_ratio(lengths, batches) -> float:
    """Padded elements per real element (1.0 means no padding)."""
    lengths = np.asarray(lengths)
    padded = sum(int(lengths[b].max()) * len(b) for b in batches if len(b))
    return padded / max(int(lengths.sum()), 1)


def make_loader(dataset, batch_size: int, *, shuffle: bool, seed=None, token_targets=True, pool_factor: int = 50,
                **kwargs) -> DataLoader:
    """A DataLoader with length buckets and the padding collate.

    ``pool_factor`` is :class:`BucketBatchSampler`'s (estimators take it as
    ``iterator_train__pool_factor``; 1 gives random batches); other keyword
    arguments go to the ``DataLoader``.
    """
    tiebreak = dataset_lengths(dataset, targets=True) if token_targets else None
    sampler = BucketBatchSampler(dataset_lengths(dataset), batch_size, shuffle=shuffle, seed=seed,
                                 pool_factor=pool_factor, tiebreak=tiebreak)
    collate = Collate(_root(dataset).target_pad, token_targets)
    return DataLoader(dataset, batch_sampler=sampler, collate_fn=collate, **kwargs)


def unpad(batch: np.ndarray, lengths, axes=(1,)) -> list[np.ndarray]:
    """Cut a padded batch back into per-sequence arrays along ``axes``."""
    out = []
    for i, n in enumerate(lengths):
        idx = [i] + [slice(None)] * (batch.ndim - 1)
        for ax in axes:
            idx[ax] = slice(0, int(n))
        out.append(batch[tuple(idx)])
    return out
