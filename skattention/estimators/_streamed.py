"""``fit`` on data streamed from disk (a torch Dataset or a re-iterable of
``(sequence, target)`` pairs; see :mod:`skattention._streaming`): a first
pass validates every pair and learns the vocabularies and the target
encoding from counts, then each epoch reads the pairs again in pools."""

from __future__ import annotations

import numbers
from functools import partial

import numpy as np

from .._batching import Collate
from .._sequences import check_sequences
from .._streaming import BatchStream, PairSource, renumber, unzip
from ._budget import VALID_FRACTION

SCAN_POOL = 4096  # pairs validated and counted at a time by the first pass over streamed data


class _StreamedFit:
    """The streamed fit (mixed into ``BaseSequenceEstimator``, which provides
    the parameters, the target hooks, ``_split_fraction``, ``_budget`` and
    ``_train``)."""

    def _fit_stream(self, X, y, *, reset: bool, fitted: bool, resume, classes):
        """``fit``/``partial_fit`` on a torch Dataset or a re-iterable of
        ``(sequence, target)`` pairs (see :mod:`skattention._streaming`)."""
        if y is not None:
            raise TypeError(f"X is a {type(X).__name__}, which yields (sequence, target) pairs; y must be None.")
        if callable(self.train_split):
            raise TypeError("train_split callables split data held in memory; with streamed X give a float (the "
                            "share held out, chosen by a seeded hash of each pair's position) or None.")
        if self.batch_size == -1:
            raise ValueError("batch_size=-1 (one batch of everything) cannot stream; give a batch size.")
        if self.accelerator is not None and self.accelerator.num_processes > 1:
            raise ValueError("Streamed data train in one process: data-parallel training across the "
                             f"{self.accelerator.num_processes} processes of an accelerator needs X and y as lists.")
        source = PairSource(X)
        # a one-shot iterator is refused before the first pass, with as many passes as are known
        # now ("auto" and max_epochs=None are settled by the number of pairs, after the scan)
        known_epochs = (self.max_epochs or 1) if reset else self._continued_epochs()
        held_out = isinstance(self.train_split, numbers.Real) and (reset or self.net_.train_split is not None)
        source.check_passes(int(reset) + known_epochs * (2 if held_out else 1))
        n_sequences = self._scan(source, fit=not fitted, classes=classes) if reset else 0
        if reset:
            fraction = self._split_fraction(n_sequences)
            epochs = self._remaining_epochs(self._budget(n_sequences).epochs, resume)
        else:  # continuing: the fitted net's split, with the share set now
            split = VALID_FRACTION if self.train_split == "auto" else self.train_split
            fraction = split if self.net_.train_split is not None else None
            epochs = self._continued_epochs()
        fraction = fraction if isinstance(fraction, numbers.Real) else None
        source.check_passes(int(reset) + epochs * (2 if fraction else 1))
        stream = BatchStream(source, self._encode_pool, Collate(self._target_pad(), self._token_level),
                             valid_fraction=fraction)
        return self._train(stream, n_sequences, None, reset=reset, resume=resume)

    def _scan(self, source: PairSource, *, fit: bool, classes) -> int:
        """The first pass over streamed data: validate every pair and, with
        ``fit``, learn the vocabularies and the classes or target scaling from
        counts and running moments. Returns the number of pairs."""
        encoder = self._make_input_encoder()
        state = self._start_targets() if fit else None
        kind = n_features = None
        n = n_nonempty = n_long = 0
        for positions, pairs in source.pools(SCAN_POOL):
            check = partial(check_sequences, kind=kind, n_features=n_features,
                            allow_empty=self._token_level) if fit else None
            seqs, y, _, long = self._read_pool(pairs, positions, check)
            if seqs.lengths.any():  # the first chunk with elements decides what the others must be
                kind, n_features = seqs.kind, seqs.n_features
            n += len(pairs)
            n_long += long
            n_nonempty += int((seqs.lengths > 0).sum())
            if fit:
                encoder.update(seqs)
                self._update_targets(state, y)
        if n_nonempty == 0:
            raise ValueError("X is empty; expected at least one sequence." if n == 0 else
                             "Every sequence in X is empty; there is nothing to learn from.")
        if n_long:
            self._warn_long(n_long)
        if fit:
            self._fit_input_encoder(encoder)
            self._finish_targets(state, classes)
        return n

    def _read_pool(self, pairs: list, positions: np.ndarray, check_X=None):
        """Validate one pool of streamed pairs (``check_X``: how to check the
        sequences, by default against the fitted encoder) and apply
        ``max_length``. Returns the sequences, their targets, the position of
        each (window of a) sequence, and how many were longer than
        ``max_length``. Errors name the pair's position in the stream."""
        xs, ys = unzip(pairs, positions)
        try:
            seqs, y, owners, n_long = self._validate(xs, ys, warn=False, check_X=check_X)
        except (ValueError, TypeError) as exc:
            raise renumber(exc, positions) from exc
        return seqs, y, positions if owners is None else positions[owners], n_long

    def _encode_pool(self, pairs: list, positions: np.ndarray):
        """One pool of streamed pairs, validated and encoded as ``fit`` encodes
        lists: ``(items, lengths, targets, positions)`` without empty sequences."""
        seqs, y, positions, _ = self._read_pool(pairs, positions)
        try:
            items, lengths, targets, keep = self._encode(seqs, y)
        except (ValueError, TypeError) as exc:
            raise renumber(exc, positions) from exc
        return items, lengths, targets, positions[keep]
