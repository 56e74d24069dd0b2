"""skattention: attention-based sequence models that behave like scikit-learn
estimators, built on skorch and PyTorch."""

__version__ = "0.1.0"  # before the imports: the model-file code records it

from .estimators import (  # noqa: E402
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
