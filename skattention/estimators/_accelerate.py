"""Training through Hugging Face Accelerate: skorch's ``AccelerateMixin`` on
the estimators' net, selected by the ``accelerator`` parameter.

Under ``accelerate launch`` every process trains on its own shard of each
epoch's training batches (distributed data parallel), while every process
evaluates the whole validation split, so that learning-rate and early-stopping
decisions agree across processes without gathering padded outputs. Mixed
precision is the accelerator's (``Accelerator(mixed_precision="bf16")``).
"""

from __future__ import annotations

import warnings

import torch
from skorch.callbacks import Callback, LRScheduler
from skorch.exceptions import DeviceWarning
from skorch.hf import AccelerateMixin
from torch.utils.data import DataLoader

from ._net import _Net


class AcceleratorGradientClipping(Callback):
    """Clip the gradient norm through the accelerator, which unscales fp16
    gradients first (clipping scaled gradients would clip nothing)."""

    def __init__(self, max_norm: float):
        self.max_norm = max_norm

    def on_grad_computed(self, net, named_parameters, **kwargs):
        net.accelerator.clip_grad_norm_([p for _, p in named_parameters], self.max_norm)


class AcceleratedNet(AccelerateMixin, _Net):
    """The estimators' net with :class:`skorch.hf.AccelerateMixin`.

    The modules stay prepared (wrapped) for the whole of a training run,
    callbacks included, so that early stopping restores its best weights into
    the same wrapping it saved them from; they are unwrapped when the run
    ends and prepared again when training continues (``warm_start``,
    ``partial_fit``).
    """

    def __init__(self, *args, **kwargs):
        kwargs["unwrap_after_train"] = False  # unwrapped by fit_loop, after the callbacks
        # the epoch table: printed by the main process only, and only with verbose (skorch's PrintLog
        # calls any sink but print unconditionally)
        kwargs.setdefault("callbacks__print_log__sink", kwargs["accelerator"].print if kwargs.get("verbose")
                          else print)
        super().__init__(*args, **kwargs)

    def __setstate__(self, state):
        with warnings.catch_warnings():  # device=None means "the accelerator's": nothing to warn about
            warnings.simplefilter("ignore", DeviceWarning)
            super().__setstate__(state)

    @property
    def compute_device(self) -> torch.device:
        return self.accelerator.device

    def get_iterator(self, dataset, training=False):
        iterator = _Net.get_iterator(self, dataset, training=training)
        if training and isinstance(iterator, DataLoader):
            # shard the training batches; batches are moved to the device by infer, lengths stay on the host
            iterator = self.accelerator.prepare_data_loader(iterator, device_placement=False)
        return iterator

    def evaluation_step(self, batch, training=False):
        # every process evaluates the whole validation split: nothing to gather
        return _Net.evaluation_step(self, batch, training=training)

    def _prepare_modules(self) -> None:
        """Prepare the modules and criteria that have trainable parameters
        (DistributedDataParallel refuses a parameterless loss, which skorch's
        mixin would hand it)."""
        if self._wrapped_with_accelerator:
            return
        for name in self._modules + self._criteria:
            module = getattr(self, name + "_")
            if isinstance(module, torch.nn.Module) and any(p.requires_grad for p in module.parameters()):
                setattr(self, name + "_", self.accelerator.prepare(module))
        self._wrapped_with_accelerator = True

    def _initialize_accelerator(self):
        if self._wrapped_with_accelerator:
            return self
        self._prepare_modules()
        for name in self._optimizers:
            setattr(self, name + "_", self.accelerator.prepare(getattr(self, name + "_")))
        for _, callback in self.callbacks_:
            if isinstance(callback, LRScheduler):
                callback.policy_ = self.accelerator.prepare(callback.policy_)
        return self

    def fit_loop(self, X, y=None, epochs=None, **fit_params):
        self._prepare_modules()
        try:
            return super().fit_loop(X, y, epochs=epochs, **fit_params)
        finally:
            self._unwrap_accelerator()
