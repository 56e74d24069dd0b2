"""skattention._pretrained and the ``embeddings`` parameter: pretrained word
vectors (trained here with gensim on the training text; nothing downloaded)
in the vocabulary, the module's table, model files and checkpoints."""

import json

import numpy as np
import pytest
import torch
from conftest import TINY, make_numeric_data, make_tagging_data
from gensim.models import Word2Vec
from sklearn.base import clone

from skattention import AttentionSeq2Seq, AttentionSequenceClassifier, AttentionTokenClassifier
from skattention._checkpoint import fingerprint
from skattention._pretrained import as_vectors, digest, vector_rows
from skattention.exceptions import ModelFileError
from skattention.modules import TokenEmbedding

X_TAG, Y_TAG = make_tagging_data(40)
Y_SEQ = [int(len(x) % 2) for x in X_TAG]


@pytest.fixture(scope="module")
def keyed_vectors():
    """Word2Vec trained on the training sentences, one worker: a gensim KeyedVectors."""
    return Word2Vec(X_TAG, vector_size=6, min_count=1, seed=0, workers=1, epochs=5).wv


# ------------------------------------------------------------------ as_vectors
def test_the_three_forms_give_the_same_tokens_and_matrix(keyed_vectors):
    tokens, matrix = as_vectors(keyed_vectors)
    assert tokens == list(keyed_vectors.index_to_key)
    assert np.array_equal(matrix, keyed_vectors.vectors) and matrix.dtype == np.float32
    from_dict = as_vectors({t: keyed_vectors[t] for t in tokens})
    from_pair = as_vectors((tuple(tokens), keyed_vectors.vectors.astype(np.float64)))
    for other_tokens, other_matrix in (from_dict, from_pair):
        assert other_tokens == tokens and np.array_equal(other_matrix, matrix)
    assert as_vectors(None) is None


@pytest.mark.parametrize("embeddings, error, message", [
    ("glove.txt", TypeError, "got str"),
    (42, TypeError, "got int"),
    (("abc", np.ones((3, 2))), TypeError, "list of tokens, not a string"),
    ((["a", "b"], np.ones((3, 2))), ValueError, "2 tokens but 3 rows"),
    ((["a", "b"], np.ones(2)), ValueError, "2-D matrix"),
    ((["a", "b"], np.ones((2, 0))), ValueError, "at least one column"),
    (([], np.ones((0, 4))), ValueError, "no vectors"),
    ((["a", "b", "a"], np.ones((3, 2))), ValueError, r"token 2 \('a'\) repeats token 0"),
    ((["a", ["b"]], np.ones((2, 2))), ValueError, "token 1 is a list"),
    ((["a", "b"], [[1.0, 2.0], [np.nan, 0.0]]), ValueError, r"token 1 \('b'\) holds NaN"),
    ((["a", "b"], [["x", "y"], [1, 2]]), ValueError, "2-D array of numbers"),
    ({"a": [1.0, 2.0], "b": [1.0]}, ValueError, r"token 1 \('b'\) has 1 numbers; the ones before it have 2"),
    ({"a": [[1.0, 2.0]]}, ValueError, r"token 0 \('a'\) must be a non-empty 1-D array"),
    ({"a": "one two"}, ValueError, r"token 0 \('a'\) must be a non-empty 1-D array"),
])
def test_bad_vectors_name_the_token_and_what_was_expected(embeddings, error, message):
    with pytest.raises(error, match=message):
        as_vectors(embeddings)


def test_vector_rows_fall_back_to_the_lower_cased_token_and_skip_the_specials():
    itos = ["<pad>", "<unk>", "The", "the", "Cat", 7]
    assert vector_rows(itos, ["<unk>", "the", "cat"]).tolist() == [-1, -1, 1, 1, 2, -1]


def test_digest_tells_vectors_apart():
    a = (["x", "y"], np.eye(2, dtype=np.float32))
    assert digest(a) == digest((["x", "y"], np.eye(2, dtype=np.float32)))
    assert digest(a) != digest((["y", "x"], np.eye(2, dtype=np.float32)))
    assert digest(a) != digest((["x", "y"], np.eye(2, dtype=np.float32) * 2))
    assert digest(None) is None


