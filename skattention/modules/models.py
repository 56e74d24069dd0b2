"""Complete torch models: embedding → encoder → head.

They know nothing of scikit-learn. Inputs arrive as one
:class:`~skattention.modules.batch.Batch` (``tokens`` with optional
``chars`` and ``char_index``, or ``features``; ``lengths``; optionally a
``pairwise`` term for self-attention).
"""

from __future__ import annotations

from typing import NamedTuple

import torch
from torch import nn

from .._graphs import MAX_DEGREE, UNREACHABLE
from ..attention import AttentionPooling, lengths_to_mask
from .batch import Batch
from .embeddings import FRONT_ENDS, TokenEmbedding
from .encoders import ENCODERS, make_encoder
from .ngrams import NGramLinear

POOLINGS = ("attention", "mean", "max", "sum", "cls", "combined")
#: a graph's distance bias starts at -DISTANCE_PRIOR per edge of distance. Chosen on ESOL, 4-fold CV on the
#: training part of the benchmark's first fold (pooling="combined"): RMSE 0.680 starting at 0, 0.656 at 0.5,
#: 0.670 at 1.0
DISTANCE_PRIOR = 0.5


class WithAuxiliary(NamedTuple):
    """What a model returns in training when parts of it must also fit the
    targets on their own: the output, and further outputs of the same shape.
    The estimators' loss is the criterion of the output plus that of each
    auxiliary output; in evaluation mode models return the output alone."""

    output: torch.Tensor
    auxiliary: tuple


