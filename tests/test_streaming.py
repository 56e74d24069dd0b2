"""skattention._streaming: a streamed fit from a torch Dataset or a
re-iterable of (sequence, target) pairs, for every estimator: what it learns
and trains on, the seeded validation split, batching, and its errors."""

import numpy as np
import pytest
import torch
from conftest import (
    ESTIMATORS,
    TINY_SPLIT,
    Pairs,
    assert_same_state,
    fitted_state,
    make_problem,
    make_sentences,
)

from skattention import AttentionSequenceClassifier
from skattention._batching import Collate
from skattention._streaming import BatchStream, PairSource, in_validation
from skattention.estimators import _streamed


class MapDataset(torch.utils.data.Dataset):
    def __init__(self, X, y, tensors=False):
        self.X, self.y, self.tensors = X, y, tensors

    def __len__(self):
        return len(self.X)

    def __getitem__(self, i):
        x, y = self.X[i], self.y[i]
        if self.tensors:  # what a torch user's Dataset returns
            x, y = torch.as_tensor(x), torch.as_tensor(y)
        return x, y


@pytest.mark.parametrize("name", ESTIMATORS)
@pytest.mark.parametrize("source", ["iterable", "dataset"])
def test_streamed_fit_learns_what_a_list_fit_learns(name, source, monkeypatch):
    cls, X, y = make_problem(name)
    monkeypatch.setattr(_streamed, "SCAN_POOL", 25)  # the first pass reads several pools
    data = Pairs(X, y) if source == "iterable" else MapDataset(X, y, tensors=name.endswith("regressor"))
    streamed = cls(**TINY_SPLIT).fit(data)
    listed = cls(**TINY_SPLIT).fit(X, y)
    assert_same_state(fitted_state(listed), fitted_state(streamed))
    history = streamed.history_
    assert len(history) == 2 and {"train_loss", "valid_loss"} <= set(history.columns)
    assert np.isfinite(history["train_loss"]).all()
    pred = streamed.predict(X[:5])
    assert len(pred) == 5
    if name.startswith("token"):
        assert [len(p) for p in pred] == [len(x) for x in X[:5]]
    if source == "iterable":
        # the first pass, the classifier's n-gram scores start from naive Bayes over the training pairs
        # (one more pass), then train and validation per epoch
        assert data.passes == 1 + (name == "sequence_classifier") + 2 * 2


def test_streamed_fit_is_repeatable_and_trains_on_every_training_pair():
    cls, X, y = make_problem("token_classifier")
    a = cls(**TINY_SPLIT).fit(Pairs(X, y))
    b = cls(**TINY_SPLIT).fit(MapDataset(X, y))
    again = cls(**TINY_SPLIT).fit(MapDataset(X, y))
    np.testing.assert_array_equal(np.concatenate(b.predict(X)), np.concatenate(again.predict(X)))
    # the split is a hash of the position: the same pairs are held out whatever the source type
    n_valid = int(in_validation(np.arange(len(X)), 0.1, b.net_.sampler_seed).sum())
    assert a.net_.sampler_seed == b.net_.sampler_seed
    for est in (a, b):
        epoch = est.history[-1]["batches"]
        assert sum(batch["train_batch_size"] for batch in epoch if "train_batch_size" in batch) == len(X) - n_valid
        assert sum(batch["valid_batch_size"] for batch in epoch if "valid_batch_size" in batch) == n_valid


