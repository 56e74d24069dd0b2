"""Training for every estimator: the skorch net built with the callbacks the
training budget asks for (validation and early stopping, or the one-cycle
schedule), gradient clipping, checkpoints and the progress bar; the fit run
on it, fresh, continued or resumed from a checkpoint; and what happens when
it is interrupted or runs out of memory."""

from __future__ import annotations

import contextlib
import math
import numbers

import numpy as np
import torch
from sklearn.utils import check_random_state
from skorch.callbacks import EarlyStopping, GradientNormClipping, LRScheduler
from skorch.dataset import ValidSplit

from .._checkpoint import EpochCheckpoint, finish_checkpoint
from .._diagnostics import warn_user
from .._serialization import _plain_module
from ..callbacks import ValidationAccuracy
from ..exceptions import ModelFileError
from ..modules import load_vectors
from ._budget import (
    ACCURACY_MIN_VALIDATION,
    DEFAULT_EPOCHS,
    Budget,
    OneCycleSchedule,
    plan,
    resolve_split,
)
from ._device import resolve_device
from ._net import _Net, _ProgressBar

MIN_SEQUENCES_FOR_VALIDATION = 10
GRADIENT_CLIP_NORM = 1.0
LR_PATIENCE = 2  # epochs without improvement before the learning rate halves
FUSED_OPTIMIZERS = (torch.optim.AdamW, torch.optim.Adam)


