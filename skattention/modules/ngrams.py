"""A linear model over a sequence's bag of word n-grams, beside the network.

On small text data a linear model over n-gram counts is the baseline to beat
(TF-IDF + logistic regression, NBSVM; Wang & Manning, 2012): it sees "not
good" as one feature from the first step, where a network must learn it.
:class:`NGramLinear` adds that model's scores to the network's output, as the
"wide" part of Wide & Deep (Cheng et al., 2016), with the n-grams of fastText
(Joulin et al., 2017): unigrams by token id, longer n-grams hashed into a
fixed number of rows. In training the estimators fit these scores to the
targets on their own as well as summed with the network's (a product of
experts; see :class:`~skattention.modules.models.WithAuxiliary`). A
classifier's rows start from multinomial naive Bayes fitted to the training
data (:meth:`NGramLinear.init_naive_bayes`), the linear model that wins on
short texts (Wang & Manning, 2012), so training begins where that baseline is.
"""

from __future__ import annotations

from collections.abc import Iterable

import torch
import torch.nn.functional as F
from torch import nn

#: At most this many hashed n-gram rows ...
MAX_BUCKETS = 2**20
#: ... and at most this many hashed weights in all (rows times outputs), so many outputs get fewer rows
MAX_BUCKET_WEIGHTS = 2**22


def _prime_at_most(n: int) -> int:
    """The largest prime <= n (n >= 2): hashing modulo a prime spreads the
    structured keys ``a * n_tokens + b`` over every row."""
    for p in range(n, 1, -1):
        if all(p % d for d in range(2, int(p**0.5) + 1)):
            return p
    raise ValueError(f"No prime <= {n}.")