# ------------------------------------------------------------------ the module
def test_token_embedding_looks_words_up_in_the_table_or_in_their_own_rows():
    emb = TokenEmbedding(5, 4, word_dim=3, vector_rows=[-1, -1, 1, -1, 0], n_vectors=2, dropout=0.0)
    assert emb.words.num_embeddings == 3  # padding, unknown and id 3
    matrix = torch.tensor([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]])
    emb.load_vectors(matrix)
    assert torch.equal(emb.vectors.weight, matrix / matrix.std())
    emb.eval()
    seen = []
    emb.proj.register_forward_hook(lambda m, inputs, out: seen.append(inputs[0]))
    emb(torch.tensor([[4, 2, 3, 1, 0]]))
    expected = torch.stack([emb.vectors.weight[0], emb.vectors.weight[1], emb.words.weight[2],
                            emb.words.weight[1], emb.words.weight[0]])
    assert torch.equal(seen[0][0], expected)
    with pytest.raises(ValueError, match="-1 for padding and unknown"):
        TokenEmbedding(3, 4, vector_rows=[0, -1, -1], n_vectors=1)
    with pytest.raises(ValueError, match="Expected vectors of shape"):
        emb.load_vectors(torch.ones(3, 3))


# ------------------------------------------------------------------ estimators
def _fit(embeddings, cls=AttentionSequenceClassifier, y=Y_SEQ, **params):
    return cls(**TINY, device="cpu", embeddings=embeddings, **params).fit(X_TAG, y)


def test_vocabulary_takes_every_token_with_a_vector_and_its_lower_cased_form():
    vectors = {"the": [1.0, 0.0], "zebra": [0.0, 1.0]}  # "zebra" never occurs in training
    clf = _fit(vectors)
    enc = clf.input_encoder_
    assert clf.vocabulary_["zebra"] == len(clf.vocabulary_) - 1
    # with vectors, a word the vocabulary lacks is looked up lower-cased (training words too)
    assert enc.vocab_.encode(["THE", "Zebra", "cat", "Cat", "okapi"]).tolist() == \
        [clf.vocabulary_["the"], clf.vocabulary_["zebra"], clf.vocabulary_["cat"], clf.vocabulary_["cat"], 1]
    assert _fit(None).input_encoder_.vocab_.encode(["THE", "Cat"]).tolist() == [1, 1]
    rows = {enc.vocab_.itos_[i]: r for i, r in enumerate(enc.vector_rows_)}
    assert rows["the"] == 0 and rows["zebra"] == 1 and rows["cat"] == -1
    assert (enc.n_vectors_, enc.vector_dim_) == (2, 2)
    assert clf.module_.backbone.embed.words.num_embeddings == len(clf.vocabulary_) - 2


def test_the_three_forms_fit_the_same_model(keyed_vectors):
    tokens = list(keyed_vectors.index_to_key)
    probas = [_fit(e).predict_proba(X_TAG) for e in
              (keyed_vectors, {t: keyed_vectors[t] for t in tokens}, (tokens, keyed_vectors.vectors))]
    assert np.array_equal(probas[0], probas[1]) and np.array_equal(probas[0], probas[2])


def test_frozen_vectors_stay_as_given_and_fine_tuned_ones_move(keyed_vectors):
    given = torch.from_numpy(keyed_vectors.vectors)
    given = given / given.std()
    frozen = _fit(keyed_vectors, freeze_embeddings=True).module_.backbone.embed.vectors.weight
    tuned = _fit(keyed_vectors).module_.backbone.embed.vectors.weight
    assert not frozen.requires_grad and tuned.requires_grad
    assert torch.equal(frozen, given)
    assert not torch.allclose(tuned, given)


def test_vectors_change_the_model_and_none_leaves_it_as_before(keyed_vectors):
    plain = AttentionSequenceClassifier(**TINY, device="cpu").fit(X_TAG, Y_SEQ)
    assert np.array_equal(_fit(None).predict_proba(X_TAG), plain.predict_proba(X_TAG))
    with_vectors = _fit(keyed_vectors)
    assert not np.array_equal(with_vectors.predict_proba(X_TAG), plain.predict_proba(X_TAG))
    assert "_vectors" not in vars(with_vectors)  # the module holds them; no second copy on the estimator


@pytest.mark.parametrize("cls, y", [(AttentionTokenClassifier, Y_TAG), (AttentionSeq2Seq, X_TAG)])
def test_token_taggers_and_seq2seq_take_vectors_too(keyed_vectors, cls, y):
    model = _fit(keyed_vectors, cls=cls, y=y)
    table = [m for m in model.module_.modules() if isinstance(m, TokenEmbedding) and m.vectors is not None]
    assert len(table) == 1 and table[0].vectors.weight.shape == (len(keyed_vectors.index_to_key), 6)


def test_numeric_input_refuses_vectors():
    with pytest.raises(ValueError, match="X holds numeric sequences"):
        AttentionSequenceClassifier(**TINY, device="cpu", embeddings={"a": [1.0]}).fit(
            make_numeric_data(10), [0, 1] * 5)


