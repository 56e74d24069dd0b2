import pickle

import numpy as np
import pytest
import torch
from sklearn.base import clone
from sklearn.model_selection import GridSearchCV, KFold

from skattention import AttentionSeq2Seq
from skattention.metrics import exact_match_scorer, neg_token_error_rate_scorer
from skattention.modules import Batch
from skattention.modules.decoding import EOS_ID, _forbid_specials, beam_search, greedy_search
from skattention.modules.seq2seq import LuongDecoder, RNNDecoder, Seq2SeqModel, TransformerDecoder

FAST = dict(d_model=32, n_heads=2, max_epochs=3, batch_size=16, random_state=0)


def reversal_data(n=120, seed=0, low=2, high=6):
    rng = np.random.RandomState(seed)
    X = [list(rng.choice(list("abcde"), size=rng.randint(low, high))) for _ in range(n)]
    return X, [s[::-1] for s in X]


@pytest.fixture(scope="module")
def reverser():
    X, y = reversal_data(300)
    params = {**FAST, "d_model": 64, "max_epochs": 40, "lr": 5e-3, "train_split": None}
    return AttentionSeq2Seq(**params).fit(X, y), X, y


def test_learns_to_reverse(reverser):
    model, X, y = reverser
    assert model.score(X[:100], y[:100]) > 0.9
    assert model.predict([list("abc")]) == [["c", "b", "a"]]


def test_beam_not_worse_than_greedy(reverser):
    model, X, y = reverser
    Xt, yt = reversal_data(300, seed=1)  # the toy task, unseen strings
    greedy = model.score(Xt, yt)
    beam = clone(model).set_params(beam_size=4)
    beam.net_, beam.input_encoder_, beam.target_vocab_ = model.net_, model.input_encoder_, model.target_vocab_
    assert beam.score(Xt, yt) >= greedy


def test_attention_weights_are_alignments(reverser):
    model, _, _ = reverser
    src = [list("abcd"), list("eab")]
    preds = model.predict(src)
    for w, s, p in zip(model.attention_weights(src), src, preds):
        assert w.shape == (len(p), len(s))
        np.testing.assert_allclose(w.sum(axis=1), 1, rtol=1e-5)
    # reversing: the first output looks mostly at the last input
    w = model.attention_weights([list("abcd")])[0]
    assert w[0].argmax() == 3


@pytest.mark.parametrize("attention", [None, "additive", "multiplicative", "dot", "scaled_dot"])
def test_every_attention_option_trains_and_predicts(attention):
    X, y = reversal_data(40)
    model = AttentionSeq2Seq(**FAST, attention=attention).fit(X, y)
    preds = model.predict(X[:5])
    assert len(preds) == 5 and all(isinstance(p, list) for p in preds)
    if attention is None:
        with pytest.raises(ValueError, match="no alignment"):
            model.attention_weights(X[:1])


@pytest.mark.parametrize("encoder, decoder", [("transformer", "transformer"), ("birnn", "transformer"),
                                              ("hybrid", "rnn"), ("transformer", "rnn")])
def test_encoder_decoder_combinations(encoder, decoder):
    X, y = reversal_data(40)
    model = AttentionSeq2Seq(**FAST, encoder=encoder, decoder=decoder, attention="scaled_dot").fit(X, y)
    for w, p, s in zip(model.attention_weights(X[:3]), model.predict(X[:3]), X[:3]):
        assert w.shape == (len(p), len(s))
    model.set_params(beam_size=3)
    assert len(model.predict(X[:3])) == 3


def test_numeric_sources():
    rng = np.random.RandomState(0)
    X = [rng.randn(n, 4) for n in rng.randint(3, 7, size=40)]
    y = [["up" if f[0] > 0 else "down" for f in x] for x in X]
    model = AttentionSeq2Seq(**FAST).fit(X, y)
    assert all(set(p) <= {"up", "down"} for p in model.predict(X[:4]))


