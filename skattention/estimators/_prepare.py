"""The one path from raw ``X``/``y`` to encoded items, taken by the in-memory
fit, each pool of a streamed fit and prediction alike: **validate** (the
sequences, then the targets against them, then ``max_length``: windows or
truncation), then **encode** (empty sequences left out; the input encoder's
items, with the encoded targets when training)."""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from .._batching import IGNORE_INDEX
from .._diagnostics import warn_user
from .._sequences import Sequences, check_sequences, split_windows, truncate


class Checked(NamedTuple):
    """Validated data: the sequences (after ``max_length``), their checked
    targets (None when predicting), the sequence each window came from (None
    unless windows were cut) and how many sequences were longer than
    ``max_length``."""

    seqs: Sequences
    y: object
    owners: np.ndarray | None
    n_long: int


class Encoded(NamedTuple):
    """Encoded data: one item per non-empty sequence, their lengths, their
    encoded targets (None when predicting) and their positions among the
    validated sequences."""

    items: list
    lengths: np.ndarray
    targets: object
    keep: np.ndarray


class _Preparation:
    """Validation and encoding (mixed into ``BaseSequenceEstimator``, which
    provides the parameters, the fitted input encoder and the target hooks)."""

    def _check_X(self, X, *, fitted: bool) -> Sequences:
        if not fitted:
            return check_sequences(X, allow_empty=self._token_level)
        enc = self.input_encoder_
        return check_sequences(X, kind=enc.kind_, n_features=enc.n_features_, allow_empty=self._token_level,
                               graphs=getattr(enc, "graph_", False),  # files written before graphs: sequences
                               typed=hasattr(enc, "edge_types_"))

    def _validate(self, X, y=None, *, fitted: bool = True, training: bool = True, warn: bool = True,
                  check_X=None) -> Checked:
        """Validate ``X`` (by ``check_X`` when given, else against the fitted
        encoder, or freely before the first fit), then, in training, ``y``
        against it, then apply ``max_length``."""
        seqs = check_X(X) if check_X is not None else self._check_X(X, fitted=fitted)
        if training:
            y = self._check_targets(y, seqs)
        n_long = 0 if self.max_length is None else int((seqs.lengths > self.max_length).sum())
        seqs, y, owners = self._limit_length(seqs, y, training=training, warn=warn)
        return Checked(seqs, y, owners, n_long)

    def _encode(self, seqs: Sequences, y=None) -> Encoded:
        """Encode the non-empty sequences of validated ``seqs`` (and their
        targets ``y``, when training; None when predicting) for the module."""
        targets = None if y is None else self._encode_targets(y)
        keep = np.flatnonzero(seqs.lengths > 0)
        kept = seqs.subset(keep)
        if targets is not None:
            targets = [targets[i] for i in keep] if isinstance(targets, list) else targets[keep]
        return Encoded(self._input_items(kept, targets), kept.lengths, targets, keep)

    def _input_items(self, seqs: Sequences, targets=None) -> list[dict]:
        """The module's inputs for each sequence (targets: training only)."""
        return self.input_encoder_.transform(seqs)

    def _target_pad(self):
        return np.nan if self._regression else IGNORE_INDEX

    def _limit_length(self, seqs: Sequences, y=None, *, training: bool = True, warn: bool = True):
        """Apply ``max_length``: token estimators split longer sequences into
        windows (targets too), sequence estimators keep their first
        ``max_length`` elements. Returns the sequences, their targets and the
        window owners (None unless windows were cut). Warns with the count
        (unless ``warn`` is False), except when predicting through windows,
        which loses no output."""
        if self.max_length is None or not len(seqs) or seqs.lengths.max() <= self.max_length:
            return seqs, y, None
        if seqs.edges is not None:
            i = int(np.flatnonzero(seqs.lengths > self.max_length)[0])
            raise ValueError(f"X[{i}] is a graph of {int(seqs.lengths[i])} nodes, more than max_length="
                             f"{self.max_length}; a graph cannot be cut into windows: raise max_length or "
                             "set it to None.")
        long = int((seqs.lengths > self.max_length).sum())
        owners = None
        if self._windowed:
            seqs, y, owners = split_windows(seqs, y, self.max_length)
        else:
            seqs = truncate(seqs, self.max_length)
        if warn and (training or not self._windowed):
            self._warn_long(long)
        return seqs, y, owners

    def _warn_long(self, count: int) -> None:
        action = "split into windows of at most" if self._windowed else "truncated to their first"
        warn_user(f"{count} sequence(s) longer than max_length={self.max_length} were {action} "
                  f"{self.max_length} elements.", UserWarning)
