"""The skorch net under every estimator: ragged batches, mixed precision,
host-to-device copies, the loss of models with auxiliary outputs, and the
safety nets of training (a non-finite loss, Ctrl-C), plus skorch's progress
bar over streamed data. The estimators build it (``_base``); it knows
nothing of their parameters."""

from __future__ import annotations

import contextlib
import math

import torch
from skorch import NeuralNet
from skorch.callbacks import ProgressBar
from skorch.dataset import unpack_data
from skorch.utils import TeeGenerator

from .._batching import make_loader
from .._streaming import BatchStream
from ..exceptions import TrainingDivergedError
from ..modules import WithAuxiliary

PRECISIONS = {"32": None, "bf16": torch.bfloat16, "16": torch.float16}


class _Net(NeuralNet):
    """skorch ``NeuralNet`` over encoded ragged data: length-bucketed batches, a
    padding collate, mixed precision and asynchronous host→device copies.
    Everything else (callbacks, history, checkpoints, ``module__*`` /
    ``optimizer__*`` parameters, ``compile``) is plain skorch.

    Per batch it does no more than a hand-written loop: the loss stays on the
    device until the epoch ends (no ``.item()`` synchronisation per batch),
    batches from pinned memory are copied with ``non_blocking=True``, and the
    batch size comes from ``lengths`` instead of a scan of the inputs.
    """

    def __init__(self, *args, sampler_seed=None, token_targets=True, extra_default_callbacks=(),
                 precision="32", **kwargs):
        super().__init__(*args, **kwargs)
        self.sampler_seed = sampler_seed
        self.token_targets = token_targets
        self.extra_default_callbacks = extra_default_callbacks
        self.precision = precision
        self.skip_epochs = 0  # a resumed fit: epochs whose batch orders the training iterator skips

    def get_default_callbacks(self):
        # ours go before the epoch table so that what they record is printed
        defaults = list(super().get_default_callbacks())
        pos = [name for name, _ in defaults].index("print_log")
        return defaults[:pos] + list(self.extra_default_callbacks) + defaults[pos:]

    @property
    def compute_device(self):
        """Where batches go (the accelerator's device when one is used)."""
        return self.device

    @property
    def _cuda(self) -> bool:
        return str(self.compute_device).startswith("cuda")

    def get_split_datasets(self, X, y=None, **fit_params):
        if isinstance(X, BatchStream):  # streamed data carry their own (hash) split
            return X.split()
        return super().get_split_datasets(X, y, **fit_params)

    def get_iterator(self, dataset, training=False):
        kwargs = self.get_params_for("iterator_train" if training else "iterator_valid")
        batch_size = kwargs.pop("batch_size", self.batch_size)
        kwargs.pop("shuffle", None)
        kwargs.setdefault("pin_memory", self._cuda)
        skip = getattr(self, "skip_epochs", 0) if training else 0  # nets pickled before it existed: 0
        if isinstance(dataset, BatchStream):
            batches = dataset.batches(batch_size, shuffle=training, seed=self.sampler_seed,
                                      pool_factor=kwargs.get("pool_factor", 50), pin_memory=kwargs["pin_memory"])
            batches.epoch = skip
            return batches
        if batch_size == -1:
            batch_size = len(dataset)
        loader = make_loader(dataset, batch_size, shuffle=training, seed=self.sampler_seed,
                             token_targets=self.token_targets, **kwargs)
        for _ in range(skip):  # draw the orders of the epochs done, so the next one is the order it would have had
            loader.batch_sampler.batches()
        return loader

    # ---------------------------------------------------------- precision
    def initialize(self):
        super().initialize()
        fp16 = self.precision == "16"
        self.grad_scaler_ = torch.amp.GradScaler(str(torch.device(self.device).type)) if fp16 else None
        return self

    def autocast(self):
        """The autocast context of ``precision`` (a no-op for ``'32'``)."""
        dtype = PRECISIONS[getattr(self, "precision", "32")]  # nets pickled before precision existed
        if dtype is None:
            return contextlib.nullcontext()
        return torch.autocast(torch.device(self.compute_device).type, dtype=dtype)

    def infer(self, x, **fit_params):
        x = x.to(self.compute_device, non_blocking=self._cuda)  # a Batch: lengths stay on the host
        with self.autocast():
            return self.module_(x, **fit_params)

    def get_loss(self, y_pred, y_true, X=None, training=False):
        y_true = y_true.to(self.compute_device, non_blocking=self._cuda)
        if isinstance(y_pred, WithAuxiliary):  # parts of the model that fit the targets on their own too
            return sum((self.get_loss(p, y_true, X, training) for p in y_pred.auxiliary),
                       self.get_loss(y_pred.output, y_true, X, training))
        y_pred = y_pred.float() if torch.is_floating_point(y_pred) else y_pred
        return self.criterion_(y_pred, y_true)

    def train_step_single(self, batch, **fit_params):
        self._set_training(True)
        Xi, yi = unpack_data(batch)
        y_pred = self.infer(Xi, **fit_params)
        loss = self.get_loss(y_pred, yi, X=Xi, training=True)
        scaler = getattr(self, "grad_scaler_", None)
        (loss if scaler is None else scaler.scale(loss)).backward()
        return {"loss": loss, "y_pred": y_pred}

    def train_step(self, batch, **fit_params):
        scaler = getattr(self, "grad_scaler_", None)
        if scaler is None:
            return super().train_step(batch, **fit_params)
        self._zero_grad_optimizer()
        step = self.train_step_single(batch, **fit_params)
        for name in self._optimizers:
            scaler.unscale_(getattr(self, name + "_"))  # clip true gradients, not scaled ones
        self.notify("on_grad_computed", named_parameters=TeeGenerator(self.get_all_learnable_params()),
                    batch=batch, training=True)
        for name in self._optimizers:
            scaler.step(getattr(self, name + "_"))
        scaler.update()
        return step

    # ------------------------------------------------------- safety nets
    def _snapshot(self):
        """Keep the weights (on their device) as the last good ones."""
        self.last_good_weights_ = {k: v.detach().clone() for k, v in self.module_.state_dict().items()}

    def on_train_begin(self, net, X=None, y=None, **kwargs):
        super().on_train_begin(net, X=X, y=y, **kwargs)
        self._snapshot()

    def on_epoch_end(self, net, dataset_train=None, dataset_valid=None, **kwargs):
        super().on_epoch_end(net, dataset_train=dataset_train, dataset_valid=dataset_valid, **kwargs)
        self._snapshot()

    def _check_finite(self, values, prefix):
        bad = next((i for i, v in enumerate(values) if not math.isfinite(v)), None)
        if bad is None:
            return
        epoch = len(self.history)
        self.module_.load_state_dict(self.last_good_weights_)
        raise TrainingDivergedError(
            f"The {prefix} loss became {values[bad]} at epoch {epoch} (batch {bad + 1} of {len(values)}), so "
            f"training stopped; the model keeps the weights it had after epoch {epoch - 1}. Lower lr, look "
            "for extreme target values, or use precision='32'.")

    def fit_loop(self, X, y=None, epochs=None, **fit_params):
        self.interrupted_ = False
        try:
            return super().fit_loop(X, y, epochs=epochs, **fit_params)
        except KeyboardInterrupt:
            # skorch's EarlyStopping stops by raising KeyboardInterrupt too; anything else is the user
            stopper = dict(self.callbacks_).get("early_stopping")
            self.interrupted_ = stopper is None or getattr(stopper, "misses_", 0) < stopper.patience
            raise

    # ------------------------------------------------------------ the loop
    def run_single_epoch(self, iterator, training, prefix, step_fn, **fit_params):
        if iterator is None:
            return
        batch_count = 0
        for batch in iterator:
            self.notify("on_batch_begin", batch=batch, training=training)
            step = step_fn(batch, **fit_params)
            self.history.record_batch(prefix + "_loss", step["loss"].detach())
            self.history.record_batch(prefix + "_batch_size", len(batch[0]))
            self.notify("on_batch_end", batch=batch, training=training, **step)
            batch_count += 1
        # one synchronisation per epoch instead of one per batch
        key = prefix + "_loss"
        pending = [b for b in self.history[-1]["batches"] if isinstance(b.get(key), torch.Tensor)]
        if pending:
            values = torch.stack([b[key] for b in pending]).float().cpu().tolist()
            for b, value in zip(pending, values):
                b[key] = value
            self._check_finite(values, prefix)
        self.history.record(prefix + "_batch_count", batch_count)


class _ProgressBar(ProgressBar):
    """skorch's progress bar, also over streamed data, whose length is
    unknown: the first epoch counts its batches, later epochs show them as
    the total."""

    def _get_batches_per_epoch(self, net, dataset_train, dataset_valid):
        if not isinstance(dataset_train, BatchStream):
            return super()._get_batches_per_epoch(net, dataset_train, dataset_valid)
        if len(net.history) < 2:
            return None
        previous = net.history[-2]
        return previous.get("train_batch_count", 0) + previous.get("valid_batch_count", 0)
