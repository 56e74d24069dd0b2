"""Checkpoints that let an interrupted ``fit`` resume where it stopped.

With ``checkpoint_dir`` set, the end of every epoch writes the model (as
:func:`skattention._serialization.save` does: safetensors weights and a JSON
description) plus the optimizer state into ``epoch-NNNN/``, then points
``latest.json`` at it. The pointer is replaced atomically, so a process killed
at any moment leaves either the previous checkpoint or the new one, never a
half-written one. When ``fit`` ends normally the pointer is marked finished;
an unfinished pointer makes the next ``fit`` resume instead of starting over.
"""

from __future__ import annotations

import json
import os
import shutil
import warnings
from pathlib import Path

import torch
from skorch.callbacks import Callback

from ._serialization import load, save

POINTER = "latest.json"
OPTIMIZER = "optimizer.pt"


class EpochCheckpoint(Callback):
    """skorch callback: write a resumable checkpoint after every epoch."""

    def __init__(self, estimator, directory):
        self.estimator = estimator
        self.directory = directory

    def on_epoch_end(self, net, **kwargs):
        root = Path(self.directory)
        epoch = len(net.history)
        name = f"epoch-{epoch:04d}"
        staging = root / f"{name}.partial"
        shutil.rmtree(staging, ignore_errors=True)
        with warnings.catch_warnings():  # a resumed fit takes its parameters from its own estimator
            warnings.simplefilter("ignore", UserWarning)
            save(self.estimator, staging)
        # tensors and plain containers only: read back with weights_only=True
        torch.save(net.optimizer_.state_dict(), staging / OPTIMIZER)
        shutil.rmtree(root / name, ignore_errors=True)
        os.replace(staging, root / name)
        _write_pointer(root, {"folder": name, "epochs": epoch, "finished": False,
                              "estimator": type(self.estimator).__name__})
        for old in root.glob("epoch-*"):
            if old.name != name:
                shutil.rmtree(old, ignore_errors=True)


def _write_pointer(root: Path, pointer: dict) -> None:
    tmp = root / f"{POINTER}.tmp"
    tmp.write_text(json.dumps(pointer))
    os.replace(tmp, root / POINTER)


def finish_checkpoint(directory) -> None:
    """Mark the checkpoint complete, so that the next ``fit`` starts afresh."""
    root = Path(directory)
    if (root / POINTER).is_file():
        pointer = json.loads((root / POINTER).read_text())
        _write_pointer(root, {**pointer, "finished": True})


def read_checkpoint(directory, cls) -> dict | None:
    """The state of an unfinished fit of ``cls`` in ``directory``, or None.

    Returns a dict with the fitted attributes, the module weights, the
    optimizer state and the history."""
    root = Path(directory)
    if not (root / POINTER).is_file():
        return None
    pointer = json.loads((root / POINTER).read_text())
    if pointer.get("finished"):
        return None
    if pointer.get("estimator") != cls.__name__:
        raise ValueError(f"checkpoint_dir={str(directory)!r} holds an unfinished fit of "
                         f"{pointer.get('estimator')}, not {cls.__name__}; use another folder.")
    folder = root / pointer["folder"]
    model = load(folder, device="cpu", expected=cls)
    fitted = {k: v for k, v in vars(model).items() if k not in model.get_params(deep=False) and k != "net_"}
    return {
        "fitted": fitted,
        "weights": model.net_.module_.state_dict(),
        "optimizer": torch.load(folder / OPTIMIZER, map_location="cpu", weights_only=True),
        "history": list(model.net_.history),
    }
