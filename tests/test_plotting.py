import numpy as np
import pytest

pytest.importorskip("matplotlib")
import matplotlib  # noqa: E402

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
from conftest import TINY, make_tagging_data  # noqa: E402

from skattention import (  # noqa: E402
    AttentionSeq2Seq,
    AttentionSequenceClassifier,
    AttentionSequenceRegressor,
    AttentionTokenClassifier,
)
from skattention.plotting import (  # noqa: E402
    AttentionDisplay,
    GraphAttentionDisplay,
    HistoryDisplay,
    MoleculeAttentionDisplay,
    plot_attention,
    plot_graph_attention,
    plot_history,
    plot_molecule_attention,
)


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


# ---------------------------------------------------------------- graphs and molecules
# a square with a tail and a triangle, given both ways round (duplicates and reversed edges draw once)
SQUARE = (["C", "C", "O", "N", "C"], np.array([[0, 1], [1, 2], [2, 3], [3, 0], [4, 3], [3, 4]]))
GRAPHS = [SQUARE, (["C", "O", "C"], np.array([[0, 1], [1, 2], [2, 0]]))] * 4
SQUARE_EDGES = [[0, 1], [0, 3], [1, 2], [2, 3], [3, 4]]


def _edge_attention(maps, edges):
    """(a[u, v] + a[v, u]) / 2 of one (n, n) map, per edge."""
    return (maps[edges[:, 0], edges[:, 1]] + maps[edges[:, 1], edges[:, 0]]) / 2


@pytest.fixture(scope="module")
def graph_tagger():
    y = [["C" if t == "C" else "X" for t in nodes] for nodes, _ in GRAPHS]
    return AttentionTokenClassifier(**{**TINY, "n_layers": 2}).fit(GRAPHS, y)


def test_edges_are_shaded_by_the_attention_between_their_ends(graph_tagger):
    maps = graph_tagger.attention_weights([SQUARE])[0]  # the last layer, (n_heads, n, n)
    edges = np.array(SQUARE_EDGES)
    disp = GraphAttentionDisplay.from_estimator(graph_tagger, SQUARE)
    assert disp.edges.tolist() == SQUARE_EDGES
    np.testing.assert_array_equal(disp.edge_weights, _edge_attention(maps.mean(axis=0), edges))
    np.testing.assert_array_equal(disp.edges_.get_array(), disp.edge_weights)  # what was drawn
    # a token model has no pooling: a node's weight is the attention it receives, the mean over the queries
    np.testing.assert_array_equal(disp.node_weights, maps.mean(axis=0).mean(axis=0))
    np.testing.assert_array_equal(disp.nodes_.get_array(), disp.node_weights)
    assert [c.ax.get_ylabel() for c in disp.colorbars_] == ["attention (layer 1, mean of heads)",
                                                            "attention received"]
    assert [t.get_text() for t in disp.ax_.texts] == SQUARE[0]
    head = plot_graph_attention(graph_tagger, SQUARE, head=1, pos=np.arange(10.0).reshape(5, 2))
    np.testing.assert_array_equal(head.edge_weights, _edge_attention(maps[1], edges))
    np.testing.assert_array_equal(head.pos_, np.arange(10.0).reshape(5, 2))


def test_an_earlier_layer_is_the_last_layer_of_the_model_cut_after_it(graph_tagger):
    import copy

    cut = copy.deepcopy(graph_tagger)
    cut.module_.backbone.encoder.layers = cut.module_.backbone.encoder.layers[:1]
    first = cut.attention_weights([SQUARE])[0]
    disp = plot_graph_attention(graph_tagger, SQUARE, layer=0, head=0, colorbar=False)
    np.testing.assert_array_equal(disp.edge_weights, _edge_attention(first[0], np.array(SQUARE_EDGES)))
    np.testing.assert_array_equal(disp.node_weights, first[0].mean(axis=0))
    assert disp.colorbars_ == []
    last = plot_graph_attention(graph_tagger, SQUARE, layer=-1, head=0)
    assert not np.array_equal(disp.edge_weights, last.edge_weights)


@pytest.mark.parametrize("pooling", ["attention", "combined", "cls", "mean"])
def test_nodes_are_shaded_by_the_pooling_weights(pooling):
    reg = AttentionSequenceRegressor(**TINY, pooling=pooling).fit(GRAPHS, [5.0, 3.0] * 4)
    returned = reg.attention_weights([SQUARE])[0]
    disp = GraphAttentionDisplay.from_estimator(reg, SQUARE)
    if pooling in ("attention", "combined"):  # (n,): the pooling's own weights
        np.testing.assert_array_equal(disp.node_weights, returned)
        label = "pooling weight"
    elif pooling == "cls":  # (n_heads, n): the summary position's row
        np.testing.assert_array_equal(disp.node_weights, returned.mean(axis=0))
        label = "summary position's attention"
    else:  # (n_heads, n, n): the last layer
        np.testing.assert_array_equal(disp.edge_weights, _edge_attention(returned.mean(axis=0),
                                                                         np.array(SQUARE_EDGES)))
        np.testing.assert_array_equal(disp.node_weights, returned.mean(axis=0).mean(axis=0))
        label = "attention received"
    assert disp.colorbars_[1].ax.get_ylabel() == label
    assert disp.edge_weights.shape == (5,) and np.all(disp.edge_weights > 0)


