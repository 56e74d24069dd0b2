"""The estimators' parameters: one table of checks (in the spirit of
scikit-learn's ``_parameter_constraints``) run by ``fit`` and by model-file
loading, the cross-parameter rules, skorch's prefixed parameters passed
through, and unknown names refused as Python refuses them."""

from __future__ import annotations

import inspect
import numbers
from os import PathLike

import numpy as np
import torch
from skorch.callbacks import Callback

from .._pretrained import is_embeddings
from ..attention import SCORES
from ..modules import ENCODERS
from ._device import check_device
from ._net import PRECISIONS

SKORCH_PREFIXES = ("module", "criterion", "optimizer", "iterator_train", "iterator_valid", "callbacks", "dataset",
                   "compile")


def _check_passthrough(cls, kwargs: dict) -> None:
    """Unknown constructor arguments are a ``TypeError``, as Python gives for
    any other class; only skorch's prefixed parameters pass through."""
    import difflib

    for key in kwargs:
        if "__" in key and key.split("__")[0] in SKORCH_PREFIXES:
            continue
        known = [p for p in inspect.signature(cls.__init__).parameters if p not in ("self", "kwargs")]
        close = difflib.get_close_matches(key, known, n=1)
        hint = f" Did you mean {close[0]!r}?" if close else ""
        if "__" in key:
            hint = f" Double-underscore parameters must start with one of {SKORCH_PREFIXES}." + hint
        raise TypeError(f"{cls.__name__}.__init__() got an unexpected keyword argument {key!r}.{hint}")


def _is_int(value, low) -> bool:
    return isinstance(value, numbers.Integral) and not isinstance(value, bool) and value >= low


def _is_float_in(value, low, high) -> bool:
    return isinstance(value, numbers.Real) and not isinstance(value, bool) and low <= value < high


class _Parameters:
    """Parameter handling (mixed into ``BaseSequenceEstimator``; subclasses
    add their rows to :meth:`_param_checks`)."""

    def _skorch_kwargs(self) -> dict:
        return {k: v for k, v in vars(self).items() if "__" in k and not k.endswith("_")}

    def get_params(self, deep: bool = True) -> dict:
        params = super().get_params(deep=deep)
        params.update(self._skorch_kwargs())
        return params

    def set_params(self, **params):
        passthrough = {k: v for k, v in params.items() if "__" in k and k.split("__")[0] in SKORCH_PREFIXES}
        for key, value in passthrough.items():
            setattr(self, key, value)
        rest = {k: v for k, v in params.items() if k not in passthrough}
        return super().set_params(**rest) if rest else self

    def _param_checks(self) -> dict:
        return {
            "encoder": (lambda v: isinstance(v, str) and v in ENCODERS, f"one of {tuple(ENCODERS)}"),
            "attention": (lambda v: v in SCORES, f"one of {SCORES}"),
            "d_model": (lambda v: _is_int(v, 2), "an int >= 2"),
            "n_heads": (lambda v: _is_int(v, 1), "an int >= 1"),
            "n_layers": (lambda v: _is_int(v, 1), "an int >= 1"),
            "dropout": (lambda v: _is_float_in(v, 0, 1), "a float in [0, 1)"),
            "max_epochs": (lambda v: v is None or _is_int(v, 1), "None or an int >= 1"),
            "batch_size": (lambda v: _is_int(v, 1) or v == -1, "an int >= 1 (or -1 for one batch)"),
            "lr": (lambda v: _is_float_in(v, 0, np.inf) and v > 0, "a float > 0"),
            "train_split": (
                lambda v: v is None or v == "auto" or callable(v) or (_is_float_in(v, 0, 1) and v > 0),
                "'auto', None, a float in (0, 1) or a skorch train_split callable",
            ),
            "patience": (lambda v: v is None or _is_int(v, 1), "None or an int >= 1"),
            "verbose": (lambda v: _is_int(v, 0) or isinstance(v, bool), "an int >= 0"),
            "precision": (lambda v: isinstance(v, str) and v in PRECISIONS, f"one of {tuple(PRECISIONS)}"),
            "compile": (lambda v: isinstance(v, bool), "a bool"),
            "accelerator": (lambda v: v is None or all(hasattr(v, a) for a in ("prepare", "autocast", "backward")),
                            "None or an accelerate.Accelerator"),
            "max_length": (lambda v: v is None or _is_int(v, 1), "None or an int >= 1"),
            "checkpoint_dir": (lambda v: v is None or isinstance(v, (str, PathLike)), "None or a folder path"),
            "embeddings": (is_embeddings, "None, a {token: vector} mapping, a (tokens, matrix) pair or a gensim "
                           "KeyedVectors"),
            "freeze_embeddings": (lambda v: isinstance(v, bool), "a bool"),
        }

    def _validate_params(self) -> None:
        name = type(self).__name__
        for param, (ok, expected) in self._param_checks().items():
            value = getattr(self, param)
            if not ok(value):
                raise ValueError(f"The {param!r} parameter of {name} must be {expected}; got {value!r}.")
        if self.accelerator is not None and self.precision != "32":
            raise ValueError(f"With an accelerator, mixed precision is the accelerator's: leave precision='32' and "
                             f"create it as Accelerator(mixed_precision='bf16'); got precision={self.precision!r}.")
        if ENCODERS[self.encoder].uses_heads and self.d_model % self.n_heads:
            raise ValueError(f"d_model={self.d_model} must be divisible by n_heads={self.n_heads}.")
        if ENCODERS[self.encoder].even_width and self.d_model % 2:
            raise ValueError(f"encoder={self.encoder!r} needs an even d_model, got {self.d_model}.")
        _check_passthrough(type(self), self._skorch_kwargs())
        check_device(self.device, name)
        optimizer = self.optimizer
        if not (isinstance(optimizer, type) and issubclass(optimizer, torch.optim.Optimizer)) and \
                not (callable(optimizer) and not isinstance(optimizer, type)):
            raise TypeError(f"The 'optimizer' parameter of {name} must be a torch optimizer class such as "
                            f"torch.optim.AdamW (its arguments go in optimizer__*), got {optimizer!r}.")
        if self.callbacks is not None and not isinstance(self.callbacks, (list, tuple)):
            raise TypeError(f"The 'callbacks' parameter of {name} must be a list of skorch callbacks or (name, "
                            f"callback) pairs, got a {type(self.callbacks).__name__}.")
        for i, cb in enumerate([] if self.callbacks is None else self.callbacks):
            item = cb[1] if isinstance(cb, tuple) and len(cb) == 2 and isinstance(cb[0], str) else cb
            if not isinstance(item, Callback) and not (isinstance(item, type) and issubclass(item, Callback)):
                raise TypeError(f"callbacks[{i}] of {name} is a {type(item).__name__}; callbacks must be skorch "
                                "Callback instances or (name, callback) pairs.")

    @classmethod
    def _check_device(cls, device) -> None:
        """A ``ValueError`` that says what is wrong with ``device`` and what is available."""
        check_device(device, cls.__name__)
