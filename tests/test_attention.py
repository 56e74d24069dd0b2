import pytest
import torch

from skattention.attention import (
    SCORES,
    AdditiveScore,
    Attention,
    AttentionPooling,
    LearnedPositionalEncoding,
    MultiHeadSelfAttention,
    SinusoidalPositionalEncoding,
    TransformerLayer,
    lengths_to_mask,
    make_score,
    masked_softmax,
)
from skattention.modules import Batch, SequenceModel, TokenModel


@pytest.fixture(autouse=True)
def _seed():
    torch.manual_seed(0)


def test_masked_softmax_zero_on_masked_and_all_masked_rows():
    scores = torch.randn(2, 4)
    mask = torch.tensor([[1, 1, 0, 0], [0, 0, 0, 0]]).bool()
    w = masked_softmax(scores, mask)
    assert torch.allclose(w[0].sum(), torch.tensor(1.0))
    assert (w[0, 2:] == 0).all()
    assert (w[1] == 0).all() and not torch.isnan(w).any()


@pytest.mark.parametrize("score", SCORES)
def test_attention_scores_shapes_and_masks(score):
    attn = Attention(score, 8, 8)
    q, k = torch.randn(3, 2, 8), torch.randn(3, 5, 8)
    mask = lengths_to_mask(torch.tensor([5, 3, 1]), 5)
    ctx, w = attn(q, k, mask=mask)
    assert ctx.shape == (3, 2, 8) and w.shape == (3, 2, 5)
    assert torch.allclose(w.sum(-1), torch.ones(3, 2))
    assert (w[1, :, 3:] == 0).all() and (w[2, :, 1:] == 0).all()


def test_score_formulas():
    q, k = torch.randn(1, 1, 4), torch.randn(1, 3, 4)
    assert torch.allclose(make_score("dot", 4, 4)(q, k), (q * k).sum(-1)[:, None])
    assert torch.allclose(make_score("scaled_dot", 4, 4)(q, k), (q * k).sum(-1)[:, None] / 2)
    mult = make_score("multiplicative", 4, 4)
    W = mult.W.weight  # (query_dim, key_dim): q^T W k
    assert torch.allclose(mult(q, k), torch.einsum("bqd,de,bke->bqk", q, W, k), atol=1e-6)
    add = AdditiveScore(4, 4, 6)
    expected = add.v(torch.tanh(add.W(q)[:, :, None] + add.U(k)[:, None])).squeeze(-1)
    assert torch.allclose(add(q, k), expected)
    assert torch.allclose(add(q, k, projected_keys=add.project_keys(k)), expected)
    with pytest.raises(ValueError, match="Unknown attention score"):
        make_score("cosine", 4, 4)
    with pytest.raises(ValueError, match="query_dim == key_dim"):
        Attention("dot", 3, 4)


def test_sdpa_path_matches_explicit_weights():
    mha = MultiHeadSelfAttention(16, n_heads=4).eval()
    x = torch.randn(3, 6, 16)
    mask = lengths_to_mask(torch.tensor([6, 4, 2]), 6)
    fused, none = mha(x, mask, need_weights=False)
    explicit, w = mha(x, mask, need_weights=True)
    assert none is None and w.shape == (3, 4, 6, 6)
    real = mask[:, :, None]
    assert torch.allclose(fused * real, explicit * real, atol=1e-5)
    assert (w[1, :, :, 4:] == 0).all()


@pytest.mark.parametrize("score", SCORES)
def test_self_attention_ignores_padding(score):
    """A sequence's output must not change when it is batched with longer ones."""
    layer = TransformerLayer(16, n_heads=2, dropout=0.0, score=score).eval()
    x = torch.randn(1, 3, 16)
    alone, _ = layer(x, lengths_to_mask(torch.tensor([3]), 3))
    padded = torch.cat([x, torch.randn(1, 4, 16) * 100], dim=1)
    batched, _ = layer(padded, lengths_to_mask(torch.tensor([3]), 7))
    assert torch.allclose(alone, batched[:, :3], atol=1e-5)


def test_attention_pooling_weights():
    pool = AttentionPooling(8, score="additive")
    x = torch.randn(2, 5, 8)
    mask = lengths_to_mask(torch.tensor([5, 2]), 5)
    pooled, w = pool(x, mask)
    assert pooled.shape == (2, 8)
    assert torch.allclose(w.sum(-1), torch.ones(2))
    assert (w[1, 2:] == 0).all()
    assert torch.allclose(pooled[1], (w[1, :2, None] * x[1, :2]).sum(0), atol=1e-6)


