"""Attention building blocks, all mask-aware, all able to return their weights.

Scores map a query ``(..., Tq, Dq)`` and keys ``(..., Tk, Dk)`` to
``(..., Tq, Tk)``:

* ``"dot"``: :math:`q^\\top k`
* ``"scaled_dot"``: :math:`q^\\top k / \\sqrt{d}` (Vaswani et al., 2017)
* ``"multiplicative"``: :math:`q^\\top W k` (Luong et al., 2015, "general")
* ``"additive"``: :math:`v^\\top \\tanh(W q + U k)` (Bahdanau et al., 2014)

Masks are boolean with ``True`` marking real (attendable) positions.

Examples
--------
>>> import torch
>>> from skattention.attention import Attention, MultiHeadSelfAttention, lengths_to_mask
>>> x = torch.randn(2, 5, 16)
>>> mask = lengths_to_mask(torch.tensor([5, 3]), 5)
>>> attn = MultiHeadSelfAttention(16, n_heads=4)
>>> out, weights = attn(x, mask, need_weights=True)
>>> out.shape, weights.shape
(torch.Size([2, 5, 16]), torch.Size([2, 4, 5, 5]))
>>> bool((weights[1, :, :, 3:] == 0).all())  # padded keys get no weight
True
"""

from __future__ import annotations

import math

import torch
import torch.nn.functional as F
from torch import nn

SCORES = ("scaled_dot", "dot", "multiplicative", "additive")


def lengths_to_mask(lengths: torch.Tensor, max_len: int | None = None) -> torch.Tensor:
    """Boolean ``(B, T)`` mask, True at real positions."""
    max_len = int(lengths.max()) if max_len is None else max_len
    return torch.arange(max_len, device=lengths.device)[None, :] < lengths[:, None]


def masked_softmax(scores: torch.Tensor, mask: torch.Tensor | None, dim: int = -1) -> torch.Tensor:
    """Softmax that gives exactly zero weight to masked positions.

    Rows whose every position is masked get all-zero weights instead of NaN.
    """
    if mask is None:
        return torch.softmax(scores, dim=dim)
    scores = scores.masked_fill(~mask, torch.finfo(scores.dtype).min)
    return torch.softmax(scores, dim=dim) * mask


class DotScore(nn.Module):
    """:math:`q^\\top k`."""

    def forward(self, query: torch.Tensor, keys: torch.Tensor) -> torch.Tensor:
        return query @ keys.transpose(-1, -2)


class ScaledDotScore(DotScore):
    """:math:`q^\\top k / \\sqrt{d}`."""

    def forward(self, query: torch.Tensor, keys: torch.Tensor) -> torch.Tensor:
        return super().forward(query, keys) / math.sqrt(query.shape[-1])


class MultiplicativeScore(nn.Module):
    """Luong's general score :math:`q^\\top W k`."""

    def __init__(self, query_dim: int, key_dim: int):
        super().__init__()
        self.W = nn.Linear(key_dim, query_dim, bias=False)

    def forward(self, query: torch.Tensor, keys: torch.Tensor) -> torch.Tensor:
        return query @ self.W(keys).transpose(-1, -2)


class AdditiveScore(nn.Module):
    """Bahdanau's score :math:`v^\\top \\tanh(W q + U k)`.

    Memory grows as ``Tq * Tk * hidden_dim``; keys may be projected once with
    :meth:`project_keys` and passed as ``projected_keys`` (decoders do this).
    """

    def __init__(self, query_dim: int, key_dim: int, hidden_dim: int | None = None):
        super().__init__()
        hidden_dim = hidden_dim or key_dim
        self.W = nn.Linear(query_dim, hidden_dim, bias=False)
        self.U = nn.Linear(key_dim, hidden_dim, bias=True)
        self.v = nn.Linear(hidden_dim, 1, bias=False)

    def project_keys(self, keys: torch.Tensor) -> torch.Tensor:
        return self.U(keys)

    def forward(self, query, keys, projected_keys=None) -> torch.Tensor:
        uk = self.project_keys(keys) if projected_keys is None else projected_keys
        hidden = torch.tanh(self.W(query).unsqueeze(-2) + uk.unsqueeze(-3))
        return self.v(hidden).squeeze(-1)


