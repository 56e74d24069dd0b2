"""The JSON codec of model files: parameter values and fitted state to plain
JSON and back. Numpy scalars and arrays keep their dtype, tuples and
non-string dict keys survive, optimizers are named, and the only objects a
file may ask for are the plain data classes of :data:`DATA_CLASSES`,
rebuilt attribute by attribute and checked (nothing is unpickled)."""

from __future__ import annotations

import numpy as np
import torch
from sklearn.preprocessing import LabelEncoder

from ._state_checks import CHECKS
from ._vocab import CharVocabulary, InputEncoder, TargetScaler, Vocabulary
from .exceptions import ModelFileError

# the only classes a model file may ask for: plain data, rebuilt attribute by attribute
DATA_CLASSES = {cls.__name__: cls for cls in (InputEncoder, Vocabulary, CharVocabulary, TargetScaler, LabelEncoder)}


def _encode(value, where: str):
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    if isinstance(value, np.generic):
        return {"__scalar__": value.item(), "dtype": value.dtype.str}
    if isinstance(value, np.ndarray):
        return {"__ndarray__": [_encode(v, where) for v in value.ravel().tolist()],
                "dtype": "object" if value.dtype == object else value.dtype.str, "shape": list(value.shape)}
    if isinstance(value, tuple):
        return {"__tuple__": [_encode(v, f"{where}[{i}]") for i, v in enumerate(value)]}
    if isinstance(value, list):
        return [_encode(v, f"{where}[{i}]") for i, v in enumerate(value)]
    if isinstance(value, dict):
        return {"__items__": [[_encode(k, where), _encode(v, f"{where}[{k!r}]")] for k, v in value.items()]}
    if isinstance(value, type) and value.__module__.startswith("torch.optim") \
            and getattr(torch.optim, value.__name__, None) is value:
        return {"__optimizer__": value.__name__}
    if type(value).__name__ in DATA_CLASSES and DATA_CLASSES[type(value).__name__] is type(value):
        state = value.__getstate__() if hasattr(value, "__getstate__") else vars(value)
        state = {k: v for k, v in (state or {}).items() if k != "_cache"}
        return {"__object__": type(value).__name__, "state": _encode(state, where)}
    if isinstance(value, torch.device):
        return str(value)
    raise TypeError(f"{where} holds a {type(value).__name__}, which a model file cannot store; "
                    "pickle the estimator instead.")


def _decode(value):
    if isinstance(value, list):
        return [_decode(v) for v in value]
    if not isinstance(value, dict):
        return value
    if "__scalar__" in value:
        return np.array(value["__scalar__"], dtype=np.dtype(value["dtype"]))[()]
    if "__ndarray__" in value:
        items = [_decode(v) for v in value["__ndarray__"]]
        dtype = object if value["dtype"] == "object" else np.dtype(value["dtype"])
        array = np.empty(len(items), dtype=dtype)
        array[:] = items
        return array.reshape(value["shape"])
    if "__tuple__" in value:
        return tuple(_decode(v) for v in value["__tuple__"])
    if "__items__" in value:
        return {_hashable(_decode(k)): _decode(v) for k, v in value["__items__"]}
    if "__optimizer__" in value:
        optimizer = getattr(torch.optim, value["__optimizer__"], None)
        if not (isinstance(optimizer, type) and issubclass(optimizer, torch.optim.Optimizer)):
            raise ModelFileError(f"The model file names an unknown optimizer {value['__optimizer__']!r}.")
        return optimizer
    if "__object__" in value:
        cls = DATA_CLASSES.get(value["__object__"])
        if cls is None:
            raise ModelFileError(f"The model file asks for a {value['__object__']!r} object; only "
                             f"{sorted(DATA_CLASSES)} are allowed.")
        obj = cls.__new__(cls)
        state = _decode(value["state"])
        if not isinstance(state, dict):
            raise ModelFileError(f"The model file's {value['__object__']} state is not a mapping.")
        if not all(isinstance(k, str) and k.isidentifier() and not k.startswith("__") for k in state):
            raise ModelFileError(f"The model file's {value['__object__']} state has keys that are not attribute "
                                 "names.")
        obj.__dict__.update(state)
        if cls is CharVocabulary:
            obj._cache = {}
        CHECKS[value["__object__"]](obj, value["__object__"])
        return obj
    raise ModelFileError(f"The model file holds an unknown JSON object with keys {sorted(value)}.")


def _hashable(key):
    return tuple(key) if isinstance(key, list) else key
