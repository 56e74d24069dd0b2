"""skattention: attention-based sequence models that behave like scikit-learn
estimators, built on skorch and PyTorch."""

from .estimators import (
    AttentionSeq2Seq,
    AttentionSequenceClassifier,
    AttentionSequenceRegressor,
    AttentionTokenClassifier,
    AttentionTokenRegressor,
)

__version__ = "0.1.0"

__all__ = [
    "AttentionSeq2Seq",
    "AttentionSequenceClassifier",
    "AttentionSequenceRegressor",
    "AttentionTokenClassifier",
    "AttentionTokenRegressor",
    "__version__",
]
