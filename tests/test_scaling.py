"""Data bigger than memory: streamed fit from a torch Dataset or a re-iterable
of pairs, and partial_fit over chunks, for every estimator."""

import numpy as np
import pytest
import torch
from sklearn.base import clone
from skorch.callbacks import Callback

from skattention import (
    AttentionSeq2Seq,
    AttentionSequenceClassifier,
    AttentionSequenceRegressor,
    AttentionTokenClassifier,
    AttentionTokenRegressor,
)
from skattention._batching import Collate
from skattention._streaming import BatchStream, PairSource, in_validation
from skattention.estimators import _streamed

# a 10% validation split, as these tests check that streams hold one out like lists do
TINY = dict(d_model=16, n_heads=2, n_layers=1, max_epochs=2, batch_size=8, random_state=0, train_split=0.1)
WORDS = "the a cat dog runs sees big small old".split()


class Pairs:
    """A re-iterable of (sequence, target) pairs, as a file reader would be."""

    def __init__(self, X, y):
        self.X, self.y = X, y
        self.passes = 0

    def __iter__(self):
        self.passes += 1
        return iter(zip(self.X, self.y))


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


def _tokens(n=120, seed=0):
    rng = np.random.RandomState(seed)
    return [[WORDS[i] for i in rng.randint(0, len(WORDS), rng.randint(2, 9))] for _ in range(n)]


def _frames(n=80, seed=0):
    rng = np.random.RandomState(seed)
    return [rng.randn(k, 3).astype(np.float32) for k in rng.randint(2, 9, n)]


def _problem(name):
    """(estimator class, X, y) for each of the five estimators."""
    X, F = _tokens(), _frames()
    return {
        "token_classifier": (AttentionTokenClassifier, X, [[w.upper() for w in s] for s in X]),
        "token_regressor": (AttentionTokenRegressor, F, [f[:, 0] * 2.0 for f in F]),
        "sequence_classifier": (AttentionSequenceClassifier, X, np.array(["long" if len(s) > 5 else "short"
                                                                         for s in X])),
        "sequence_regressor": (AttentionSequenceRegressor, F, np.array([f[:, 1].mean() for f in F])),
        "seq2seq": (AttentionSeq2Seq, X, [s[::-1] for s in X]),
    }[name]


ESTIMATORS = ["token_classifier", "token_regressor", "sequence_classifier", "sequence_regressor", "seq2seq"]


def _fitted_state(est):
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


def _assert_same_state(a, b):
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


@pytest.mark.parametrize("name", ESTIMATORS)
@pytest.mark.parametrize("source", ["iterable", "dataset"])
def test_streamed_fit_learns_what_a_list_fit_learns(name, source, monkeypatch):
    cls, X, y = _problem(name)
    monkeypatch.setattr(_streamed, "SCAN_POOL", 25)  # the first pass reads several pools
    data = Pairs(X, y) if source == "iterable" else MapDataset(X, y, tensors=name.endswith("regressor"))
    streamed = cls(**TINY).fit(data)
    listed = cls(**TINY).fit(X, y)
    _assert_same_state(_fitted_state(listed), _fitted_state(streamed))
    history = streamed.history_
    assert len(history) == 2 and {"train_loss", "valid_loss"} <= set(history.columns)
    assert np.isfinite(history["train_loss"]).all()
    pred = streamed.predict(X[:5])
    assert len(pred) == 5
    if name.startswith("token"):
        assert [len(p) for p in pred] == [len(x) for x in X[:5]]
    if source == "iterable":
        assert data.passes == 1 + 2 * 2  # the first pass, then train and validation per epoch


def test_streamed_fit_is_repeatable_and_trains_on_every_training_pair():
    cls, X, y = _problem("token_classifier")
    a = cls(**TINY).fit(Pairs(X, y))
    b = cls(**TINY).fit(MapDataset(X, y))
    again = cls(**TINY).fit(MapDataset(X, y))
    np.testing.assert_array_equal(np.concatenate(b.predict(X)), np.concatenate(again.predict(X)))
    # the split is a hash of the position: the same pairs are held out whatever the source type
    n_valid = int(in_validation(np.arange(len(X)), 0.1, b.net_.sampler_seed).sum())
    assert a.net_.sampler_seed == b.net_.sampler_seed
    for est in (a, b):
        epoch = est.history[-1]["batches"]
        assert sum(batch["train_batch_size"] for batch in epoch if "train_batch_size" in batch) == len(X) - n_valid
        assert sum(batch["valid_batch_size"] for batch in epoch if "valid_batch_size" in batch) == n_valid


def test_batches_reshuffle_every_epoch_and_keep_the_split():
    X = _tokens(300)

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
    cls, X, y = _problem("token_classifier")
    with pytest.raises(TypeError, match="one-shot iterator .generator.* reads it 5 times"):
        cls(**TINY).fit(pair for pair in zip(X, y))
    # once fitted, one epoch without validation reads a chunk once: a generator will do
    est = cls(**{**TINY, "max_epochs": 1, "train_split": None}).partial_fit(X[:60], y[:60])
    est.partial_fit(pair for pair in zip(X[60:], y[60:]))
    assert len(est.history_) == 2


