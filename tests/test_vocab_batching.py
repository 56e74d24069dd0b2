import numpy as np
import pytest
import torch

from skattention._batching import (
    BucketBatchSampler,
    Collate,
    EncodedDataset,
    make_loader,
    pad_stack,
    padding_ratio,
    unique_words,
    unpad,
)
from skattention._sequences import check_sequences
from skattention._vocab import PAD_ID, UNK_ID, InputEncoder, TargetScaler, Vocabulary
from skattention.modules.embeddings import CharCNN


def test_vocabulary_unknown_and_order():
    vocab = Vocabulary().fit([["b", "a", "b"], ["c"]])
    assert vocab.itos_[:3] == ["<pad>", "<unk>", "b"]
    assert vocab.encode(["b", "zzz"]).tolist() == [2, UNK_ID]
    assert len(vocab) == 5


def test_input_encoder_tokens_gives_chars_for_unseen_words():
    enc = InputEncoder().fit(check_sequences([["cat", "sat"]]))
    (item,) = enc.transform(check_sequences([["cats"]]))
    assert item["tokens"].tolist() == [UNK_ID]
    assert item["chars"].shape == (1, 24)  # max_word_length, zero-padded
    assert (item["chars"][0, :4] != PAD_ID).all()  # c, a, t, s are all known characters
    assert (item["chars"][0, 4:] == PAD_ID).all()
    long = enc.transform(check_sequences([["c" * 40]]))[0]["chars"]
    assert long.shape == (1, 24) and (long != PAD_ID).all()  # cut at max_word_length
    assert enc.module_kwargs()["n_tokens"] == 4


def test_input_encoder_numeric_standardises():
    X = check_sequences([np.array([[0.0, 10.0], [2.0, 10.0]]), np.array([[4.0, 10.0]])])
    enc = InputEncoder().fit(X)
    feats = np.concatenate([d["features"] for d in enc.transform(X)])
    np.testing.assert_allclose(feats.mean(0), [0, 0], atol=1e-6)
    np.testing.assert_allclose(feats[:, 1], 0)  # constant feature: scale 1, not a division by 0
    assert enc.module_kwargs() == {"n_features": 2}


def test_target_scaler_roundtrip():
    y = np.array([1.0, 2.0, 6.0])
    s = TargetScaler().fit(y)
    np.testing.assert_allclose(s.inverse_transform(s.transform(y)), y, rtol=1e-6)


def test_collate_pads_inputs_and_targets():
    items = [{"tokens": np.array([2, 3, 4]), "chars": np.ones((3, 2), np.int64)},
             {"tokens": np.array([5]), "chars": np.ones((1, 5), np.int64)}]
    X, y = Collate(target_pad=-100)(list(zip(items, [np.array([0, 1, 2]), np.array([1])])))
    assert X.tokens.tolist() == [[2, 3, 4], [5, 0, 0]]
    assert X.lengths.tolist() == [3, 1]
    assert y.tolist() == [[0, 1, 2], [1, -100, -100]]
    # characters: a table of the batch's distinct words, row 0 for padding
    table, index = X.chars, X.char_index
    assert index.shape == (2, 3) and index[1, 1:].tolist() == [0, 0]
    assert table.shape == (5, 5) and (table[0] == 0).all()
    assert table[index[1, 0]].tolist() == [1, 1, 1, 1, 1]
    assert table[index[0, 2]].tolist() == [1, 1, 0, 0, 0]


@pytest.mark.parametrize("with_ids", [True, False])
def test_unique_words_dedupes_repeats_and_keeps_unknown_words_apart(with_ids):
    chars = [np.array([[3, 4], [5, 0], [3, 4]]), np.array([[5, 0, 0], [6, 6, 6]]), np.array([[7, 7, 0]])]
    ids = [np.array([2, 3, 2]), np.array([3, 1]), np.array([1])]  # two different unknown words
    table, index = unique_words(chars, ids if with_ids else None)
    assert len(table) == 1 + 4 and (table[0] == 0).all()
    assert index[0][0] == index[0][2]  # a repeated word shares its row
    for c, i in zip(chars, index):
        np.testing.assert_array_equal(table[i][:, : c.shape[1]], c)


def test_char_cnn_on_the_deduplicated_table_equals_the_full_grid():
    torch.manual_seed(0)
    cnn = CharCNN(10, char_dim=4, channels=6)
    chars = [np.random.RandomState(0).randint(1, 10, (4, 3)), np.array([[2, 3, 0]])]
    chars[0][2] = chars[0][0]
    table, index = unique_words(chars)
    full = torch.from_numpy(pad_stack(chars))
    expected = cnn(full)
    got = cnn(torch.from_numpy(table), torch.from_numpy(pad_stack(index)))
    torch.testing.assert_close(got[0], expected[0])
    torch.testing.assert_close(got[1, :1], expected[1, :1])
    assert (got[1, 1:] == 0).all() and (expected[1, 1:] == 0).all()  # padding gives zeros


