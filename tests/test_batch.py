"""The batch contract (``skattention/modules/batch.py``): what collation
produces, and the pairwise term every self-attention model takes."""

import numpy as np
import pytest
import torch

from skattention._batching import Collate
from skattention.modules import Batch, SequenceModel, TokenModel
from skattention.modules.models import pairwise_mask


@pytest.fixture(autouse=True)
def _seed():
    torch.manual_seed(0)


def _tokens():
    return Batch(torch.tensor([4, 2]), tokens=torch.tensor([[2, 3, 4, 5], [6, 7, 0, 0]]))


def test_batch_length_width_and_device_moves_keep_lengths_on_the_host():
    batch = _tokens()
    assert len(batch) == 2 and batch.width == 4
    moved = batch.to("cpu")
    assert moved is not batch and moved.lengths is batch.lengths
    assert torch.equal(moved.tokens, batch.tokens) and moved.features is None
    assert Batch(torch.tensor([3]), features=torch.zeros(1, 5, 2)).width == 5


@pytest.mark.gpu
@pytest.mark.skipif(not torch.cuda.is_available(), reason="needs a CUDA device")
def test_batch_pins_every_input_but_lengths():
    pinned = _tokens().pin_memory()
    assert pinned.tokens.is_pinned() and not pinned.lengths.is_pinned()
    on_gpu = pinned.to("cuda", non_blocking=True)
    assert on_gpu.tokens.is_cuda and not on_gpu.lengths.is_cuda


def test_collate_makes_a_batch_and_pads_pairwise_terms_on_both_axes():
    items = [{"tokens": np.array([2, 3, 4]), "pairwise": np.ones((3, 3), bool)},
             {"tokens": np.array([5]), "pairwise": np.ones((1, 1), bool)}]
    X, y = Collate()([(item, None) for item in items])
    assert isinstance(X, Batch) and y is None
    assert X.lengths.tolist() == [3, 1] and X.tokens.tolist() == [[2, 3, 4], [5, 0, 0]]
    assert X.pairwise.tolist()[1] == [[True, False, False], [False, False, False], [False, False, False]]
    assert X.pairwise[0].all()


def test_pairwise_mask_adds_the_diagonal_drops_padded_keys_and_never_empties_a_row():
    allowed = torch.zeros(1, 3, 3, dtype=torch.bool)
    allowed[0, 0, 2] = True  # a real query may attend to a padded key: padding wins
    out = pairwise_mask(allowed, torch.tensor([[True, True, False]]))
    assert out.int().tolist() == [[[1, 0, 0], [0, 1, 0], [1, 1, 0]]]
    bias = torch.tensor([[[0.5, -1.0, 3.0], [2.0, 0.0, 1.0], [7.0, 7.0, 7.0]]])
    out = pairwise_mask(bias, torch.tensor([[True, True, False]]))
    inf = float("inf")
    assert out.tolist() == [[[0.5, -1.0, -inf], [2.0, 0.0, -inf], [0.0, 0.0, -inf]]]
    with_cls = pairwise_mask(torch.zeros(1, 2, 2, dtype=torch.bool), torch.ones(1, 3, dtype=torch.bool), cls=True)
    assert with_cls.int().tolist() == [[[1, 1, 1], [1, 1, 0], [1, 0, 1]]]
    with pytest.raises(ValueError, match=r"shape \(1, 2, 2\) \(batch, length, length\); got \(1, 3, 3\)"):
        pairwise_mask(allowed, torch.ones(1, 2, dtype=torch.bool))


def _model(encoder="transformer", **kwargs):
    return TokenModel(3, n_tokens=10, d_model=16, n_heads=2, n_layers=1, encoder=encoder, dropout=0.0,
                      **kwargs).eval()


