import numpy as np
import pytest

pytest.importorskip("matplotlib")
import matplotlib  # noqa: E402

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
from conftest import TINY, make_tagging_data  # noqa: E402

from skattention import AttentionSeq2Seq, AttentionSequenceClassifier, AttentionTokenClassifier  # noqa: E402
from skattention.plotting import AttentionDisplay, HistoryDisplay, plot_attention, plot_history  # noqa: E402


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



def test_cls_pooling_rows_are_heads():
    X, y = make_tagging_data(20)
    clf = AttentionSequenceClassifier(**TINY, pooling="cls").fit(X, [s[0] for s in y])
    disp = AttentionDisplay.from_estimator(clf, ["the", "cat", "sat"])
    assert _ticks(disp.ax_.get_yticklabels()) == ["head 0", "head 1"]


def test_history_display_draws_losses_and_marks_the_restored_epoch():
    X, y = make_tagging_data(40)
    tagger = AttentionTokenClassifier(**{**TINY, "max_epochs": 4}, train_split=0.1).fit(X, y)
    disp = HistoryDisplay.from_estimator(tagger)
    hist = tagger.history_
    assert set(disp.lines_) == {"train_loss", "valid_loss"}
    np.testing.assert_allclose(disp.lines_["valid_loss"].get_ydata(), hist["valid_loss"])
    np.testing.assert_array_equal(disp.lines_["train_loss"].get_xdata(), hist["epoch"])
    # the tagger early-stops on validation accuracy: the mark is the epoch it kept
    best = int(hist["epoch"][hist["valid_acc_best"].astype(bool)].iloc[-1])
    assert disp.best_epoch_ == best
    assert f"best valid_acc (epoch {best})" in [t.get_text() for t in disp.ax_.get_legend().get_texts()]
    ax = plot_history(tagger, ["valid_acc"], mark_best=False)
    assert ax.get_ylabel() == "valid_acc" and len(ax.get_lines()) == 1


def test_history_display_names_a_missing_metric():
    X, y = make_tagging_data(20)
    tagger = AttentionTokenClassifier(**TINY, train_split=None).fit(X, y)
    assert set(HistoryDisplay.from_estimator(tagger).lines_) == {"train_loss"}
    with pytest.raises(ValueError, match="no column 'valid_acc'"):
        plot_history(tagger, ["valid_acc"])


def test_history_display_prefers_the_validation_metric_for_the_best_epoch():
    import pandas as pd

    hist = pd.DataFrame({"epoch": [1, 2, 3], "train_loss": [3.0, 2.0, 1.0], "train_loss_best": [True] * 3,
                         "valid_loss": [2.0, 1.0, 1.5], "valid_loss_best": [True, True, False]})
    assert HistoryDisplay(hist).plot().best_epoch_ == 2
    assert HistoryDisplay(hist, best_metric="train_loss").plot().best_epoch_ == 3
    assert HistoryDisplay(hist, ["train_loss"]).plot().best_epoch_ == 3
