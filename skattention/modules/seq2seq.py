"""Encoder-decoder models (N→N′): RNN decoders with attention (Bahdanau
additive, Luong multiplicative, dot, scaled dot) or without it (the fixed
context baseline of Cho et al., 2014), and a Transformer decoder; greedy and
beam-search decoding.

Decoders share one step interface so that one search serves all of them::

    state = decoder.start(memory, mask, lengths)
    logits, state, weights = decoder.step(previous_tokens, state)
    state = decoder.reorder(state, index)
"""

from __future__ import annotations

import math

import torch
from torch import nn

from ..attention import (
    Attention,
    MultiHeadCrossAttention,
    MultiHeadSelfAttention,
    SinusoidalPositionalEncoding,
)
from .batch import Batch
from .decoding import BOS_ID, EOS_ID, PAD_ID, UNK_ID, beam_search, greedy_search, output_caps  # noqa: F401
from .encoders import ENCODERS, file_under
from .models import Backbone

#: name -> decoder class; each says how it is built (``build``) and whether it needs an attention score
#: (``needs_attention``) and heads (``uses_heads``)
DECODERS: dict = {}


def register_decoder(name: str):
    """Class decorator: make a decoder available as ``decoder=name``."""
    return file_under(DECODERS, name)


def _reorder(state: dict, index: torch.Tensor) -> dict:
    return {k: v.index_select(0, index) for k, v in state.items()}


def _summary(memory: torch.Tensor, mask: torch.Tensor, lengths: torch.Tensor, bidirectional: bool):
    """A fixed-size summary of the source: the BiRNN's final states (forward
    at the last element, backward at the first), or the masked mean."""
    if bidirectional:
        half = memory.shape[-1] // 2
        last = memory[torch.arange(memory.shape[0], device=memory.device), lengths.to(memory.device) - 1, :half]
        return torch.cat([last, memory[:, 0, half:]], dim=-1)
    m = mask.unsqueeze(-1).to(memory.dtype)
    return (memory * m).sum(1) / m.sum(1).clamp_min(1)


class _RNNDecoderBase(nn.Module):
    """What the RNN decoders share: the first state from a summary of the
    source, keys projected once for the additive score, attention over the
    encoder states, and beam reordering."""

    needs_attention, uses_heads = False, False

    def start(self, memory, mask, lengths) -> dict:
        summary = _summary(memory, mask, lengths, self.bidirectional_memory)
        hidden = torch.tanh(self.init(summary)).view(memory.shape[0], self.n_layers, -1)
        state = {"hidden": hidden, "memory": memory, "mask": mask, "summary": summary}
        if self.attention is not None and hasattr(self.attention.score, "project_keys"):
            state["keys"] = self.attention.score.project_keys(memory)
        return state

    def _context(self, query, state):
        if self.attention is None:
            return state["summary"].unsqueeze(1), None
        extra = {"projected_keys": state["keys"]} if "keys" in state else {}
        return self.attention(query, state["memory"], state["memory"], state["mask"], **extra)

    reorder = staticmethod(_reorder)


