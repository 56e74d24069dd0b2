import numpy as np
import pytest

pytest.importorskip("matplotlib")
import matplotlib  # noqa: E402

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
from conftest import TINY, make_tagging_data  # noqa: E402

from skattention import AttentionSeq2Seq, AttentionSequenceClassifier, AttentionTokenClassifier  # noqa: E402
from skattention.plotting import AttentionDisplay, plot_attention  # noqa: E402


@pytest.fixture(autouse=True)
def _close():
    yield
    plt.close("all")


def _ticks(labels):
    return [t.get_text() for t in labels]


def test_seq2seq_alignment_heatmap_has_tokens_on_both_axes():
    X = [list(w) for w in ["abc", "bca", "cab", "aab"]] * 10
    model = AttentionSeq2Seq(**{**TINY, "d_model": 16}).fit(X, [x[::-1] for x in X])
    disp = AttentionDisplay.from_estimator(model, list("abc"))
    pred = model.predict([list("abc")])[0]
    assert _ticks(disp.ax_.get_xticklabels()) == ["a", "b", "c"]
    assert _ticks(disp.ax_.get_yticklabels()) == [str(t) for t in pred]
    assert disp.im_.get_array().shape == (len(pred), 3)


def test_self_attention_and_pooling_heatmaps():
    X, y = make_tagging_data(20)
    tagger = AttentionTokenClassifier(**TINY).fit(X, y)
    ax = plot_attention(tagger, ["the", "cat", "sat"], head=1)
    assert _ticks(ax.get_yticklabels()) == ["the", "cat", "sat"]
    clf = AttentionSequenceClassifier(**TINY).fit(X, [s[0] for s in y])
    disp = AttentionDisplay.from_estimator(clf, ["the", "cat"], annotate=True)
    assert disp.im_.get_array().shape == (1, 2)
    frames = np.zeros((4, 3))
    assert _ticks(AttentionDisplay(np.full(4, 0.25), [str(i) for i in range(len(frames))]).plot()
                  .ax_.get_xticklabels()) == ["0", "1", "2", "3"]


def test_shape_mismatch_is_an_error():
    with pytest.raises(ValueError, match="do not match"):
        AttentionDisplay(np.ones((2, 3)), ["a", "b"]).plot()
