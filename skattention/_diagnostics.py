"""Warnings for data that are valid but probably a mistake. They run once, on
the first fit, over what validation has already computed."""

from __future__ import annotations

import sys
import warnings
from pathlib import Path

import numpy as np

from .exceptions import DataWarning

# a vocabulary is "huge" when nearly every token is new: natural text of a few
# hundred tokens already repeats a third of its words, identifiers and numbers
# written as strings repeat almost none
MIN_TOKENS_FOR_VOCABULARY_CHECK = 500
MAX_DISTINCT_TOKEN_RATIO = 0.8
# a classifier target is "continuous-looking" when most labels are distinct
MIN_LABELS_FOR_CLASS_CHECK = 50
MAX_DISTINCT_LABEL_RATIO = 0.5
NUMBER_LIKE_SAMPLE = 1000


_PACKAGE = str(Path(__file__).parent)


def warn_user(message: str, category: type[Warning] = DataWarning) -> None:
    """Warn, attributing the warning to the first caller outside skattention
    (the user's ``fit`` call, or scikit-learn's when it fits a clone)."""
    frame, level = sys._getframe(1), 2
    while frame is not None and frame.f_code.co_filename.startswith(_PACKAGE):
        frame, level = frame.f_back, level + 1
    warnings.warn(message, category, stacklevel=level)


def _is_number(token) -> bool:
    if isinstance(token, (int, float, np.number)) and not isinstance(token, bool):
        return True
    try:
        float(token)
    except (TypeError, ValueError):
        return False
    return True


def check_vocabulary(n_distinct: int, n_tokens: int, sample) -> None:
    """Warn when the distinct tokens are almost as many as the tokens."""
    if n_tokens < MIN_TOKENS_FOR_VOCABULARY_CHECK or n_distinct <= MAX_DISTINCT_TOKEN_RATIO * n_tokens:
        return
    sample = list(sample)[:NUMBER_LIKE_SAMPLE]
    hint = ("most of them look like numbers: pass numeric sequences as float arrays of shape "
            "(length, n_features), not as tokens" if sum(map(_is_number, sample)) > 0.9 * len(sample)
            else "check the tokenisation (identifiers, or whole sentences as single tokens?), "
                 "or raise min_freq")
    warn_user(f"X has {n_distinct} distinct tokens among {n_tokens} ({n_distinct / n_tokens:.0%}), so the "
          f"model sees almost every token once and learns little about any of them; {hint}.")


def check_classes(classes, n_labels: int, estimator: str, regressor: str, distinct: bool = True) -> None:
    """Warn about a single class, or (with ``distinct``) about labels that are
    nearly all distinct."""
    if len(classes) == 1:
        label = np.asarray(classes)[:1].tolist()[0]
        warn_user(f"y holds a single class, {label!r}: {estimator} will predict it for everything.")
    elif distinct and n_labels >= MIN_LABELS_FOR_CLASS_CHECK and len(classes) > MAX_DISTINCT_LABEL_RATIO * n_labels:
        warn_user(f"y has {len(classes)} distinct labels among {n_labels}; if it holds quantities rather "
              f"than categories, use {regressor}.")


def check_constant(n: int, lowest: np.ndarray, highest: np.ndarray) -> None:
    """Warn when every one of ``n`` regression targets is the same (their
    smallest and largest values agree)."""
    if n > 1 and np.all(lowest == highest):
        warn_user(f"y is constant (every target is {np.asarray(lowest).tolist()}): the model can only learn to "
              "predict that value.")