@register_decoder("rnn")
class RNNDecoder(_RNNDecoderBase):
    """GRU decoder. With attention, each step scores the previous state against
    the encoder states (Bahdanau et al., 2014) and feeds the context with the
    previous token; with ``attention=None`` the context is the same fixed
    source summary at every step (Cho et al., 2014). The context of step t
    feeds the GRU at step t, so training loops over the target in Python."""

    @classmethod
    def build(cls, n_targets, d_model, n_heads, n_layers, dropout, attention, encoder):
        return cls(n_targets, d_model, attention, 1, dropout, bidirectional_memory=ENCODERS[encoder].bidirectional)

    def __init__(self, n_targets: int, d_model: int, attention: str | None = "additive",
                 n_layers: int = 1, dropout: float = 0.1, bidirectional_memory: bool = True):
        super().__init__()
        self.embedding = nn.Embedding(n_targets, d_model, padding_idx=PAD_ID)
        self.init = nn.Linear(d_model, d_model * n_layers)
        self.rnn = nn.GRU(2 * d_model, d_model, num_layers=n_layers, batch_first=True,
                          dropout=dropout if n_layers > 1 else 0.0)
        self.attention = Attention(attention, d_model, d_model) if attention else None
        self.out = nn.Sequential(nn.Linear(3 * d_model, d_model), nn.Tanh(), nn.Dropout(dropout),
                                 nn.Linear(d_model, n_targets))
        self.drop = nn.Dropout(dropout)
        self.n_layers = n_layers
        self.bidirectional_memory = bidirectional_memory

    def step(self, prev: torch.Tensor, state: dict):
        """prev ``(N,)`` → logits ``(N, V)``, new state, weights ``(N, S)`` or None."""
        emb = self.drop(self.embedding(prev)).unsqueeze(1)  # (N, 1, D)
        hidden = state["hidden"]  # (N, L, D)
        context, weights = self._context(hidden[:, -1:].contiguous(), state)
        out, new_hidden = self.rnn(torch.cat([emb, context], dim=-1), hidden.transpose(0, 1).contiguous())
        logits = self.out(torch.cat([out, context, emb], dim=-1)).squeeze(1)
        state = {**state, "hidden": new_hidden.transpose(0, 1)}
        return logits, state, None if weights is None else weights.squeeze(1)

    def forward(self, target_in, state, need_weights: bool = True):
        """Teacher forcing over ``target_in (N, T)`` → logits ``(N, T, V)``
        and weights ``(N, T, S)`` (None without attention)."""
        logits, weights = [], []
        for t in range(target_in.shape[1]):
            step_logits, state, w = self.step(target_in[:, t], state)
            logits.append(step_logits)
            weights.append(w)
        stacked = None if weights[0] is None else torch.stack(weights, 1)
        return torch.stack(logits, 1), stacked


@register_decoder("luong")
class LuongDecoder(_RNNDecoderBase):
    """LSTM decoder with attention after the recurrence (Luong et al., 2015,
    global attention without input feeding): the LSTM reads the previous
    tokens only, its state at step t is scored against the encoder states
    (with any score, Bahdanau's additive one included), and the output reads
    ``tanh(W [h_t; c_t])``. No context feeds the recurrence, so teacher-forced
    training runs the LSTM over the whole target in one fused call and scores
    every step at once. An LSTM, as in the paper, rather than the GRU of
    ``"rnn"``: on CPU, PyTorch runs LSTMs in one oneDNN kernel and GRUs as a
    loop of matrix products (G2P configuration, 10,000 CMUdict pairs: 9,694
    vs 8,769 target tokens/s with the additive score, lower training loss).
    With ``attention=None`` the context of every step is the same fixed
    summary of the source (the plain encoder-decoder baseline)."""

    @classmethod
    def build(cls, n_targets, d_model, n_heads, n_layers, dropout, attention, encoder):
        return cls(n_targets, d_model, attention, 1, dropout, bidirectional_memory=ENCODERS[encoder].bidirectional)

    def __init__(self, n_targets: int, d_model: int, attention: str | None = "additive", n_layers: int = 1,
                 dropout: float = 0.1, bidirectional_memory: bool = True):
        super().__init__()
        self.embedding = nn.Embedding(n_targets, d_model, padding_idx=PAD_ID)
        self.init = nn.Linear(d_model, d_model * n_layers)
        self.rnn = nn.LSTM(d_model, d_model, num_layers=n_layers, batch_first=True,
                           dropout=dropout if n_layers > 1 else 0.0)
        self.attention = Attention(attention, d_model, d_model) if attention else None
        self.combine = nn.Linear(2 * d_model, d_model)
        self.out = nn.Linear(d_model, n_targets)
        self.drop = nn.Dropout(dropout)
        self.n_layers = n_layers
        self.bidirectional_memory = bidirectional_memory

    def start(self, memory, mask, lengths) -> dict:
        state = super().start(memory, mask, lengths)
        return {**state, "cell": torch.zeros_like(state["hidden"])}

    def _decode(self, tokens: torch.Tensor, state: dict):
        """tokens ``(N, T)`` → logits ``(N, T, V)``, weights ``(N, T, S)``, new state."""
        emb = self.drop(self.embedding(tokens))
        h0, c0 = (state[k].transpose(0, 1).contiguous() for k in ("hidden", "cell"))
        # under autocast the first state comes from a linear layer in the lower precision; the CPU's
        # fused LSTM takes float16 only when its input matches (bfloat16 casts alike either way)
        out, (hidden, cell) = self.rnn(emb.to(h0.dtype), (h0, c0))
        context, weights = self._context(out, state)
        context = context.expand(-1, out.shape[1], -1)  # the fixed summary without attention
        logits = self.out(self.drop(torch.tanh(self.combine(torch.cat([out, context], dim=-1)))))
        return logits, weights, {**state, "hidden": hidden.transpose(0, 1), "cell": cell.transpose(0, 1)}

    def step(self, prev: torch.Tensor, state: dict):
        """prev ``(N,)`` → logits ``(N, V)``, new state, weights ``(N, S)`` or None."""
        logits, weights, state = self._decode(prev[:, None], state)
        return logits[:, 0], state, None if weights is None else weights[:, 0]

    def forward(self, target_in, state, need_weights: bool = True):
        """Teacher forcing over ``target_in (N, T)``, all steps at once →
        logits ``(N, T, V)`` and weights ``(N, T, S)`` (None without attention)."""
        logits, weights, _ = self._decode(target_in, state)
        return logits, weights


