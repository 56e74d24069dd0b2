"""skattention.modules.encoders: the registry of encoders, and what a new
encoder needs to be usable by name from every estimator."""

import numpy as np
import pytest
from conftest import TINY, make_tagging_data

from skattention import AttentionSeq2Seq, AttentionTokenClassifier
from skattention.modules import ENCODERS, BiRNNEncoder, make_encoder, register_encoder
from skattention.modules.seq2seq import DECODERS


def test_the_registries_hold_the_encoders_and_decoders_and_what_each_needs():
    assert {name: (cls.uses_heads, cls.even_width, cls.positional, cls.bidirectional)
            for name, cls in ENCODERS.items()} == {"transformer": (True, False, True, False),
                                                   "birnn": (False, True, False, True),
                                                   "hybrid": (True, True, False, True)}
    assert {name: (cls.needs_attention, cls.uses_heads) for name, cls in DECODERS.items()} == {
        "rnn": (False, False), "luong": (False, False), "transformer": (True, True)}
    with pytest.raises(ValueError, match=r"Unknown encoder 'cnn'; expected one of \('transformer', 'birnn'"):
        make_encoder("cnn", 8, 2, 1, 0.0, "scaled_dot")


def test_a_new_encoder_is_one_class_and_one_registry_entry():
    @register_encoder("bigru")
    class BiGRUEncoder(BiRNNEncoder):
        @classmethod
        def build(cls, d_model, n_heads, n_layers, dropout, score, **kwargs):
            return cls(d_model, n_layers, dropout, cell="gru")

    try:
        X, y = make_tagging_data(20)
        tagger = AttentionTokenClassifier(**TINY, encoder="bigru").fit(X, y)
        assert isinstance(tagger.module_.backbone.encoder, BiGRUEncoder)
        s2s = AttentionSeq2Seq(**TINY, encoder="bigru").fit(X, X)  # a bidirectional memory for the decoder
        assert len(s2s.predict(X[:2])) == 2
        with pytest.raises(ValueError, match="needs an even d_model"):
            AttentionTokenClassifier(**{**TINY, "d_model": 15, "n_heads": 1}, encoder="bigru").fit(X, y)
        assert np.isfinite(np.concatenate(tagger.predict_proba(X[:3]))).all()
    finally:
        del ENCODERS["bigru"]


def test_the_architecture_page_recipe_runs():
    """The encoder recipe of docs/architecture.md, as printed, gives a usable encoder."""
    from pathlib import Path

    page = (Path(__file__).parents[1] / "docs" / "architecture.md").read_text()
    code = page.split("```python\n", 1)[1].split("```", 1)[0]
    try:
        exec(compile(code, "architecture.md", "exec"), {})
        X, y = make_tagging_data(20)
        tagger = AttentionTokenClassifier(**{**TINY, "n_heads": 3}, encoder="conv").fit(X, y)
        assert type(tagger.module_.backbone.encoder).__name__ == "ConvEncoder"
        assert [len(p) for p in tagger.predict(X[:2])] == [len(x) for x in X[:2]]
        with pytest.raises(ValueError, match="no self-attention"):
            tagger.attention_weights(X[:1])
    finally:
        ENCODERS.pop("conv", None)
