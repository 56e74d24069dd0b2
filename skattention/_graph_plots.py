"""Attention on graphs: the self-attention between the two ends of each edge
drawn on the edges, and what each node weighs (its pooling weight, or the
attention it receives) on the nodes.

Re-exported by :mod:`skattention.plotting`. Needs matplotlib
(``pip install 'skattention[plot]'``) and networkx (a dependency of PyTorch).
"""

from __future__ import annotations

import inspect
from typing import NamedTuple

import numpy as np

from ._graphs import check_edges, is_graph
from ._plot_utils import _check_index, _labels, _light, _networkx, _pyplot
from .attention import MultiHeadSelfAttention

#: what the node weights are, by where they come from (the colorbar's label)
NODE_WEIGHTS = {"pooling": "pooling weight", "summary": "summary position's attention",
                "received": "attention received"}


def _check_graph(estimator, graph) -> tuple[int, np.ndarray]:
    """The node count and the undirected edges ``(n_edges, 2)`` (each once,
    lower end first, self-loops left out) of one graph, for a model fitted on
    graphs."""
    estimator._check_fitted()
    if not getattr(estimator.input_encoder_, "graph_", False):
        raise ValueError(f"This {type(estimator).__name__} was fitted on sequences, not graphs, so it has no "
                         "attention over edges to draw; fit it on (nodes, edges) graphs, or draw the "
                         "attention on a sequence with skattention.plotting.plot_attention.")
    if not is_graph(graph):
        raise ValueError("graph must be one graph: a (nodes, edges) or (nodes, edges, edge_types) tuple with edges "
                         "an (n_edges, 2) array "
                         f"of node positions (or a sparse adjacency); got a {type(graph).__name__}.")
    n = len(graph[0])
    try:
        (edges,) = check_edges([graph[1]], np.array([n]), name="graph")
    except ValueError as exc:
        raise ValueError(str(exc).replace("graph[0]", "The graph", 1)) from None
    edges = np.sort(edges[edges[:, 0] != edges[:, 1]], axis=1)
    return n, np.unique(edges, axis=0).reshape(-1, 2)


def _self_attention(estimator, graph) -> tuple[list[np.ndarray], np.ndarray]:
    """Every self-attention layer's weights ``(n_heads, T, T)`` on one graph,
    and what ``estimator.attention_weights`` returns for it.

    The weights are read by hooks on the self-attention modules during
    :meth:`attention_weights` itself: a layer that computed no weights (the
    fused kernel) computes them again from the same inputs, on the side, so
    the forward pass and what it returns are those of a plain call."""
    captured = []

    def record(module, args, kwargs, output):
        weights = output[1]
        if weights is None:
            call = inspect.signature(type(module).forward).bind(module, *args, **kwargs)
            call.arguments["need_weights"] = True
            weights = type(module).forward(*call.args, **call.kwargs)[1]  # forward, not __call__: no hooks
        captured.append(weights[0].float().cpu().numpy())

    layers = [m for m in estimator.module_.modules() if isinstance(m, MultiHeadSelfAttention)]
    handles = [m.register_forward_hook(record, with_kwargs=True) for m in layers]
    try:
        returned = estimator.attention_weights([graph])[0]
    finally:
        for handle in handles:
            handle.remove()
    if not captured:
        raise ValueError(f"This {type(estimator).__name__} has no self-attention layer to draw.")
    return captured, returned


class _GraphWeights(NamedTuple):
    edges: np.ndarray  # (n_edges, 2)
    edge_weights: np.ndarray  # (n_edges,)
    node_weights: np.ndarray  # (n_nodes,)
    source: str  # a key of NODE_WEIGHTS
    layer: int  # counted from 0


def _graph_weights(estimator, graph, layer: int = -1, head: int | str = "mean") -> _GraphWeights:
    """What :meth:`GraphAttentionDisplay.from_estimator` draws of one graph."""
    n, edges = _check_graph(estimator, graph)
    layers, returned = _self_attention(estimator, graph)
    layer = _check_index("layer", layer, len(layers), "self-attention layer(s)")
    weights = layers[layer]
    n_heads = weights.shape[0]
    if not (isinstance(head, str) and head == "mean"):
        head = _check_index("head", head, n_heads, "attention head(s)", ', or "mean"')
    pooling = getattr(estimator, "pooling", None)
    summary = pooling == "cls"  # a summary position comes first
    if summary:
        weights = weights[:, 1:, 1:]
    weights = weights.mean(axis=0) if head == "mean" else weights[head]  # (n, n), rows are queries
    edge_weights = (weights[edges[:, 0], edges[:, 1]] + weights[edges[:, 1], edges[:, 0]]) / 2
    if pooling in ("attention", "combined"):  # (n,): the pooling's weights
        nodes, source = returned, "pooling"
    elif summary:  # the summary position's row over the nodes, in this layer
        row = layers[layer][:, 0, 1:]
        nodes, source = (row.mean(axis=0) if head == "mean" else row[head]), "summary"
    else:  # the attention each node receives: the mean over queries (the nodes' weights sum to 1)
        nodes, source = weights.mean(axis=0), "received"
    return _GraphWeights(edges, edge_weights, np.asarray(nodes), source, layer)