def default_buckets(n_outputs: int) -> int:
    """The hashed rows :class:`NGramLinear` uses for ``n_outputs`` outputs:
    the largest prime under ``min(2**20, 2**22 // n_outputs)`` (at least 1,021).

    Examples
    --------
    >>> default_buckets(2), default_buckets(6), default_buckets(10_000)
    (1048573, 699037, 1021)
    """
    return _prime_at_most(max(1021, min(MAX_BUCKETS, MAX_BUCKET_WEIGHTS // max(n_outputs, 1))))


class NGramLinear(nn.Module):
    """Scores from the bag of a sequence's 1- to ``n``-grams of tokens.

    Unigrams index one row per token id; each k-gram (2 <= k <= ``n``) of
    real tokens is hashed into one of ``buckets`` further rows. A sequence's
    score is the sum of its n-grams' rows divided by the square root of their
    count (the scale of an L2-normalised bag, as in TF-IDF). Rows start at
    zero, so the network alone decides the first predictions, unless
    :meth:`init_naive_bayes` sets them. Padding (token id 0) makes no n-gram.

    Parameters
    ----------
    n_tokens : int
        The token vocabulary's size (ids ``0 .. n_tokens - 1``, 0 padding).
    n_outputs : int
    n : int, default=2
        The longest n-gram; 1 keeps unigrams only.
    buckets : int, optional
        Rows for the hashed n-grams; :func:`default_buckets` when None.

    Examples
    --------
    >>> layer = NGramLinear(n_tokens=10, n_outputs=3, n=2, buckets=7)
    >>> tokens = torch.tensor([[4, 5, 6], [4, 5, 0]])  # the second sequence is padded
    >>> layer.ngram_ids(tokens)
    tensor([[ 4,  5,  6,  0, 13, 10],
            [ 4,  5,  0,  0, 13,  0]])
    >>> layer(tokens).shape
    torch.Size([2, 3])
    """

    def __init__(self, n_tokens: int, n_outputs: int, n: int = 2, buckets: int | None = None):
        super().__init__()
        if n < 1:
            raise ValueError(f"n must be >= 1, got {n!r}.")
        self.n_tokens, self.n = int(n_tokens), int(n)
        self.buckets = (default_buckets(n_outputs) if buckets is None else int(buckets)) if n > 1 else 0
        self.weight = nn.Parameter(torch.zeros(self.n_tokens + self.buckets, n_outputs))

    def ngram_ids(self, tokens: torch.Tensor) -> torch.Tensor:
        """``(B, T)`` token ids to ``(B, n * T)`` rows of ``weight``: the
        unigrams, then for each k the k-gram ending at each position; 0 where
        there is none (padding, or fewer than k tokens so far)."""
        ids, real = [tokens], tokens > 0
        key, whole = tokens, real  # the 1-gram ending at each position: its token
        for _ in range(2, self.n + 1):  # k = 2 .. n
            # the k-gram ending at t: the (k-1)-gram ending at t-1, then token t
            key = (F.pad(key, (1, 0))[:, :-1] * self.n_tokens + tokens) % self.buckets
            whole = F.pad(whole, (1, 0), value=False)[:, :-1] & real
            ids.append(torch.where(whole, key + self.n_tokens, 0))
        return torch.cat(ids, dim=1)

    def forward(self, tokens: torch.Tensor) -> torch.Tensor:
        ids = self.ngram_ids(tokens)
        present = (ids > 0).unsqueeze(-1).to(self.weight.dtype)
        # a lookup, not weight[ids]: its backward adds repeated rows in a fixed order on the CPU
        total = (F.embedding(ids, self.weight) * present).sum(1)
        return total / present.sum(1).clamp_min(1).sqrt()

    @torch.no_grad()
    def init_naive_bayes(self, batches: Iterable[tuple[torch.Tensor, torch.Tensor]], alpha: float = 1.0) -> int:
        """Set the rows to multinomial naive Bayes over the n-grams of ``batches``.

        Each output is a class. Row ``f``, column ``c`` becomes
        ``log P(f | c) - mean over classes of log P(f | c)``, with
        ``P(f | c) = (count(f, c) + alpha) / (count(c) + alpha * V)`` over the
        ``V`` rows that occur (Laplace smoothing, as scikit-learn's
        ``MultinomialNB``). Rows that never occur stay zero. A sequence's
        scores are then naive Bayes' log-likelihoods (without the class prior)
        divided by the root of its n-gram count, a factor that is the same for
        every class, so the highest score is naive Bayes' choice under a
        uniform prior.

        Parameters
        ----------
        batches : iterable of (tokens, labels)
            Token ids ``(B, T)`` (0 is padding) and each sequence's class
            index ``(B,)`` in ``[0, n_outputs)``.
        alpha : float
            Additive smoothing.

        Returns
        -------
        int
            ``V``, the number of rows that occur.

        Examples
        --------
        >>> layer = NGramLinear(n_tokens=5, n_outputs=2, n=1)
        >>> tokens = torch.tensor([[2, 3], [2, 4]])  # class 0 saw tokens 2, 3; class 1 saw 2, 4
        >>> layer.init_naive_bayes([(tokens, torch.tensor([0, 1]))])
        3
        >>> layer.weight[2].tolist(), layer.weight[3, 0] > 0 > layer.weight[3, 1]
        ([0.0, 0.0], tensor(True))
        """
        rows, classes = self.weight.shape
        counts = torch.zeros(classes * rows, dtype=torch.float64)
        for tokens, labels in batches:
            ids = self.ngram_ids(tokens.to(self.weight.device)).cpu()
            labels = labels.cpu().long()
            if labels.numel() and not 0 <= int(labels.min()) <= int(labels.max()) < classes:
                raise ValueError(f"labels must be class indices in [0, {classes}), got {labels.tolist()}.")
            keys = (labels.unsqueeze(1) * rows + ids)[ids > 0]
            counts.index_add_(0, keys, torch.ones(len(keys), dtype=torch.float64))
        counts = counts.view(classes, rows)
        seen = counts.sum(0) > 0
        n_seen = int(seen.sum())
        log_p = torch.log((counts + alpha) / (counts.sum(1, keepdim=True) + alpha * max(n_seen, 1)))
        weight = (log_p - log_p.mean(0, keepdim=True)) * seen
        self.weight.copy_(weight.T.to(self.weight.dtype))
        return n_seen
