"""Sentence classification data sets: one tokenised sentence, one label."""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np

from ._home import _data_file


def _read_polarity_file(path: Path) -> list[list[str]]:
    text = path.read_text(encoding="latin-1")
    # Split on "\n" only: the files contain byte 0x85, which latin-1 decodes to
    # U+0085 (NEL) and which str.splitlines would treat as a line break.
    return [line.split() for line in text.split("\n") if line.strip()]


def load_movie_review_polarity(
    *, data_home: str | os.PathLike | None = None
) -> tuple[list[list[str]], np.ndarray]:
    """Load the sentence polarity data set v1.0 (5331 positive, 5331 negative).

    Snippets of Rotten Tomatoes reviews from Pang & Lee (2005), "Seeing stars:
    Exploiting class relationships for sentiment categorization with respect
    to rating scales", Proceedings of ACL 2005.  The files
    ``<data_home>/movie_review_polarity/rt-polarity.pos`` and ``.neg`` are
    latin-1 encoded, one sentence per line, already lowercased and tokenised,
    so tokens are obtained by whitespace splitting.

    Parameters
    ----------
    data_home : str or os.PathLike, optional
        Data home folder, see :func:`get_data_home`.

    Returns
    -------
    X : list of list of str
        Tokens of each sentence: all positives first, then all negatives.
    y : numpy.ndarray of int, shape (n_sentences,)
        1 for positive, 0 for negative.

    Examples
    --------
    >>> X, y = load_movie_review_polarity()  # doctest: +SKIP
    >>> len(X), int(y.sum())  # doctest: +SKIP
    (10662, 5331)
    """
    folder = "movie_review_polarity"
    pos = _read_polarity_file(_data_file(data_home, folder, "rt-polarity.pos"))
    neg = _read_polarity_file(_data_file(data_home, folder, "rt-polarity.neg"))
    y = np.concatenate([np.ones(len(pos), dtype=np.int64), np.zeros(len(neg), dtype=np.int64)])
    return pos + neg, y


#: Files of the sentence classification sets (Kim 2014's tokenised copies), by split.
SENTENCE_SETS: dict[str, dict[str, str]] = {
    "sst2": {"train": "stsa.binary.train", "dev": "stsa.binary.dev", "test": "stsa.binary.test"},
    "subj": {"all": "subj.all"},
    "trec": {"train": "TREC.train.all", "test": "TREC.test.all"},
}


def _read_text(path: Path) -> str:
    data = path.read_bytes()
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:  # subj.all and TREC.train.all are latin-1
        return data.decode("latin-1")


def load_sentence_classification(
    name: str, split: str | None = None, *, data_home: str | os.PathLike | None = None
) -> tuple[list[list[str]], np.ndarray]:
    """Load SST-2, Subj, TREC or MR: tokenised sentences and one label each.

    * ``"sst2"``: sentence polarity (Socher et al. 2013), 2 classes; train
      6,920, dev 872, test 1,821 sentences;
    * ``"subj"``: subjective or objective (Pang & Lee 2004), 2 classes; 10,000
      sentences in one split, ``"all"``, for cross-validation;
    * ``"trec"``: question type (Li & Roth 2002), 6 classes; train 5,452, test
      500 questions;
    * ``"mr"``: movie review polarity (Pang & Lee 2005), 2 classes; 10,662
      sentences in one split, ``"all"``.

    The files are ``<data_home>/sentence_classification/*`` (the tokenised
    versions used by Kim 2014, one ``label sentence`` per line) and, for MR,
    :func:`load_movie_review_polarity`. Tokens are obtained by whitespace
    splitting.

    Parameters
    ----------
    name : {"sst2", "subj", "trec", "mr"}
        The data set.
    split : str, optional
        ``"train"``, ``"dev"`` (SST-2 only) or ``"test"``; ``"all"`` (the
        default for Subj and MR, the only split they have).
    data_home : str or os.PathLike, optional
        Data home folder, see :func:`get_data_home`.

    Returns
    -------
    X : list of list of str
        Tokens of each sentence.
    y : numpy.ndarray of int, shape (n_sentences,)
        The labels (0/1; TREC 0-5).

    Examples
    --------
    >>> X, y = load_sentence_classification("trec", "test")  # doctest: +SKIP
    >>> len(X), sorted(set(y.tolist()))  # doctest: +SKIP
    (500, [0, 1, 2, 3, 4, 5])
    """
    if name == "mr":
        if split not in (None, "all"):
            raise ValueError(f"MR has one split, 'all' (for cross-validation), got {split!r}.")
        return load_movie_review_polarity(data_home=data_home)
    if name not in SENTENCE_SETS:
        raise ValueError(f"name must be one of {sorted([*SENTENCE_SETS, 'mr'])}, got {name!r}.")
    files = SENTENCE_SETS[name]
    split = split if split is not None else ("all" if "all" in files else "train")
    if split not in files:
        raise ValueError(f"split must be one of {sorted(files)} for {name}, got {split!r}.")
    path = _data_file(data_home, "sentence_classification", files[split])
    X, y = [], []
    for number, line in enumerate(_read_text(path).split("\n"), 1):  # "\n" only, as in MR: NEL is no line break
        label, _, sentence = line.strip().partition(" ")
        if not label:
            continue
        if not label.isdigit():
            raise ValueError(f"{path}:{number} does not start with a numeric label: {line[:40]!r}.")
        X.append(sentence.split())
        y.append(int(label))
    return X, np.asarray(y, dtype=np.int64)
