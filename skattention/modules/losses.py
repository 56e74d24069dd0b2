"""Losses over padded batches."""

from __future__ import annotations

import torch
from torch import nn


class TokenCrossEntropyLoss(nn.CrossEntropyLoss):
    """Cross-entropy over ``(B, T, C)`` logits and ``(B, T)`` targets padded
    with ``ignore_index`` (-100)."""

    def forward(self, input: torch.Tensor, target: torch.Tensor) -> torch.Tensor:
        return super().forward(input.reshape(-1, input.shape[-1]), target.reshape(-1))


class MaskedMSELoss(nn.Module):
    """Mean squared error over the entries whose target is not NaN (padding)."""

    def forward(self, input: torch.Tensor, target: torch.Tensor) -> torch.Tensor:
        mask = ~torch.isnan(target)
        diff = (input - torch.nan_to_num(target)) * mask
        return (diff**2).sum() / mask.sum().clamp_min(1)


def class_probabilities(logits: torch.Tensor) -> torch.Tensor:
    """Softmax over the last axis (the estimators' ``predict_proba``)."""
    return torch.softmax(logits, dim=-1)
