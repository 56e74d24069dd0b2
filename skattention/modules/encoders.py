"""Sequence encoders sharing one interface:
``forward(x, lengths, mask, need_weights, pairwise) -> (hidden (B, T, D), weights or None)``,
where ``weights`` is the last self-attention layer's ``(B, H, T, T)``,
``mask`` is None when no sequence in the batch is padded, and ``pairwise``
(None, or what :func:`~skattention.modules.models.pairwise_mask` makes of a
batch's pairwise term: ``(B, T, T)``, padding already merged in) takes the
place of ``mask`` in self-attention.

They are found by name in :data:`ENCODERS`, a registry: each class says how
it is built from the shared model sizes (``build``) and what it needs and
gives (``uses_heads``: ``d_model`` must divide into heads; ``even_width``:
``d_model`` must be even; ``positional``: it takes a positional encoding;
``bidirectional``: its states read both directions; ``ordered``: it reads
the elements' order by itself, so it cannot take graphs). A new encoder is one
subclass of :class:`Encoder` (which holds the defaults of a self-attention
stack) plus :func:`register_encoder`.
"""

from __future__ import annotations

import torch
from torch import nn

from ..attention import TransformerLayer, make_positional

#: name -> encoder class (see :func:`register_encoder`)
ENCODERS: dict = {}


def file_under(table: dict, name: str):
    """A class decorator that files the class in the registry ``table`` as ``name``."""
    def register(cls):
        table[name] = cls
        return cls
    return register


def register_encoder(name: str):
    """Class decorator: make an encoder available as ``encoder=name``."""
    return file_under(ENCODERS, name)


class Encoder(nn.Module):
    """What a registered encoder declares, with the defaults of a
    self-attention stack: it has self-attention, ``d_model`` divides into
    heads, and :meth:`build` passes the shared sizes on in order."""

    has_attention = True
    uses_heads, even_width, positional, bidirectional = True, False, False, False
    #: whether it reads the order of the elements by itself (a recurrence does; a graph's nodes have none)
    ordered = False

    @classmethod
    def build(cls, d_model, n_heads, n_layers, dropout, score, **kwargs):
        """The encoder from the model sizes every estimator has."""
        return cls(d_model, n_heads, n_layers, dropout, score, **kwargs)


@register_encoder("transformer")
class TransformerEncoder(Encoder):
    """Positions plus a stack of pre-norm self-attention layers."""

    positional = True

    def __init__(self, d_model: int, n_heads: int = 4, n_layers: int = 2, dropout: float = 0.1,
                 score: str = "scaled_dot", positional: str | None = "sinusoidal", max_len: int = 512):
        super().__init__()
        self.positions = make_positional(positional, d_model, max_len)
        self.layers = nn.ModuleList(TransformerLayer(d_model, n_heads, dropout, score) for _ in range(n_layers))
        self.norm = nn.LayerNorm(d_model)

    def forward(self, x, lengths, mask, need_weights: bool = False, pairwise=None):
        x = self.positions(x)
        weights = None
        attend = mask if pairwise is None else pairwise
        for i, layer in enumerate(self.layers):
            x, weights = layer(x, attend, need_weights and i == len(self.layers) - 1)
        return self.norm(x), weights


def reverse_padded(x: torch.Tensor, lengths: torch.Tensor) -> torch.Tensor:
    """Reverse the first ``lengths[b]`` steps of each sequence of ``x (B, T, ...)``,
    leaving the padding where it is (its own inverse)."""
    T = x.shape[1]
    t = torch.arange(T, device=x.device)
    index = lengths.to(x.device)[:, None] - 1 - t[None, :]
    index = torch.where(index >= 0, index, t[None, :])
    return x.gather(1, index.view(*index.shape, *([1] * (x.dim() - 2))).expand_as(x))


@register_encoder("birnn")
class BiRNNEncoder(Encoder):
    """Bidirectional LSTM or GRU in which padding never leaks in.

    Each layer runs one RNN over the sequences and another over each sequence
    reversed within its own length, so padding always comes after the real
    steps. Unlike packed sequences, that keeps the fused oneDNN / cuDNN
    kernels (on CPU, packed input falls back to one small matrix product per
    time step: this is 1.5× faster to predict and 2× faster to train).
    Outputs at padded positions are zero.
    """

    has_attention = False
    uses_heads, even_width, positional, bidirectional = False, True, False, True
    ordered = True

    @classmethod
    def build(cls, d_model, n_heads, n_layers, dropout, score, **kwargs):
        return cls(d_model, n_layers, dropout, **kwargs)

    def __init__(self, d_model: int, n_layers: int = 2, dropout: float = 0.1, cell: str = "lstm"):
        super().__init__()
        if d_model % 2:
            raise ValueError(f"A bidirectional RNN needs an even d_model, got {d_model}.")
        rnn = {"lstm": nn.LSTM, "gru": nn.GRU}[cell]
        self.forward_rnns, self.backward_rnns = nn.ModuleList(), nn.ModuleList()
        for _ in range(n_layers):  # this order draws the same initial weights as nn.LSTM(bidirectional=True)
            self.forward_rnns.append(rnn(d_model, d_model // 2, batch_first=True))
            self.backward_rnns.append(rnn(d_model, d_model // 2, batch_first=True))
        self.drop = nn.Dropout(dropout)

    def forward(self, x, lengths, mask, need_weights: bool = False, pairwise=None):
        if pairwise is not None:
            raise ValueError("A BiRNN has no self-attention to take a pairwise term.")
        for i, (fwd, bwd) in enumerate(zip(self.forward_rnns, self.backward_rnns)):
            if i:
                x = self.drop(x)  # between layers, as nn.LSTM's dropout
            ahead, _ = fwd(x)
            back, _ = bwd(reverse_padded(x, lengths))
            x = torch.cat([ahead, reverse_padded(back, lengths)], dim=-1)
        x = self.drop(x)
        return (x if mask is None else x * mask.unsqueeze(-1).to(x.dtype)), None


@register_encoder("hybrid")
class HybridEncoder(Encoder):
    """A BiRNN (word order, local context) followed by self-attention layers
    (long-range interactions). The RNN carries position, so no positional
    encoding is added."""

    even_width, bidirectional, ordered = True, True, True

    def __init__(self, d_model: int, n_heads: int = 4, n_layers: int = 2, dropout: float = 0.1,
                 score: str = "scaled_dot", n_attention_layers: int = 1, cell: str = "lstm"):
        super().__init__()
        self.rnn = BiRNNEncoder(d_model, n_layers, dropout, cell)
        self.attention = TransformerEncoder(d_model, n_heads, n_attention_layers, dropout, score, positional=None)

    def forward(self, x, lengths, mask, need_weights: bool = False, pairwise=None):
        h, _ = self.rnn(x, lengths, mask)
        return self.attention(h, lengths, mask, need_weights, pairwise)


def make_encoder(name: str, d_model: int, n_heads: int, n_layers: int, dropout: float, score: str,
                 **kwargs) -> nn.Module:
    """Build an encoder by name (a key of :data:`ENCODERS`)."""
    if name not in ENCODERS:
        raise ValueError(f"Unknown encoder {name!r}; expected one of {tuple(ENCODERS)}.")
    return ENCODERS[name].build(d_model, n_heads, n_layers, dropout, score, **kwargs)


