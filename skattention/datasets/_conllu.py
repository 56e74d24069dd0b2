"""CoNLL-U files: Universal Dependencies treebanks, in memory or streamed."""

from __future__ import annotations

import os

from ._home import _data_file

_CONLLU_FIELDS = ("form", "lemma", "upos", "xpos", "deprel")


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
    return load_ud_treebank("english_ewt", split, field=field, data_home=data_home)


#: The treebanks of the data home: folder, file prefix and, per split, the file it reads. Indonesian-GSD
#: and Irish-IDT ship only dev and test files here, so their dev file is the training set.
UD_TREEBANKS: dict[str, tuple[str, str, dict[str, str]]] = {
    "english_ewt": ("ud_english_ewt", "en_ewt", {"train": "train", "dev": "dev", "test": "test"}),
    "french_sequoia": ("ud_french_sequoia", "fr_sequoia", {"train": "train", "dev": "dev", "test": "test"}),
    "indonesian_gsd": ("ud_indonesian_gsd", "id_gsd", {"train": "dev", "test": "test"}),
    "irish_idt": ("ud_irish_idt", "ga_idt", {"train": "dev", "test": "test"}),
}


def load_ud_treebank(
    name: str,
    split: str = "train",
    *,
    field: str = "upos",
    data_home: str | os.PathLike | None = None,
) -> tuple[list[list[str]], list[list[str]]]:
    """Load one of the Universal Dependencies treebanks of the data home.

    * ``"english_ewt"``: 12,544 training and 2,077 test sentences (CC BY-SA 4.0);
    * ``"french_sequoia"``: 2,231 training and 456 test sentences (LGPL-LR);
    * ``"indonesian_gsd"``: 559 training sentences (the treebank's dev file) and
      557 test sentences (CC BY-SA 4.0);
    * ``"irish_idt"``: 451 training sentences (the treebank's dev file) and 454
      test sentences (CC BY-SA 3.0).

    English-EWT and French-Sequoia also have a ``"dev"`` split. The licence
    of each treebank is the ``LICENSE.txt`` next to its files.

    Parameters
    ----------
    name : {"english_ewt", "french_sequoia", "indonesian_gsd", "irish_idt"}
        The treebank.
    split : {"train", "dev", "test"}, default="train"
        Which split to load.
    field : {"upos", "xpos", "lemma", "deprel", "form"}, default="upos"
        Label column, as in :func:`read_conllu`.
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
    >>> X, y = load_ud_treebank("irish_idt", "train")  # doctest: +SKIP
    >>> len(X)  # doctest: +SKIP
    451
    """
    if name not in UD_TREEBANKS:
        raise ValueError(f"name must be one of {sorted(UD_TREEBANKS)}, got {name!r}.")
    folder, prefix, files = UD_TREEBANKS[name]
    if split not in files:
        raise ValueError(f"split must be one of {sorted(files)} for {name}, got {split!r}.")
    return read_conllu(_data_file(data_home, folder, f"{prefix}-ud-{files[split]}.conllu"), field=field)