def test_bad_targets():
    X, y = reversal_data(20)
    model = AttentionSeq2Seq(**FAST)
    bad = list(y)
    bad[4] = []
    with pytest.raises(ValueError, match=r"y\[4\] is empty"):
        model.fit(X, bad)
    with pytest.raises(ValueError, match="X has 20 sequences but y has 19"):
        model.fit(X, y[:19])
    with pytest.raises(ValueError, match="requires y to be passed"):
        model.fit(X)
    with pytest.raises(ValueError, match="decoder='transformer' needs attention"):
        AttentionSeq2Seq(decoder="transformer", attention=None).fit(X, y)
    model.fit(X, y)
    new = list(y)
    new[2] = ["z"]
    with pytest.raises(ValueError, match=r"y\[2\] has token 'z'"):
        model.partial_fit(X, new)


def test_unknown_source_tokens_and_empty_sources():
    X, y = reversal_data(40)
    model = AttentionSeq2Seq(**FAST).fit(X, y)
    preds = model.predict([list("zzz"), []])
    assert preds[1] == [] and isinstance(preds[0], list)
    assert all(tok in model.target_vocabulary_ for tok in preds[0])
    assert not {"<pad>", "<unk>", "<s>"} & set(preds[0])


def test_max_output_length_caps_generation():
    X, y = reversal_data(40)
    model = AttentionSeq2Seq(**{**FAST, "max_epochs": 1}, max_output_length=2).fit(X, y)
    assert all(len(p) <= 2 for p in model.predict(X))


def test_pickle_clone_and_grid_search():
    X, y = reversal_data(40)
    model = AttentionSeq2Seq(**FAST).fit(X, y)
    again = pickle.loads(pickle.dumps(model))
    assert again.predict(X[:5]) == model.predict(X[:5])
    assert not hasattr(clone(model), "net_")
    search = GridSearchCV(AttentionSeq2Seq(**FAST), {"attention": [None, "additive"]}, cv=KFold(2),
                          scoring={"exact": exact_match_scorer, "ter": neg_token_error_rate_scorer},
                          refit="exact")
    search.fit(X, y)
    assert search.best_params_["attention"] in (None, "additive")


def test_same_random_state_same_predictions():
    X, y = reversal_data(40)
    a = AttentionSeq2Seq(**FAST).fit(X, y).predict(X)
    b = AttentionSeq2Seq(**FAST).fit(X, y).predict(X)
    assert a == b


DECODER_KW = {"rnn": {}, "luong": {}, "transformer": {"attention": "scaled_dot", "n_heads": 2}}


def _model(n_targets, decoder):
    """A small untrained model with ``decoder`` (each decoder has its own state, so searches run on all)."""
    return Seq2SeqModel(n_targets, n_tokens=6, d_model=16, encoder="birnn", decoder=decoder,
                        **DECODER_KW[decoder]).eval()


@pytest.mark.parametrize("decoder", list(DECODER_KW))
def test_beam_search_matches_greedy_with_one_beam_and_is_exhaustive(decoder):
    torch.manual_seed(0)
    model = _model(8, decoder)
    tokens = torch.randint(2, 6, (3, 5))
    lengths = torch.tensor([5, 4, 2])
    state = model.encode(Batch(lengths, tokens))
    greedy = greedy_search(model.decoder, state, 3, 6)
    beam1 = beam_search(model.decoder, model.encode(Batch(lengths, tokens)), 3, 1, 6, 0.0)
    assert [g[0] for g in greedy] == [b[0] for b in beam1]
    # with length_penalty=0 the beam maximises the sequence log-probability:
    # it can never find a worse one than greedy
    def logprob(seq, b):
        st = model.decoder.reorder(model.encode(Batch(lengths, tokens)), torch.tensor([b]))
        prev, total = torch.tensor([2]), 0.0
        for tok in [*seq, EOS_ID]:
            logits, st, _ = model.decoder.step(prev, st)
            total += torch.log_softmax(_forbid_specials(logits), -1)[0, tok].item()
            prev = torch.tensor([tok])
        return total

    beam = beam_search(model.decoder, model.encode(Batch(lengths, tokens)), 3, 5, 6, 0.0)
    for b in range(3):
        if len(greedy[b][0]) < 6 and len(beam[b][0]) < 6:
            assert logprob(beam[b][0], b) >= logprob(greedy[b][0], b) - 1e-5