def test_bucket_sampler_low_padding_and_shuffles_between_epochs():
    rng = np.random.RandomState(0)
    lengths = rng.randint(1, 60, size=2000)
    sampler = BucketBatchSampler(lengths, 32, shuffle=True, seed=0)
    epoch1, epoch2 = sampler.batches(), sampler.batches()
    assert padding_ratio(lengths, epoch1) < 1.10
    random_batches = [np.arange(i, min(i + 32, 2000)) for i in range(0, 2000, 32)]
    assert padding_ratio(lengths, random_batches) > 1.5
    assert [b.tolist() for b in epoch1] != [b.tolist() for b in epoch2]
    for batches in (epoch1, epoch2):
        assert sorted(np.concatenate(batches).tolist()) == list(range(2000))
    assert len(sampler) == len(epoch1) == 63
    # the same seed gives the same epochs
    again = BucketBatchSampler(lengths, 32, shuffle=True, seed=0).batches()
    assert [b.tolist() for b in again] == [b.tolist() for b in epoch1]


def test_bucket_sampler_tiebreak_cuts_target_padding():
    rng = np.random.RandomState(0)
    src = rng.randint(3, 12, size=3000)
    tgt = src + rng.randint(-2, 4, size=3000)  # correlated, like letters and phonemes
    plain = BucketBatchSampler(src, 32, seed=0).batches()
    both = BucketBatchSampler(src, 32, seed=0, tiebreak=tgt).batches()
    assert padding_ratio(src, both) == padding_ratio(src, plain)  # sources as tight as before
    assert padding_ratio(tgt, both) < padding_ratio(tgt, plain) - 0.1


def test_make_loader_pool_factor_one_gives_random_batches():
    lengths = np.random.RandomState(0).randint(1, 60, size=2000)
    items = [{"tokens": np.ones(n, np.int64)} for n in lengths]
    ds = EncodedDataset(items, lengths, [np.zeros(n, np.int64) for n in lengths])
    bucketed = make_loader(ds, 32, shuffle=True, seed=0).batch_sampler.batches()
    random = make_loader(ds, 32, shuffle=True, seed=0, pool_factor=1).batch_sampler.batches()
    assert padding_ratio(lengths, bucketed) < 1.10 < 1.5 < padding_ratio(lengths, random)


def test_bucket_sampler_without_shuffle_sorts_by_length():
    lengths = np.array([3, 9, 1, 5])
    batches = BucketBatchSampler(lengths, 2, shuffle=False).batches()
    assert [b.tolist() for b in batches] == [[1, 3], [0, 2]]


def test_loader_over_subset_and_unpad():
    items = [{"features": np.full((n, 1), n, np.float32)} for n in (1, 4, 2, 3)]
    ds = EncodedDataset(items, [1, 4, 2, 3], [np.zeros((n, 1), np.float32) for n in (1, 4, 2, 3)], np.nan)
    loader = make_loader(torch.utils.data.Subset(ds, [1, 3]), 8, shuffle=False)
    (X, y), = list(loader)
    assert X.lengths.tolist() == [4, 3]
    assert torch.isnan(y[1, 3]).all()
    parts = unpad(X.features.numpy(), X.lengths.numpy())
    assert [p.shape for p in parts] == [(4, 1), (3, 1)]


def test_prediction_batches_fill_a_token_budget():
    lengths = np.array([100, 3, 3, 50, 3, 3, 3, 49])
    sampler = BucketBatchSampler(lengths, 2, shuffle=False, max_tokens=100)
    batches = sampler.batches()
    assert [b.tolist() for b in batches] == [[0], [3, 7], [1, 2, 4, 5, 6]]
    assert len(sampler) == 3
    # a sequence longer than the budget still gets a batch of its own
    assert [b.tolist() for b in BucketBatchSampler([300, 2], 2, shuffle=False, max_tokens=100).batches()] == [[0], [1]]


def test_char_cnn_gradients_are_bitwise_reproducible():
    # repeated words scatter their gradients into shared table rows; that must not
    # depend on thread timing (advanced indexing's backward does, on the CPU)
    rng = np.random.RandomState(0)
    chars = [rng.randint(1, 30, (40, 8)) for _ in range(64)]
    ids = [rng.randint(2, 200, 40) for _ in range(64)]  # about 13 uses per word
    for c, i in zip(chars, ids):
        c[:] = np.random.RandomState(0).randint(1, 30, (2000, 8))[i]  # one spelling per id
    table, index = unique_words(chars, ids)
    table, index = torch.from_numpy(table), torch.from_numpy(pad_stack(index))
    weights = torch.randn(64, 40, 64, generator=torch.Generator().manual_seed(0))
    grads, threads = [], torch.get_num_threads()
    torch.set_num_threads(2)  # the tests otherwise run on one thread, where any order is fixed
    try:
        for _ in range(5):
            torch.manual_seed(0)
            cnn = CharCNN(30, char_dim=16, channels=64)
            (cnn(table, index) * weights).sum().backward()  # a different gradient at every position
            grads.append([p.grad.clone() for p in cnn.parameters()])
    finally:
        torch.set_num_threads(threads)
    for other in grads[1:]:
        assert all(torch.equal(a, b) for a, b in zip(grads[0], other))