@pytest.mark.parametrize("embeddings, error, message", [
    ("vectors.txt", ValueError, "The 'embeddings' parameter of AttentionSequenceClassifier must be None"),
    ({"the": [np.inf, 1.0]}, ValueError, r"token 0 \('the'\) holds NaN"),
])
def test_bad_embeddings_fail_at_fit(embeddings, error, message):
    with pytest.raises(error, match=message):
        _fit(embeddings)
    with pytest.raises(ValueError, match="freeze_embeddings"):
        _fit(None, freeze_embeddings="yes")


def test_clone_keeps_the_vectors(keyed_vectors):
    clf = AttentionSequenceClassifier(embeddings=keyed_vectors, freeze_embeddings=True)
    params = clone(clf).get_params()
    assert params["freeze_embeddings"] is True
    assert np.array_equal(params["embeddings"].vectors, keyed_vectors.vectors)


# ------------------------------------------------------------------ files
def test_model_files_keep_the_vectors_and_predict_the_same(keyed_vectors, tmp_path):
    clf = _fit(keyed_vectors)
    clf.save(tmp_path)
    same = AttentionSequenceClassifier.load(tmp_path)
    assert np.array_equal(same.predict_proba(X_TAG), clf.predict_proba(X_TAG))
    tokens, matrix = same.embeddings
    assert tokens == list(keyed_vectors.index_to_key) and np.array_equal(matrix, keyed_vectors.vectors)
    # the loaded estimator refits as the original did
    assert np.array_equal(clone(same).fit(X_TAG, Y_SEQ).predict_proba(X_TAG), clf.predict_proba(X_TAG))
    # a model saved again without vectors leaves no stale vectors file behind
    _fit(None).save(tmp_path)
    assert not (tmp_path / "embeddings.safetensors").exists()


def test_damaged_vector_files_are_refused(keyed_vectors, tmp_path):
    _fit(keyed_vectors).save(tmp_path)
    vectors = tmp_path / "embeddings.safetensors"
    data = bytearray(vectors.read_bytes())
    data[-1] ^= 1
    vectors.write_bytes(bytes(data))
    with pytest.raises(ModelFileError, match="does not match the SHA-256"):
        AttentionSequenceClassifier.load(tmp_path)
    vectors.unlink()
    with pytest.raises(ModelFileError, match="embeddings.safetensors is missing"):
        AttentionSequenceClassifier.load(tmp_path)


def test_a_file_whose_vectors_disagree_with_its_vocabulary_is_refused(keyed_vectors, tmp_path):
    _fit(keyed_vectors).save(tmp_path)
    config = tmp_path / "skattention.json"
    described = json.loads(config.read_text())
    described["params"]["embeddings"] = None
    config.write_text(json.dumps(described))
    with pytest.raises(ModelFileError, match="disagree on whether the model has pretrained vectors"):
        AttentionSequenceClassifier.load(tmp_path)


def test_checkpoints_tell_fits_with_other_vectors_apart(keyed_vectors):
    clf = AttentionSequenceClassifier(embeddings=keyed_vectors)
    tokens = list(keyed_vectors.index_to_key)
    same = as_vectors(keyed_vectors)
    other = (tokens, keyed_vectors.vectors + 1)
    assert fingerprint(clf, X_TAG, Y_SEQ, vectors=same) == fingerprint(clf, X_TAG, Y_SEQ, vectors=as_vectors(
        (tokens, keyed_vectors.vectors.copy())))
    assert fingerprint(clf, X_TAG, Y_SEQ, vectors=same) != fingerprint(clf, X_TAG, Y_SEQ, vectors=other)


def test_a_fit_with_vectors_resumes_from_its_checkpoint(keyed_vectors, tmp_path):
    from skorch.callbacks import Callback

    class Interrupt(Callback):
        def on_epoch_end(self, net, **kwargs):
            if len(net.history) == 2:
                raise KeyboardInterrupt

    kw = {**TINY, "max_epochs": 4, "device": "cpu", "embeddings": keyed_vectors, "checkpoint_dir": tmp_path}
    with pytest.warns(UserWarning, match="resumes from the checkpoint"):
        AttentionSequenceClassifier(**kw, callbacks=[("stop", Interrupt())]).fit(X_TAG, Y_SEQ)
    resumed = AttentionSequenceClassifier(**kw).fit(X_TAG, Y_SEQ)
    assert list(resumed.history_["epoch"]) == [1, 2, 3, 4]
    # the first two epochs are the interrupted fit's, which began as a straight fit does
    straight = AttentionSequenceClassifier(**{**kw, "checkpoint_dir": None}).fit(X_TAG, Y_SEQ)
    assert list(resumed.history_["train_loss"][:2]) == list(straight.history_["train_loss"][:2])
