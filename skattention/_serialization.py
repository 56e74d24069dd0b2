"""Model files that load without running code: the weights in safetensors, the
rest (parameters, vocabularies, classes, scaling, history) in JSON.

``save(estimator, path)`` writes a folder with two files:

* ``weights.safetensors``: the module's tensors (safetensors holds raw tensor
  bytes and a JSON header, nothing executable);
* ``skattention.json``: the estimator's class, parameters and fitted state,
  plus the SHA-256 of the weights file;

and a third, ``embeddings.safetensors``, when the ``embeddings`` parameter
holds pretrained vectors: the matrix as given (the weights hold the table as
trained), its tokens and SHA-256 in the JSON, so the loaded estimator's
``embeddings`` is the same vectors as a ``(tokens, matrix)`` pair.

``load(path)`` reads only those two formats. Objects in the JSON are rebuilt
from an allow-list of plain data classes (vocabularies, scalers, the label
encoder) by setting their attributes; nothing is imported by name and no
pickle is read, so a shared model file cannot run code. A weights file whose
hash differs from the one recorded is rejected.
"""

from __future__ import annotations

import hashlib
import json
import warnings
from pathlib import Path

import numpy as np
import torch

from ._codec import DATA_CLASSES, _decode, _encode
from ._pretrained import as_vectors
from ._state_checks import check_fitted
from ._version import __version__
from .exceptions import ModelFileError

FORMAT = "skattention-model"
FORMAT_VERSION = 1
WEIGHTS = "weights.safetensors"
CONFIG = "skattention.json"
VECTORS = "embeddings.safetensors"
# parameters that files of this format written by an earlier version lack, with the value that builds the
# model they hold (no patches, a linear front end, no n-gram scores, no pretrained vectors)
ADDED_LATER = {"patch_size": 1, "front_end": "linear", "ngrams": 0, "embeddings": None, "freeze_embeddings": False}


#: the estimator classes a model file may name, filled by :func:`register_estimator` (``skattention.estimators``
#: registers its five when it is imported, which ``import skattention`` does)
ESTIMATOR_CLASSES: dict = {}


def register_estimator(cls: type) -> type:
    """Allow model files to name ``cls`` (a subclass of the estimators' base)."""
    ESTIMATOR_CLASSES[cls.__name__] = cls
    return cls


# ------------------------------------------------------------------ weights
def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _plain_module(module: torch.nn.Module) -> torch.nn.Module:
    module = getattr(module, "_orig_mod", module)  # torch.compile wraps the module
    if isinstance(module, torch.nn.parallel.DistributedDataParallel):  # so does Accelerate across processes
        module = getattr(module.module, "_orig_mod", module.module)
    return module


# ------------------------------------------------------------------ public
def save(estimator, path) -> Path:
    """Write a fitted estimator to the folder ``path`` (created if needed)."""
    from safetensors.torch import save_model

    estimator._check_fitted()
    path = Path(path)
    name = type(estimator).__name__
    params, left_out = {}, []
    path.mkdir(parents=True, exist_ok=True)
    (path / VECTORS).unlink(missing_ok=True)
    # the parameters the fitted net was built from: set_params after fit does not change the model
    for key, value in getattr(estimator, "_fitted_params", estimator.get_params(deep=False)).items():
        if key == "embeddings" and value is not None:
            params[key] = _save_vectors(value, path)
            continue
        try:
            params[key] = _encode(value, f"the {key!r} parameter")
        except TypeError:
            left_out.append(key)
            if value is not None:
                warnings.warn(f"{name}.save does not store the {key!r} parameter ({type(value).__name__}); "
                              "the loaded model gets the default.", UserWarning, stacklevel=3)
    # only what the library's fit set: not attributes others attach (scikit-learn's callback context, say)
    fitted = {k: _encode(getattr(estimator, k), k) for k in estimator._fitted_names() if hasattr(estimator, k)}
    history = json.loads(json.dumps(list(estimator.net_.history), default=float))
    weights = path / WEIGHTS
    save_model(_plain_module(estimator.net_.module_), str(weights))
    config = {"format": FORMAT, "format_version": FORMAT_VERSION, "skattention_version": __version__,
              "estimator": name, "params": params, "params_left_out": left_out, "fitted": fitted, "history": history,
              "weights_sha256": _sha256(weights)}
    (path / CONFIG).write_text(json.dumps(config, indent=1, allow_nan=True))
    return path


