"""Input embeddings: tokens (+ characters) or numeric features → ``d_model``."""

from __future__ import annotations

import torch
import torch.nn.functional as F
from torch import nn

UNK_ID = 1


class CharCNN(nn.Module):
    """Character CNN word features (Ma & Hovy, 2016): embed, convolve, max-pool."""

    def __init__(self, n_chars: int, char_dim: int = 32, channels: int = 64, kernel_size: int = 3):
        super().__init__()
        self.embedding = nn.Embedding(n_chars, char_dim, padding_idx=0)
        self.conv = nn.Conv1d(char_dim, channels, kernel_size, padding=kernel_size // 2)
        self.out_dim = channels

    def encode_words(self, words: torch.Tensor) -> torch.Tensor:
        """words ``(N, W)`` → ``(N, channels)``; an all-padding row gives zeros."""
        h = self.conv(self.embedding(words).transpose(1, 2))  # (N, C, W)
        h = h.masked_fill((words == 0)[:, None, :], torch.finfo(h.dtype).min)
        # relu after the max also zeroes padded positions (all characters masked)
        return h.max(dim=2).values.clamp_min(0)

    def forward(self, chars: torch.Tensor, index: torch.Tensor | None = None) -> torch.Tensor:
        """chars ``(B, T, W)`` → ``(B, T, channels)``; or a table of distinct
        words ``(U, W)`` with ``index`` ``(B, T)`` into its rows (what
        :class:`~skattention._batching.Collate` gives)."""
        if index is not None:
            # a lookup, not table[index]: the backward of advanced indexing accumulates
            # repeated rows in a nondeterministic order on the CPU, embedding's does not
            return F.embedding(index, self.encode_words(chars))
        B, T, W = chars.shape
        return self.encode_words(chars.reshape(B * T, W)).reshape(B, T, -1)


class TokenEmbedding(nn.Module):
    """Word embedding plus character CNN, projected to ``d_model``.

    During training each word id is replaced by the unknown id with
    probability ``word_dropout``, so the unknown embedding is learnt and unseen
    words at predict time rely on their characters.

    With pretrained vectors, ``vector_rows`` gives for each word id the row
    of its vector in a table of ``n_vectors`` rows of ``word_dim`` numbers,
    or -1 for words without one; those, and the padding and unknown ids,
    keep a learnt embedding of their own. :meth:`load_vectors` fills the
    table; ``freeze_vectors`` keeps it fixed in training.
    """

    def __init__(self, n_tokens: int, d_model: int, n_chars: int = 0, word_dim: int | None = None,
                 char_dim: int = 32, char_channels: int = 64, word_dropout: float = 0.05,
                 dropout: float = 0.1, vector_rows=None, n_vectors: int = 0, freeze_vectors: bool = False):
        super().__init__()
        word_dim = word_dim or d_model
        if vector_rows is None:
            self.vectors = None
            self.words = nn.Embedding(n_tokens, word_dim, padding_idx=0)
        else:
            rows = torch.as_tensor(vector_rows, dtype=torch.long)
            if rows.shape != (n_tokens,) or rows.max() >= n_vectors or rows.min() < -1 or (rows[:2] >= 0).any():
                raise ValueError(f"vector_rows must give one row in [-1, {n_vectors}) for each of the {n_tokens} "
                                 "tokens, and -1 for padding and unknown (ids 0 and 1).")
            own = rows < 0
            # words with a vector look it up in the table; the others (padding first) in their own rows
            self.register_buffer("vector_rows", rows.clamp_min(0), persistent=False)
            self.register_buffer("has_vector", ~own, persistent=False)
            self.register_buffer("own_rows", torch.where(own, own.long().cumsum(0) - 1, 0), persistent=False)
            self.vectors = nn.Embedding(n_vectors, word_dim)
            self.vectors.weight.requires_grad_(not freeze_vectors)
            self.words = nn.Embedding(int(own.sum()), word_dim, padding_idx=0)
        self.chars = CharCNN(n_chars, char_dim, char_channels) if n_chars else None
        in_dim = word_dim + (char_channels if n_chars else 0)
        self.proj = nn.Linear(in_dim, d_model)
        self.word_dropout = word_dropout
        self.drop = nn.Dropout(dropout)

    @torch.no_grad()
    def load_vectors(self, matrix: torch.Tensor) -> None:
        """Copy pretrained vectors ``(n_vectors, word_dim)`` into the table,
        divided by their standard deviation (one factor for the whole table,
        which keeps its geometry): on the scale of the learnt embeddings
        (unit normal), whatever the scale the vectors were trained at."""
        if self.vectors is None or matrix.shape != self.vectors.weight.shape:
            raise ValueError(f"Expected vectors of shape {tuple(self.vectors.weight.shape) if self.vectors else None},"
                             f" got {tuple(matrix.shape)}.")
        matrix = matrix.to(self.vectors.weight)
        self.vectors.weight.copy_(matrix / matrix.std().clamp_min(1e-8))

    def forward(self, tokens: torch.Tensor, chars: torch.Tensor | None = None,
                char_index: torch.Tensor | None = None) -> torch.Tensor:
        if self.training and self.word_dropout > 0:
            drop = (torch.rand(tokens.shape, device=tokens.device) < self.word_dropout) & (tokens > UNK_ID)
            tokens = tokens.masked_fill(drop, UNK_ID)
        if self.vectors is None:
            h = self.words(tokens)
        else:
            h = torch.where(self.has_vector[tokens].unsqueeze(-1), self.vectors(self.vector_rows[tokens]),
                            self.words(self.own_rows[tokens]))
        if self.chars is not None:
            h = torch.cat([h, self.chars(chars, char_index)], dim=-1)
        return self.proj(self.drop(h))


class NumericEmbedding(nn.Module):
    """Linear projection of ``n_features`` per element to ``d_model``.

    With ``patch_size`` p > 1 each run of p consecutive elements is projected
    together (the patches of PatchTST, Nie et al., 2023), so a series of L
    steps becomes ``ceil(L / p)`` positions: attention over a long series
    costs p² times less, and each position sees a local shape, not one value.
    The last patch is completed with zeros (the training mean).
    """

    def __init__(self, n_features: int, d_model: int, dropout: float = 0.1, patch_size: int = 1):
        super().__init__()
        if patch_size < 1:
            raise ValueError(f"patch_size must be >= 1, got {patch_size!r}.")
        self.patch_size = patch_size
        self.proj = nn.Linear(n_features * patch_size, d_model)
        self.drop = nn.Dropout(dropout)

    def forward(self, features: torch.Tensor) -> torch.Tensor:
        p = self.patch_size
        if p > 1:
            B, T, n = features.shape
            pad = (-T) % p
            features = F.pad(features, (0, 0, 0, pad)).reshape(B, (T + pad) // p, p * n)
        return self.drop(self.proj(features))


class ConvEmbedding(nn.Module):
    """A convolution over the steps, max-pooled per patch, then projected:
    numeric features → ``d_model`` per position.

    Each of ``d_model`` filters spans ``2p + 1`` steps (``p`` = ``patch_size``,
    so at least 3) around every step, at full resolution, followed by a
    GELU; a position keeps each filter's largest response over its run of
    ``p`` steps (where along the run a shape occurs does not matter, as in
    ROCKET's pooled features), and a linear layer mixes the filters. Where
    :class:`NumericEmbedding` sees one patch through a linear map, this sees
    local shapes that may straddle patch boundaries. Steps past a sequence's
    end must be zero (the training mean), as :class:`~skattention.modules.models.Backbone`
    makes them: the series is completed to whole patches with zeros, so a
    sequence's positions never depend on how much padding its batch has.

    Examples
    --------
    >>> embed = ConvEmbedding(n_features=2, d_model=8, patch_size=4)
    >>> embed(torch.zeros(3, 10, 2)).shape  # 10 steps: 3 patches of 4
    torch.Size([3, 3, 8])
    """

    def __init__(self, n_features: int, d_model: int, dropout: float = 0.1, patch_size: int = 1):
        super().__init__()
        if patch_size < 1:
            raise ValueError(f"patch_size must be >= 1, got {patch_size!r}.")
        self.patch_size = patch_size
        self.conv = nn.Conv1d(n_features, d_model, 2 * patch_size + 1, padding=patch_size)
        self.proj = nn.Linear(d_model, d_model)
        self.drop = nn.Dropout(dropout)

    def forward(self, features: torch.Tensor) -> torch.Tensor:
        p = self.patch_size
        pad = (-features.shape[1]) % p
        h = F.gelu(self.conv(F.pad(features, (0, 0, 0, pad)).transpose(1, 2)))  # (B, d_model, T + pad)
        if p > 1:
            h = F.max_pool1d(h, p, p)
        return self.drop(self.proj(h.transpose(1, 2)))


#: numeric embeddings by the estimators' ``front_end`` name
FRONT_ENDS = {"conv": ConvEmbedding, "linear": NumericEmbedding}


def load_vectors(module: nn.Module, matrix) -> None:
    """Fill the pretrained table of the one :class:`TokenEmbedding` with
    vectors inside ``module`` (see :meth:`TokenEmbedding.load_vectors`)."""
    tables = [m for m in module.modules() if isinstance(m, TokenEmbedding) and m.vectors is not None]
    if len(tables) != 1:
        raise ValueError(f"Expected one token embedding with a vector table in the module, found {len(tables)}.")
    tables[0].load_vectors(torch.as_tensor(matrix))