def make_score(name: str, query_dim: int, key_dim: int, hidden_dim: int | None = None) -> nn.Module:
    """Build a score module by name (one of :data:`SCORES`)."""
    if name == "scaled_dot":
        return ScaledDotScore()
    if name == "dot":
        return DotScore()
    if name == "multiplicative":
        return MultiplicativeScore(query_dim, key_dim)
    if name == "additive":
        return AdditiveScore(query_dim, key_dim, hidden_dim)
    raise ValueError(f"Unknown attention score {name!r}; expected one of {SCORES}.")


class Attention(nn.Module):
    """Score, masked softmax, weighted sum: ``context = softmax(score(q, k)) v``.

    Parameters
    ----------
    score : str
        One of :data:`SCORES`.
    query_dim, key_dim : int
    hidden_dim : int, optional
        Hidden size of the additive score.
    """

    def __init__(self, score: str, query_dim: int, key_dim: int, hidden_dim: int | None = None):
        super().__init__()
        if score in ("dot", "scaled_dot") and query_dim != key_dim:
            raise ValueError(f"{score!r} attention needs query_dim == key_dim, got {query_dim} and {key_dim}.")
        self.score = make_score(score, query_dim, key_dim, hidden_dim)

    def forward(self, query, keys, values=None, mask=None, **score_kwargs):
        """Return ``(context, weights)``.

        query ``(B, Tq, Dq)``, keys ``(B, Tk, Dk)``, values ``(B, Tk, Dv)``
        (default: keys), mask ``(B, Tk)``; context ``(B, Tq, Dv)``, weights
        ``(B, Tq, Tk)``.
        """
        values = keys if values is None else values
        scores = self.score(query, keys, **score_kwargs)
        weights = masked_softmax(scores, None if mask is None else mask[:, None, :])
        return weights @ values, weights


class _MultiHeadBase(nn.Module):
    """Shared head splitting, scoring and merging of the multi-head blocks."""

    def __init__(self, d_model: int, n_heads: int, dropout: float, score: str):
        super().__init__()
        if d_model % n_heads:
            raise ValueError(f"d_model={d_model} is not divisible by n_heads={n_heads}.")
        self.n_heads = n_heads
        self.head_dim = d_model // n_heads
        self.dropout = dropout
        self.score_name = score
        self.out = nn.Linear(d_model, d_model)
        self.score = make_score(score, self.head_dim, self.head_dim)

    def _heads(self, x: torch.Tensor) -> torch.Tensor:  # (B, T, D) -> (B, H, T, d)
        B, T, _ = x.shape
        return x.view(B, T, self.n_heads, self.head_dim).transpose(1, 2)

    def _attend(self, q, k, v, mask, causal: bool, need_weights: bool):
        """Heads ``(B, H, T, d)`` → ``(output (B, Tq, D), weights or None)``."""
        B, _, Tq, _ = q.shape
        key_mask, bias = None, None
        if mask is not None and mask.dim() == 2:  # key padding (B, Tk), broadcast
            key_mask = mask[:, None, None, :]
        elif mask is not None and mask.dtype == torch.bool:  # per query (B, Tq, Tk)
            key_mask = mask[:, None]
        elif mask is not None:  # a bias (B, Tq, Tk) added to the scores of every head
            bias = mask[:, None].to(q.dtype)
        p = self.dropout if self.training else 0.0
        masked = key_mask is not None or bias is not None
        if self.score_name == "scaled_dot" and not need_weights and not (causal and masked):
            ctx = F.scaled_dot_product_attention(q, k, v, attn_mask=key_mask if bias is None else bias,
                                                 dropout_p=p, is_causal=causal)
            weights = None
        else:
            if causal:
                Tk = k.shape[2]
                future = torch.ones(Tq, Tk, dtype=torch.bool, device=q.device).tril()
                key_mask = future if key_mask is None else key_mask & future
            scores = self.score(q, k)
            if bias is not None:
                scores = scores + bias
                key_mask = ~torch.isinf(bias) if key_mask is None else key_mask & ~torch.isinf(bias)
            weights = masked_softmax(scores, key_mask)
            ctx = F.dropout(weights, p) @ v
        return self.out(ctx.transpose(1, 2).reshape(B, Tq, -1)), weights


