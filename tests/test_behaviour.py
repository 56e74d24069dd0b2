"""Behaviour kept through refactoring: the outputs of every estimator on small
fixed fixtures (tokens, numeric, seq2seq greedy and beam, streamed, windowed,
resumed from a checkpoint), recorded before the architecture refactor in
``tests/data/behaviour.npz``, must come out the same. One intended change
since: a resumed fit now continues exactly as if it had not stopped (batch
orders, random draws, callback states), so its entries were recorded again
with that fix; and sequence-to-sequence decoding now caps each output by
its own source length and stops a beam only when no live hypothesis can win,
so the seq2seq entries were recorded again too.

Record again (only when a change of behaviour is intended, and say so in the
commit) with ``python tests/test_behaviour.py --record``.
"""

from __future__ import annotations

import sys
import tempfile
import warnings
from pathlib import Path

import numpy as np
import pytest

sys.path.insert(0, str(Path(__file__).parent))
from conftest import TINY, make_numeric_data, make_tagging_data  # noqa: E402

from skattention import (  # noqa: E402
    AttentionSeq2Seq,
    AttentionSequenceClassifier,
    AttentionSequenceRegressor,
    AttentionTokenClassifier,
    AttentionTokenRegressor,
)

RECORD = Path(__file__).parent / "data" / "behaviour.npz"


class _Pairs:
    """A re-iterable of (sequence, target) pairs: a streamed fit."""

    def __init__(self, X, y):
        self.X, self.y = X, y

    def __iter__(self):
        return iter(zip(self.X, self.y))


def _interrupt_at(epoch):
    from skorch.callbacks import Callback

    class Interrupt(Callback):
        def on_epoch_end(self, net, **kwargs):
            if len(net.history) == epoch:
                raise KeyboardInterrupt

    return Interrupt()


def _cases():
    X, tags = make_tagging_data(30)
    numeric = make_numeric_data(30)
    labels = [len(s) % 2 for s in X]
    k = {**TINY, "device": "cpu"}
    yield "token_classifier", AttentionTokenClassifier(**k), X, tags, X[:6]
    yield "token_regressor_numeric", AttentionTokenRegressor(**k), numeric, [x[:, 0] * 2 for x in numeric], numeric[:6]
    # recorded when the n-gram scores started from zero
    yield "sequence_classifier", AttentionSequenceClassifier(**k, callbacks__ngram_init=None), X, labels, X[:6]
    # recorded with the linear front end, the default then
    yield "sequence_regressor_numeric", AttentionSequenceRegressor(**k, pooling="combined", front_end="linear"), \
        numeric, \
        [float(x.sum()) for x in numeric], numeric[:6]
    # the recorded model: the Bahdanau decoder, the default when these were recorded
    yield "seq2seq_greedy", AttentionSeq2Seq(**k, decoder="rnn"), X, [s[::-1] for s in X], X[:6]
    yield "seq2seq_beam", AttentionSeq2Seq(**k, decoder="rnn", beam_size=3), X, [s[::-1] for s in X], X[:6]
    yield "streamed", AttentionTokenClassifier(**k), _Pairs(X, tags), None, X[:6]
    yield "windowed", AttentionTokenClassifier(**k, max_length=3), X, tags, X[:6]
    yield "resumed", AttentionTokenClassifier(**{**k, "max_epochs": 3}), X, tags, X[:6]


def _outputs(name, est, X, y, X_test) -> dict:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        if name == "resumed":
            folder = tempfile.mkdtemp()
            est.set_params(checkpoint_dir=folder, callbacks=[("stop", _interrupt_at(2))]).fit(X, y)
            est.set_params(callbacks=None).fit(X, y)
        else:
            est.fit(X, y)
    out = {}
    predictions = est.predict(X_test)
    if isinstance(est, AttentionSeq2Seq):
        out["predict"] = np.array([" ".join(map(str, p)) for p in predictions])
    else:
        out["predict"] = np.concatenate([np.ravel(p) for p in predictions])
        if out["predict"].dtype == object:  # string labels: stored as text, no pickle
            out["predict"] = out["predict"].astype(str)
    if hasattr(est, "predict_proba"):
        out["predict_proba"] = np.concatenate([np.ravel(p) for p in est.predict_proba(X_test)])
    if est.encoder != "birnn" or isinstance(est, AttentionSeq2Seq):
        out["attention"] = np.concatenate([np.ravel(w) for w in est.attention_weights(X_test)])
    return {f"{name}/{key}": value for key, value in out.items()}


def _record() -> None:
    outputs = {}
    for name, est, X, y, X_test in _cases():
        outputs.update(_outputs(name, est, X, y, X_test))
    RECORD.parent.mkdir(exist_ok=True)
    np.savez_compressed(RECORD, **outputs)
    print(f"recorded {len(outputs)} arrays in {RECORD}")


@pytest.mark.parametrize("case", list(_cases()), ids=lambda c: c[0])
def test_outputs_are_those_recorded_before_the_refactor(case):
    recorded = np.load(RECORD)
    now = _outputs(*case)
    assert sorted(now) == sorted(k for k in recorded.files if k.startswith(case[0] + "/"))
    for key, value in now.items():
        if value.dtype.kind in "fc":
            # the same machine gives the same bits; another CPU may round differently in the last place
            np.testing.assert_allclose(value, recorded[key], rtol=1e-5, atol=1e-6, err_msg=key)
        else:
            np.testing.assert_array_equal(value, recorded[key], err_msg=key)


if __name__ == "__main__" and "--record" in sys.argv:
    _record()