class TransformerDecoderLayer(nn.Module):
    """Pre-norm decoder layer: causal self-attention, cross-attention, feed-forward."""

    def __init__(self, d_model: int, n_heads: int, dropout: float, score: str):
        super().__init__()
        self.norm1, self.norm2, self.norm3 = nn.LayerNorm(d_model), nn.LayerNorm(d_model), nn.LayerNorm(d_model)
        self.self_attn = MultiHeadSelfAttention(d_model, n_heads, dropout, "scaled_dot")
        self.cross = MultiHeadCrossAttention(d_model, n_heads, dropout, score)
        self.ff = nn.Sequential(nn.Linear(d_model, 4 * d_model), nn.GELU(), nn.Dropout(dropout),
                                nn.Linear(4 * d_model, d_model))
        self.drop = nn.Dropout(dropout)

    def forward(self, x, memory, memory_mask, need_weights=False):
        h, _ = self.self_attn(self.norm1(x), causal=True)
        x = x + self.drop(h)
        h, weights = self.cross(self.norm2(x), memory, memory_mask, need_weights)
        x = x + self.drop(h)
        return x + self.drop(self.ff(self.norm3(x))), weights

    def extend(self, x, keys, values, memory_kv, memory_mask, need_weights: bool = False):
        """The layer on new positions ``x`` given the keys and values of the
        earlier positions and ``memory_kv``, the memory's projected once.
        Returns the output, the cross-attention weights (or None) and the keys
        and values extended by ``x``'s."""
        h, keys, values = self.self_attn.extend(self.norm1(x), keys, values)
        x = x + self.drop(h)
        h, weights = self.cross(self.norm2(x), None, memory_mask, need_weights, projected=memory_kv)
        x = x + self.drop(h)
        return x + self.drop(self.ff(self.norm3(x))), weights, keys, values


@register_decoder("transformer")
class TransformerDecoder(nn.Module):
    """Transformer decoder; its alignment is the last layer's cross-attention
    averaged over heads. Decoding keeps each layer's keys and values (of the
    outputs so far and of the memory) in the state, so a step costs one
    position, not the whole prefix again."""

    needs_attention, uses_heads = True, True

    @classmethod
    def build(cls, n_targets, d_model, n_heads, n_layers, dropout, attention, encoder):
        return cls(n_targets, d_model, n_heads, n_layers, dropout, attention)

    def __init__(self, n_targets: int, d_model: int, n_heads: int = 4, n_layers: int = 2,
                 dropout: float = 0.1, attention: str = "scaled_dot"):
        super().__init__()
        self.embedding = nn.Embedding(n_targets, d_model, padding_idx=PAD_ID)
        self.positions = SinusoidalPositionalEncoding(d_model)
        self.layers = nn.ModuleList(TransformerDecoderLayer(d_model, n_heads, dropout, attention)
                                    for _ in range(n_layers))
        self.norm = nn.LayerNorm(d_model)
        self.proj = nn.Linear(d_model, n_targets)
        self.scale = math.sqrt(d_model)
        self.drop = nn.Dropout(dropout)

    def start(self, memory, mask, lengths) -> dict:
        """The decoding state: memory, mask, the step count, and per layer ``i``
        the cached keys and values ``k{i}``, ``v{i}`` (empty at first) and the
        memory's ``mk{i}``, ``mv{i}``, all ``(N, H, T, d)``, so that beam search
        reorders them like any other state tensor."""
        state = {"memory": memory, "mask": mask,
                 "position": torch.zeros(memory.shape[0], dtype=torch.long, device=memory.device)}
        for i, layer in enumerate(self.layers):
            mk, mv = layer.cross.project_memory(memory)
            state.update({f"k{i}": mk[:, :, :0], f"v{i}": mv[:, :, :0], f"mk{i}": mk, f"mv{i}": mv})
        return state

    def forward(self, target_in, state, need_weights: bool = True):
        x = self.drop(self.positions(self.embedding(target_in) * self.scale))
        weights = None
        for i, layer in enumerate(self.layers):
            last = i == len(self.layers) - 1
            x, weights = layer(x, state["memory"], state["mask"], need_weights and last)
        logits = self.proj(self.norm(x))
        return logits, None if weights is None else weights.mean(1)

    def step(self, prev, state):
        """prev ``(N,)`` → logits ``(N, V)``, new state, weights ``(N, S)``; one
        position through every layer, against the cached keys and values."""
        x = self.positions(self.embedding(prev[:, None]) * self.scale, offset=int(state["position"][0]))
        state = {**state, "position": state["position"] + 1}
        for i, layer in enumerate(self.layers):
            x, weights, state[f"k{i}"], state[f"v{i}"] = layer.extend(
                x, state[f"k{i}"], state[f"v{i}"], (state[f"mk{i}"], state[f"mv{i}"]), state["mask"],
                need_weights=i == len(self.layers) - 1)
        return self.proj(self.norm(x))[:, -1], state, weights.mean(1)[:, -1]

    reorder = staticmethod(_reorder)