def _save_vectors(embeddings, path: Path) -> dict:
    from safetensors.numpy import save_file

    tokens, matrix = as_vectors(embeddings)
    save_file({"vectors": np.ascontiguousarray(matrix)}, str(path / VECTORS))
    return {"__vectors__": _encode(tokens, "the tokens of the 'embeddings' parameter"),
            "sha256": _sha256(path / VECTORS)}


def _load_vectors(raw: dict, path: Path) -> tuple:
    """The ``embeddings`` parameter from ``embeddings.safetensors`` and the tokens in the JSON."""
    from safetensors import SafetensorError
    from safetensors.numpy import load_file

    file = path / VECTORS
    if not file.is_file():
        raise ModelFileError(f"{path / CONFIG} gives pretrained vectors, but {file} is missing.")
    if _sha256(file) != raw.get("sha256"):
        raise ModelFileError(f"{file} does not match the SHA-256 recorded in {CONFIG}: the file was changed or "
                             "damaged after it was saved.")
    try:
        matrix = load_file(str(file))["vectors"]
    except (SafetensorError, OSError, ValueError, KeyError) as exc:
        raise ModelFileError(f"{file} does not hold the model's pretrained vectors: {exc}") from None
    tokens = _decode(raw["__vectors__"])
    if not isinstance(tokens, list):
        raise ModelFileError(f"{path / CONFIG} gives the tokens of the pretrained vectors as a "
                             f"{type(tokens).__name__}, not a list.")
    try:
        return as_vectors((tokens, matrix))
    except (TypeError, ValueError) as exc:
        raise ModelFileError(f"{file}: {exc}") from None


def _field(config: dict, key: str, kind, where: Path):
    value = config.get(key)
    if not isinstance(value, kind):
        raise ModelFileError(f"{where} has no valid {key!r} field (expected {getattr(kind, '__name__', kind)}, "
                             f"got {type(value).__name__}).")
    return value


_FITTED_TYPES = {"ndarray": np.ndarray, "bool": (bool, np.bool_), **DATA_CLASSES}


def _weight_shapes(weights: Path) -> dict:
    from safetensors import SafetensorError, safe_open

    try:
        with safe_open(str(weights), framework="pt") as f:
            return {k: tuple(f.get_slice(k).get_shape()) for k in f.keys()}
    except (SafetensorError, OSError, ValueError) as exc:
        raise ModelFileError(f"{weights} does not hold this model's weights: it is not a readable safetensors "
                             f"file ({exc}).") from None


def _check_sizes(cls, params: dict, shapes: dict, where: Path) -> None:
    """Refuse sizes the weights cannot hold before anything is allocated: every
    encoder has a ``d_model x d_model`` map and a weight per layer."""
    total = sum(int(np.prod(s)) for s in shapes.values())
    for key, bound in (("d_model", lambda v: v * v), ("n_layers", lambda v: v), ("n_heads", lambda v: v)):
        value = params.get(key)
        if isinstance(value, int) and not isinstance(value, bool) and value > 0 and bound(value) > total:
            raise ModelFileError(f"{where} describes a {cls.__name__} with {key}={value}, but its weights hold "
                                 f"{total} numbers in all: the description does not match the weights.")


def _number(v) -> bool:
    return isinstance(v, (int, float)) and not isinstance(v, bool) or isinstance(v, bool)


