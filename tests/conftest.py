import os

import numpy as np
import pytest
import torch
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from skorch.callbacks import Callback

from skattention import (
    AttentionSeq2Seq,
    AttentionSequenceClassifier,
    AttentionSequenceRegressor,
    AttentionTokenClassifier,
    AttentionTokenRegressor,
)

torch.set_num_threads(1)

# Tiny, fast settings shared by the estimator tests.
TINY = dict(d_model=16, n_heads=2, n_layers=1, max_epochs=2, batch_size=8, random_state=0)
# with a 10% validation split, for the tests that check that streams hold one out like lists do
TINY_SPLIT = {**TINY, "train_split": 0.1}


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


def same_outputs(a, b):
    """Whether two lists of outputs (predictions, probabilities) are equal, item by item."""
    return all(np.array_equal(np.asarray(p), np.asarray(q)) for p, q in zip(a, b))


@pytest.fixture
def tagging_data():
    return make_tagging_data()


@pytest.fixture
def numeric_data():
    return make_numeric_data()


class InterruptAt(Callback):
    """Ctrl-C (the KeyboardInterrupt it raises) at the end of epoch ``epoch``."""

    def __init__(self, epoch):
        self.epoch = epoch

    def on_epoch_end(self, net, **kwargs):
        if len(net.history) == self.epoch:
            raise KeyboardInterrupt


# ---------------------------------------------------------------- the five estimators, listed or streamed
WORDS = "the a cat dog runs sees big small old".split()
ESTIMATORS = ["token_classifier", "token_regressor", "sequence_classifier", "sequence_regressor", "seq2seq"]


class Pairs:
    """A re-iterable of (sequence, target) pairs, as a file reader would be."""

    def __init__(self, X, y):
        self.X, self.y = X, y
        self.passes = 0

    def __iter__(self):
        self.passes += 1
        return iter(zip(self.X, self.y))


def make_sentences(n=120, seed=0):
    rng = np.random.RandomState(seed)
    return [[WORDS[i] for i in rng.randint(0, len(WORDS), rng.randint(2, 9))] for _ in range(n)]


def make_frames(n=80, seed=0):
    rng = np.random.RandomState(seed)
    return [rng.randn(k, 3).astype(np.float32) for k in rng.randint(2, 9, n)]


def make_problem(name):
    """(estimator class, X, y) for each of the five estimators."""
    X, F = make_sentences(), make_frames()
    return {
        "token_classifier": (AttentionTokenClassifier, X, [[w.upper() for w in s] for s in X]),
        "token_regressor": (AttentionTokenRegressor, F, [f[:, 0] * 2.0 for f in F]),
        "sequence_classifier": (AttentionSequenceClassifier, X, np.array(["long" if len(s) > 5 else "short"
                                                                         for s in X])),
        "sequence_regressor": (AttentionSequenceRegressor, F, np.array([f[:, 1].mean() for f in F])),
        "seq2seq": (AttentionSeq2Seq, X, [s[::-1] for s in X]),
    }[name]


def fitted_state(est):
    """What the first pass learns: vocabularies, classes, scaling."""
    enc = est.input_encoder_
    state = {"kind": enc.kind_}
    if enc.kind_ == "tokens":
        state["vocab"] = enc.vocab_.itos_
        state["chars"] = enc.chars_.itos_
    else:
        state["mean"], state["scale"] = enc.mean_, enc.scale_
    for attr in ("classes_", "target_vocabulary_"):
        if hasattr(est, attr):
            state[attr] = getattr(est, attr)
    if hasattr(est, "target_scaler_"):
        state["target"] = (est.target_scaler_.mean_, est.target_scaler_.scale_)
    return state


def assert_same_state(a, b):
    assert a.keys() == b.keys()
    for key in a:
        if isinstance(a[key], tuple):
            for u, v in zip(a[key], b[key]):
                np.testing.assert_allclose(u, v, rtol=1e-6)
        elif isinstance(a[key], np.ndarray) and a[key].dtype.kind == "f":
            np.testing.assert_allclose(a[key], b[key], rtol=1e-5)
        elif isinstance(a[key], np.ndarray):
            np.testing.assert_array_equal(a[key], b[key])
        else:
            assert a[key] == b[key], key


# ---------------------------------------------------------------- damaged files (hypothesis)
DAMAGE_SETTINGS = settings(max_examples=int(os.environ.get("SKATTENTION_PROPERTIES_EXAMPLES", "40")), deadline=None,
                           derandomize=not os.environ.get("SKATTENTION_PROPERTIES_RANDOM"),
                           suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])

# values a damaged or hostile file might hold where a field was
DAMAGED_VALUES = st.one_of(
    st.none(), st.booleans(), st.integers(-2**70, 2**70), st.sampled_from([10**9, -1, 0, 2**31]),
    st.floats(allow_nan=True, allow_infinity=True), st.text(max_size=12),
    st.sampled_from(["__class__", "../../etc", "cuda:7", "Popen", "epoch-0001"]),
    st.lists(st.integers(-3, 3), max_size=3),
    st.sampled_from([{"__object__": "Popen", "state": {}}, {"__ndarray__": [1], "dtype": "<f8", "shape": [9]},
                     {"__scalar__": 1, "dtype": "bogus"}, {"__optimizer__": "Optimizer"}, {"__items__": [[1]]},
                     {"__scalar__": 100000, "dtype": "|i1"}, {"__ndarray__": [100000], "dtype": "<i2", "shape": [1]},
                     {"__tuple__": 3}, {}]),
)


def _paths(node, prefix=()):
    """Every place in a JSON document, as a path of keys and indices."""
    yield prefix
    if isinstance(node, dict):
        for k, v in node.items():
            yield from _paths(v, (*prefix, k))
    elif isinstance(node, list):
        for i, v in enumerate(node[:4]):
            yield from _paths(v, (*prefix, i))


def corrupt(doc, data):
    """One random change to ``doc``: a value replaced, a key removed, or the text cut short."""
    places = [p for p in _paths(doc) if p]
    where = data.draw(st.sampled_from(places), label="where")
    parent = doc
    for key in where[:-1]:
        parent = parent[key]
    how = data.draw(st.sampled_from(["replace", "remove"]), label="how")
    if how == "remove" and isinstance(parent, dict):
        del parent[where[-1]]
    else:
        parent[where[-1]] = data.draw(DAMAGED_VALUES, label="value")
    return doc
