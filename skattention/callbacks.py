"""skorch callbacks used by the estimators, usable with any skorch net."""

from __future__ import annotations

import torch
from skorch.callbacks import Callback

from ._batching import IGNORE_INDEX
from ._serialization import _plain_module


class ValidationAccuracy(Callback):
    """Record the validation accuracy as ``valid_acc`` (and ``valid_acc_best``).

    It reads the predictions skorch already computed for the validation loss,
    so it costs no extra forward pass. Targets equal to ``ignore_index``
    (padding of token-level targets) are skipped, so for taggers this is the
    token accuracy.

    Parameters
    ----------
    name : str
        History key.
    ignore_index : int
        Target value that marks padding.
    """

    def __init__(self, name: str = "valid_acc", ignore_index: int = IGNORE_INDEX):
        self.name = name
        self.ignore_index = ignore_index

    def initialize(self):
        self.best_ = -float("inf")
        return self

    def on_epoch_begin(self, net, **kwargs):
        self.correct_ = 0
        self.total_ = 0

    def on_batch_end(self, net, batch=None, training=False, y_pred=None, **kwargs):
        if training or y_pred is None:
            return
        y = batch[1].to(y_pred.device)
        with torch.no_grad():
            real = y != self.ignore_index
            self.correct_ += int(((y_pred.argmax(dim=-1) == y) & real).sum())
            self.total_ += int(real.sum())

    def on_epoch_end(self, net, **kwargs):
        if not self.total_:
            return
        acc = self.correct_ / self.total_
        is_best = acc > self.best_
        self.best_ = max(self.best_, acc)
        net.history.record(self.name, acc)
        net.history.record(self.name + "_best", bool(is_best))


class NaiveBayesInit(Callback):
    """Start a classifier's n-gram scores from naive Bayes on its training split.

    At the first epoch of a fresh fit it reads the training batches once
    (the validation split is left out) and sets the rows of the module's
    ``ngrams`` layer (:class:`~skattention.modules.ngrams.NGramLinear`) with
    :meth:`~skattention.modules.ngrams.NGramLinear.init_naive_bayes`, so
    training starts from multinomial naive Bayes, the baseline that wins on
    short texts, rather than from zero. Continued (``partial_fit``,
    ``warm_start``) and resumed fits keep the rows they have; a module
    without an ``ngrams`` layer is left alone. The sequence classifiers use
    it as the callback ``"ngram_init"``; ``callbacks__ngram_init=None`` turns
    it off.

    Parameters
    ----------
    alpha : float
        Naive Bayes' additive smoothing.
    """

    def __init__(self, alpha: float = 1.0):
        self.alpha = alpha

    def on_epoch_begin(self, net, dataset_train=None, **kwargs):
        layer = getattr(_plain_module(net.module_), "ngrams", None)
        if layer is None or len(net.history) != 1 or dataset_train is None:
            return
        batches = net.get_iterator(dataset_train, training=False)
        self.n_rows_ = layer.init_naive_bayes(((X.tokens, y) for X, y in batches), self.alpha)
