"""skattention.callbacks: ValidationAccuracy, driven directly with made-up batches."""

import torch

from skattention.callbacks import ValidationAccuracy


class _Net:
    def __init__(self):
        self.records = []
        self.history = self

    def record(self, key, value):
        self.records.append((key, value))


def _epoch(callback, net, batches):
    callback.on_epoch_begin(net)
    for y_pred, y, training in batches:
        callback.on_batch_end(net, batch=({}, y), training=training, y_pred=y_pred)
    callback.on_epoch_end(net)


def test_token_accuracy_skips_padding_and_training_batches_and_tracks_the_best():
    cb = ValidationAccuracy().initialize()
    net = _Net()
    logits = torch.tensor([[[2.0, 0.0], [0.0, 1.0], [5.0, 0.0]]])  # predicts 0, 1, 0
    y = torch.tensor([[0, 0, -100]])  # the third element is padding
    wrong = (torch.tensor([[[0.0, 1.0]]]), torch.tensor([[0]]), False)
    _epoch(cb, net, [(logits, y, False), (logits, torch.tensor([[1, 1, 1]]), True)])  # training: ignored
    assert net.records == [("valid_acc", 0.5), ("valid_acc_best", True)]
    net.records.clear()
    _epoch(cb, net, [(logits, y, False), wrong])  # 1 right of 3
    assert net.records == [("valid_acc", 1 / 3), ("valid_acc_best", False)]
    net.records.clear()
    _epoch(cb, net, [(torch.tensor([[1.0, 0.0], [0.0, 1.0]]), torch.tensor([0, 1]), False)])  # one per sequence
    assert net.records == [("valid_acc", 1.0), ("valid_acc_best", True)]


def test_no_validation_batches_record_nothing():
    cb = ValidationAccuracy(name="acc").initialize()
    net = _Net()
    _epoch(cb, net, [])
    assert net.records == []