def _history_entry(entry) -> bool:
    """One epoch of skorch's history as ``save`` writes it: numbers (and flags)
    per metric, and the batches as lists of the same."""
    if not isinstance(entry, dict) or type(entry.get("epoch")) is not int:
        return False
    for key, value in entry.items():
        if key == "batches":
            if not isinstance(value, list) or not all(
                    isinstance(b, dict) and all(_number(v) for v in b.values()) for b in value):
                return False
        elif not _number(value):
            return False
    return True


def read_model(path, device=None, expected=None):
    """Everything of a model file but its net: the estimator with its
    parameters and fitted state, checked (see :func:`load`), the weights
    file (its checksum checked) and the history."""
    path = Path(path)
    config_file, weights = path / CONFIG, path / WEIGHTS
    if not config_file.is_file() or not weights.is_file():
        raise ModelFileError(f"{path} is not a skattention model folder: it needs {CONFIG} and {WEIGHTS}.")
    try:
        config = json.loads(config_file.read_text())
    except (json.JSONDecodeError, UnicodeDecodeError, RecursionError) as exc:
        raise ModelFileError(f"{config_file} is not valid JSON: {type(exc).__name__}: {exc}") from None
    if not isinstance(config, dict) or config.get("format") != FORMAT:
        raise ModelFileError(f"{config_file} is not a skattention model description.")
    if config.get("format_version") != FORMAT_VERSION:
        raise ModelFileError(f"{config_file} has format version {config.get('format_version')!r}; this "
                             f"skattention ({__version__}) reads version {FORMAT_VERSION}.")
    if _sha256(weights) != config.get("weights_sha256"):
        raise ModelFileError(f"{weights} does not match the SHA-256 recorded in {CONFIG}: the file was "
                             "changed or damaged after it was saved.")
    cls = ESTIMATOR_CLASSES.get(_field(config, "estimator", str, config_file))
    if cls is None:
        raise ModelFileError(f"{config_file} names an unknown estimator {config.get('estimator')!r}.")
    if expected is not None and not issubclass(cls, expected):
        raise ModelFileError(f"{path} holds a {cls.__name__}, not a {expected.__name__}.")
    raw_params = _field(config, "params", dict, config_file)
    raw_fitted = _field(config, "fitted", dict, config_file)
    history = _field(config, "history", list, config_file)
    if not all(_history_entry(e) for e in history):
        raise ModelFileError(f"{config_file} has a malformed history: every entry must be a mapping with an "
                             "int 'epoch', numbers for the metrics and lists of such mappings for 'batches'.")
    declared = cls._fitted_names()
    left_out = config.get("params_left_out", [])
    if not isinstance(left_out, list) or not all(isinstance(k, str) for k in left_out):
        raise ModelFileError(f"{config_file} has no valid 'params_left_out' field.")
    # parameters added after a file was written, at the value that reproduces the model it holds
    for key, value in ADDED_LATER.items():
        if key in cls._get_param_names() and key not in raw_params and key not in left_out:
            raw_params = {**raw_params, key: value}
    absent = sorted(set(cls._get_param_names()) - set(raw_params) - set(left_out))
    if absent:
        raise ModelFileError(f"{config_file} does not give the parameter(s) {absent} of {cls.__name__}; the "
                             "model would be rebuilt with defaults it was not trained with.")
    try:
        params = {k: _load_vectors(v, path) if k == "embeddings" and isinstance(v, dict) and "__vectors__" in v
                  else _decode(v) for k, v in raw_params.items()}
        fitted = {}
        for key, value in raw_fitted.items():
            if key not in declared:
                raise ModelFileError(f"{config_file} sets {key!r}, which is not a fitted attribute of "
                                     f"{cls.__name__} (those are {sorted(declared)}).")
            fitted[key] = _decode(value)
            if not isinstance(fitted[key], _FITTED_TYPES[declared[key]]):
                raise ModelFileError(f"{config_file} gives {key!r} as a {type(fitted[key]).__name__}; "
                                     f"{cls.__name__} holds a {declared[key]} there.")
    except RecursionError:
        raise ModelFileError(f"{config_file} is nested too deeply to be a model description.") from None
    except (ValueError, TypeError, KeyError, OverflowError) as exc:  # overflow: a number outside its dtype
        if isinstance(exc, ModelFileError):
            raise
        raise ModelFileError(f"{config_file} holds a value that cannot be decoded: {exc}") from None
    missing = sorted(set(declared) - set(fitted))
    if missing:
        raise ModelFileError(f"{config_file} lacks the fitted attribute(s) {missing} of {cls.__name__}.")
    if device is None:
        device = params.get("device", "auto")
        if str(device).startswith("cuda") and not torch.cuda.is_available():
            warnings.warn(f"{path} was saved with device={device!r}, but CUDA is not available here; "
                          "loading it on the CPU.", UserWarning, stacklevel=3)
            device = "cpu"
        try:
            cls._check_device(device)
        except ValueError as exc:
            raise ModelFileError(f"{config_file}: {exc}") from None
    else:
        cls._check_device(device)  # the caller's own choice: a plain ValueError
    params["device"] = device
    try:
        estimator = cls(**params)
        estimator._validate_params()
    except (TypeError, ValueError) as exc:
        raise ModelFileError(f"{config_file} describes parameters that {cls.__name__} refuses: {exc}") from None
    _check_sizes(cls, params, _weight_shapes(weights), config_file)
    for key, value in fitted.items():
        setattr(estimator, key, value)
    check_fitted(estimator)
    return estimator, weights, history