def test_batches_reshuffle_every_epoch_and_keep_the_split():
    X = make_sentences(300)

    def encode(pairs, positions):
        items = [{"tokens": np.full(len(p[0]), 2)} for p in pairs]
        return items, np.array([len(p[0]) for p in pairs]), [np.zeros(len(p[0]), np.int64) for p in pairs], positions

    stream = BatchStream(PairSource(MapDataset(X, [s for s in X])), encode, Collate(), valid_fraction=0.2)
    train, valid = stream.split()
    batches = train.batches(16, shuffle=True, seed=3, pool_factor=4)
    epochs = [[b[0].lengths.tolist() for b in batches] for _ in range(2)]
    assert epochs[0] != epochs[1]  # a new order every epoch
    seen = [sorted(np.concatenate(e)) for e in epochs]
    assert seen[0] == seen[1]  # the same training pairs every epoch
    n_train = sum(len(e) for e in epochs[0])
    n_valid = sum(len(b[0].lengths) for b in valid.batches(16, shuffle=False, seed=3))
    assert n_train + n_valid == len(X) and 0.12 * len(X) < n_valid < 0.28 * len(X)
    # padding stays low: every pool is sorted into length buckets
    padded = sum(len(b[0].lengths) * int(b[0].lengths.max()) for b in batches)
    assert padded / sum(len(s) for s in X) < 1.5


def test_in_validation_is_a_stable_seeded_fraction():
    positions = np.arange(100_000)
    held = in_validation(positions, 0.1, seed=7)
    assert abs(held.mean() - 0.1) < 0.005
    np.testing.assert_array_equal(held[500:600], in_validation(positions[500:600], 0.1, seed=7))
    assert (held != in_validation(positions, 0.1, seed=8)).any()
    assert not in_validation(positions, None, seed=7).any()


def test_one_shot_generators_are_refused_before_training():
    cls, X, y = make_problem("token_classifier")
    with pytest.raises(TypeError, match="one-shot iterator .generator.* reads it 5 times"):
        cls(**TINY_SPLIT).fit(pair for pair in zip(X, y))
    # once fitted, one epoch without validation reads a chunk once: a generator will do
    est = cls(**{**TINY_SPLIT, "max_epochs": 1, "train_split": None}).partial_fit(X[:60], y[:60])
    est.partial_fit(pair for pair in zip(X[60:], y[60:]))
    assert len(est.history_) == 2


def test_streamed_bad_input_names_the_pair_and_what_was_expected():
    cls, X, y = make_problem("token_classifier")
    y_bad = list(y)
    y_bad[97] = y_bad[97][:-1]
    with pytest.raises(ValueError, match=r"streamed training data: y\[97\] has .* but X\[97\] has"):
        cls(**TINY_SPLIT).fit(Pairs(X, y_bad))
    items = list(zip(X, y))
    items[5] = X[5]
    with pytest.raises(TypeError, match="Item 5 of the streamed X is a list of length .*pairs"):
        cls(**TINY_SPLIT).fit(_Items(items))
    with pytest.raises(TypeError, match="y must be None"):
        cls(**TINY_SPLIT).fit(MapDataset(X, y), y)
    with pytest.raises(TypeError, match="train_split callables"):
        cls(**{**TINY_SPLIT, "train_split": lambda ds, y: (ds, None)}).fit(Pairs(X, y))
    with pytest.raises(ValueError, match="Every sequence in X is empty"):
        cls(**TINY_SPLIT).fit(Pairs([[]] * 3, [[]] * 3))
    sequence = AttentionSequenceClassifier(**TINY_SPLIT)
    with pytest.raises(ValueError, match=r"X\[41\] is empty"):
        sequence.fit(Pairs(X[:41] + [[]] + X[42:], [1, 0] * 60))


class _Items:
    def __init__(self, items):
        self.items = items

    def __iter__(self):
        return iter(self.items)


def test_streamed_max_length_warns_once_with_the_count():
    cls, X, y = make_problem("token_classifier")
    with pytest.warns(UserWarning, match=r"^\d+ sequence\(s\) longer than max_length=4 were split") as record:
        cls(**{**TINY_SPLIT, "max_length": 4}).fit(Pairs(X, y))
    long = [w for w in record if "max_length" in str(w.message)]
    assert len(long) == 1 and str(long[0].message).startswith(f"{sum(len(s) > 4 for s in X)} ")
    assert long[0].filename == __file__


def test_streamed_fit_shows_progress_and_the_epoch_table(capsys):
    cls, X, y = make_problem("sequence_classifier")
    cls(**{**TINY_SPLIT, "verbose": 1}).fit(MapDataset(X, y))
    out = capsys.readouterr()
    assert "train_loss" in out.out and "valid_loss" in out.out