class _Training:
    """Building and running the net (mixed into ``BaseSequenceEstimator``,
    which provides the parameters, the fitted encoders and ``_module_kwargs``)."""

    def _split_fraction(self, n_sequences: int):
        """The share held out for validation (None: nothing), or the user's callable."""
        split = resolve_split(self.train_split, n_sequences)
        if isinstance(split, numbers.Real) and n_sequences < MIN_SEQUENCES_FOR_VALIDATION:
            return None
        return split

    def _budget(self, n_sequences: int) -> Budget:
        """Epochs, validation split and schedule of a fit on ``n_sequences`` (see ``_budget``)."""
        return plan(n_sequences, batch_size=self.batch_size, max_epochs=self.max_epochs,
                    train_split=self._split_fraction(n_sequences))

    def _train_split(self, split, n_sequences: int, seed: int, stratify):
        """skorch's ``train_split`` for the fraction (or callable) ``split`` of the fit's budget."""
        if not isinstance(split, numbers.Real):
            return split
        stratified = False
        if stratify is not None:
            counts = np.unique(stratify, return_counts=True)[1]
            n_valid = int(np.ceil(split * n_sequences))
            stratified = counts.min() >= 2 and min(n_valid, n_sequences - n_valid) >= len(counts)
        return ValidSplit(float(split), stratified=bool(stratified), random_state=seed)

    def _build_net(self, n_sequences: int, seed: int, stratify) -> _Net:
        # the parameters the net is built from: what save() records, whatever set_params does later
        self._fitted_params = self.get_params(deep=False)
        budget = self._budget(n_sequences)
        train_split = self._train_split(budget.train_split, n_sequences, seed, stratify)
        net_class, net_kwargs = _Net, {"device": resolve_device(self.device)}
        clipping = GradientNormClipping(GRADIENT_CLIP_NORM)
        if self.accelerator is not None:
            from ._accelerate import AcceleratedNet, AcceleratorGradientClipping

            net_class, clipping = AcceleratedNet, AcceleratorGradientClipping(GRADIENT_CLIP_NORM)
            # the accelerator places the module; batches follow it (net.compute_device)
            net_kwargs = {"accelerator": self.accelerator,
                          "device": None if self.accelerator.device_placement else net_kwargs["device"]}
        extra = [("gradient_clipping", clipping), *self._init_callbacks()]
        if budget.scheduled:
            extra.append(("lr_schedule", OneCycleSchedule(budget.total_steps)))
        else:
            if not self._regression:
                extra.append(("valid_acc", ValidationAccuracy()))
            by_accuracy = self._watches_accuracy(budget.train_split, n_sequences)
            monitor = "valid_acc" if by_accuracy else "valid_loss"
            extra.append(("lr_scheduler", LRScheduler(
                policy="ReduceLROnPlateau", monitor=monitor, mode="max" if by_accuracy else "min",
                factor=0.5, patience=LR_PATIENCE)))
            if self.patience is not None:
                extra.append(("early_stopping", EarlyStopping(
                    monitor=monitor, lower_is_better=not by_accuracy, patience=self.patience,
                    load_best=True)))
        if self.verbose:
            extra.append(("progress_bar", _ProgressBar()))
        if getattr(self, "_checkpoint", None):
            folder, key = self._checkpoint
            extra.append(("epoch_checkpoint", EpochCheckpoint(self, folder, key)))
        kwargs = {f"module__{k}": v for k, v in self._module_kwargs().items()}
        if self.optimizer in FUSED_OPTIMIZERS:
            kwargs["optimizer__fused"] = True  # one kernel per step instead of one per tensor
        if self.compile:
            kwargs["compile__dynamic"] = True  # ragged batches: one graph for every shape
        kwargs.update(self._skorch_kwargs())
        return net_class(
            module=self._module,
            criterion=self._criterion,
            optimizer=self.optimizer,
            lr=self.lr,
            max_epochs=budget.epochs,
            batch_size=self.batch_size,
            train_split=train_split,
            callbacks=list(self.callbacks or []),
            extra_default_callbacks=extra,
            predict_nonlinearity=None,
            verbose=int(self.verbose),
            precision=self.precision,
            compile=self.compile,
            token_targets=self._token_level,
            sampler_seed=seed,
            **net_kwargs,
            **kwargs,
        )

    def _init_callbacks(self) -> list:
        """Named callbacks that set up the module at the start of a fresh fit."""
        return []

    def _build_loaded_net(self) -> None:
        """The net of a model read from a file (whose weights are loaded next)."""
        with torch.random.fork_rng(devices=[]):  # building the net draws weights the file's replace
            # as many sequences as it takes for the validation split to stay on in later partial_fit
            self.net_ = self._build_net(MIN_SEQUENCES_FOR_VALIDATION, seed=0, stratify=None)
            self.net_.initialize()

    def _watches_accuracy(self, split, n_sequences: int) -> bool:
        """Whether early stopping and the plateau schedule watch the validation
        accuracy (else the loss), for a fit holding out ``split`` of ``n_sequences``.

        Accuracy is what users score, and the loss turns before it: on EWT
        the validation loss turns up at epoch 7 while token accuracy climbs to
        epoch 29; sequence classifiers holding out 10% of SST-2, TREC and Subj
        (training data only; accuracy vs loss) reached 79.1% vs 77.4%, 85.7%
        vs 82.2%, 90.3% vs 91.1%. But one decision per sequence on a small
        split is coarse and saturates (27 JapaneseVowels validation sequences
        reach 100% in a few epochs), so sequence estimators watch accuracy
        only from ``ACCURACY_MIN_VALIDATION`` held-out sequences (a split
        given as a callable: the loss). Regressors watch the loss."""
        if self._regression:
            return False
        if self._token_level:  # thousands of validation tokens
            return True
        return isinstance(split, numbers.Real) and math.ceil(split * n_sequences) >= ACCURACY_MIN_VALIDATION

    def _seed(self) -> int:
        return int(check_random_state(self.random_state).randint(np.iinfo(np.int32).max))

    def _train(self, dataset, n_sequences: int, stratify, *, reset: bool, resume, lengths=None):
        """Build (or continue) the skorch net and train it on ``dataset``."""
        seed = self._seed()
        device = self.accelerator.device if self.accelerator is not None else resolve_device(self.device)
        cuda = str(device).startswith("cuda")
        epochs = None
        with torch.random.fork_rng(devices=[torch.cuda.current_device()] if cuda else []):
            torch.manual_seed(seed)
            if reset:
                self.net_ = self._build_net(n_sequences, seed, stratify)
                self.net_.initialize()
                if self._vectors is not None:
                    load_vectors(self.net_.module_, self._vectors[1])
                if resume is not None:
                    epochs = self._remaining_epochs(self.net_.max_epochs, resume)
                    self._restore(resume)
            else:  # continuing: epochs and batch size as set now, the rest as fitted; no schedule
                self.net_.sampler_seed = seed
                self.net_.batch_size = self.batch_size
                self.net_.max_epochs = self._continued_epochs()
                schedule = dict(self.net_.callbacks_).get("lr_schedule")
                if schedule is not None:
                    schedule.active = False
            with self._memory_hint("training", lengths):
                try:
                    self.net_.partial_fit(dataset, y=stratify, epochs=epochs)
                finally:
                    self.net_.skip_epochs = 0  # only the resumed fit skips the epochs it already did
        self._after_training()
        return self

    def _continued_epochs(self) -> int:
        """Epochs of a call that continues training (``partial_fit`` after the
        first, ``warm_start``): ``max_epochs``, or the default number."""
        return DEFAULT_EPOCHS if self.max_epochs is None else self.max_epochs

    @staticmethod
    def _remaining_epochs(total: int, resume: dict | None) -> int:
        """What is left of ``total`` epochs after the checkpoint ``resume`` (None: all of them)."""
        return total if resume is None else max(total - len(resume["history"]), 0)

    def _restore(self, resume: dict) -> None:
        """Put a checkpoint's weights, optimizer state and history into the new net."""
        from skorch.history import History

        try:
            _plain_module(self.net_.module_).load_state_dict(resume["weights"])
            self.net_.optimizer_.load_state_dict(resume["optimizer"])
        except (RuntimeError, ValueError, KeyError) as exc:
            raise ModelFileError(f"The checkpoint does not fit this {type(self).__name__}'s net: {exc}") from None
        self.net_.history = History(resume["history"])
        self.net_.skip_epochs = len(resume["history"])  # the batch orders of the epochs done
        if resume.get("training") is not None:
            dict(self.net_.callbacks_)["epoch_checkpoint"].resume = resume["training"]

    def _after_training(self) -> None:
        if getattr(self.net_, "interrupted_", False):
            # early stopping restored its best epoch (of the metric it watches); without it, the last
            stopper = dict(self.net_.callbacks_).get("early_stopping")
            kept = stopper.best_epoch_ if getattr(stopper, "best_epoch_", 0) else len(self.history_)
            warn_user(
                f"Training was interrupted after epoch {len(self.history_)}; the model holds the weights of "
                f"epoch {kept}." + (" Calling fit again resumes from the checkpoint." if self.checkpoint_dir
                                    else ""), UserWarning)
        elif getattr(self, "_checkpoint", None):
            finish_checkpoint(self._checkpoint[0])

    @contextlib.contextmanager
    def _memory_hint(self, doing: str, lengths=None):
        """Turn an out-of-memory error into one that says what to change."""
        try:
            yield
        except (torch.OutOfMemoryError, MemoryError, RuntimeError) as exc:
            text = str(exc)
            if not isinstance(exc, (torch.OutOfMemoryError, MemoryError)) and not (
                    "out of memory" in text or "can't allocate memory" in text):
                raise
            longest = "" if lengths is None or not len(lengths) else f"longest sequence {int(lengths.max())}, "
            raise MemoryError(
                f"{type(self).__name__} ran out of memory while {doing} (batch_size={self.batch_size}, "
                f"{longest}max_length={self.max_length}). Try a smaller "
                "batch_size, or set max_length to cut long sequences; "
                "precision='bf16' also halves activation memory on a GPU.") from exc