class MultiHeadSelfAttention(_MultiHeadBase):
    """Multi-head self-attention.

    With ``score="scaled_dot"`` it runs on
    :func:`torch.nn.functional.scaled_dot_product_attention` (fused kernels);
    the key-padding mask is passed as a broadcast ``(B, 1, 1, T)`` view (no
    ``T × T`` mask is built). Pass ``mask=None`` when no sequence in the batch
    is padded, as :class:`~skattention.modules.Backbone` does, so that the
    unmasked flash kernels can run. Other scores are
    computed explicitly per head (``additive`` costs ``O(T^2 d)`` memory).

    Parameters
    ----------
    d_model : int
    n_heads : int
    dropout : float
        Dropout on the attention weights.
    score : str
        One of :data:`SCORES`.
    """

    def __init__(self, d_model: int, n_heads: int = 4, dropout: float = 0.0, score: str = "scaled_dot"):
        super().__init__(d_model, n_heads, dropout, score)
        self.qkv = nn.Linear(d_model, 3 * d_model)

    def forward(self, x: torch.Tensor, mask: torch.Tensor | None = None, need_weights: bool = False,
                causal: bool = False):
        """x ``(B, T, D)``, mask ``(B, T)`` → ``(output, weights or None)``,
        weights ``(B, H, T, T)``. ``causal`` lets position t see only ≤ t.

        ``mask`` may also be ``(B, T, T)``: boolean (``True`` where query
        ``i`` may attend to key ``j``) or floating (added to every head's
        scores; ``-inf`` masks). Every query row must keep a key."""
        B, T, D = x.shape
        q, k, v = self.qkv(x).view(B, T, 3, self.n_heads, self.head_dim).permute(2, 0, 3, 1, 4)
        return self._attend(q, k, v, mask, causal, need_weights)

    def extend(self, x: torch.Tensor, keys: torch.Tensor, values: torch.Tensor):
        """Causal attention of new positions ``x (B, T, D)`` given the keys and
        values ``(B, H, P, d)`` of the ``P`` positions before them (a key/value
        cache for decoding one step at a time). Returns the output ``(B, T, D)``
        and the keys and values of all ``P + T`` positions."""
        B, T, _ = x.shape
        q, k, v = self.qkv(x).view(B, T, 3, self.n_heads, self.head_dim).permute(2, 0, 3, 1, 4)
        keys, values = torch.cat([keys, k], dim=2), torch.cat([values, v], dim=2)
        P = keys.shape[2] - T
        # query i (position P + i) sees the keys up to its own position
        visible = torch.ones(T, P + T, dtype=torch.bool, device=x.device).tril(P)
        out, _ = self._attend(q, keys, values, visible.expand(B, T, P + T) if T > 1 else None, False, False)
        return out, keys, values


class MultiHeadCrossAttention(_MultiHeadBase):
    """Multi-head attention of queries ``(B, Tq, D)`` over a memory
    ``(B, Tk, D)`` (encoder-decoder attention); weights ``(B, H, Tq, Tk)``."""

    def __init__(self, d_model: int, n_heads: int = 4, dropout: float = 0.0, score: str = "scaled_dot"):
        super().__init__(d_model, n_heads, dropout, score)
        self.q = nn.Linear(d_model, d_model)
        self.kv = nn.Linear(d_model, 2 * d_model)

    def project_memory(self, memory: torch.Tensor):
        """The memory's keys and values ``(B, H, Tk, d)``, to compute once and
        pass to every decoding step as ``projected``."""
        k, v = self.kv(memory).chunk(2, dim=-1)
        return self._heads(k), self._heads(v)

    def forward(self, query, memory, memory_mask=None, need_weights: bool = False, projected=None):
        k, v = self.project_memory(memory) if projected is None else projected
        return self._attend(self._heads(self.q(query)), k, v, memory_mask, False, need_weights)