def test_streamed_bad_input_names_the_pair_and_what_was_expected():
    cls, X, y = _problem("token_classifier")
    y_bad = list(y)
    y_bad[97] = y_bad[97][:-1]
    with pytest.raises(ValueError, match=r"streamed training data: y\[97\] has .* but X\[97\] has"):
        cls(**TINY).fit(Pairs(X, y_bad))
    items = list(zip(X, y))
    items[5] = X[5]
    with pytest.raises(TypeError, match="Item 5 of the streamed X is a list of length .*pairs"):
        cls(**TINY).fit(_Items(items))
    with pytest.raises(TypeError, match="y must be None"):
        cls(**TINY).fit(MapDataset(X, y), y)
    with pytest.raises(TypeError, match="train_split callables"):
        cls(**{**TINY, "train_split": lambda ds, y: (ds, None)}).fit(Pairs(X, y))
    with pytest.raises(ValueError, match="Every sequence in X is empty"):
        cls(**TINY).fit(Pairs([[]] * 3, [[]] * 3))
    sequence = AttentionSequenceClassifier(**TINY)
    with pytest.raises(ValueError, match=r"X\[41\] is empty"):
        sequence.fit(Pairs(X[:41] + [[]] + X[42:], [1, 0] * 60))


class _Items:
    def __init__(self, items):
        self.items = items

    def __iter__(self):
        return iter(self.items)


def test_streamed_max_length_warns_once_with_the_count():
    cls, X, y = _problem("token_classifier")
    with pytest.warns(UserWarning, match=r"^\d+ sequence\(s\) longer than max_length=4 were split") as record:
        cls(**{**TINY, "max_length": 4}).fit(Pairs(X, y))
    long = [w for w in record if "max_length" in str(w.message)]
    assert len(long) == 1 and str(long[0].message).startswith(f"{sum(len(s) > 4 for s in X)} ")
    assert long[0].filename == __file__


@pytest.mark.parametrize("name", ESTIMATORS)
def test_partial_fit_over_chunks(name):
    cls, X, y = _problem(name)
    est = cls(**{**TINY, "max_epochs": 1})
    third = len(X) // 3
    chunks = [slice(0, third), slice(third, 2 * third), slice(2 * third, None)]
    kwargs = {}
    if name.endswith("classifier"):
        kwargs["classes"] = (sorted({label for seq in y for label in seq}) if name.startswith("token")
                             else np.unique(y))
    if name == "seq2seq":
        kwargs["classes"] = WORDS
    for chunk in chunks:
        ys = y[chunk]
        est.partial_fit(X[chunk], ys, **kwargs)
    assert len(est.history_) == 3
    first = clone(est).partial_fit(X[:third], y[:third], **kwargs)
    _assert_same_state(_fitted_state(first), _fitted_state(est))  # later chunks never refit the encoders
    assert len(est.predict(X[:3])) == 3


def test_seq2seq_partial_fit_declares_target_tokens():
    X = [["a", "b"], ["b", "a"]] * 10
    later = [["c", "d"], ["d", "c"]] * 10
    est = AttentionSeq2Seq(**{**TINY, "max_epochs": 1})
    with pytest.raises(ValueError, match=r"y\[0\] has token 'c', which the model's target vocabulary"):
        clone(est).partial_fit(X, X).partial_fit(later, later)
    est.partial_fit(X, X, classes=["a", "b", "c", "d"]).partial_fit(later, later)
    assert {"c", "d"} <= set(est.target_vocabulary_)


# ------------------------------------------------------------------ Accelerate
@pytest.fixture
def fresh_accelerate():
    """Accelerate keeps one process-wide state (its mixed precision among it)."""
    state = pytest.importorskip("accelerate.state")
    state.AcceleratorState._reset_state(True)
    yield pytest.importorskip("accelerate").Accelerator
    state.AcceleratorState._reset_state(True)


def test_accelerator_in_one_process_trains_as_without_it(fresh_accelerate):
    cls, X, y = _problem("token_classifier")
    plain = cls(**TINY).fit(X, y)
    accelerated = cls(**TINY, accelerator=fresh_accelerate(cpu=True)).fit(X, y)
    assert type(accelerated.net_).__name__ == "AcceleratedNet"
    np.testing.assert_allclose(accelerated.history_["train_loss"], plain.history_["train_loss"], rtol=1e-6)
    np.testing.assert_allclose(np.concatenate(accelerated.predict_proba(X)), np.concatenate(plain.predict_proba(X)),
                               atol=1e-6)
    # unwrapped after training: it pickles, and training continues through the accelerator
    import pickle

    again = pickle.loads(pickle.dumps(accelerated))
    assert again.score(X, y) == accelerated.score(X, y)
    accelerated.set_params(warm_start=True).fit(X, y)
    assert len(accelerated.history_) == 4