class Backbone(nn.Module):
    """Embed tokens or numeric features and encode them.

    Parameters
    ----------
    n_tokens, n_chars : int
        Vocabulary sizes for token input (``n_chars=0`` disables characters).
    n_features : int
        Feature count for numeric input (used when ``n_tokens`` is 0).
    d_model, n_heads, n_layers, dropout : model size
    encoder : {"transformer", "birnn", "hybrid"}
    attention : {"scaled_dot", "dot", "multiplicative", "additive"}
        Score of the self-attention layers.
    positional : {"sinusoidal", "learned", None}
        Positions for the transformer encoder.
    word_dropout : float
    cls_token : bool
        Prepend a learned summary position (``pooling="cls"``).
    patch_size : int
        Numeric input only: embed runs of this many elements as one position
        (see :class:`~skattention.modules.embeddings.NumericEmbedding`).
    front_end : {"linear", "conv"}
        Numeric input only: how steps become positions, a linear map of
        each patch (:class:`~skattention.modules.embeddings.NumericEmbedding`)
        or a convolution max-pooled per patch
        (:class:`~skattention.modules.embeddings.ConvEmbedding`).
    word_dim, vector_rows, n_vectors, freeze_vectors
        Token input with pretrained vectors (see
        :class:`~skattention.modules.embeddings.TokenEmbedding`).
    graph : bool
        The inputs are graphs (batches carry ``degrees`` and ``distances``):
        no positional encoding (nodes have no order), a learned embedding of
        each node's degree added to its embedding, and a learned bias per
        shortest-path distance added to every self-attention score (as in
        Graphormer). The degree embedding starts at zero, the distance bias
        at ``-DISTANCE_PRIOR`` per edge (near nodes first). An encoder that reads order by
        itself cannot take graphs; ``"hybrid"`` becomes its attention part, a
        ``"transformer"`` stack of ``n_layers``.
    edge_types : int
        Graphs with typed edges: the number of type ids (0 is "no edge"); a
        learned bias per type, starting at zero, is added to the score of
        every two neighbours joined by an edge of that type (as Graphormer's
        edge encoding does along shortest paths, here for direct edges).
    """

    def __init__(self, *, n_tokens: int = 0, n_chars: int = 0, n_features: int = 0, d_model: int = 128,
                 n_heads: int = 4, n_layers: int = 2, dropout: float = 0.1, encoder: str = "hybrid",
                 attention: str = "scaled_dot", positional: str | None = "sinusoidal",
                 word_dropout: float = 0.05, char_channels: int = 64, cls_token: bool = False,
                 patch_size: int = 1, word_dim: int | None = None, vector_rows=None, n_vectors: int = 0,
                 freeze_vectors: bool = False, graph: bool = False, edge_types: int = 0,
                 front_end: str = "linear"):
        super().__init__()
        self.degrees = self.distance_bias = self.edge_bias = None
        if graph:
            if patch_size > 1 or front_end != "linear":
                raise ValueError("patch_size > 1 and front_end='conv' read neighbouring elements; a graph's "
                                 "nodes have no order.")
            if encoder in ENCODERS and getattr(ENCODERS[encoder], "ordered", False):
                if encoder != "hybrid":
                    raise ValueError(f"encoder={encoder!r} reads the order of the elements, which a graph's "
                                     "nodes do not have; use 'transformer' (or 'hybrid', its attention part).")
                encoder = "transformer"
            positional = None
            self.degrees = nn.Embedding(MAX_DEGREE + 1, d_model)
            self.distance_bias = nn.Embedding(UNREACHABLE + 1, 1)
            nn.init.zeros_(self.degrees.weight)
            with torch.no_grad():  # a preference for near nodes, which training may undo
                self.distance_bias.weight[:, 0] = -DISTANCE_PRIOR * torch.arange(UNREACHABLE + 1.0)
            if edge_types:  # created only for typed graphs: untyped ones draw the same initial weights as before
                self.edge_bias = nn.Embedding(edge_types, 1, padding_idx=0)
                nn.init.zeros_(self.edge_bias.weight)
        elif edge_types:
            raise ValueError("edge_types applies to graphs (graph=True).")
        if front_end not in FRONT_ENDS:
            raise ValueError(f"Unknown front_end {front_end!r}; expected one of {tuple(FRONT_ENDS)}.")
        if patch_size > 1 and n_tokens:
            raise ValueError("patch_size > 1 applies to numeric input, not tokens.")
        if front_end != "linear" and n_tokens:
            raise ValueError(f"front_end={front_end!r} applies to numeric input, not tokens.")
        if vector_rows is not None and not n_tokens:
            raise ValueError("Pretrained vectors (vector_rows) apply to token input.")
        self.patch_size = patch_size
        self.front_end = front_end
        if n_tokens:
            self.embed = TokenEmbedding(n_tokens, d_model, n_chars, word_dim=word_dim, char_channels=char_channels,
                                        word_dropout=word_dropout, dropout=dropout, vector_rows=vector_rows,
                                        n_vectors=n_vectors, freeze_vectors=freeze_vectors)
        else:
            self.embed = FRONT_ENDS[front_end](n_features, d_model, dropout, patch_size)
        extra = {"positional": positional} if encoder in ENCODERS and ENCODERS[encoder].positional else {}
        self.encoder = make_encoder(encoder, d_model, n_heads, n_layers, dropout, attention, **extra)
        self.cls = nn.Parameter(torch.randn(1, 1, d_model) * 0.02) if cls_token else None

    @property
    def has_attention(self) -> bool:
        return self.encoder.has_attention

    def forward(self, batch: Batch, need_weights: bool = False):
        """Return ``(hidden (B, T, D), mask (B, T), last self-attention weights or None)``."""
        lengths, features = batch.lengths, batch.features
        if self.patch_size > 1 or self.front_end != "linear":
            # a patch or a filter mixes elements: whatever the padding holds must not leak in
            if batch.pairwise is not None and self.patch_size > 1:
                raise ValueError("A pairwise term relates elements, so it does not apply with patch_size > 1.")
            real = lengths_to_mask(lengths.to(features.device), features.shape[1])
            features = features * real.unsqueeze(-1).to(features.dtype)
            lengths = (lengths + self.patch_size - 1) // self.patch_size
        if batch.tokens is not None:
            x = self.embed(batch.tokens, batch.chars, batch.char_index)
        else:
            x = self.embed(features)
        pairwise = batch.pairwise
        if self.degrees is not None:
            if batch.degrees is None or batch.distances is None:
                raise ValueError("A graph model needs batches of graphs (degrees and distances).")
            if pairwise is not None:
                raise ValueError("A graph's pairwise term is its learned distance bias; give no other.")
            x = x + self.degrees(batch.degrees.to(x.device)).to(x.dtype)
            pairwise = self.distance_bias(batch.distances.to(x.device).long()).squeeze(-1)
            if self.edge_bias is not None:
                if batch.edge_types is None:
                    raise ValueError("A model of graphs with typed edges needs batches with edge_types.")
                pairwise = pairwise + self.edge_bias(batch.edge_types.to(x.device).long()).squeeze(-1)
        if self.cls is not None:
            x = torch.cat([self.cls.expand(x.shape[0], -1, -1).to(x.dtype), x], dim=1)
            lengths = lengths + 1
        # lengths may stay on the host (estimators keep them there): then this
        # check costs no device synchronisation
        # (under torch.compile the mask is always kept: a data-dependent branch would break the graph)
        padded = torch.compiler.is_compiling() or bool((lengths < x.shape[1]).any())
        lengths = lengths.to(x.device, non_blocking=True)
        mask = lengths_to_mask(lengths, x.shape[1])
        if pairwise is not None:
            if not self.encoder.has_attention:
                raise ValueError("A pairwise term needs self-attention; encoder='birnn' has none.")
            pairwise = pairwise_mask(pairwise, mask, cls=self.cls is not None)
        # no mask at all when nothing is padded: the fused attention kernels run unmasked
        extra = {} if pairwise is None else {"pairwise": pairwise}  # encoders without attention need not take it
        h, weights = self.encoder(x, lengths, mask if padded else None, need_weights, **extra)
        return h, mask, weights


