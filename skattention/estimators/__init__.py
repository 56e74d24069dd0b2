"""The scikit-learn/skorch layer."""

from .seq2seq import AttentionSeq2Seq
from .sequence import AttentionSequenceClassifier, AttentionSequenceRegressor
from .token import AttentionTokenClassifier, AttentionTokenRegressor

__all__ = [
    "AttentionSeq2Seq",
    "AttentionSequenceClassifier",
    "AttentionSequenceRegressor",
    "AttentionTokenClassifier",
    "AttentionTokenRegressor",
]