class Seq2SeqModel(nn.Module):
    """Source encoder (the shared :class:`~skattention.modules.Backbone`) plus a
    decoder.

    Parameters
    ----------
    n_targets : int
        Target vocabulary size, including pad/unk/bos/eos (ids 0-3).
    decoder : {"luong", "rnn", "transformer"}, default="luong"
    attention : {"additive", "multiplicative", "dot", "scaled_dot"} or None
        The decoder's score; None (the RNN decoders only) is the
        fixed-context baseline.
    **backbone
        Encoder arguments: ``n_tokens``/``n_features``, ``d_model``,
        ``n_heads``, ``n_layers``, ``dropout``, ``encoder``.
    """

    def __init__(self, n_targets: int, decoder: str = "luong", attention: str | None = "additive", **backbone):
        super().__init__()
        if decoder not in DECODERS:
            raise ValueError(f"Unknown decoder {decoder!r}; expected one of {tuple(DECODERS)}.")
        if DECODERS[decoder].needs_attention and attention is None:
            raise ValueError(f"A {decoder} decoder needs attention; attention=None is the baseline of "
                             "the RNN decoders.")
        self.encoder = Backbone(attention="scaled_dot", **backbone)
        self.decoder = DECODERS[decoder].build(
            n_targets, backbone.get("d_model", 128), backbone.get("n_heads", 4), backbone.get("n_layers", 2),
            backbone.get("dropout", 0.1), attention, backbone.get("encoder", "birnn"))

    def encode(self, batch: Batch) -> dict:
        memory, mask, _ = self.encoder(batch)
        return self.decoder.start(memory, mask, batch.lengths)

    def forward(self, batch: Batch, return_attention=False):
        """Teacher-forced logits ``(B, T_out, V)`` over ``batch.target_in``
        (and alignments ``(B, T_out, S)``)."""
        state = self.encode(batch)
        logits, weights = self.decoder(batch.target_in, state, need_weights=return_attention)
        return (logits, weights) if return_attention else logits

    @torch.no_grad()
    def generate(self, batch: Batch, *, max_length: int = 50, beam_size: int = 1, length_penalty: float = 1.0):
        """Decode. Returns a list of ``(token ids, alignment (T_out, S) or None)``,
        EOS excluded. Raises :class:`FloatingPointError` when the encoder's
        states are not finite (float16 overflow, say): a search over NaN
        scores would return some output, not a meaningful one."""
        state = self.encode(batch)
        if not bool(torch.isfinite(state["memory"][state["mask"]]).all()):
            raise FloatingPointError("The encoder's states hold NaN or infinite values.")
        if beam_size > 1:
            return beam_search(self.decoder, state, len(batch), beam_size, max_length, length_penalty)
        return greedy_search(self.decoder, state, len(batch), max_length)