def test_positional_encodings():
    x = torch.zeros(2, 700, 8)
    sin = SinusoidalPositionalEncoding(8)
    out = sin(x)  # longer than the initial table: grows
    assert out.shape == x.shape and not torch.allclose(out[0, 0], out[0, 1])
    learned = LearnedPositionalEncoding(8, max_len=10)
    assert learned(torch.zeros(1, 10, 8)).shape == (1, 10, 8)
    with pytest.raises(ValueError, match="exceeds the learned positions' max_len=10"):
        learned(torch.zeros(1, 11, 8))


@pytest.mark.parametrize("encoder", ["transformer", "birnn", "hybrid"])
def test_token_model_padding_invariance(encoder):
    model = TokenModel(3, n_tokens=10, n_chars=5, d_model=16, n_heads=2, n_layers=1, encoder=encoder).eval()
    tokens = torch.tensor([[2, 3, 4, 0, 0], [5, 6, 7, 8, 9]])
    chars = torch.randint(1, 5, (2, 5, 3))
    lengths = torch.tensor([3, 5])
    both = model(Batch(lengths, tokens, chars))
    alone = model(Batch(lengths[:1], tokens[:1, :3], chars[:1, :3]))
    assert torch.allclose(both[0, :3], alone[0], atol=1e-5)


@pytest.mark.parametrize("pooling", ["attention", "mean", "max", "sum", "cls", "combined"])
def test_sequence_model_pooling_and_weights(pooling):
    model = SequenceModel(2, pooling=pooling, n_features=3, d_model=16, n_heads=2, n_layers=1,
                          encoder="transformer", length_scale=5.0).eval()
    feats = torch.randn(2, 6, 3)
    lengths = torch.tensor([6, 4])
    out, w = model(Batch(lengths, features=feats), return_attention=True)
    assert out.shape == (2, 2)
    self_attention = (2, 2, 6, 6)
    expected = {"attention": (2, 6), "combined": (2, 6), "cls": (2, 2, 6)}.get(pooling, self_attention)
    assert tuple(w.shape) == expected
    alone = model(Batch(lengths[1:], features=feats[1:, :4]))
    assert torch.allclose(out[1], alone[0], atol=1e-5)


def test_sum_pooling_counts_and_combined_holds_each_pooling():
    model = SequenceModel(1, pooling="combined", n_features=2, d_model=8, n_heads=2, n_layers=1,
                          encoder="transformer", length_scale=4.0)
    h = torch.arange(2 * 3 * 8, dtype=torch.float32).reshape(2, 3, 8)
    mask = torch.tensor([[True, True, True], [True, False, False]])
    total = torch.stack([h[0].sum(0), h[1, 0]])
    torch.testing.assert_close(model._pool(h, mask, "sum"), total / 4.0)
    torch.testing.assert_close(model._pool(h, mask, "mean"), torch.stack([h[0].mean(0), h[1, 0]]))
    torch.testing.assert_close(model._pool(h, mask, "max"), torch.stack([h[0, 2], h[1, 0]]))
    assert model.head[1].in_features == 4 * 8  # attention, mean, max and sum side by side
    with pytest.raises(ValueError, match="length_scale"):
        SequenceModel(1, pooling="sum", n_features=2, d_model=8, length_scale=0.0)


def test_birnn_without_attention_says_so():
    model = TokenModel(2, n_features=3, d_model=8, encoder="birnn")
    with pytest.raises(ValueError, match="no self-attention"):
        model(Batch(torch.tensor([2]), features=torch.randn(1, 2, 3)), return_attention=True)


def test_birnn_encoder_equals_a_packed_bidirectional_lstm():
    from torch.nn.utils.rnn import pack_padded_sequence, pad_packed_sequence

    from skattention.modules.encoders import BiRNNEncoder, reverse_padded

    torch.manual_seed(0)
    enc = BiRNNEncoder(16, n_layers=2, dropout=0.0).eval()
    torch.manual_seed(0)
    ref = torch.nn.LSTM(16, 8, 2, batch_first=True, bidirectional=True)
    # the same seed gives the same initial weights as nn.LSTM
    for layer in range(2):
        torch.testing.assert_close(enc.forward_rnns[layer].weight_hh_l0, getattr(ref, f"weight_hh_l{layer}"))
        torch.testing.assert_close(enc.backward_rnns[layer].bias_ih_l0, getattr(ref, f"bias_ih_l{layer}_reverse"))
    with torch.no_grad():
        for layer in range(2):
            for name in ("weight_ih", "weight_hh", "bias_ih", "bias_hh"):
                getattr(enc.forward_rnns[layer], f"{name}_l0").copy_(getattr(ref, f"{name}_l{layer}"))
                getattr(enc.backward_rnns[layer], f"{name}_l0").copy_(getattr(ref, f"{name}_l{layer}_reverse"))
    x, lengths = torch.randn(3, 7, 16), torch.tensor([7, 2, 5])
    packed, _ = ref(pack_padded_sequence(x, lengths, batch_first=True, enforce_sorted=False))
    expected = pad_packed_sequence(packed, batch_first=True, total_length=7)[0]
    got, _ = enc(x, lengths, lengths_to_mask(lengths, 7))
    torch.testing.assert_close(got, expected)
    assert torch.equal(reverse_padded(reverse_padded(x, lengths), lengths), x)


