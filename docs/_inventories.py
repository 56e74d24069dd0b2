"""Offline intersphinx inventories for the projects these docs link to.

Sphinx's inventory (version 2) is a header and zlib-compressed lines of
``name domain:role priority location display-name``. Every Python name listed
here is imported before it is written, so a misspelt or removed object fails
the docs build instead of leaving a dead link. ``LABELS`` are the section
labels that docstrings inherited from scikit-learn refer to.
"""

from __future__ import annotations

import importlib
import types
import zlib
from pathlib import Path

SKLEARN = [
    "sklearn.base.BaseEstimator", "sklearn.base.clone", "sklearn.pipeline.Pipeline",
    "sklearn.pipeline.make_pipeline", "sklearn.model_selection.GridSearchCV",
    "sklearn.model_selection.RandomizedSearchCV", "sklearn.model_selection.cross_validate",
    "sklearn.model_selection.cross_val_score", "sklearn.model_selection.train_test_split",
    "sklearn.metrics.make_scorer", "sklearn.metrics.accuracy_score", "sklearn.metrics.f1_score",
    "sklearn.metrics.r2_score", "sklearn.metrics.mean_squared_error",
    "sklearn.metrics.classification_report", "sklearn.metrics.ConfusionMatrixDisplay",
    "sklearn.model_selection.LearningCurveDisplay", "sklearn.linear_model.LogisticRegression",
    "sklearn.feature_extraction.text.TfidfVectorizer", "sklearn.ensemble.RandomForestRegressor",
    "sklearn.preprocessing.FunctionTransformer", "sklearn.exceptions.NotFittedError",
]
SKORCH = [
    "skorch.net.NeuralNet", "skorch.net.NeuralNet.save_params", "skorch.net.NeuralNet.load_params",
    "skorch.net.NeuralNet.partial_fit", "skorch.history.History", "skorch.callbacks.Callback",
    "skorch.callbacks.EarlyStopping", "skorch.callbacks.Checkpoint", "skorch.callbacks.LRScheduler",
    "skorch.callbacks.ProgressBar", "skorch.callbacks.PrintLog", "skorch.callbacks.EpochScoring",
    "skorch.callbacks.GradientNormClipping", "skorch.dataset.ValidSplit", "skorch.hf.AccelerateMixin",
]
TORCH = [
    "torch.nn.Module", "torch.nn.LSTM", "torch.nn.GRU", "torch.nn.Embedding", "torch.nn.Linear",
    "torch.nn.functional.scaled_dot_product_attention", "torch.optim.AdamW", "torch.optim.Adam",
    "torch.optim.SGD", "torch.autocast", "torch.compile", "torch.utils.data.Dataset",
    "torch.utils.data.IterableDataset", "torch.nn.parallel.DistributedDataParallel",
]
PANDAS = ["pandas.DataFrame", "pandas.Series"]
PYTHON = ["pickle", "warnings.filterwarnings", "warnings.warn"]
MATPLOTLIB = ["matplotlib.axes.Axes", "matplotlib.figure.Figure"]

PROJECTS = {
    "sklearn": ("https://scikit-learn.org/stable/", SKLEARN, lambda page: f"modules/generated/{page}.html"),
    "skorch": ("https://skorch.readthedocs.io/en/stable/", SKORCH,
               lambda page: page.split(".")[1] + ".html"),
    "torch": ("https://docs.pytorch.org/docs/stable/", TORCH, lambda page: f"generated/{page}.html"),
    "pandas": ("https://pandas.pydata.org/docs/", PANDAS, lambda page: f"reference/api/{page}.html"),
    "matplotlib": ("https://matplotlib.org/stable/", MATPLOTLIB, lambda page: f"api/_as_gen/{page}.html"),
    "python": ("https://docs.python.org/3/", PYTHON, lambda page: f"library/{page.split('.')[0]}.html"),
}
# objects documented on a shared page rather than one of their own
PAGES = {"torch.autocast": "amp.html", "torch.utils.data.Dataset": "data.html",
         "torch.utils.data.IterableDataset": "data.html"}
# project → (label, page#anchor, title)
LABELS = {
    "sklearn": [
        ("metadata_routing", "metadata_routing.html#metadata-routing", "Metadata Routing"),
        ("accuracy_score", "modules/model_evaluation.html#accuracy-score", "Accuracy score"),
        ("r2_score", "modules/model_evaluation.html#r2-score", "R² score"),
    ],
}


def _resolve(name: str):
    """Import ``name``; return (object, name of the documented page)."""
    parts = name.split(".")
    if len(parts) == 1:
        return importlib.import_module(name), name
    for cut in range(len(parts) - 1, 0, -1):
        try:
            obj = importlib.import_module(".".join(parts[:cut]))
        except ImportError:
            continue
        for attr in parts[cut:]:
            obj = getattr(obj, attr)  # AttributeError: the name is wrong
        parent = ".".join(parts[:-1])
        # a method lives on its class's page; everything else has its own
        is_method = cut < len(parts) - 1 and isinstance(getattr(importlib.import_module(".".join(parts[:cut])),
                                                                 parts[cut]), type)
        return obj, parent if is_method else name
    raise ImportError(name)


def _role(obj, page: str, name: str) -> str:
    if isinstance(obj, types.ModuleType):
        return "mod"
    if page != name:
        return "method"
    if isinstance(obj, type):
        return "class"
    return "function"


def write_inventories(folder: Path) -> dict:
    """Write one inventory per project; return Sphinx's ``intersphinx_mapping``."""
    folder.mkdir(parents=True, exist_ok=True)
    mapping = {}
    for project, (url, names, location) in PROJECTS.items():
        lines = []
        for name in names:
            obj, page = _resolve(name)
            role = {"mod": "module"}.get(_role(obj, page, name), _role(obj, page, name))
            anchor = f"module-{name}" if role == "module" else name
            lines.append(f"{name} py:{role} 1 {PAGES.get(name) or location(page)}#{anchor} -")
        lines += [f"{label} std:label -1 {where} {title}" for label, where, title in LABELS.get(project, [])]
        header = f"# Sphinx inventory version 2\n# Project: {project}\n# Version: stable\n" \
                 "# The remainder of this file is compressed using zlib.\n"
        path = folder / f"{project}.inv"
        path.write_bytes(header.encode() + zlib.compress("\n".join(lines).encode() + b"\n"))
        mapping[project] = (url, str(path))
    return mapping
