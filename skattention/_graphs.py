"""Graphs as input: recognise them, validate their edges, and derive what
graph self-attention reads (each node's degree, the shortest-path distance
between every two nodes, and the type of the edge between neighbours).

A graph is a sequence of nodes (tokens, or numeric rows) plus edges between
positions in it, given as a :class:`Graph` ``(nodes, edges)``, a
:class:`TypedGraph` ``(nodes, edges, edge_types)``, or a plain tuple of those, whose ``edges`` is an
``(n_edges, 2)`` integer array or a scipy sparse ``(n_nodes, n_nodes)``
adjacency, and ``edge_types`` (optional) one hashable label per edge (a bond
type, a kind of relation). Edges are undirected.
:func:`skattention.preprocessing.from_networkx` turns networkx graphs into
that form.
"""

from __future__ import annotations

from collections.abc import Hashable
from typing import NamedTuple

import numpy as np
import scipy.sparse as sp
from scipy.sparse.csgraph import shortest_path

#: degrees above this share one embedding
MAX_DEGREE = 31
#: shortest-path distances above this share one learned bias (and unreachable nodes a last one)
MAX_DISTANCE = 16
UNREACHABLE = MAX_DISTANCE + 1


class Graph(NamedTuple):
    """One graph: ``nodes`` (a token list or an ``(n_nodes, n_features)``
    array, as a sequence is) and ``edges`` (an ``(n_edges, 2)`` array of node
    positions, or a scipy sparse ``(n_nodes, n_nodes)`` adjacency). A graph
    with typed edges is a :class:`TypedGraph`.

    Examples
    --------
    >>> g = Graph(["C", "C", "O"], [[0, 1], [1, 2]])  # ethanol's heavy atoms
    >>> nodes, edges = g
    >>> nodes, len(edges)
    (['C', 'C', 'O'], 2)
    """

    nodes: object
    edges: object


class TypedGraph(NamedTuple):
    """One graph whose edges have types: ``nodes`` and ``edges`` as in
    :class:`Graph`, ``edges`` an ``(n_edges, 2)`` array, and ``edge_types``
    one hashable label per row of it (a bond type, a kind of relation).

    Examples
    --------
    >>> g = TypedGraph(["C", "O"], [[0, 1]], ["DOUBLE"])  # formaldehyde's C=O
    >>> nodes, edges, edge_types = g
    >>> edge_types
    ['DOUBLE']
    """

    nodes: object
    edges: object
    edge_types: object


def _is_edge_array(edges) -> bool:
    if sp.issparse(edges):
        return True
    if isinstance(edges, np.ndarray):
        return edges.dtype.kind in "iu" and edges.ndim == 2 and edges.shape[1] == 2
    if isinstance(edges, (list, tuple)) and edges:
        return all(isinstance(e, (list, tuple, np.ndarray)) and len(e) == 2
                   and all(isinstance(v, (int, np.integer)) and not isinstance(v, bool) for v in e) for e in edges)
    return False


def is_graph(x) -> bool:
    """Whether one element of ``X`` is a graph (not a sequence)."""
    return isinstance(x, (Graph, TypedGraph)) or (isinstance(x, tuple) and len(x) in (2, 3)
                                    and not isinstance(x[0], (int, float)) and _is_edge_array(x[1]))


def _is_networkx(x) -> bool:
    return type(x).__module__.split(".")[0] == "networkx"


def split_graphs(items: list, name: str = "X"):
    """``(node sequences, raw edges, raw edge types)`` when ``items`` are
    graphs (the types None when no graph has any), ``(items, None, None)``
    when they are sequences; a mix raises ``TypeError`` naming the first
    element that differs, and so does a mix of typed and untyped graphs."""
    for i, x in enumerate(items):
        if _is_networkx(x):
            raise TypeError(f"{name}[{i}] is a networkx {type(x).__name__}; turn networkx graphs into "
                            "(nodes, edges) pairs with skattention.preprocessing.from_networkx(graphs, "
                            "node_attribute=...), which says which node attribute holds the token or the features.")
    graphs = [is_graph(x) for x in items]
    if not any(graphs):
        return items, None, None
    if not all(graphs):
        first, other = graphs.index(True), graphs.index(False)
        raise TypeError(f"{name}[{other}] is a sequence but {name}[{first}] is a graph ((nodes, edges)); "
                        "all elements must be graphs or all sequences, not a mix.")
    types = [x[2] if len(x) == 3 else None for x in items]
    typed = [t is not None for t in types]
    if any(typed) and not all(typed):
        first, other = typed.index(True), typed.index(False)
        raise ValueError(f"{name}[{other}] has no edge types but {name}[{first}] has; give edge types for every "
                         "graph or for none.")
    return [x[0] for x in items], [x[1] for x in items], types if any(typed) else None