def test_graph_display_errors_name_what_is_wrong(graph_tagger):
    X, y = make_tagging_data(20)
    sequences = AttentionTokenClassifier(**TINY).fit(X, y)
    with pytest.raises(ValueError, match="fitted on sequences, not graphs"):
        plot_graph_attention(sequences, SQUARE)
    with pytest.raises(ValueError, match=r"layer=2 is out of range: the model has 2 self-attention layer"):
        plot_graph_attention(graph_tagger, SQUARE, layer=2)
    with pytest.raises(ValueError, match=r"head=-3 is out of range: the model has 2 attention head"):
        plot_graph_attention(graph_tagger, SQUARE, head=-3)
    with pytest.raises(ValueError, match=r"head='max' is not an int.*or \"mean\""):
        plot_graph_attention(graph_tagger, SQUARE, head="max")
    with pytest.raises(ValueError, match=r"The graph has an edge \[0, 7\] \(edge 1\) to a node that does not"):
        plot_graph_attention(graph_tagger, (["C", "O"], np.array([[0, 1], [0, 7]])))
    with pytest.raises(ValueError, match="graph must be one graph"):
        plot_graph_attention(graph_tagger, ["C", "O"])
    with pytest.raises(ValueError, match="pos must give an"):
        plot_graph_attention(graph_tagger, SQUARE, pos={0: (0, 0)})
    with pytest.raises(ValueError, match="2 edge weights do not match 1 edges"):
        GraphAttentionDisplay([[0, 1]], [0.5, 0.5]).plot()


def test_molecule_atoms_are_shaded_by_the_pooling_weights():
    pytest.importorskip("rdkit")
    from rdkit import Chem

    from skattention.chem import ELEMENTS, smiles_to_graphs

    smiles = ["CCO", "OCC(=O)N", "c1ccncc1", "CC(=O)O"] * 2
    reg = AttentionSequenceRegressor(**TINY).fit(smiles_to_graphs(smiles), [1.0, 2.0, 3.0, 4.0] * 2)
    graph = smiles_to_graphs(["OCC(=O)N"])[0]
    # atom i of RDKit's molecule is node i of the graph
    assert [a.GetSymbol() for a in Chem.MolFromSmiles("OCC(=O)N").GetAtoms()] == \
        [ELEMENTS[i] for i in graph.nodes[:, :len(ELEMENTS)].argmax(axis=1)]
    disp = plot_molecule_attention(reg, "OCC(=O)N", size=(240, 160))
    np.testing.assert_array_equal(disp.atom_weights, reg.attention_weights([graph])[0])
    assert disp.image_.shape[:2] == (160, 240) and disp.image_.shape[2] in (3, 4)
    assert disp.im_.get_array().shape == disp.image_.shape
    assert disp.colorbar_.ax.get_ylabel() == "pooling weight"
    # the picture follows the weights: the same weights draw the same picture, others another
    same = MoleculeAttentionDisplay("OCC(=O)N", disp.atom_weights).plot(size=(240, 160))
    np.testing.assert_array_equal(same.image_, disp.image_)
    other = MoleculeAttentionDisplay("OCC(=O)N", disp.atom_weights[::-1]).plot(size=(240, 160), colorbar=False)
    assert not np.array_equal(other.image_, disp.image_) and other.colorbar_ is None
    # a model of untyped molecule graphs is drawn from untyped graphs
    plain = AttentionSequenceRegressor(**TINY).fit(smiles_to_graphs(smiles, bond_types=False), [1.0, 2.0, 3.0, 4.0] * 2)
    np.testing.assert_array_equal(plot_molecule_attention(plain, "OCC(=O)N", size=(240, 160)).atom_weights,
                                  plain.attention_weights([smiles_to_graphs(["OCC(=O)N"], bond_types=False)[0]])[0])


def test_molecule_display_errors():
    pytest.importorskip("rdkit")
    with pytest.raises(ValueError, match=r"shape \(2,\) do not match the 3 heavy atoms of 'CCO'"):
        MoleculeAttentionDisplay("CCO", [0.5, 0.5]).plot()
    with pytest.raises(ValueError, match="not a valid SMILES"):
        MoleculeAttentionDisplay("C1CC", [1.0]).plot()
