"""The scikit-learn/skorch layer."""

from .._serialization import register_estimator
from .seq2seq import AttentionSeq2Seq
from .sequence import AttentionSequenceClassifier, AttentionSequenceRegressor
from .token import AttentionTokenClassifier, AttentionTokenRegressor

# the classes a model file may name (skattention._serialization rebuilds only these)
for _cls in (AttentionSeq2Seq, AttentionSequenceClassifier, AttentionSequenceRegressor, AttentionTokenClassifier,
             AttentionTokenRegressor):
    register_estimator(_cls)
del _cls

__all__ = [
    "AttentionSeq2Seq",
    "AttentionSequenceClassifier",
    "AttentionSequenceRegressor",
    "AttentionTokenClassifier",
    "AttentionTokenRegressor",
]