def test_plain_decoder_uses_a_fixed_context():
    dec = RNNDecoder(10, 8, attention=None)
    memory = torch.randn(2, 5, 8)
    state = dec.start(memory, torch.ones(2, 5, dtype=torch.bool), torch.tensor([5, 5]))
    _, _, w = dec.step(torch.tensor([2, 2]), state)
    assert w is None


def test_no_source_word_dropout_unless_asked():
    X, y = reversal_data(20)
    model = AttentionSeq2Seq(**{**FAST, "max_epochs": 1}).fit(X, y)
    assert model.module_.encoder.embed.word_dropout == 0.0
    model = AttentionSeq2Seq(**{**FAST, "max_epochs": 1}, module__word_dropout=0.2).fit(X, y)
    assert model.module_.encoder.embed.word_dropout == 0.2


@pytest.mark.parametrize("decoder", ["luong", "rnn"])
@pytest.mark.parametrize("beam_size", [1, 3])
def test_an_output_does_not_depend_on_the_batch_it_is_predicted_in(beam_size, decoder):
    X, y = reversal_data(40, low=1, high=12)
    # one epoch: a model that often runs on to its output cap, which is where batches used to matter
    model = AttentionSeq2Seq(**{**FAST, "max_epochs": 1}, beam_size=beam_size, decoder=decoder).fit(X, y)
    together = model.predict(X)
    assert together == [model.predict([x])[0] for x in X]
    assert any(len(out) == 2 * len(x) + 10 for out, x in zip(together, X))  # some reached their own cap


def _sentences(decoder, n=60, seed=0):
    torch.manual_seed(seed)
    model = _model(7, decoder)
    lengths = torch.randint(1, 6, (n,))
    tokens = torch.randint(2, 6, (n, 5)) * (torch.arange(5)[None, :] < lengths[:, None])
    return model, Batch(lengths, tokens)


def _normalised(model, batch, b, seq, penalty):
    """``log p / length ** penalty`` of output ``seq`` (with its end token) for sentence ``b``."""
    state = model.decoder.reorder(model.encode(batch), torch.tensor([b]))
    prev, total = torch.tensor([2]), 0.0
    for tok in [*seq, EOS_ID]:
        logits, state, _ = model.decoder.step(prev, state)
        total += torch.log_softmax(_forbid_specials(logits).float(), -1)[0, tok].item()
        prev = torch.tensor([tok])
    return total / (len(seq) + 1) ** penalty


@pytest.mark.parametrize("decoder", list(DECODER_KW))
def test_beam_early_stopping_is_exact_under_length_normalisation(decoder):
    model, batch = _sentences(decoder)
    caps = [int(n) + 4 for n in batch.lengths]
    stopped = beam_search(model.decoder, model.encode(batch), len(batch), 3, caps, 1.0)
    full = beam_search(model.decoder, model.encode(batch), len(batch), 3, caps, 1.0, early_stopping=False)
    assert [s for s, _ in stopped] == [s for s, _ in full]