def pairwise_mask(pairwise: torch.Tensor, mask: torch.Tensor, cls: bool = False) -> torch.Tensor:
    """A batch's ``pairwise`` term ``(B, T, T)`` as self-attention's mask.

    Boolean terms get the diagonal (an element always attends to itself) and
    lose the padded keys; floating ones (added to the scores) get ``-inf`` at
    padded keys. Padded queries attend to the real keys, so that no row is
    empty. With ``cls``, the summary position (first) attends to and is seen
    by every element. ``mask`` is the padding mask ``(B, T)`` (``T`` counting
    the summary position).

    Examples
    --------
    >>> allowed = torch.tensor([[[False, True, False], [True, False, False], [False, False, False]]])
    >>> pairwise_mask(allowed, torch.tensor([[True, True, False]])).int()
    tensor([[[1, 1, 0],
             [1, 1, 0],
             [1, 1, 0]]], dtype=torch.int32)
    """
    B, T = mask.shape
    n = T - int(cls)
    if pairwise.dim() != 3 or pairwise.shape[0] != B or pairwise.shape[1:] != (n, n):
        raise ValueError(f"The pairwise term must have shape {(B, n, n)} (batch, length, length); "
                         f"got {tuple(pairwise.shape)}.")
    pairwise = pairwise.to(mask.device)
    if cls:  # the summary position relates to every element as it would with no pairwise term
        pairwise = torch.nn.functional.pad(pairwise, (1, 0, 1, 0), value=True if pairwise.dtype == torch.bool else 0.0)
    keys, queries = mask[:, None, :], mask[:, :, None]
    if pairwise.dtype == torch.bool:
        allowed = pairwise | torch.eye(T, dtype=torch.bool, device=mask.device)
        return torch.where(queries, allowed & keys, keys)
    real_keys = torch.zeros_like(pairwise, dtype=torch.float32).masked_fill(~keys, -float("inf"))
    return torch.where(queries, pairwise.float() + real_keys, real_keys)


class TokenModel(nn.Module):
    """One output vector per element (N→N): tagging or per-element regression.

    ``forward`` returns ``(B, T, n_outputs)``, and with ``return_attention`` also
    the last self-attention layer's weights ``(B, H, T, T)``.
    """

    attention_axes = (2, 3)

    def __init__(self, n_outputs: int, **backbone):
        super().__init__()
        self.backbone = Backbone(**backbone)
        d_model = backbone.get("d_model", 128)
        self.head = nn.Sequential(nn.Dropout(backbone.get("dropout", 0.1)), nn.Linear(d_model, n_outputs))

    def forward(self, batch: Batch, return_attention: bool = False):
        if return_attention and not self.backbone.has_attention:
            raise ValueError("This encoder has no self-attention layer; use encoder='transformer' or 'hybrid'.")
        h, _, weights = self.backbone(batch, need_weights=return_attention)
        out = self.head(h)
        return (out, weights) if return_attention else out


