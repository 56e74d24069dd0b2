"""Prediction for every estimator: ``X`` validated once and cut into
length-bucketed batches, the module run under inference mode at the
precision set now, outputs checked for NaN, unpadded and, for windowed token
estimators, stitched back into one output per sequence."""

from __future__ import annotations

import contextlib

import numpy as np
import torch

from .._batching import BucketBatchSampler, Collate, unpad
from ..exceptions import NonFinitePredictionError
from ._net import PRECISIONS

# prediction batches hold up to batch_size * this many padded elements: short
# sequences travel in large batches, long ones in small
PREDICT_ELEMENTS_PER_SEQUENCE = 64


def _all_finite(out: torch.Tensor, lengths=None) -> torch.Tensor:
    """Whether a batch's outputs are finite, ignoring padded positions."""
    ok = torch.isfinite(out)
    if lengths is not None:  # (batch, length, ...): padded positions may hold anything
        ok = ok.reshape(*ok.shape[:2], -1).all(-1)
        ok = ok | (torch.arange(ok.shape[1], device=ok.device)[None, :] >= torch.as_tensor(lengths).to(ok.device)[:, None])
    return ok.all()


def _stitch(pieces: list, owners: np.ndarray, attention: bool) -> list:
    """Join the outputs of consecutive windows back into one per sequence.
    Attention becomes block-diagonal: windows never attend across their
    boundaries."""
    grouped: list[list] = [[] for _ in range(int(owners.max()) + 1 if len(owners) else 0)]
    for owner, piece in zip(owners, pieces):
        grouped[owner].append(piece)
    if not attention:
        return [np.concatenate(group, axis=0) for group in grouped]
    joined = []
    for group in grouped:
        total = sum(p.shape[-1] for p in group)
        block = np.zeros(group[0].shape[:-2] + (total, total), dtype=group[0].dtype)
        start = 0
        for p in group:
            block[..., start:start + p.shape[-1], start:start + p.shape[-1]] = p
            start += p.shape[-1]
        joined.append(block)
    return joined


class _Prediction:
    """The estimators' prediction path (mixed into ``BaseSequenceEstimator``,
    which provides ``_validate`` and ``_encode`` (``_prepare``),
    ``_memory_hint`` and the fitted net)."""

    def _predict_batches(self, X):
        """Validate ``X`` once (and apply ``max_length``); return the number of
        sequences to predict, an iterator over ``(positions, lengths, padded
        batch)`` in decreasing length (run it inside :meth:`_inference`), and
        the window owners (None unless token estimators cut sequences into
        windows). Empty sequences are left out (their positions never
        appear).

        Batches hold up to ``batch_size * PREDICT_ELEMENTS_PER_SEQUENCE``
        padded elements."""
        self._check_fitted()
        seqs, _, owners, _ = self._validate(X, training=False)
        items, lengths, _, keep = self._encode(seqs)  # all at once: a tight loop, not interleaved with the model
        batch_size = self.batch_size if self.batch_size > 0 else max(len(items), 1)
        max_tokens = None if self.batch_size <= 0 else batch_size * PREDICT_ELEMENTS_PER_SEQUENCE
        sampler = BucketBatchSampler(lengths, batch_size, shuffle=False, max_tokens=max_tokens)
        pin = self.net_._cuda
        collate = Collate()

        def prepare():
            for batch in sampler.batches():
                Xb, _ = collate([(items[i], None) for i in batch])
                if pin:  # page-locked, so that the copy to the GPU runs asynchronously
                    Xb = Xb.pin_memory()
                yield keep[batch], lengths[batch], Xb

        return len(seqs), prepare(), owners

    @contextlib.contextmanager
    def _inference(self):
        """Eval mode, no autograd, ``precision`` as set now, and a useful
        message if memory runs out."""
        module = self.net_.module_
        was_training = module.training
        module.eval()
        self._check_precision()
        self.net_.precision = self.precision  # an inference setting: set_params after fit takes effect
        try:
            with torch.inference_mode(), self._memory_hint("predicting"):
                yield
        finally:
            module.train(was_training)

    def _check_precision(self) -> None:
        if not (isinstance(self.precision, str) and self.precision in PRECISIONS):
            raise ValueError(f"The 'precision' parameter of {type(self).__name__} must be one of "
                             f"{tuple(PRECISIONS)}; got {self.precision!r}.")

    def _forward(self, X, *, attention: bool = False, transform=None) -> list[np.ndarray]:
        """Run the module over ``X``; one array per sequence. ``transform``
        (default :meth:`_output_transform`) maps each batch's output tensor
        before it leaves the device (``argmax`` for labels, say)."""
        n, batches, owners = self._predict_batches(X)
        axes = self.net_.module_.attention_axes if attention else (1,) if self._token_level else ()
        labels = transform is not None
        transform = transform or self._output_transform
        results: list = [None] * n
        finite = []  # one flag per batch, kept on the device: a single synchronisation at the end
        with self._inference():
            for positions, lengths, Xb in batches:
                out = self.net_.infer(Xb, return_attention=attention)
                # with attention, the outputs computed from the weights: NaN weights make NaN outputs
                finite.append(_all_finite(out[0] if attention else out, lengths if self._token_level else None))
                out = out[1] if attention else transform(out)
                out = (out.float() if torch.is_floating_point(out) else out).cpu().numpy()
                for i, piece in zip(positions, unpad(out, lengths, axes) if axes else list(out)):
                    results[i] = piece
        if finite and not bool(torch.stack(finite).all()):
            raise self._non_finite_error()
        if any(r is None for r in results):
            template = self._empty_output(attention)
            if labels and not attention:
                template = np.zeros(template.shape[:-1], dtype=np.int64)
            results = [template if r is None else r for r in results]
        return results if owners is None else _stitch(results, owners, attention)

    def _non_finite_error(self) -> NonFinitePredictionError:
        return NonFinitePredictionError(
            f"{type(self).__name__} computed NaN or infinite outputs, so it returns no predictions"
            + (f" (precision={self.precision!r}: float16 overflows past 65504, as it does on inputs far "
               "outside the training range; predict with set_params(precision='32') or 'bf16')"
               if self.precision == "16" else " (are the inputs far outside the training range?)") + ".")

    def _output_transform(self, out):
        return out

    def _empty_output(self, attention: bool) -> np.ndarray:
        if attention:
            return np.zeros((self.n_heads, 0, 0), dtype=np.float32)
        return np.zeros((0, self._n_outputs()), dtype=np.float32)
