"""The training budget: how many epochs, whether to hold out a validation
split, and the learning-rate schedule, chosen from the size of the data.

Early stopping needs a validation split large enough to tell a better epoch
from noise, and a budget counted in epochs means little when an epoch is two
optimiser steps. So the defaults follow one rule (the user guide's
"Training budget"):

* with at least :data:`VALIDATION_MIN_SEQUENCES` training sequences,
  ``train_split="auto"`` holds out :data:`VALID_FRACTION` of them; the
  learning rate halves on a validation plateau and training stops early
  (``patience``), as it always has;
* with fewer, there is no validation split: every sequence trains, for a
  fixed budget, with a one-cycle schedule (a linear warm-up over the first
  :data:`WARMUP_FRACTION` of the steps to ``lr``, then a cosine decay to
  zero), the schedule of a fixed budget that needs no validation signal;
* ``max_epochs=None`` trains for at least :data:`DEFAULT_EPOCHS` epochs and
  at least :data:`MIN_STEPS` optimiser steps, at most :data:`MAX_EPOCHS`
  epochs. A number of epochs set by the user is honoured as it is.

The one-cycle schedule also applies when the user turns validation off
(``train_split=None``). It is a pure function of the step count, so a fit
resumed from a checkpoint continues it where it was; ``partial_fit`` and
``warm_start`` calls after the first train at ``lr`` with no schedule.
"""

from __future__ import annotations

import math
import numbers
from dataclasses import dataclass

from skorch.callbacks import Callback

VALIDATION_MIN_SEQUENCES = 2000
VALID_FRACTION = 0.1
DEFAULT_EPOCHS = 30
MIN_STEPS = 1000
MAX_EPOCHS = 1000
WARMUP_FRACTION = 0.1
#: a sequence estimator's validation split watches accuracy from this many held-out sequences (what
#: "auto" holds out from VALIDATION_MIN_SEQUENCES); on fewer, one decision per sequence is too coarse
ACCURACY_MIN_VALIDATION = 200


@dataclass(frozen=True)
class Budget:
    """What one fit trains for: ``train_split`` (a fraction, a callable or
    None), ``epochs``, and ``scheduled`` (the one-cycle schedule, used when
    nothing is held out)."""

    train_split: object
    epochs: int
    steps_per_epoch: int

    @property
    def scheduled(self) -> bool:
        return self.train_split is None

    @property
    def total_steps(self) -> int:
        return self.epochs * self.steps_per_epoch


def resolve_split(train_split, n_sequences: int):
    """``"auto"`` becomes :data:`VALID_FRACTION` or None; anything else stays."""
    if isinstance(train_split, str):  # "auto", checked by the estimator's parameter checks
        return VALID_FRACTION if n_sequences >= VALIDATION_MIN_SEQUENCES else None
    return train_split


def plan(n_sequences: int, *, batch_size: int, max_epochs: int | None, train_split) -> Budget:
    """The budget of a fit on ``n_sequences`` sequences.

    Examples
    --------
    >>> plan(50, batch_size=32, max_epochs=None, train_split="auto")
    Budget(train_split=None, epochs=500, steps_per_epoch=2)
    >>> plan(12544, batch_size=32, max_epochs=None, train_split="auto")
    Budget(train_split=0.1, epochs=30, steps_per_epoch=353)
    >>> plan(50, batch_size=32, max_epochs=8, train_split=0.2).epochs
    8
    """
    split = resolve_split(train_split, n_sequences)
    n_train = n_sequences
    if isinstance(split, numbers.Real):
        n_train = n_sequences - math.ceil(split * n_sequences)
    n_train = max(n_train, 1)
    per_epoch = 1 if batch_size == -1 else math.ceil(n_train / batch_size)
    if max_epochs is None:
        epochs = min(max(DEFAULT_EPOCHS, math.ceil(MIN_STEPS / per_epoch)), MAX_EPOCHS)
    else:
        epochs = int(max_epochs)
    return Budget(split, epochs, per_epoch)


def one_cycle(step: int, total: int) -> float:
    """The learning-rate factor at optimiser step ``step`` of ``total``:
    linear warm-up, then cosine decay to zero.

    Examples
    --------
    >>> [round(one_cycle(s, 100), 3) for s in (0, 5, 10, 55, 99)]
    [0.1, 0.6, 1.0, 0.491, 0.0]
    """
    warmup = max(1, round(WARMUP_FRACTION * total))
    if step < warmup:
        return (step + 1) / warmup
    progress = (step - warmup) / max(total - warmup - 1, 1)
    return 0.5 * (1.0 + math.cos(math.pi * min(progress, 1.0)))


class OneCycleSchedule(Callback):
    """Set each optimiser group's learning rate before every training step
    from :func:`one_cycle`, counting the steps already in the net's history
    (so a fit resumed from a checkpoint continues the schedule). Each group
    keeps its base rate as ``"base_lr"``, which the optimiser's state (and so
    a checkpoint) carries.

    ``active=False`` (continued training: ``partial_fit``, ``warm_start``)
    trains at the base learning rate."""

    def __init__(self, total_steps: int, active: bool = True):
        self.total_steps = total_steps
        self.active = active

    def on_train_begin(self, net, **kwargs):
        for group in net.optimizer_.param_groups:
            group.setdefault("base_lr", group["lr"])
            if not self.active:
                group["lr"] = group["base_lr"]
        self.step_ = int(sum(row.get("train_batch_count", 0) for row in net.history))

    def on_batch_begin(self, net, training=False, **kwargs):
        if not (training and self.active):
            return
        factor = one_cycle(self.step_, self.total_steps)
        for group in net.optimizer_.param_groups:
            group["lr"] = group["base_lr"] * factor
        self.step_ += 1
