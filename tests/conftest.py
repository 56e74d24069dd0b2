import numpy as np
import pytest
import torch

torch.set_num_threads(1)

# Tiny, fast settings shared by the estimator tests.
TINY = dict(d_model=16, n_heads=2, n_layers=1, max_epochs=2, batch_size=8, random_state=0)


def make_tagging_data(n=40, seed=0):
    """A toy tagging task: the tag is decided by the word itself."""
    rng = np.random.RandomState(seed)
    lexicon = {"the": "DET", "a": "DET", "cat": "NOUN", "dog": "NOUN", "mat": "NOUN",
               "sat": "VERB", "ran": "VERB", "on": "ADP", "big": "ADJ"}
    words = list(lexicon)
    X = [[words[i] for i in rng.randint(0, len(words), size=rng.randint(2, 9))] for _ in range(n)]
    y = [[lexicon[w] for w in s] for s in X]
    return X, y


def make_numeric_data(n=40, n_features=3, seed=0):
    rng = np.random.RandomState(seed)
    X = [rng.randn(rng.randint(3, 12), n_features).astype(np.float32) for _ in range(n)]
    return X


@pytest.fixture
def tagging_data():
    return make_tagging_data()


@pytest.fixture
def numeric_data():
    return make_numeric_data()