def load(path, device=None, expected=None):
    """Read a model written by :func:`save`; see the module docstring for what
    is checked. ``device=None`` keeps the saved ``device`` parameter, except
    that a CUDA model loads on the CPU when no GPU is present. Anything wrong
    with the files raises :class:`~skattention.exceptions.ModelFileError`."""
    from safetensors import SafetensorError
    from safetensors.torch import load_model
    from skorch.history import History

    estimator, weights, history = read_model(path, device, expected)
    cls, config_file = type(estimator), Path(path) / CONFIG
    try:
        estimator._build_loaded_net()
    except (AttributeError, TypeError, ValueError, KeyError, IndexError, RuntimeError) as exc:
        raise ModelFileError(f"{config_file}: the fitted state does not make a {cls.__name__} "
                             f"({type(exc).__name__}: {exc}).") from None
    try:
        missing, unexpected = load_model(_plain_module(estimator.net_.module_), str(weights), strict=False,
                                         device=str(estimator.net_.device))
    except (SafetensorError, RuntimeError, OSError) as exc:
        raise ModelFileError(f"{weights} does not hold this model's weights: {exc}") from None
    if missing or unexpected:
        raise ModelFileError(f"{weights} does not fit {cls.__name__}: missing {sorted(missing)[:5]}, "
                             f"unexpected {sorted(unexpected)[:5]}.")
    check_finite_weights(_plain_module(estimator.net_.module_).state_dict(), weights)
    try:
        estimator.net_.history = History(history)
    except (TypeError, ValueError) as exc:
        raise ModelFileError(f"{config_file} has a malformed history: {exc}") from None
    return estimator


def check_finite_weights(state: dict, weights: Path) -> None:
    """Refuse weights (a state dict read from ``weights``) that hold NaN or infinities."""
    bad = [name for name, tensor in state.items() if tensor.is_floating_point() and not torch.isfinite(tensor).all()]
    if bad:
        raise ModelFileError(f"{weights} holds NaN or infinite weights ({bad[0]}, ...); it would predict "
                             "from NaN.")


def read_weights(weights: Path) -> dict:
    """The tensors of a weights file (checked with :func:`read_model`), on the CPU and finite."""
    from safetensors import SafetensorError
    from safetensors.torch import load_file

    try:
        state = load_file(str(weights), device="cpu")
    except (SafetensorError, RuntimeError, OSError) as exc:
        raise ModelFileError(f"{weights} does not hold this model's weights: {exc}") from None
    check_finite_weights(state, weights)
    return state
