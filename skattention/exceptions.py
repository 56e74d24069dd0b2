"""Warnings and errors specific to skattention."""

from __future__ import annotations


class DataWarning(UserWarning):
    """Input that is valid but probably not what you meant.

    Raised as a warning by ``fit`` for, among others, training labels that
    are all the same, a classifier given what looks like a regression target,
    or a token vocabulary almost as large as the data (numbers passed as
    strings, say). Silence it with :func:`warnings.filterwarnings` once you
    have checked that the data are right::

        import warnings
        from skattention.exceptions import DataWarning
        warnings.filterwarnings("ignore", category=DataWarning)
    """


class TrainingDivergedError(FloatingPointError):
    """The training (or validation) loss became NaN or infinite.

    ``fit`` stops at the end of that epoch and restores the weights of the
    last epoch whose losses were finite, so the estimator stays usable: catch
    the error to keep it. The message says at which epoch and batch it
    happened and what usually helps (a lower ``lr``, checking the targets for
    extreme values, full precision).
    """


class ModelFileError(ValueError):
    """A model file or checkpoint that cannot be used as it is.

    :meth:`load` raises it for a folder that is not a complete skattention
    model (a missing or malformed ``skattention.json``, weights that do not
    match their recorded SHA-256 or the described model, parameters that
    ``fit`` would refuse, attributes the estimator does not have, weights that
    are not finite), and ``fit`` for a checkpoint that is damaged or belongs
    to another fit. It is a ``ValueError``, so existing handlers keep working.
    """


class NonFinitePredictionError(FloatingPointError):
    """``predict`` (or ``predict_proba``) computed NaN or infinite outputs.

    Nothing is returned rather than labels chosen from NaN probabilities or
    NaN values. In full precision the inputs are clipped so this cannot
    happen; with ``precision="16"`` float16 overflows past 65504, which inputs
    far outside the training range reach. Predict in ``precision="32"`` or
    ``"bf16"`` (``set_params(precision="32")`` after fitting).
    """
