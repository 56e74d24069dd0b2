"""skattention: attention-based sequence models that behave like scikit-learn
estimators, built on skorch and PyTorch."""

from ._version import __version__
from .estimators import (
    AttentionSeq2Seq,
    AttentionSequenceClassifier,
    AttentionSequenceRegressor,
    AttentionTokenClassifier,
    AttentionTokenRegressor,
)

__all__ = [
    "AttentionSeq2Seq",
    "AttentionSequenceClassifier",
    "AttentionSequenceRegressor",
    "AttentionTokenClassifier",
    "AttentionTokenRegressor",
    "__version__",
]
