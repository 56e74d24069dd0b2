"""skattention.estimators._device: "auto" resolved, anything else checked
against this machine before torch sees it."""

import numpy as np
import pytest
import torch

from skattention import AttentionSequenceRegressor, AttentionTokenClassifier
from skattention.estimators import _device
from skattention.estimators._device import check_device, resolve_device

X = [["the", "cat"], ["a", "dog", "ran"]] * 12
Y = [["D", "N"], ["D", "N", "V"]] * 12
K = dict(d_model=16, n_heads=2, n_layers=1, max_epochs=1)


def test_auto_resolves_to_what_the_machine_has():
    assert resolve_device("auto") == ("cuda" if torch.cuda.is_available() else "cpu")
    assert resolve_device("cpu") == "cpu"


@pytest.mark.parametrize("device", ["auto", "cpu", torch.device("cpu")])
def test_devices_this_machine_has_pass(device):
    check_device(device, "Est")


@pytest.mark.parametrize("device, message", [
    ("gpu0", r"must be 'auto' or a device torch knows; got 'gpu0'\. Available here: 'cpu'"),
    (3, r"must be 'auto', a device name"),
    ("meta", r"runs on 'cpu', 'cuda' or 'mps', not 'meta'"),
])
def test_devices_that_cannot_be_used_say_what_is_available(device, message, monkeypatch):
    monkeypatch.setattr(_device, "_cuda_available", lambda: False)
    with pytest.raises(ValueError, match=message):
        check_device(device, "Est")


def test_cuda_without_cuda_and_a_missing_gpu_index(monkeypatch):
    monkeypatch.setattr(_device, "_cuda_available", lambda: False)
    with pytest.raises(ValueError, match=r"device='cuda', but CUDA is not available on this machine"):
        AttentionTokenClassifier(**K, device="cuda").fit(X, Y)
    monkeypatch.setattr(_device, "_cuda_available", lambda: True)
    monkeypatch.setattr(torch.cuda, "device_count", lambda: 2)
    with pytest.raises(ValueError, match=r"device='cuda:2', but this machine has 2 CUDA device\(s\)"):
        check_device("cuda:2", "Est")
    check_device("cuda:1", "Est")


def test_loading_a_model_on_a_device_that_is_not_here(tmp_path, monkeypatch):
    Xn = [np.random.RandomState(i).randn(4, 2) for i in range(12)]
    est = AttentionSequenceRegressor(**K, device="cpu", random_state=0).fit(Xn, np.arange(12.0))
    est.save(tmp_path / "m")
    monkeypatch.setattr(_device, "_cuda_available", lambda: False)
    with pytest.raises(ValueError, match="CUDA is not available on this machine"):
        AttentionSequenceRegressor.load(tmp_path / "m", device="cuda")
    with pytest.raises(ValueError, match="device torch knows; got 'tpu'"):
        AttentionSequenceRegressor.load(tmp_path / "m", device="tpu")