def check_edges(edges: list, lengths: np.ndarray, name: str = "X", edge_types: list | None = None):
    """Each graph's edges as an ``(n_edges, 2)`` int64 array of node positions,
    checked against its node count; errors name the graph. With
    ``edge_types``, returns ``(edges, types)``, the types as object arrays of
    one hashable label per edge."""
    out, types = [], []
    for i, (e, n) in enumerate(zip(edges, lengths)):
        n = int(n)
        if sp.issparse(e):
            if edge_types is not None:
                raise ValueError(f"{name}[{i}] gives its edges as an adjacency matrix and edge types; give the "
                                 "edges as an (n_edges, 2) array, with one type per row.")
            if e.shape != (n, n):
                raise ValueError(f"{name}[{i}] has {n} nodes but an adjacency matrix of shape {e.shape}; "
                                 f"expected ({n}, {n}).")
            coo = sp.coo_matrix(e)
            e = np.stack([coo.row, coo.col], axis=1)[coo.data != 0]
        else:
            try:
                e = np.asarray(e)
            except ValueError:
                raise ValueError(f"{name}[{i}] has ragged edges; expected an (n_edges, 2) array.") from None
            if e.size == 0:
                e = e.reshape(0, 2)
            if e.dtype.kind not in "iu" or e.ndim != 2 or e.shape[1] != 2:
                raise ValueError(f"{name}[{i}] has edges of shape {e.shape} and dtype {e.dtype}; expected an "
                                 "(n_edges, 2) array of integer node positions.")
        e = e.astype(np.int64)
        bad = np.flatnonzero((e < 0).any(axis=1) | (e >= n).any(axis=1))
        if len(bad):
            raise ValueError(f"{name}[{i}] has an edge {e[bad[0]].tolist()} (edge {int(bad[0])}) to a node that "
                             f"does not exist: the graph has {n} node(s), positions 0 to {n - 1}.")
        out.append(e)
        if edge_types is not None:
            types.append(_check_types(edge_types[i], len(e), i, name))
    return out if edge_types is None else (out, types)


def _check_types(types, n_edges: int, i: int, name: str) -> np.ndarray:
    if isinstance(types, (str, bytes)) or not hasattr(types, "__len__"):
        raise TypeError(f"{name}[{i}] has edge types of type {type(types).__name__}; expected one label per edge.")
    if len(types) != n_edges:
        raise ValueError(f"{name}[{i}] has {n_edges} edges but {len(types)} edge types; expected one per edge.")
    out = np.empty(n_edges, dtype=object)
    out[:] = [t.item() if isinstance(t, np.generic) else t for t in types]
    for j, t in enumerate(out):
        if t is None or not isinstance(t, Hashable) or isinstance(t, float) and t != t:
            raise TypeError(f"{name}[{i}] has edge type {t!r} for edge {j}; edge types are hashable labels "
                            "(str, int, ...), not None or NaN.")
    return out


def graph_items(edges: np.ndarray, n: int, type_ids: np.ndarray | None = None) -> dict:
    """What graph attention reads of one graph of ``n`` nodes: ``degrees``
    ``(n,)`` (neighbours, self-loops left out, capped at :data:`MAX_DEGREE`)
    and ``distances`` ``(n, n)`` (shortest-path hops, capped at
    :data:`MAX_DISTANCE`; :data:`UNREACHABLE` between components); with
    ``type_ids`` (a positive id per edge), ``edge_types`` ``(n, n)``: the id
    of the edge between two neighbours, both ways, 0 elsewhere (for a pair
    given twice, the last edge's).

    Examples
    --------
    >>> items = graph_items(np.array([[0, 1], [1, 2]]), 4)
    >>> items["degrees"].tolist()
    [1, 2, 1, 0]
    >>> items["distances"][0].tolist()
    [0, 1, 2, 17]
    """
    loops = edges[:, 0] == edges[:, 1]
    e = edges[~loops]
    adjacency = sp.coo_matrix((np.ones(len(e)), (e[:, 0], e[:, 1])), shape=(n, n)).tocsr()
    adjacency = ((adjacency + adjacency.T) > 0).astype(np.float64)
    degrees = np.minimum(np.asarray(adjacency.sum(axis=1)).ravel(), MAX_DEGREE).astype(np.int64)
    hops = shortest_path(adjacency, unweighted=True, directed=False) if n else np.zeros((0, 0))
    distances = np.where(np.isfinite(hops), np.minimum(hops, MAX_DISTANCE), UNREACHABLE).astype(np.int8)
    items = {"degrees": degrees, "distances": distances}
    if type_ids is not None:
        kinds = np.zeros((n, n), dtype=np.int16)
        kinds[e[:, 0], e[:, 1]] = type_ids[~loops]
        kinds[e[:, 1], e[:, 0]] = type_ids[~loops]
        items["edge_types"] = kinds
    return items
