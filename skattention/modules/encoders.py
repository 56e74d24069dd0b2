"""Sequence encoders sharing one interface:
``forward(x, lengths, mask, need_weights) -> (hidden (B, T, D), weights or None)``,
where ``weights`` is the last self-attention layer's ``(B, H, T, T)``."""

from __future__ import annotations

from torch import nn
from torch.nn.utils.rnn import pack_padded_sequence, pad_packed_sequence

from ..attention import TransformerLayer, make_positional

ENCODERS = ("transformer", "birnn", "hybrid")


class TransformerEncoder(nn.Module):
    """Positions plus a stack of pre-norm self-attention layers."""

    has_attention = True

    def __init__(self, d_model: int, n_heads: int = 4, n_layers: int = 2, dropout: float = 0.1,
                 score: str = "scaled_dot", positional: str | None = "sinusoidal", max_len: int = 512):
        super().__init__()
        self.positions = make_positional(positional, d_model, max_len)
        self.layers = nn.ModuleList(TransformerLayer(d_model, n_heads, dropout, score) for _ in range(n_layers))
        self.norm = nn.LayerNorm(d_model)

    def forward(self, x, lengths, mask, need_weights: bool = False):
        x = self.positions(x)
        weights = None
        for i, layer in enumerate(self.layers):
            x, weights = layer(x, mask, need_weights and i == len(self.layers) - 1)
        return self.norm(x), weights


class BiRNNEncoder(nn.Module):
    """Bidirectional LSTM or GRU over packed sequences (padding never leaks in)."""

    has_attention = False

    def __init__(self, d_model: int, n_layers: int = 2, dropout: float = 0.1, cell: str = "lstm"):
        super().__init__()
        if d_model % 2:
            raise ValueError(f"A bidirectional RNN needs an even d_model, got {d_model}.")
        rnn = {"lstm": nn.LSTM, "gru": nn.GRU}[cell]
        self.rnn = rnn(d_model, d_model // 2, num_layers=n_layers, batch_first=True,
                       bidirectional=True, dropout=dropout if n_layers > 1 else 0.0)
        self.drop = nn.Dropout(dropout)

    def forward(self, x, lengths, mask, need_weights: bool = False):
        packed = pack_padded_sequence(x, lengths.cpu(), batch_first=True, enforce_sorted=False)
        out, _ = self.rnn(packed)
        out, _ = pad_packed_sequence(out, batch_first=True, total_length=x.shape[1])
        return self.drop(out), None


class HybridEncoder(nn.Module):
    """A BiRNN (word order, local context) followed by self-attention layers
    (long-range interactions). The RNN carries position, so no positional
    encoding is added."""

    has_attention = True

    def __init__(self, d_model: int, n_heads: int = 4, n_layers: int = 2, dropout: float = 0.1,
                 score: str = "scaled_dot", n_attention_layers: int = 1, cell: str = "lstm"):
        super().__init__()
        self.rnn = BiRNNEncoder(d_model, n_layers, dropout, cell)
        self.attention = TransformerEncoder(d_model, n_heads, n_attention_layers, dropout, score, positional=None)

    def forward(self, x, lengths, mask, need_weights: bool = False):
        h, _ = self.rnn(x, lengths, mask)
        return self.attention(h, lengths, mask, need_weights)


def make_encoder(name: str, d_model: int, n_heads: int, n_layers: int, dropout: float, score: str,
                 **kwargs) -> nn.Module:
    """Build an encoder by name (one of :data:`ENCODERS`)."""
    if name == "transformer":
        return TransformerEncoder(d_model, n_heads, n_layers, dropout, score, **kwargs)
    if name == "birnn":
        return BiRNNEncoder(d_model, n_layers, dropout, **kwargs)
    if name == "hybrid":
        return HybridEncoder(d_model, n_heads, n_layers, dropout, score, **kwargs)
    raise ValueError(f"Unknown encoder {name!r}; expected one of {ENCODERS}.")