@pytest.mark.parametrize("encoder", ["transformer", "hybrid"])
def test_a_pairwise_term_that_allows_everything_changes_nothing(encoder):
    model, batch = _model(encoder), _tokens()
    plain, weights = model(batch, return_attention=True)
    everything = torch.ones(2, 4, 4, dtype=torch.bool)
    for term in (everything, torch.zeros(2, 4, 4)):
        out, w = model(Batch(batch.lengths, batch.tokens, pairwise=term), return_attention=True)
        torch.testing.assert_close(out, plain)
        torch.testing.assert_close(w, weights)
    fused = model(Batch(batch.lengths, batch.tokens, pairwise=everything))  # no weights: the fused kernel
    torch.testing.assert_close(fused, plain)


def test_a_diagonal_pairwise_mask_keeps_every_element_to_itself():
    model = _model()
    tokens = torch.tensor([[2, 3, 4, 5]])
    alone = Batch(torch.tensor([4]), tokens, pairwise=torch.zeros(1, 4, 4, dtype=torch.bool))
    _, weights = model(alone, return_attention=True)
    assert torch.equal(weights, torch.eye(4).expand(1, 2, 4, 4))
    changed = Batch(alone.lengths, torch.tensor([[2, 3, 9, 5]]), pairwise=alone.pairwise)
    moved = (model(changed) - model(alone)).abs().sum(-1)[0]
    assert moved[2] > 0 and moved[[0, 1, 3]].tolist() == [0.0, 0.0, 0.0]


def test_a_pairwise_bias_shifts_the_attention_scores():
    model = _model()
    batch = Batch(torch.tensor([3]), torch.tensor([[2, 3, 4]]))
    _, plain = model(batch, return_attention=True)
    bias = torch.tensor([[[0.0, 1.0, -2.0], [0.5, 0.0, 0.0], [0.0, 0.0, 3.0]]])
    _, biased = model(Batch(batch.lengths, batch.tokens, pairwise=bias), return_attention=True)
    expected = torch.softmax(plain.log() + bias[:, None], dim=-1)  # the weights are softmax(scores + bias)
    torch.testing.assert_close(biased, expected)


@pytest.mark.parametrize("dtype", [torch.bool, torch.float32])
def test_padding_never_changes_an_output_under_a_pairwise_term(dtype):
    model = _model()
    term = torch.rand(2, 4, 4) > 0.5 if dtype == torch.bool else torch.randn(2, 4, 4)
    batch = _tokens()
    both = model(Batch(batch.lengths, batch.tokens, pairwise=term))
    alone = model(Batch(batch.lengths[1:], batch.tokens[1:, :2], pairwise=term[1:, :2, :2]))
    torch.testing.assert_close(both[1, :2], alone[0])
    assert torch.isfinite(both).all()


@pytest.mark.parametrize("pooling", ["cls", "attention", "mean"])
def test_sequence_models_take_the_pairwise_term(pooling):
    # two layers: in one, the summary position's own row (it attends to every element) is all "cls" reads
    model = SequenceModel(2, pooling=pooling, n_tokens=10, d_model=16, n_heads=2, n_layers=2,
                          encoder="transformer", dropout=0.0).eval()
    batch = _tokens()
    everything = Batch(batch.lengths, batch.tokens, pairwise=torch.ones(2, 4, 4, dtype=torch.bool))
    torch.testing.assert_close(model(everything), model(batch))
    diagonal = Batch(batch.lengths, batch.tokens, pairwise=torch.zeros(2, 4, 4, dtype=torch.bool))
    assert not torch.allclose(model(diagonal), model(batch))


def test_models_without_self_attention_or_with_patches_refuse_a_pairwise_term():
    batch = _tokens()
    with pytest.raises(ValueError, match="needs self-attention; encoder='birnn'"):
        _model("birnn")(Batch(batch.lengths, batch.tokens, pairwise=torch.ones(2, 4, 4, dtype=torch.bool)))
    patched = SequenceModel(2, n_features=3, d_model=16, n_heads=2, n_layers=1, encoder="transformer",
                            patch_size=2)
    numeric = Batch(torch.tensor([4]), features=torch.randn(1, 4, 3), pairwise=torch.ones(1, 4, 4))
    with pytest.raises(ValueError, match="patch_size > 1"):
        patched(numeric)
