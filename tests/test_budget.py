"""The training budget (skattention/estimators/_budget.py): epochs, validation
split and learning-rate schedule chosen from the size of the data."""

import numpy as np
import pytest
from conftest import TINY, make_numeric_data, make_tagging_data
from skorch.callbacks import Callback

from skattention import (
    AttentionSequenceClassifier,
    AttentionSequenceRegressor,
    AttentionTokenClassifier,
)
from skattention.estimators import _budget
from skattention.estimators._budget import (
    DEFAULT_EPOCHS,
    MAX_EPOCHS,
    MIN_STEPS,
    VALIDATION_MIN_SEQUENCES,
    one_cycle,
    plan,
)


def test_small_data_trains_on_everything_for_at_least_min_steps():
    budget = plan(100, batch_size=32, max_epochs=None, train_split="auto")
    assert budget.train_split is None and budget.scheduled
    assert budget.steps_per_epoch == 4
    assert budget.epochs == MIN_STEPS // 4 and budget.total_steps == MIN_STEPS


def test_large_data_keeps_the_validation_split_and_default_epochs():
    budget = plan(VALIDATION_MIN_SEQUENCES, batch_size=32, max_epochs=None, train_split="auto")
    assert budget.train_split == 0.1 and not budget.scheduled
    assert budget.epochs == DEFAULT_EPOCHS
    assert plan(VALIDATION_MIN_SEQUENCES - 1, batch_size=32, max_epochs=None, train_split="auto").train_split is None


def test_epochs_are_capped_and_user_choices_are_honoured():
    assert plan(3, batch_size=32, max_epochs=None, train_split="auto").epochs == MAX_EPOCHS
    assert plan(3, batch_size=-1, max_epochs=None, train_split=None).steps_per_epoch == 1
    fixed = plan(50, batch_size=10, max_epochs=7, train_split=0.2)
    assert (fixed.epochs, fixed.train_split, fixed.steps_per_epoch) == (7, 0.2, 4)  # 40 training sequences


def test_one_cycle_warms_up_then_decays_to_zero():
    factors = np.array([one_cycle(s, 200) for s in range(200)])
    assert factors[19] == 1.0 and np.all(np.diff(factors[:20]) > 0)  # warm-up over the first 10%
    assert np.all(np.diff(factors[20:]) < 0) and factors[-1] == 0.0
    assert factors.max() == 1.0


class RecordLR(Callback):
    """The learning rate of every training step."""

    def initialize(self):
        self.lrs = []
        return self

    def on_batch_end(self, net, training=False, **kwargs):
        if training:
            self.lrs.append(net.optimizer_.param_groups[0]["lr"])


def test_default_fit_on_small_data_follows_the_schedule(tagging_data, monkeypatch):
    monkeypatch.setattr(_budget, "DEFAULT_EPOCHS", 2)
    monkeypatch.setattr(_budget, "MIN_STEPS", 20)
    X, y = tagging_data  # 40 sequences: no validation split
    record = RecordLR()
    est = AttentionTokenClassifier(**{**TINY, "max_epochs": None}, callbacks=[("record", record)]).fit(X, y)
    assert len(est.history_) == 4  # 5 batches of 8 per epoch, 20 steps
    assert "valid_loss" not in est.history_.columns
    expected = est.lr * np.array([one_cycle(s, 20) for s in range(20)])
    np.testing.assert_allclose(record.lrs, expected, rtol=1e-12)


def test_continued_training_runs_at_the_base_rate():
    X = make_numeric_data(24)
    y = np.array([x[:, 0].mean() for x in X])
    record = RecordLR()
    est = AttentionSequenceRegressor(**TINY, callbacks=[("record", record)]).fit(X, y)
    n_fit = len(record.lrs)
    assert record.lrs[-1] < est.lr / 10  # the fit's schedule decays
    est.partial_fit(X, y)
    assert len(est.history_) == TINY["max_epochs"] * 2
    assert set(record.lrs[n_fit:]) == {est.lr}


@pytest.mark.parametrize("split", [0.1, None])
def test_an_explicit_split_keeps_validation_and_the_plateau_rule(split):
    X, y = make_tagging_data(40)
    est = AttentionTokenClassifier(**TINY, train_split=split).fit(X, y)
    callbacks = dict(est.net_.callbacks_)
    assert ("lr_scheduler" in callbacks) == (split is not None)
    assert ("lr_schedule" in callbacks) == (split is None)
    assert ("valid_loss" in est.history_.columns) == (split is not None)


@pytest.mark.parametrize("cls, n, split, monitor", [
    (AttentionSequenceClassifier, 2000, 0.1, "valid_acc"),  # 200 held out: accuracy
    (AttentionSequenceClassifier, 1990, 0.1, "valid_loss"),  # 199: the loss
    (AttentionSequenceClassifier, 5000, "callable", "valid_loss"),  # a size it cannot know
    (AttentionSequenceRegressor, 5000, 0.1, "valid_loss"),
    (AttentionTokenClassifier, 20, 0.1, "valid_acc"),  # token accuracy, on any split
])
def test_early_stopping_watches_accuracy_where_the_split_has_enough_decisions(cls, n, split, monitor):
    from skorch.dataset import ValidSplit

    X, tags = make_tagging_data(20)
    y = {AttentionSequenceClassifier: [0, 1] * 10, AttentionSequenceRegressor: [0.0, 1.0] * 10}.get(cls, tags)
    est = cls(**TINY, train_split=ValidSplit(10) if split == "callable" else split).fit(X, y)
    callbacks = dict(est._build_net(n, seed=0, stratify=None).extra_default_callbacks)  # a fit on n sequences
    assert callbacks["early_stopping"].monitor == monitor
    assert callbacks["lr_scheduler"].monitor == monitor
