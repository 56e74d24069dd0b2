"""Checkpoints that let an interrupted ``fit`` resume where it stopped.

With ``checkpoint_dir`` set, each fit works in a subfolder of its own,
``<Estimator>-<fingerprint>``, where the fingerprint is a SHA-256 of the
parameters that shape the model and of the training data: grid-search
candidates, folds and threads sharing one ``checkpoint_dir`` never meet, and
a fit resumes only the checkpoint of the same parameters on the same data
(``max_epochs``, ``verbose``, ``device`` and the callbacks may change between
the interrupted fit and the resumed one). A lock file keeps two live fits of
the same thing out of one subfolder.

The end of every epoch writes the model (as
:func:`skattention._serialization.save` does: safetensors weights and a JSON
description), the optimizer state and what else the fit needs to continue
exactly as if it had not stopped (the random number generator, the states
of the plateau schedule and of early stopping) into ``epoch-NNNN/``; the
resumed fit also skips the batch orders of the epochs already done. Then it points
``latest.json`` at it. The pointer is replaced atomically, so a process killed
at any moment leaves either the previous checkpoint or the new one, never a
half-written one; only then is the previous epoch's folder, the one the old
pointer named, removed. Nothing else is ever deleted. When ``fit`` ends
normally the pointer is marked finished; an unfinished pointer makes the next
``fit`` resume instead of starting over.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import re
import shutil
import threading
import warnings
from pathlib import Path

import numpy as np
import torch
from skorch.callbacks import Callback

from ._pretrained import digest as vectors_digest
from ._serialization import CONFIG, FORMAT, read_model, read_weights, save
from .exceptions import ModelFileError

POINTER = "latest.json"
OPTIMIZER = "optimizer.pt"
TRAINING = "training.pt"
LOCK = "fit.lock"
POINTER_FORMAT = "skattention-checkpoint"
EPOCH_FOLDER = re.compile(r"epoch-\d{4,}")
# parameters that may change between an interrupted fit and the one that resumes it
RESUMABLE = frozenset({"max_epochs", "verbose", "checkpoint_dir", "device", "callbacks", "accelerator",
                       "warm_start"})
_HELD: set = set()  # lock files held by this process
_HELD_GUARD = threading.Lock()


# ------------------------------------------------------------ fingerprints
def _update(digest, value) -> None:
    if isinstance(value, np.ndarray) and value.dtype.kind in "fiub":
        digest.update(f"a{value.dtype.str}{value.shape}".encode())
        digest.update(np.ascontiguousarray(value).tobytes())
    elif isinstance(value, (list, tuple, np.ndarray)) or (hasattr(value, "tolist") and hasattr(value, "dtype")):
        items = value.tolist() if hasattr(value, "tolist") and not isinstance(value, (list, tuple)) else value
        digest.update(b"[")
        for item in items:
            _update(digest, item)
        digest.update(b"]")
    else:
        digest.update(repr(value).encode() + b"\x1f")


def fingerprint(estimator, X, y, vectors=None) -> str:
    """SHA-256 of the model-shaping parameters and of the training data;
    ``vectors``: the pretrained vectors as ``(tokens, matrix)``, which stand
    for the ``embeddings`` parameter by their own hash."""
    digest = hashlib.sha256(type(estimator).__name__.encode())
    params = {k: v for k, v in estimator.get_params(deep=False).items() if k not in RESUMABLE}
    if "embeddings" in params:
        params["embeddings"] = vectors_digest(vectors)
    digest.update(json.dumps(params, sort_keys=True, default=repr).encode())
    if hasattr(X, "__len__") and hasattr(X, "__getitem__") and y is not None:
        _update(digest, list(X))
        _update(digest, y if not hasattr(y, "tolist") or isinstance(y, np.ndarray) else y.tolist())
    else:  # a stream, read only while training: its type, its length and the files it reads
        digest.update(type(X).__qualname__.encode())
        with contextlib.suppress(TypeError):
            digest.update(f"len={len(X)}".encode())
        for path in getattr(X, "paths", ()):
            stat = os.stat(path)
            digest.update(f"{os.path.abspath(path)}:{stat.st_size}:{stat.st_mtime_ns}".encode())
    return digest.hexdigest()


def checkpoint_folder(directory, estimator, key: str) -> Path:
    return Path(directory) / f"{type(estimator).__name__}-{key[:16]}"


# ------------------------------------------------------------ the lock
@contextlib.contextmanager
def fit_lock(folder: Path):
    """Hold ``folder``'s lock while a fit writes there; a second live fit of
    the same parameters on the same data is refused."""
    folder.mkdir(parents=True, exist_ok=True)
    lock = folder / LOCK
    me = f"{os.getpid()} {threading.get_ident()}"
    with _HELD_GUARD:
        if lock.exists() and _alive(lock):
            raise ValueError(f"Another fit with the same parameters and data is writing checkpoints to {folder} "
                             "(its lock file is held); wait for it, or give this fit another checkpoint_dir.")
        lock.write_text(me)
        _HELD.add(str(lock))
    try:
        yield
    finally:
        with _HELD_GUARD:
            _HELD.discard(str(lock))
            with contextlib.suppress(OSError):
                if lock.read_text() == me:
                    lock.unlink()


def _alive(lock: Path) -> bool:
    try:
        pid = int(lock.read_text().split()[0])
    except (OSError, ValueError, IndexError):
        return False  # unreadable: a stale lock of a killed process
    if pid == os.getpid():
        return str(lock) in _HELD
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


# ------------------------------------------------------------ writing
def _ours(folder: Path) -> bool:
    """A folder this library wrote: an epoch folder holding our model description."""
    try:
        return bool(EPOCH_FOLDER.fullmatch(folder.name.removesuffix(".partial"))) and \
            json.loads((folder / CONFIG).read_text()).get("format") == FORMAT
    except (OSError, ValueError, AttributeError):
        return False


def _remove_ours(folder: Path) -> None:
    if folder.exists():
        if not _ours(folder):
            raise ModelFileError(f"{folder} is in the way of a checkpoint and was not written by skattention; "
                                 "it is left alone: move it, or use another checkpoint_dir.")
        shutil.rmtree(folder)


def training_state(net) -> dict:
    """What a fit stopped after this epoch needs, beyond weights, optimizer
    and history, to continue exactly: the random number generators (dropout
    draws) and the states of the plateau schedule and of early stopping
    (with its best weights so far). Tensors and plain values only."""
    state = {"rng": torch.get_rng_state()}
    if str(net.device).startswith("cuda") and torch.cuda.is_available():
        state["cuda_rng"] = torch.cuda.get_rng_state_all()
    callbacks = dict(net.callbacks_)
    scheduler = getattr(callbacks.get("lr_scheduler"), "lr_scheduler_", None)
    if scheduler is not None:
        state["lr_scheduler"] = scheduler.state_dict()
    stopper = callbacks.get("early_stopping")
    if stopper is not None and hasattr(stopper, "misses_"):
        state["early_stopping"] = {"misses_": int(stopper.misses_), "best_epoch_": int(stopper.best_epoch_),
                                   "dynamic_threshold_": float(stopper.dynamic_threshold_),
                                   "best_model_weights_": stopper.best_model_weights_}
    return state


def restore_training_state(net, state: dict) -> None:
    """Put :func:`training_state` back, once the callbacks have begun training."""
    torch.set_rng_state(state["rng"])
    if "cuda_rng" in state and torch.cuda.is_available():
        torch.cuda.set_rng_state_all(state["cuda_rng"])
    callbacks = dict(net.callbacks_)
    if "lr_scheduler" in state and getattr(callbacks.get("lr_scheduler"), "lr_scheduler_", None) is not None:
        callbacks["lr_scheduler"].lr_scheduler_.load_state_dict(state["lr_scheduler"])
    if "early_stopping" in state and callbacks.get("early_stopping") is not None:
        vars(callbacks["early_stopping"]).update(state["early_stopping"])


class EpochCheckpoint(Callback):
    """skorch callback: write a resumable checkpoint after every epoch into
    ``folder`` (this fit's own subfolder of ``checkpoint_dir``). With
    ``resume`` (a :func:`training_state`), a resumed fit puts that state back
    when training begins, after the callbacks it belongs to have started
    (they come earlier in the list)."""

    def __init__(self, estimator, folder, key, resume=None):
        self.estimator = estimator
        self.folder = folder
        self.key = key
        self.resume = resume

    def on_train_begin(self, net, **kwargs):
        if self.resume is not None:
            restore_training_state(net, self.resume)
            self.resume = None

    def on_epoch_end(self, net, **kwargs):
        root = Path(self.folder)
        epoch = len(net.history)
        name = f"epoch-{epoch:04d}"
        staging = root / f"{name}.partial"
        if staging.exists() and any(staging.iterdir()):
            _remove_ours(staging)  # a half-written one of ours, left by a killed process
        shutil.rmtree(staging, ignore_errors=True)
        with warnings.catch_warnings():  # a resumed fit takes its parameters from its own estimator
            warnings.simplefilter("ignore", UserWarning)
            save(self.estimator, staging)
        # tensors and plain containers only: read back with weights_only=True
        torch.save(net.optimizer_.state_dict(), staging / OPTIMIZER)
        torch.save(training_state(net), staging / TRAINING)
        _remove_ours(root / name)
        previous = _read_pointer(root).get("folder") if (root / POINTER).is_file() else None
        os.replace(staging, root / name)
        _write_pointer(root, {"format": POINTER_FORMAT, "folder": name, "epochs": epoch, "finished": False,
                              "estimator": type(self.estimator).__name__, "fingerprint": self.key})
        if previous and previous != name:
            with contextlib.suppress(ModelFileError):
                _remove_ours(root / previous)


def _write_pointer(root: Path, pointer: dict) -> None:
    tmp = root / f"{POINTER}.tmp"
    tmp.write_text(json.dumps(pointer))
    os.replace(tmp, root / POINTER)


def _read_pointer(root: Path) -> dict:
    path = root / POINTER
    try:
        pointer = json.loads(path.read_text())
    except (OSError, UnicodeDecodeError, json.JSONDecodeError, RecursionError) as exc:
        raise ModelFileError(f"{path} is not a readable checkpoint pointer ({type(exc).__name__}: {exc}); "
                             "remove the folder to start afresh.") from None
    fields = {"format": str, "folder": str, "epochs": int, "finished": bool, "estimator": str, "fingerprint": str}
    if not isinstance(pointer, dict) or pointer.get("format") != POINTER_FORMAT:
        raise ModelFileError(f"{path} is not a skattention checkpoint pointer; remove the folder to start afresh.")
    for key, kind in fields.items():
        if not isinstance(pointer.get(key), kind) or (kind is int and isinstance(pointer[key], bool)):
            raise ModelFileError(f"{path} has no valid {key!r} (expected {kind.__name__}, got "
                                 f"{pointer.get(key)!r}); remove the folder to start afresh.")
    if not EPOCH_FOLDER.fullmatch(pointer["folder"]):
        raise ModelFileError(f"{path} points at {pointer['folder']!r}, which is not a checkpoint folder.")
    return pointer


def finish_checkpoint(folder) -> None:
    """Mark the checkpoint complete, so that the next ``fit`` starts afresh."""
    root = Path(folder)
    if (root / POINTER).is_file():
        _write_pointer(root, {**_read_pointer(root), "finished": True})


def read_checkpoint(folder, key: str, *, cls) -> dict | None:
    """The state of an unfinished fit of ``cls`` in ``folder``, or None.

    Returns a dict with the fitted attributes, the module weights, the
    optimizer state and the history; raises :class:`ModelFileError` for a
    damaged checkpoint or one that belongs to another fit."""
    root = Path(folder)
    if not (root / POINTER).is_file():
        return None
    pointer = _read_pointer(root)
    if pointer["finished"]:
        return None
    if pointer["estimator"] != cls.__name__ or pointer["fingerprint"] != key:
        raise ModelFileError(f"{root / POINTER} holds an unfinished fit of {pointer['estimator']} with other "
                             "parameters or other data; it is not resumed. Remove the folder, or use another "
                             "checkpoint_dir.")
    checkpoint = root / pointer["folder"]
    # the estimator's state and the raw weights, without a net: the fit that resumes builds the one net
    model, weights, history = read_model(checkpoint, device="cpu", expected=cls)
    weights = read_weights(weights)
    state = {}
    for name in (OPTIMIZER, TRAINING):
        if name == TRAINING and not (checkpoint / name).is_file():
            state[name] = None  # written by a version that did not keep it: the fit resumes, not exactly
            continue
        try:
            state[name] = torch.load(checkpoint / name, map_location="cpu", weights_only=True)
        except Exception as exc:  # torch raises many kinds for a damaged or hostile file
            raise ModelFileError(f"{checkpoint / name} is not a readable training state "
                                 f"({type(exc).__name__}: {exc}).") from None
    return {
        "fitted": {k: getattr(model, k) for k in cls._fitted_names() if hasattr(model, k)},
        "weights": weights,
        "optimizer": state[OPTIMIZER],
        "training": state[TRAINING],
        "history": history,
    }