class GraphAttentionDisplay:
    """A graph drawn with networkx: each edge shaded by the self-attention
    between its two ends, each node by its weight.

    Parameters
    ----------
    edges : array-like of shape (n_edges, 2)
        Node positions, one row per (undirected) edge.
    edge_weights : array-like of shape (n_edges,)
        The shade of each edge.
    node_weights : array-like of shape (n_nodes,), optional
        The shade of each node; None draws the nodes plain.
    node_labels : list of str, optional
        One label per node; default the node positions. Gives the node count
        when ``node_weights`` is None.
    edge_label, node_label : str
        The colorbars' labels.

    Attributes
    ----------
    ax_, figure_ : matplotlib objects, after :meth:`plot`.
    edges_ : matplotlib LineCollection
        The edges; ``edges_.get_array()`` holds ``edge_weights``.
    nodes_ : matplotlib PathCollection
        The nodes (with ``node_weights`` as their array, when given).
    colorbars_ : list of matplotlib Colorbar
        The edges' colorbar, then the nodes' (empty with ``colorbar=False``).
    pos_ : ndarray of shape (n_nodes, 2)
        Where each node was drawn.

    Examples
    --------
    >>> import numpy as np
    >>> from skattention.plotting import GraphAttentionDisplay
    >>> disp = GraphAttentionDisplay([[0, 1], [1, 2]], [0.2, 0.6], [0.5, 0.3, 0.2],
    ...                              ["C", "C", "O"]).plot()
    >>> disp.edges_.get_array().tolist(), len(disp.colorbars_)
    ([0.2, 0.6], 2)
    """

    def __init__(self, edges, edge_weights, node_weights=None, node_labels=None, *,
                 edge_label: str = "attention", node_label: str = "node weight"):
        self.edges = np.asarray(edges, dtype=np.int64).reshape(-1, 2)
        self.edge_weights = np.asarray(edge_weights, dtype=np.float64)
        self.node_weights = None if node_weights is None else np.asarray(node_weights, dtype=np.float64)
        self.node_labels = None if node_labels is None else list(node_labels)
        self.edge_label = edge_label
        self.node_label = node_label

    def _n_nodes(self) -> int:
        sizes = {len(v) for v in (self.node_weights, self.node_labels) if v is not None}
        if len(sizes) > 1:
            raise ValueError(f"{len(self.node_weights)} node weights do not match {len(self.node_labels)} "
                             "node labels.")
        n = sizes.pop() if sizes else (int(self.edges.max()) + 1 if len(self.edges) else 0)
        if len(self.edge_weights) != len(self.edges):
            raise ValueError(f"{len(self.edge_weights)} edge weights do not match {len(self.edges)} edges.")
        if len(self.edges) and (self.edges.min() < 0 or self.edges.max() >= n):
            raise ValueError(f"An edge names node {int(self.edges.max())}, but the graph has {n} node(s).")
        return n

    def plot(self, *, ax=None, pos=None, cmap: str = "viridis", node_cmap: str | None = None,
             colorbar: bool = True, node_size: float = 400, width: float = 3.0,
             font_size: float = 9) -> GraphAttentionDisplay:
        """Draw the graph.

        Parameters
        ----------
        ax : matplotlib Axes, optional
        pos : dict or array-like of shape (n_nodes, 2), optional
            Where to draw each node (a networkx layout); default
            ``networkx.kamada_kawai_layout``, or ``spring_layout`` with
            ``seed=0`` above 200 nodes.
        cmap : str
            The edges' colormap, from 0 to the largest edge weight.
        node_cmap : str, optional
            The nodes' colormap, from 0 to the largest node weight; default
            a light orange (black labels stay legible).
        colorbar : bool
            A colorbar for the edges, and one for the nodes when they have
            weights.
        node_size, width, font_size : float
            Node area (points²), edge width (points), label size.

        Returns
        -------
        self
        """
        plt, nx = _pyplot(), _networkx()
        from matplotlib.collections import LineCollection
        from matplotlib.colors import Normalize

        n = self._n_nodes()
        labels = self.node_labels if self.node_labels is not None else [str(i) for i in range(n)]
        graph = nx.Graph()
        graph.add_nodes_from(range(n))
        graph.add_edges_from(self.edges.tolist())
        if pos is None:  # Kamada-Kawai reads molecules well; it costs O(n²) memory and more time
            pos = nx.kamada_kawai_layout(graph) if n <= 200 else nx.spring_layout(graph, seed=0)
        try:
            pos = np.array([pos[i] for i in range(n)], dtype=np.float64).reshape(n, 2)
        except (KeyError, IndexError, ValueError):
            raise ValueError(f"pos must give an (x, y) position to each of the {n} nodes, 0 to {n - 1} "
                             "(a dict, as networkx layouts are, or an (n_nodes, 2) array).") from None
        if ax is None:
            _, ax = plt.subplots(figsize=(5.5 if self.node_weights is None else 6.5, 4.5))
        edge_norm = Normalize(0, max(float(self.edge_weights.max(initial=0)), 1e-12))
        edges = LineCollection(pos[self.edges], cmap=cmap, norm=edge_norm, linewidths=width, zorder=1)
        edges.set_array(self.edge_weights)
        ax.add_collection(edges)
        node_kwargs = {"node_color": "white", "edgecolors": "0.3"}
        if self.node_weights is not None:
            top = max(float(self.node_weights.max(initial=0)), 1e-12)
            node_kwargs = {"node_color": self.node_weights, "cmap": _light(node_cmap), "vmin": 0, "vmax": top,
                           "edgecolors": "0.3"}
        nodes = nx.draw_networkx_nodes(graph, dict(enumerate(pos)), ax=ax, node_size=node_size, **node_kwargs)
        nodes.set_zorder(2)
        nx.draw_networkx_labels(graph, dict(enumerate(pos)), dict(enumerate(labels)), font_size=font_size, ax=ax)
        ax.margins(0.12)  # room for the nodes at the edges
        ax.set_axis_off()
        self.colorbars_ = []
        if colorbar:
            two = self.node_weights is not None  # the nodes' colorbar goes in between: room for its label
            self.colorbars_.append(ax.figure.colorbar(edges, ax=ax, label=self.edge_label,
                                                      pad=0.12 if two else 0.05))
            if two:
                self.colorbars_.append(ax.figure.colorbar(nodes, ax=ax, label=self.node_label))
        self.ax_, self.figure_, self.edges_, self.nodes_, self.pos_ = ax, ax.figure, edges, nodes, pos
        return self

    @classmethod
    def from_estimator(cls, estimator, graph, *, layer: int = -1, head: int | str = "mean",
                       node_labels=None, **plot_kwargs) -> GraphAttentionDisplay:
        """Draw the attention a model fitted on graphs pays on one graph.

        Edge ``(u, v)`` gets the mean of the attention from ``u`` to ``v``
        and from ``v`` to ``u`` in self-attention layer ``layer`` (the mean
        of the heads, or head ``head``). Nodes get, for a sequence model
        that pools with attention (``pooling="attention"`` or
        ``"combined"``), the pooling weights; with ``pooling="cls"``, the
        summary position's attention on each node in that layer (and head);
        otherwise (token models, ``"mean"``, ``"max"``, ``"sum"``) the
        attention each node receives in that layer: the mean over the nodes
        of their attention on it. Each kind sums to 1 over the nodes (to at
        most 1 with ``"cls"``).

        Parameters
        ----------
        estimator : skattention estimator fitted on graphs
        graph : Graph or (nodes, edges)
            One graph, as an element of the ``X`` it was fitted on. Each
            edge is drawn once, self-loops are left out.
        layer : int, default=-1
            The self-attention layer, from 0 (the first); -1 is the last,
            the one the estimator's ``attention_weights`` returns.
        head : int or "mean", default="mean"
            One attention head, or the mean of all.
        node_labels : list of str, optional
            Default: the tokens for token nodes, the positions for numeric
            ones.
        **plot_kwargs
            Passed to :meth:`plot` (``ax``, ``pos``, ``cmap``, ...).

        Returns
        -------
        GraphAttentionDisplay

        Raises
        ------
        ValueError
            When the estimator was fitted on sequences, when ``graph`` is
            not a graph or has an edge to a node it lacks, or when
            ``layer`` or ``head`` is out of range.
        """
        found = _graph_weights(estimator, graph, layer, head)
        heads = "mean of heads" if isinstance(head, str) else f"head {head}"
        disp = cls(found.edges, found.edge_weights, found.node_weights,
                   _labels(graph[0]) if node_labels is None else node_labels,
                   edge_label=f"attention (layer {found.layer}, {heads})", node_label=NODE_WEIGHTS[found.source])
        return disp.plot(**plot_kwargs)


def plot_graph_attention(estimator, graph, *, layer: int = -1, head: int | str = "mean", ax=None,
                         pos=None, **plot_kwargs) -> GraphAttentionDisplay:
    """Shortcut for :meth:`GraphAttentionDisplay.from_estimator`; returns the
    display.

    Examples
    --------
    >>> from skattention import AttentionSequenceRegressor
    >>> from skattention.plotting import plot_graph_attention
    >>> X = [(["C", "C", "O"], [[0, 1], [1, 2]]), (["C", "O"], [[0, 1]])] * 4
    >>> reg = AttentionSequenceRegressor(max_epochs=2, d_model=8, n_heads=2, n_layers=1,
    ...                                  random_state=0).fit(X, [2.0, 1.0] * 4)
    >>> disp = plot_graph_attention(reg, X[0])
    >>> disp.edge_weights.shape, disp.node_weights.shape
    ((2,), (3,))
    >>> round(float(disp.node_weights.sum()), 4)  # the pooling weights
    1.0
    """
    return GraphAttentionDisplay.from_estimator(estimator, graph, layer=layer, head=head, ax=ax, pos=pos,
                                                **plot_kwargs)
