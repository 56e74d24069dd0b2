"""The scikit-learn/skorch layer."""

from .sequence import AttentionSequenceClassifier, AttentionSequenceRegressor
from .token import AttentionTokenClassifier, AttentionTokenRegressor

__all__ = [
    "AttentionSequenceClassifier",
    "AttentionSequenceRegressor",
    "AttentionTokenClassifier",
    "AttentionTokenRegressor",
]