def test_accelerator_mixed_precision_is_the_accelerators(fresh_accelerate):
    cls, X, y = _problem("sequence_regressor")
    with pytest.raises(ValueError, match="mixed precision is the accelerator's"):
        cls(**TINY, accelerator=fresh_accelerate(cpu=True), precision="bf16").fit(X, y)
    with pytest.raises(ValueError, match="accelerator.*must be None or an accelerate.Accelerator"):
        cls(**TINY, accelerator="bf16").fit(X, y)
    from accelerate.state import AcceleratorState

    AcceleratorState._reset_state(True)  # the fp32 accelerator above fixed the process-wide precision
    est = cls(**{**TINY, "train_split": None}, accelerator=fresh_accelerate(cpu=True, mixed_precision="bf16"))
    est.fit(X[:20], y[:20])
    dtypes = set()
    linear = [m for m in est.module_.modules() if isinstance(m, torch.nn.Linear)][-1]
    hook = linear.register_forward_hook(lambda module, args, out: dtypes.add(out.dtype))
    est.set_params(warm_start=True).fit(X, y)
    hook.remove()
    assert dtypes == {torch.bfloat16}  # every training step ran under the accelerator's autocast
    assert np.isfinite(est.predict(X)).all()


DDP_SCRIPT = """
import hashlib, json, sys
import numpy as np
from accelerate import Accelerator
from skattention import AttentionTokenClassifier
sys.path.insert(0, {tests!r})
from test_scaling import TINY, _problem
cls, X, y = _problem("token_classifier")
acc = Accelerator(cpu=True)
est = cls(**TINY, accelerator=acc).fit(X, y)
weights = b"".join(p.detach().numpy().tobytes() for p in est.module_.parameters())
result = {{"rank": acc.process_index, "world": acc.num_processes, "weights": hashlib.sha256(weights).hexdigest(),
          "batches": [epoch["train_batch_count"] for epoch in est.history]}}
with open({out!r} + f"/rank{{acc.process_index}}.json", "w") as f:
    json.dump(result, f)
"""


def test_accelerator_data_parallel_over_two_processes(tmp_path):
    """``torchrun`` (what ``accelerate launch`` runs) with two CPU processes:
    each trains on half of every epoch's batches, and the gradients are
    averaged, so both end with the same weights."""
    pytest.importorskip("accelerate")
    import json
    import os
    import subprocess
    import sys
    from pathlib import Path

    script = tmp_path / "ddp.py"
    script.write_text(DDP_SCRIPT.format(tests=str(Path(__file__).parent), out=str(tmp_path)))
    env = {**os.environ, "OMP_NUM_THREADS": "1"}
    run = subprocess.run([sys.executable, "-m", "torch.distributed.run", "--standalone", "--nproc_per_node", "2",
                          str(script)], capture_output=True, text=True, timeout=300, env=env)
    assert run.returncode == 0, run.stdout[-2000:] + run.stderr[-3000:]
    results = [json.loads(path.read_text()) for path in sorted(tmp_path.glob("rank*.json"))]
    assert {r["rank"] for r in results} == {0, 1} and {r["world"] for r in results} == {2}
    assert results[0]["weights"] == results[1]["weights"]
    cls, X, y = _problem("token_classifier")
    single = cls(**TINY).fit(X, y).history[-1]["train_batch_count"]
    assert all(b <= (single + 1) // 2 + 1 for r in results for b in r["batches"])


class _StopAt(Callback):
    """Ctrl-C at the end of epoch ``epoch``."""

    def __init__(self, epoch):
        self.epoch = epoch

    def on_epoch_end(self, net, **kwargs):
        if len(net.history) == self.epoch:
            raise KeyboardInterrupt


def test_an_interrupted_streamed_fit_resumes_from_its_checkpoint(tmp_path):
    cls, X, y = _problem("token_classifier")
    kw = {**TINY, "max_epochs": 4, "checkpoint_dir": str(tmp_path / "ckpt")}
    with pytest.warns(UserWarning, match="resumes from the checkpoint"):
        cls(**kw, callbacks=[("stop", _StopAt(2))]).fit(Pairs(X, y))
    data = Pairs(X, y)
    resumed = cls(**kw).fit(data)
    assert list(resumed.history_["epoch"]) == [1, 2, 3, 4]
    assert data.passes == 1 + 2 * 2  # validation pass, then the two remaining epochs with validation


def test_streamed_fit_shows_progress_and_the_epoch_table(capsys):
    cls, X, y = _problem("sequence_classifier")
    cls(**{**TINY, "verbose": 1}).fit(MapDataset(X, y))
    out = capsys.readouterr()
    assert "train_loss" in out.out and "valid_loss" in out.out