class AttentionPooling(nn.Module):
    """Pool ``(B, T, D)`` to ``(B, D)`` with a learned query over the positions.

    With the additive score this is the pooling of Yang et al. (2016):
    :math:`\\alpha_t = \\mathrm{softmax}_t(v^\\top \\tanh(W h_t + b))`.

    Examples
    --------
    >>> import torch
    >>> pool = AttentionPooling(8, score="additive")
    >>> pooled, w = pool(torch.randn(3, 4, 8), torch.tensor([[1, 1, 1, 1], [1, 1, 0, 0], [1, 0, 0, 0]]).bool())
    >>> pooled.shape, w.shape
    (torch.Size([3, 8]), torch.Size([3, 4]))
    >>> torch.allclose(w.sum(-1), torch.ones(3))
    True
    """

    def __init__(self, d_model: int, score: str = "additive"):
        super().__init__()
        self.query = nn.Parameter(torch.randn(d_model) / math.sqrt(d_model))
        self.attention = Attention(score, d_model, d_model)

    def forward(self, x: torch.Tensor, mask: torch.Tensor | None = None):
        q = self.query.expand(x.shape[0], 1, -1)
        ctx, weights = self.attention(q, x, x, mask)
        return ctx.squeeze(1), weights.squeeze(1)


class SinusoidalPositionalEncoding(nn.Module):
    """Fixed sine/cosine positions (Vaswani et al., 2017); any length."""

    def __init__(self, d_model: int):
        super().__init__()
        self.d_model = d_model
        self.register_buffer("table", self._table(512), persistent=False)

    def _table(self, n: int) -> torch.Tensor:
        pos = torch.arange(n, dtype=torch.float32)[:, None]
        div = torch.exp(torch.arange(0, self.d_model, 2, dtype=torch.float32) * (-math.log(10000.0) / self.d_model))
        table = torch.zeros(n, self.d_model)
        table[:, 0::2] = torch.sin(pos * div)
        table[:, 1::2] = torch.cos(pos * div)[:, : self.d_model // 2]
        return table

    def forward(self, x: torch.Tensor, offset: int = 0) -> torch.Tensor:
        """Add the encodings of positions ``offset`` to ``offset + T - 1``
        (``offset``: where ``x`` starts, for decoding one step at a time)."""
        end = offset + x.shape[1]
        if end > self.table.shape[0]:
            self.table = self._table(2 ** math.ceil(math.log2(end))).to(x.device)
        return x + self.table[offset:end].to(x.dtype)


class LearnedPositionalEncoding(nn.Module):
    """Trainable position embeddings up to ``max_len`` positions."""

    def __init__(self, d_model: int, max_len: int = 512):
        super().__init__()
        self.max_len = max_len
        self.embedding = nn.Embedding(max_len, d_model)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        T = x.shape[1]
        if T > self.max_len:
            raise ValueError(
                f"A sequence of length {T} exceeds the learned positions' max_len={self.max_len}; "
                "use positional='sinusoidal' or a larger max_len."
            )
        return x + self.embedding.weight[:T].to(x.dtype)


def make_positional(kind: str | None, d_model: int, max_len: int = 512) -> nn.Module:
    """``"sinusoidal"``, ``"learned"`` or ``None`` (identity)."""
    if kind == "sinusoidal":
        return SinusoidalPositionalEncoding(d_model)
    if kind == "learned":
        return LearnedPositionalEncoding(d_model, max_len)
    if kind is None:
        return nn.Identity()
    raise ValueError(f"Unknown positional encoding {kind!r}; expected 'sinusoidal', 'learned' or None.")


class TransformerLayer(nn.Module):
    """Pre-norm Transformer encoder layer: self-attention then feed-forward."""

    def __init__(self, d_model: int, n_heads: int = 4, dropout: float = 0.1, score: str = "scaled_dot", d_ff: int | None = None):
        super().__init__()
        self.norm1 = nn.LayerNorm(d_model)
        self.attn = MultiHeadSelfAttention(d_model, n_heads, dropout, score)
        self.norm2 = nn.LayerNorm(d_model)
        self.ff = nn.Sequential(
            nn.Linear(d_model, d_ff or 4 * d_model), nn.GELU(), nn.Dropout(dropout), nn.Linear(d_ff or 4 * d_model, d_model)
        )
        self.drop = nn.Dropout(dropout)

    def forward(self, x, mask=None, need_weights: bool = False):
        h, weights = self.attn(self.norm1(x), mask, need_weights)
        x = x + self.drop(h)
        x = x + self.drop(self.ff(self.norm2(x)))
        return x, weights
