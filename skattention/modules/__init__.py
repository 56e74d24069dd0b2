"""PyTorch modules only: embeddings, encoders, models, losses. No scikit-learn here."""

from .embeddings import CharCNN, NumericEmbedding, TokenEmbedding
from .encoders import ENCODERS, BiRNNEncoder, HybridEncoder, TransformerEncoder, make_encoder
from .losses import MaskedMSELoss, TokenCrossEntropyLoss, class_probabilities
from .models import POOLINGS, Backbone, SequenceModel, TokenModel

__all__ = [
    "ENCODERS", "POOLINGS", "Backbone", "BiRNNEncoder", "CharCNN", "HybridEncoder",
    "MaskedMSELoss", "NumericEmbedding", "SequenceModel", "TokenCrossEntropyLoss",
    "TokenEmbedding", "TokenModel", "TransformerEncoder", "class_probabilities", "make_encoder",
]
