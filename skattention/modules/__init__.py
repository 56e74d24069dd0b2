"""PyTorch modules only: embeddings, encoders, models, losses. No scikit-learn here."""

from .batch import Batch
from .embeddings import CharCNN, ConvEmbedding, NumericEmbedding, TokenEmbedding, load_vectors
from .encoders import (
    ENCODERS,
    BiRNNEncoder,
    Encoder,
    HybridEncoder,
    TransformerEncoder,
    make_encoder,
    register_encoder,
)
from .losses import MaskedMSELoss, TokenCrossEntropyLoss, class_probabilities
from .models import POOLINGS, Backbone, SequenceModel, TokenModel, WithAuxiliary
from .ngrams import NGramLinear

__all__ = [
    "ENCODERS", "POOLINGS", "Backbone", "Batch", "BiRNNEncoder", "CharCNN", "Encoder", "HybridEncoder",
    "ConvEmbedding", "MaskedMSELoss", "NGramLinear", "NumericEmbedding", "SequenceModel", "TokenCrossEntropyLoss",
    "TokenEmbedding", "TokenModel", "TransformerEncoder", "WithAuxiliary", "class_probabilities",
    "load_vectors", "make_encoder", "register_encoder",
]
