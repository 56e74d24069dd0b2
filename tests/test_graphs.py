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
from skattention._graphs import (
    UNREACHABLE,
    Graph,
    TypedGraph,
    check_edges,
    graph_items,
    split_graphs,
)
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
    nodes, edges, types = split_graphs([(["a", "b"], np.array([[0, 1]])), (["c"], sp.csr_matrix((1, 1)))])
    assert nodes == [["a", "b"], ["c"]] and len(edges) == 2 and types is None
    assert split_graphs([("a", "b"), ["c"]]) == ([("a", "b"), ["c"]], None, None)  # a 2-token tuple stays a sequence
    assert split_graphs([TypedGraph(["a", "b"], [[0, 1]], ["x"]), TypedGraph(["c"], [], [])])[2] == [["x"], []]
    with pytest.raises(ValueError, match=r"X\[1\] has no edge types but X\[0\] has"):
        split_graphs([TypedGraph(["a", "b"], [[0, 1]], ["x"]), Graph(["c"], [])])


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
    assert type(from_networkx([g])[0]) is Graph
    with pytest.raises(ValueError, match=r"graphs\[0\] has an edge \('b', 'a'\) without the attribute 'kind'"):
        from_networkx([g], edge_attribute="kind")
    g.add_node("c", x=[5.0, 6.0], club=None)
    g.add_edge("a", "c", kind="friend")
    g.edges["a", "b"]["kind"] = "family"
    X, y = from_networkx([g], "x", label_attribute="club", edge_attribute="kind")
    assert X[0].edges.tolist() == [[0, 1], [1, 2]] and X[0].edge_types == ["family", "friend"]
    assert y[0].tolist() == [1, 0, None]  # unlabelled nodes stay None


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


def test_edge_types_are_checked_per_edge_and_laid_out_both_ways():
    edges, types = check_edges([[[0, 1], [1, 2], [2, 2]]], np.array([3]), edge_types=[["s", np.str_("d"), "s"]])
    assert types[0].tolist() == ["s", "d", "s"] and type(types[0][1]) is str
    kinds = graph_items(edges[0], 3, np.array([2, 3, 2], dtype=np.int16))["edge_types"]
    assert kinds.tolist() == [[0, 2, 0], [2, 0, 3], [0, 3, 0]]  # the self-loop left out, as for degrees
    with pytest.raises(ValueError, match=r"X\[0\] has 2 edges but 1 edge types; expected one per edge"):
        check_edges([[[0, 1], [1, 2]]], np.array([3]), edge_types=[["s"]])
    with pytest.raises(TypeError, match=r"X\[0\] has edge type None for edge 1"):
        check_edges([[[0, 1], [1, 2]]], np.array([3]), edge_types=[["s", None]])
    with pytest.raises(TypeError, match=r"X\[0\] has edge types of type str"):
        check_edges([[[0, 1]]], np.array([2]), edge_types=["s"])
    with pytest.raises(ValueError, match=r"X\[0\] gives its edges as an adjacency matrix and edge types"):
        check_edges([sp.eye(2)], np.array([2]), edge_types=[["s", "s"]])


def _partner_graphs(seed: int, n_graphs: int):
    """Chains of p/q nodes with one edge of type "d": its two ends are labelled
    with each other's token, every other node "none". Without the edge types
    a node cannot tell which neighbour to copy."""
    rng = np.random.RandomState(seed)
    X, y = [], []
    for _ in range(n_graphs):
        n = rng.randint(4, 8)
        edges = np.array([[i, i + 1] for i in range(n - 1)])
        tokens = rng.choice(["p", "q"], size=n).tolist()
        d = rng.randint(len(edges))
        labels = ["none"] * n
        u, v = edges[d]
        labels[u], labels[v] = tokens[v], tokens[u]
        X.append(TypedGraph(tokens, edges, ["d" if i == d else "s" for i in range(len(edges))]))
        y.append(labels)
    return X, y


def test_edge_types_are_learnt_and_kept_through_save_and_load(tmp_path):
    X, y = _partner_graphs(0, 120)
    X_test, y_test = _partner_graphs(1, 60)
    params = dict(d_model=32, n_heads=2, n_layers=2, max_epochs=40, batch_size=16, random_state=0)
    typed = AttentionTokenClassifier(**params).fit(X, y)
    untyped = AttentionTokenClassifier(**params).fit([Graph(g.nodes, g.edges) for g in X], y)
    assert typed.input_encoder_.edge_types_ == ["d", "s"]
    assert typed.score(X_test, y_test) > untyped.score([Graph(g.nodes, g.edges) for g in X_test], y_test) + 0.1
    typed.save(tmp_path / "typed")
    loaded = AttentionTokenClassifier.load(tmp_path / "typed")
    assert all(np.array_equal(a, b) for a, b in zip(loaded.predict_proba(X_test), typed.predict_proba(X_test)))
    # an edge type never seen in fit reads as "unknown" (id 1), and a graph without types is refused
    assert len(typed.predict([TypedGraph(["p", "q"], [[0, 1]], ["triple"])])[0]) == 2
    with pytest.raises(ValueError, match="X holds graphs without edge types but the estimator was fitted on "
                                         "graphs with"):
        typed.predict([Graph(["p", "q"], [[0, 1]])])


def test_typed_graph_outputs_are_equivariant_to_a_renumbering_of_the_nodes():
    X, y = _partner_graphs(2, 40)
    model = AttentionTokenClassifier(d_model=16, n_heads=2, n_layers=1, max_epochs=3, random_state=0).fit(X, y)
    rng = np.random.RandomState(0)
    for g in X[:5]:
        order = rng.permutation(len(g.nodes))
        where = np.argsort(order)  # new position of each old node
        moved = TypedGraph([g.nodes[i] for i in order], where[g.edges], g.edge_types)
        np.testing.assert_allclose(model.predict_proba([moved])[0], model.predict_proba([g])[0][order], atol=1e-6)