class SequenceModel(nn.Module):
    """One output vector per sequence (N→1): encoder, pooling, linear head.

    ``pooling``: ``"attention"`` (a learned query over positions, scored with
    ``attention``), ``"mean"``, ``"max"`` or ``"sum"`` over real positions,
    ``"cls"`` (a learned summary position read after the encoder), or
    ``"combined"``: attention, mean, max and sum side by side, so that both
    intensive targets (a mean, a class) and extensive ones (a count, a
    molecule's size) are a linear read-out. Sums are divided by
    ``length_scale`` (the estimators pass the mean training length), which
    keeps them on the scale of a mean while longer sequences still give
    larger sums. With ``return_attention`` the weights are the pooling's
    ``(B, T)`` (``"attention"``, ``"combined"``), the summary position's
    last-layer row ``(B, H, T)`` for ``"cls"``, or the last self-attention
    layer ``(B, H, T, T)`` for ``"mean"``, ``"max"`` and ``"sum"``.

    With token input and ``ngrams`` >= 1, the scores of a linear model over
    the sequence's bag of 1- to ``ngrams``-grams
    (:class:`~skattention.modules.ngrams.NGramLinear`) are added to the
    head's output, and in training that linear model's scores also come back
    alone (:class:`WithAuxiliary`), so that it is fitted to the targets as a
    model of its own while the network learns what it leaves over (a product
    of experts); 0 leaves the network alone.
    """

    def __init__(self, n_outputs: int, pooling: str = "attention", length_scale: float = 1.0, ngrams: int = 0,
                 **backbone):
        super().__init__()
        if pooling not in POOLINGS:
            raise ValueError(f"Unknown pooling {pooling!r}; expected one of {POOLINGS}.")
        if not length_scale > 0:
            raise ValueError(f"length_scale must be > 0, got {length_scale!r}.")
        self.pooling = pooling
        self.length_scale = float(length_scale)
        self.backbone = Backbone(cls_token=pooling == "cls", **backbone)
        d_model = backbone.get("d_model", 128)
        if pooling in ("attention", "combined"):
            self.pool = AttentionPooling(d_model, backbone.get("attention", "scaled_dot"))
        width = 4 * d_model if pooling == "combined" else d_model
        self.head = nn.Sequential(nn.Dropout(backbone.get("dropout", 0.1)), nn.Linear(width, n_outputs))
        n_tokens = backbone.get("n_tokens", 0)
        self.ngrams = NGramLinear(n_tokens, n_outputs, ngrams) if ngrams and n_tokens else None

    @property
    def attention_axes(self) -> tuple:
        return {"attention": (1,), "combined": (1,), "cls": (2,)}.get(self.pooling, (2, 3))

    def _pool(self, h: torch.Tensor, mask: torch.Tensor, kind: str) -> torch.Tensor:
        """``(B, T, D)`` to ``(B, D)`` over the real positions of ``mask``."""
        if kind == "max":
            return h.masked_fill(~mask.unsqueeze(-1), torch.finfo(h.dtype).min).max(1).values
        m = mask.unsqueeze(-1).to(h.dtype)
        total = (h * m).sum(1)
        if kind == "sum":
            return total / self.length_scale
        return total / m.sum(1).clamp_min(1)

    def forward(self, batch: Batch, return_attention: bool = False):
        need_self = return_attention and self.pooling not in ("attention", "combined")
        if need_self and not self.backbone.has_attention:
            raise ValueError(
                f"encoder='birnn' with pooling={self.pooling!r} uses no attention; "
                "use pooling='attention' or a self-attention encoder."
            )
        h, mask, weights = self.backbone(batch, need_weights=need_self)
        if self.pooling in ("attention", "combined"):
            pooled, weights = self.pool(h, mask)
            if self.pooling == "combined":
                pooled = torch.cat([pooled, *(self._pool(h, mask, kind) for kind in ("mean", "max", "sum"))], -1)
        elif self.pooling in ("mean", "max", "sum"):
            pooled = self._pool(h, mask, self.pooling)
        else:
            pooled = h[:, 0]
            if weights is not None:
                weights = weights[:, :, 0, 1:]  # the summary position's row, over real elements
        out = self.head(pooled)
        if self.ngrams is not None:
            scores = self.ngrams(batch.tokens)
            out = out + scores
            if self.training and not return_attention:
                return WithAuxiliary(out, (scores,))
        if return_attention and self.backbone.patch_size > 1:
            weights = patches_to_elements(weights, batch.lengths, self.backbone.patch_size, batch.features.shape[1])
        return (out, weights) if return_attention else out


def patches_to_elements(weights: torch.Tensor, lengths: torch.Tensor, patch_size: int, n: int) -> torch.Tensor:
    """Attention over patches ``(B, ..., T')`` (or ``(B, H, T', T')``) as
    attention over the ``n`` elements: a patch's weight is shared equally by
    its real elements (so weights still sum to 1), every element's row is its
    patch's row, and padding gets zero.

    Examples
    --------
    >>> w = torch.tensor([[0.75, 0.25]])  # two patches of 2 elements, the second one half real
    >>> patches_to_elements(w, torch.tensor([3]), 2, 4)
    tensor([[0.3750, 0.3750, 0.2500, 0.0000]])
    """
    lengths = lengths.to(weights.device)
    t = torch.arange(n, device=weights.device)
    patch = t // patch_size
    real = t[None, :] < lengths[:, None]  # (B, n)
    counts = (lengths[:, None] - patch[None, :] * patch_size).clamp(1, patch_size)
    share = torch.where(real, 1.0 / counts, 0.0).to(weights.dtype)  # (B, n)
    extra = weights.dim() - 2
    out = weights.index_select(-1, patch) * share.view(share.shape[0], *([1] * extra), n)
    if weights.dim() == 4:  # (B, H, T', T'): rows are queries
        out = out.index_select(-2, patch) * real.to(weights.dtype)[:, None, :, None]
    return out
