"""The batch contract: what collation produces and every model consumes.

A :class:`Batch` holds one padded batch of sequences. ``lengths`` is always
there; the inputs a model reads are optional fields, so a new kind of input
is one new field, filled by the collate step and read by the embedding or
encoder that needs it, and no model's ``forward`` signature changes.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

import torch


@dataclass
class Batch:
    """One padded batch of ``B`` sequences of at most ``T`` elements.

    Parameters
    ----------
    lengths : LongTensor ``(B,)``
        Real elements of each sequence; positions from ``lengths[b]`` on are
        padding. Kept on the host by :meth:`to`, so that the models read it
        without a device synchronisation.
    tokens : LongTensor ``(B, T)``, optional
        Word ids (0 is padding, 1 the unknown word).
    chars : LongTensor ``(U, W)`` or ``(B, T, W)``, optional
        Character ids: a table of the batch's ``U`` distinct words, indexed
        by ``char_index``, or one row per position.
    char_index : LongTensor ``(B, T)``, optional
        The row of ``chars`` of every position (0, an all-padding row, at
        padding).
    features : FloatTensor ``(B, T, F)``, optional
        Numeric input.
    pairwise : Tensor ``(B, T, T)``, optional
        A term between every pair of elements that self-attention takes into
        account: boolean, ``True`` where element ``i`` (a query) may attend
        to element ``j`` (every element may always attend to itself); or
        floating, added to the attention scores of every head (``-inf``
        masks). Padding is masked whatever it holds there.
    target_in : LongTensor ``(B, T')``, optional
        A sequence-to-sequence decoder's input in training (the start token,
        then the target shifted right).
    degrees : LongTensor ``(B, T)``, optional
        Graphs: each node's number of neighbours (capped).
    distances : Tensor ``(B, T, T)`` of small ints, optional
        Graphs: the shortest-path distance between every two nodes (capped;
        a last value for nodes in different components). The model turns it
        into the pairwise term, a learned bias per distance.
    edge_types : Tensor ``(B, T, T)`` of small ints, optional
        Graphs with typed edges: the type id of the edge between two
        neighbours (0 where there is none); a learned bias per type joins
        the distance bias.

    Examples
    --------
    >>> import torch
    >>> batch = Batch(lengths=torch.tensor([3, 1]), tokens=torch.tensor([[4, 5, 6], [7, 0, 0]]))
    >>> len(batch), batch.width
    (2, 3)
    >>> batch.to("cpu").lengths is batch.lengths  # lengths stay where they are
    True
    """

    lengths: torch.Tensor
    tokens: torch.Tensor | None = None
    chars: torch.Tensor | None = None
    char_index: torch.Tensor | None = None
    features: torch.Tensor | None = None
    pairwise: torch.Tensor | None = None
    target_in: torch.Tensor | None = None
    degrees: torch.Tensor | None = None
    distances: torch.Tensor | None = None
    edge_types: torch.Tensor | None = None

    def __len__(self) -> int:
        return len(self.lengths)

    @property
    def width(self) -> int:
        """``T``, the padded length of the inputs."""
        inputs = self.tokens if self.tokens is not None else self.features
        return int(inputs.shape[1]) if inputs is not None else int(self.lengths.max())

    def _map(self, fn) -> Batch:
        """A batch with ``fn`` applied to every tensor but ``lengths``."""
        changed = {f.name: fn(value) for f in dataclasses.fields(self)
                   if f.name != "lengths" and (value := getattr(self, f.name)) is not None}
        return dataclasses.replace(self, **changed)

    def to(self, device, non_blocking: bool = False) -> Batch:
        """The batch on ``device`` (``lengths`` stay on the host)."""
        return self._map(lambda t: t.to(device, non_blocking=non_blocking))

    def pin_memory(self) -> Batch:
        """The batch in page-locked memory, for asynchronous copies to a GPU
        (``DataLoader(pin_memory=True)`` calls this)."""
        return self._map(torch.Tensor.pin_memory)
