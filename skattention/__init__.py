"""skattention: attention-based sequence models that behave like scikit-learn
estimators, built on skorch and PyTorch."""

from . import estimators
from ._version import __version__
from .estimators import *  # noqa: F403 (the five estimators of estimators.__all__)

__all__ = ["__version__", *estimators.__all__]
