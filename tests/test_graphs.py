"""skattention/_graphs.py and graphs through the estimators: validation that
names the graph, degrees and distances, invariance (N→1) and equivariance
(N→N) to a renumbering of the nodes, model files, and scikit-learn tools."""

import warnings

import networkx as nx
import numpy as np
import pytest
import scipy.sparse as sp
from conftest import TINY
from sklearn.model_selection import GridSearchCV, KFold, cross_validate
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import FunctionTransformer

from skattention import (
    AttentionSeq2Seq,
    AttentionSequenceClassifier,
    AttentionSequenceRegressor,
    AttentionTokenClassifier,
    AttentionTokenRegressor,
)
from skattention._graphs import UNREACHABLE, Graph, check_edges, graph_items, split_graphs
from skattention.preprocessing import from_networkx

KW = {**TINY, "max_epochs": 4}


def _graphs(n=30, seed=0, numeric=False):
    """Random graphs with element tokens (or numeric node features); per node, whether it has
    three or more neighbours; per graph, its number of edges."""
    rng = np.random.RandomState(seed)
    X, hubs, sizes = [], [], []
    for _ in range(n):
        g = nx.gnp_random_graph(rng.randint(3, 10), 0.35, seed=int(rng.randint(10**6)))
        nodes = rng.randn(len(g), 3).astype(np.float32) if numeric else [str(rng.choice(list("CNO"))) for _ in g]
        edges = np.array(list(g.edges), dtype=np.int64).reshape(-1, 2)
        X.append(Graph(nodes, edges))
        degree = np.bincount(edges.ravel(), minlength=len(g))
        hubs.append(np.where(degree >= 3, "hub", "leaf"))
        sizes.append(float(len(edges)))
    return X, hubs, sizes


def _renumber(graph, perm):
    """The same graph with node k of the result being node perm[k] of the original."""
    inverse = np.argsort(perm)
    nodes = graph.nodes[perm] if isinstance(graph.nodes, np.ndarray) else [graph.nodes[i] for i in perm]
    return Graph(nodes, inverse[graph.edges])


# ---------------------------------------------------------------- the module
def test_edges_are_checked_and_errors_name_the_graph():
    with pytest.raises(ValueError, match=r"X\[1\] has an edge \[0, 3\] \(edge 1\) to a node that does not exist: "
                                         r"the graph has 3 node\(s\)"):
        check_edges([np.zeros((0, 2), np.int64), [[0, 1], [0, 3]]], np.array([2, 3]))
    with pytest.raises(ValueError, match=r"X\[0\] has an edge \[-1, 0\]"):
        check_edges([[[-1, 0]]], np.array([2]))
    with pytest.raises(ValueError, match=r"X\[0\] has edges of shape \(2, 3\)"):
        check_edges([np.zeros((2, 3), np.int64)], np.array([4]))
    with pytest.raises(ValueError, match=r"X\[0\] has 3 nodes but an adjacency matrix of shape \(2, 2\)"):
        check_edges([sp.eye(2)], np.array([3]))
    adjacency = sp.csr_matrix(np.array([[0, 1, 0], [1, 0, 1], [0, 1, 0]]))
    assert check_edges([adjacency], np.array([3]))[0].tolist() == [[0, 1], [1, 0], [1, 2], [2, 1]]


def test_graphs_and_sequences_do_not_mix_and_networkx_goes_through_from_networkx():
    with pytest.raises(TypeError, match=r"X\[1\] is a sequence but X\[0\] is a graph"):
        split_graphs([Graph(["a"], []), ["a", "b"]])
    with pytest.raises(TypeError, match=r"X\[0\] is a networkx Graph; .*from_networkx"):
        split_graphs([nx.path_graph(3)])
    nodes, edges = split_graphs([(["a", "b"], np.array([[0, 1]])), (["c"], sp.csr_matrix((1, 1)))])
    assert nodes == [["a", "b"], ["c"]] and len(edges) == 2
    assert split_graphs([("a", "b"), ["c"]]) == ([("a", "b"), ["c"]], None)  # a 2-token tuple stays a sequence


def test_degrees_ignore_self_loops_and_distances_cap_and_mark_other_components():
    items = graph_items(np.array([[0, 0], [0, 1], [1, 0], [2, 3]]), 5)
    assert items["degrees"].tolist() == [1, 1, 1, 1, 0]
    assert items["distances"].tolist()[0] == [0, 1, UNREACHABLE, UNREACHABLE, UNREACHABLE]
    path = graph_items(np.array([[i, i + 1] for i in range(19)]), 20)["distances"]
    assert path[0, 16] == 16 and path[0, 19] == 16  # capped at MAX_DISTANCE


def test_from_networkx_keeps_node_order_attributes_and_labels():
    g = nx.Graph()
    g.add_nodes_from([("b", {"x": [1.0, 2.0], "club": 1}), ("a", {"x": [3.0, 4.0], "club": 0})])
    g.add_edge("a", "b")
    X, y = from_networkx([g], "x", label_attribute="club")
    assert X[0].nodes.tolist() == [[1.0, 2.0], [3.0, 4.0]] and X[0].edges.tolist() == [[0, 1]]
    assert y[0].tolist() == [1, 0]
    assert from_networkx([g])[0].nodes == ["node", "node"]
    with pytest.raises(ValueError, match=r"graphs\[0\] has a node 'b' without the attribute 'element'"):
        from_networkx([g], "element")