def test_self_attention_uses_fused_sdpa_with_no_quadratic_mask(monkeypatch):
    import torch.nn.functional as F

    import skattention.attention as attention_module

    seen, sdpa = [], F.scaled_dot_product_attention

    def spy(q, k, v, attn_mask=None, **kwargs):
        seen.append(None if attn_mask is None else tuple(attn_mask.shape))
        return sdpa(q, k, v, attn_mask=attn_mask, **kwargs)

    monkeypatch.setattr(attention_module.F, "scaled_dot_product_attention", spy)
    model = TokenModel(3, n_tokens=10, d_model=16, n_heads=2, n_layers=2, encoder="transformer").eval()
    tokens = torch.randint(2, 10, (2, 6))
    with torch.no_grad():
        model(Batch(torch.tensor([6, 6]), tokens))  # nothing padded: no mask at all
        model(Batch(torch.tensor([6, 3]), tokens))  # padded: a broadcast key mask, never (T, T)
    assert seen == [None, None, (2, 1, 1, 6), (2, 1, 1, 6)]


def test_patches_embed_runs_of_elements_and_weights_return_to_elements():
    torch.manual_seed(0)
    model = SequenceModel(2, pooling="attention", n_features=3, d_model=16, n_heads=2, n_layers=1,
                          encoder="transformer", patch_size=4).eval()
    feats = torch.randn(2, 10, 3)
    lengths = torch.tensor([10, 6])
    out, w = model(Batch(lengths, features=feats), return_attention=True)
    assert w.shape == (2, 10)  # one weight per element, not per patch
    torch.testing.assert_close(w.sum(-1), torch.ones(2))
    assert (w[1, 6:] == 0).all()
    assert torch.equal(w[0, 0], w[0, 3]) and torch.equal(w[1, 4], w[1, 5])  # a patch's real elements share
    alone = model(Batch(lengths[1:], features=feats[1:, :6]))  # padding never changes a sequence's output
    torch.testing.assert_close(out[1], alone[0])
    with pytest.raises(ValueError, match="numeric input"):
        SequenceModel(2, n_tokens=10, d_model=16, patch_size=2)


@pytest.mark.parametrize("patch_size", [1, 3])
def test_conv_front_end_reads_neighbours_but_never_the_padding(patch_size):
    torch.manual_seed(0)
    model = SequenceModel(2, pooling="attention", n_features=2, d_model=8, n_heads=2, n_layers=1,
                          encoder="transformer", patch_size=patch_size, front_end="conv").eval()
    feats = torch.randn(2, 11, 2)
    lengths = torch.tensor([11, 7])
    out = model(Batch(lengths, features=feats))
    noisy = feats.clone()
    noisy[1, 7:] = 100.0  # whatever the padding holds
    torch.testing.assert_close(model(Batch(lengths, features=noisy)), out)
    alone = model(Batch(lengths[1:], features=feats[1:, :7]))  # nor how much of it there is
    torch.testing.assert_close(out[1], alone[0])
    changed = feats.clone()
    changed[0, 5] += 1.0  # a filter spans 2p + 1 steps: one step moves its neighbours' positions too
    moved = model.backbone.embed(changed) != model.backbone.embed(feats)
    reach = range(5 - patch_size, 6 + patch_size)  # the steps whose filters see step 5
    assert moved.any(-1)[0].tolist() == [any(s in reach for s in range(t * patch_size, (t + 1) * patch_size))
                                         for t in range(moved.shape[1])]
    for bad, match in [(dict(n_tokens=10), "numeric input"), (dict(n_features=2, graph=True), "no order"),
                       (dict(n_features=2, front_end="fourier"), "Unknown front_end")]:
        with pytest.raises(ValueError, match=match):
            SequenceModel(2, d_model=8, **{"front_end": "conv", **bad})


def test_patched_self_attention_rows_are_their_patch_rows():
    model = SequenceModel(2, pooling="mean", n_features=2, d_model=8, n_heads=2, n_layers=1,
                          encoder="transformer", patch_size=3).eval()
    _, w = model(Batch(torch.tensor([7]), features=torch.randn(1, 7, 2)), return_attention=True)
    assert w.shape == (1, 2, 7, 7)
    torch.testing.assert_close(w.sum(-1), torch.ones(1, 2, 7))
    assert torch.equal(w[0, :, 0], w[0, :, 2]) and not torch.equal(w[0, :, 2], w[0, :, 3])