@pytest.mark.parametrize("decoder", ["rnn", "luong"])  # an untrained transformer's greedy outputs never end
def test_beam_search_never_returns_less_than_greedy_when_greedy_stays_in_the_beam(decoder):
    model, batch = _sentences(decoder, seed=1)
    caps = [int(n) + 4 for n in batch.lengths]
    greedy = greedy_search(model.decoder, model.encode(batch), len(batch), caps)
    beam, finished = beam_search(model.decoder, model.encode(batch), len(batch), 3, caps, 1.0,
                                 return_finished=True)
    compared = 0
    for b, ((g, _), (s, _)) in enumerate(zip(greedy, beam)):
        if any(seq == g for _, seq in finished[b]):  # greedy's output ended inside the beam
            compared += 1
            assert _normalised(model, batch, b, s, 1.0) >= _normalised(model, batch, b, g, 1.0) - 1e-5
    assert compared >= len(batch) // 2


def steps_match_teacher_forcing(decoder):
    """Feed a random target to ``decoder`` in one teacher-forced call and one
    step at a time, check that both give the same logits and alignments, and
    return the alignments, the last step's state and the target."""
    memory, mask = torch.randn(3, 5, 8), torch.tensor([[True] * 5, [True] * 3 + [False] * 2, [True] * 4 + [False]])
    state = decoder.start(memory, mask, mask.sum(1))
    target_in = torch.randint(2, 9, (3, 6))
    logits, weights = decoder(target_in, state)
    steps = []
    for t in range(target_in.shape[1]):
        step_logits, state, w = decoder.step(target_in[:, t], state)
        steps.append((step_logits, w))
    torch.testing.assert_close(logits, torch.stack([s[0] for s in steps], 1))
    torch.testing.assert_close(weights, torch.stack([s[1] for s in steps], 1))
    return weights, state, target_in


def test_the_luong_decoder_trains_all_steps_at_once_and_decodes_step_by_step_alike():
    """Teacher forcing in one call equals feeding the target one step at a time,
    so the parallel training computes what greedy and beam decoding score."""
    torch.manual_seed(0)
    decoder = LuongDecoder(n_targets=9, d_model=8, attention="additive", dropout=0.0).eval()
    weights, _, _ = steps_match_teacher_forcing(decoder)
    assert (weights[1, :, 3:] == 0).all()  # padded source positions get no weight


@pytest.mark.parametrize("score", ["scaled_dot", "additive"])
def test_the_transformer_decoder_steps_with_its_key_value_cache_as_it_trains(score):
    """Decoding one step at a time against the cached keys and values gives
    the teacher-forced logits and alignments of the whole prefix, and beam
    search may reorder the cache like any other state."""
    torch.manual_seed(0)
    decoder = TransformerDecoder(n_targets=9, d_model=8, n_heads=2, n_layers=2, dropout=0.0, attention=score).eval()
    _, step_state, target_in = steps_match_teacher_forcing(decoder)
    assert step_state["k1"].shape == (3, 2, 6, 4)  # (N, heads, steps so far, head dim)
    # reordering the state (as beam search does) reorders what every later step computes
    index = torch.tensor([2, 0, 0])
    moved, _ = decoder.step(target_in[index, 0], decoder.reorder(step_state, index))[:2]
    alone, _ = decoder.step(target_in[:, 0], step_state)[:2]
    torch.testing.assert_close(moved, alone[index])


def test_the_luong_decoder_fits_through_the_estimator_with_or_without_attention(reverser):
    model, X, y = reverser  # the default decoder
    assert model.decoder == "luong" and model.score(X[:100], y[:100]) > 0.9
    assert [w.shape for w in model.attention_weights(X[:2])] == [(len(p), len(x)) for p, x in
                                                                 zip(model.predict(X[:2]), X[:2])]
    # without attention, every step reads the same summary of the source: no alignment, and a
    # decoder with a different context at every step (the one above) does better on the same data
    plain = clone(model).set_params(attention=None).fit(X, y)
    assert plain.module_.decoder.attention is None
    assert plain.score(X[:100], y[:100]) < model.score(X[:100], y[:100])
    with pytest.raises(ValueError, match="attention=None .* has no alignment"):
        plain.attention_weights(X[:2])