# ---------------------------------------------------------------- through the estimators
def test_node_labels_are_equivariant_to_a_renumbering_of_the_nodes():
    X, hubs, _ = _graphs()
    tagger = AttentionTokenClassifier(**KW).fit(X, hubs)
    assert type(tagger.module_.backbone.encoder).__name__ == "TransformerEncoder"  # "hybrid" on graphs
    rng = np.random.RandomState(1)
    for graph in X[:5]:
        perm = rng.permutation(len(graph.nodes))
        before, after = tagger.predict_proba([graph, _renumber(graph, perm)])
        np.testing.assert_allclose(after, before[perm], rtol=1e-5, atol=1e-6)
        assert not np.allclose(before, before[::-1]) or len(before) == 1  # the outputs differ by node


@pytest.mark.parametrize("cls, pooling", [(AttentionSequenceRegressor, "combined"),
                                          (AttentionSequenceClassifier, "attention"),
                                          (AttentionSequenceClassifier, "cls")])
def test_graph_outputs_are_invariant_to_a_renumbering_of_the_nodes(cls, pooling):
    X, _, sizes = _graphs()
    y = sizes if cls is AttentionSequenceRegressor else [int(s > 4) for s in sizes]
    model = cls(**KW, pooling=pooling).fit(X, y)
    rng = np.random.RandomState(2)
    for graph in X[:5]:
        out = [model.predict_proba([g])[0] if hasattr(model, "predict_proba") else model.predict([g])[0]
               for g in (graph, _renumber(graph, rng.permutation(len(graph.nodes))))]
        np.testing.assert_allclose(out[1], out[0], rtol=1e-5, atol=1e-6)


def test_the_structure_is_what_the_model_learns():
    """Which nodes are hubs is a matter of edges alone (the tokens are random): fitted on graphs,
    the tagger learns it; on the node tokens as plain sequences it cannot."""
    X, hubs, _ = _graphs(80)
    kw = {**KW, "max_epochs": 30}
    on_graphs = AttentionTokenClassifier(**kw).fit(X, hubs).score(X, hubs)
    plain = [g.nodes for g in X]
    on_tokens = AttentionTokenClassifier(**kw).fit(plain, hubs).score(plain, hubs)
    assert on_graphs > 0.95 and on_tokens < 0.85


def test_numeric_node_features_and_a_token_regressor():
    X, _, _ = _graphs(numeric=True)
    y = [g.nodes[:, 0] + np.bincount(g.edges.ravel(), minlength=len(g.nodes)) for g in X]
    reg = AttentionTokenRegressor(**KW).fit(X, y)
    assert [p.shape for p in reg.predict(X[:3])] == [(len(g.nodes),) for g in X[:3]]


def test_graph_models_refuse_sequences_and_what_needs_an_order():
    X, hubs, sizes = _graphs(20)
    tagger = AttentionTokenClassifier(**KW).fit(X, hubs)
    with pytest.raises(TypeError, match="X holds sequences but the estimator was fitted on graphs"):
        tagger.predict([g.nodes for g in X])
    sequences = AttentionTokenClassifier(**KW).fit([g.nodes for g in X], hubs)
    with pytest.raises(TypeError, match="X holds graphs but the estimator was fitted on sequences"):
        sequences.predict(X)
    with pytest.raises(ValueError, match="encoder='birnn' reads the order"):
        AttentionTokenClassifier(**KW, encoder="birnn").fit(X, hubs)
    with pytest.raises(ValueError, match="ngrams=2 reads runs of neighbouring tokens"):
        AttentionSequenceClassifier(**KW, ngrams=2).fit(X, [int(s > 4) for s in sizes])
    with pytest.raises(ValueError, match=r"X\[\d+\] is a graph of \d+ nodes, more than max_length=3"):
        AttentionTokenClassifier(**KW, max_length=3).fit(X, hubs)
    with pytest.raises(TypeError, match="AttentionSeq2Seq reads sequences"):
        AttentionSeq2Seq(**KW).fit(X, [g.nodes for g in X])


def test_a_graph_model_file_predicts_the_same(tmp_path):
    X, _, sizes = _graphs(20)
    reg = AttentionSequenceRegressor(**KW).fit(X, sizes)
    reg.save(tmp_path / "m")
    loaded = AttentionSequenceRegressor.load(tmp_path / "m")
    assert np.array_equal(loaded.predict(X), reg.predict(X))
    assert loaded.input_encoder_.graph_ is True


def test_cross_validate_and_grid_search_over_networkx_graphs_in_a_pipeline():
    X, _, sizes = _graphs(30)
    networkx_graphs = []
    for graph in X:
        g = nx.Graph()
        g.add_nodes_from((k, {"element": token}) for k, token in enumerate(graph.nodes))
        g.add_edges_from(graph.edges.tolist())
        networkx_graphs.append(g)
    pipe = Pipeline([("graphs", FunctionTransformer(from_networkx, kw_args={"node_attribute": "element"})),
                     ("model", AttentionSequenceRegressor(**KW))])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        scores = cross_validate(pipe, networkx_graphs, sizes, cv=KFold(3))["test_score"]
        search = GridSearchCV(pipe, {"model__d_model": [8, 16]}, cv=KFold(2)).fit(networkx_graphs, sizes)
    assert len(scores) == 3 and np.isfinite(scores).all()
    assert search.best_params_["model__d_model"] == [8, 16][int(np.argmax(search.cv_results_["mean_test_score"]))]
