"""Preprocessing: other layouts of sequence data (a pandas long-format table,
padded arrays with lengths, networkx graphs) turned into the lists of
variable-length sequences (or graphs) every estimator takes."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from ._graphs import Graph, TypedGraph

__all__ = ["Graph", "TypedGraph", "from_long_format", "from_networkx", "from_padded"]


def from_long_format(
    df: pd.DataFrame,
    *,
    sequence_col: str,
    value_cols: str | Sequence[str] | None = None,
    target_col: str | None = None,
    order_col: str | None = None,
    sequence_target: bool = False,
) -> tuple[list, list | np.ndarray | None]:
    """Convert a long-format table (one row per element) into sequences.

    Sequences appear in the order in which their ids first appear in
    ``df``.  Within a sequence, rows are sorted by ``order_col`` (stable
    sort) when given, else kept in row order.

    Parameters
    ----------
    df : pandas.DataFrame
        One row per sequence element.
    sequence_col : str
        Column holding the sequence id.
    value_cols : str or sequence of str, optional
        Feature column(s).  A single non-numeric column gives token
        sequences; numeric column(s) give float arrays.  Defaults to every
        column other than ``sequence_col``, ``order_col`` and ``target_col``.
    target_col : str, optional
        Label column.  If None, ``y`` is None.
    order_col : str, optional
        Column giving the position of each element within its sequence.
    sequence_target : bool, default=False
        If True, ``target_col`` holds one label per sequence (it must be
        constant within each sequence) and ``y`` is a 1-D array of those
        labels.  Otherwise ``y`` holds per-element labels.

    Returns
    -------
    X : list
        Token lists (non-numeric single column) or float64 arrays of shape
        ``(length, n_value_cols)``.
    y : None, list or numpy.ndarray
        None without ``target_col``; with ``sequence_target`` a 1-D array with
        one label per sequence; otherwise one entry per sequence: a 1-D numpy
        array for a numeric target column, a list for any other dtype.

    Raises
    ------
    ValueError
        For missing columns, missing sequence ids or order values, NaN in
        numeric value columns, mixed numeric/non-numeric value columns, or a
        sequence target that varies within a sequence.

    Examples
    --------
    >>> import pandas as pd
    >>> df = pd.DataFrame({"sid": [7, 7, 3], "tok": ["a", "b", "c"],
    ...                    "tag": ["X", "Y", "Z"]})
    >>> from_long_format(df, sequence_col="sid", value_cols="tok", target_col="tag")
    ([['a', 'b'], ['c']], [['X', 'Y'], ['Z']])
    >>> df = pd.DataFrame({"sid": [1, 1, 2], "t": [1, 0, 0], "v": [0.5, 1.5, 2.0]})
    >>> X, _ = from_long_format(df, sequence_col="sid", order_col="t")
    >>> X[0]
    array([[1.5],
           [0.5]])
    """
    if not isinstance(df, pd.DataFrame):
        raise TypeError(f"df must be a pandas DataFrame, got {type(df).__name__}.")
    if sequence_target and target_col is None:
        raise ValueError("sequence_target=True requires target_col.")

    special = [c for c in (sequence_col, order_col, target_col) if c is not None]
    if value_cols is None:
        values = [c for c in df.columns if c not in special]
        if not values:
            raise ValueError("No value columns left besides the sequence/order/target columns.")
    elif isinstance(value_cols, str):
        values = [value_cols]
    else:
        values = list(value_cols)
        if not values:
            raise ValueError("value_cols must not be empty.")

    missing = [c for c in dict.fromkeys([*special, *values]) if c not in df.columns]
    if missing:
        raise ValueError(f"Column(s) not found in df: {missing}.")

    complex_cols = [c for c in values if pd.api.types.is_complex_dtype(df[c])]
    if complex_cols:
        raise ValueError(f"Value column(s) {complex_cols} hold complex numbers; sequences must be real.")
    numeric = [pd.api.types.is_numeric_dtype(df[c]) for c in values]
    if all(numeric):
        tokens = False
    elif len(values) == 1:
        tokens = True
    else:
        bad = [c for c, is_num in zip(values, numeric, strict=True) if not is_num]
        raise ValueError(
            "Several value columns must all be numeric; non-numeric column(s) "
            f"{bad}. Use a single non-numeric column for token sequences."
        )

    codes, uniques = pd.factorize(df[sequence_col], sort=False)
    if (codes < 0).any():
        raise ValueError(f"Column {sequence_col!r} contains missing sequence ids.")

    if order_col is not None:
        if df[order_col].isna().any():
            raise ValueError(f"Column {order_col!r} contains missing values.")
        keys = pd.DataFrame({"_code": codes, "_order": df[order_col].to_numpy()})
        perm = keys.sort_values(["_code", "_order"], kind="stable").index.to_numpy()
    else:
        perm = np.argsort(codes, kind="stable")
    counts = np.bincount(codes, minlength=len(uniques))
    bounds = np.cumsum(counts)[:-1]
    ids = uniques.tolist()

    def _split(column: str) -> list[np.ndarray]:
        return np.split(df[column].to_numpy()[perm], bounds)

    if tokens:
        if df[values[0]].isna().any():
            row = int(np.flatnonzero(df[values[0]].isna().to_numpy())[0])
            raise ValueError(f"Column {values[0]!r} has a missing token (row {row}); fill or drop it first.")
        X: list = [part.tolist() for part in _split(values[0])]
    else:
        block = df[values].to_numpy(dtype=np.float64, na_value=np.nan)[perm]
        nan_rows = np.isnan(block).any(axis=1)
        if nan_rows.any():
            seq = ids[codes[perm][np.argmax(nan_rows)]]
            raise ValueError(f"NaN in value columns {values} for sequence {seq!r}.")
        X = np.split(block, bounds)

    if target_col is None:
        return X, None

    parts = _split(target_col)
    if sequence_target:
        out = []
        for seq, part in zip(ids, parts, strict=True):
            if pd.Series(part).nunique(dropna=False) > 1:
                raise ValueError(
                    f"Target column {target_col!r} is not constant within sequence {seq!r}."
                )
            out.append(part[0])
        return X, np.asarray(out)
    if pd.api.types.is_numeric_dtype(df[target_col]):
        return X, [np.asarray(part) for part in parts]
    return X, [part.tolist() for part in parts]


def from_padded(X, lengths) -> list[np.ndarray]:
    """Cut a padded array into a list of variable-length sequences.

    Parameters
    ----------
    X : array-like of shape (n_sequences, max_len[, n_features])
        Padded sequences, time on axis 1.
    lengths : array-like of int, shape (n_sequences,)
        True length of each sequence, ``0 <= lengths[i] <= max_len``.

    Returns
    -------
    list of numpy.ndarray
        ``X[i, :lengths[i]]`` (copies) for each ``i``: arrays of shape
        ``(lengths[i], n_features)`` for 3-D input, ``(lengths[i],)`` for
        2-D input.

    Raises
    ------
    ValueError
        If ``X`` is not 2-D or 3-D, if ``lengths`` is not a 1-D integer array
        with one entry per sequence, or if a length is out of range (the
        message names the offending index).

    Examples
    --------
    >>> import numpy as np
    >>> X = np.arange(12.0).reshape(2, 3, 2)
    >>> [a.shape for a in from_padded(X, [3, 1])]
    [(3, 2), (1, 2)]
    >>> from_padded(np.array([[1.0, 2.0, 0.0]]), [2])
    [array([1., 2.])]
    """
    X = np.asarray(X)
    if X.ndim not in (2, 3):
        raise ValueError(f"X must be 2-D or 3-D, got an array of shape {X.shape}.")
    lengths = np.asarray(lengths)
    if lengths.ndim != 1:
        raise ValueError(f"lengths must be 1-D, got shape {lengths.shape}.")
    if lengths.size and not np.issubdtype(lengths.dtype, np.integer):
        raise ValueError(f"lengths must hold integers, got dtype {lengths.dtype}.")
    if len(lengths) != X.shape[0]:
        raise ValueError(f"lengths has {len(lengths)} entries but X has {X.shape[0]} sequences.")
    max_len = X.shape[1]
    for i, length in enumerate(lengths):
        if not 0 <= length <= max_len:
            raise ValueError(f"lengths[{i}] = {int(length)} is outside [0, max_len={max_len}].")
    return [X[i, : int(length)].copy() for i, length in enumerate(lengths)]


def from_networkx(graphs, node_attribute: str | None = None, *, label_attribute: str | None = None,
                  edge_attribute: str | None = None):
    """Turn networkx graphs into the ``(nodes, edges)`` graphs the estimators take.

    Nodes keep networkx's order (``list(graph.nodes)``); edges become pairs of
    positions in it, undirected.

    Parameters
    ----------
    graphs : iterable of networkx graphs
    node_attribute : str or None
        The node attribute that holds each node's token (a hashable scalar)
        or its feature vector (a list or array of numbers, the same length
        for every node). None gives every node the same token, ``"node"``:
        the model then reads the structure alone (degrees and distances).
    label_attribute : str, optional
        A node attribute holding each node's label or value: also return
        ``y``, one array per graph, for the token estimators. A node whose
        label is None is unlabelled (see the user guide).
    edge_attribute : str, optional
        An edge attribute holding each edge's type (a hashable label, such
        as a bond type or a kind of relation): the graphs are then
        :class:`TypedGraph`, and the model learns a bias per type.

    Returns
    -------
    X : list of Graph (of TypedGraph with ``edge_attribute``)
    y : list of ndarray
        Only with ``label_attribute``.

    Raises
    ------
    ValueError
        When a node or an edge lacks an attribute asked for (the message
        names the graph and the node or edge).

    Examples
    --------
    >>> import networkx as nx
    >>> from skattention.preprocessing import from_networkx
    >>> g = nx.path_graph(3)
    >>> nx.set_node_attributes(g, {0: "C", 1: "C", 2: "O"}, "element")
    >>> X = from_networkx([g], "element")
    >>> X[0].nodes, X[0].edges.tolist()
    (['C', 'C', 'O'], [[0, 1], [1, 2]])
    """
    X, y = [], []
    for i, graph in enumerate(graphs):
        order = list(graph.nodes)
        position = {node: k for k, node in enumerate(order)}

        def attribute(node, name, i=i, graph=graph):
            if name not in graph.nodes[node]:
                raise ValueError(f"graphs[{i}] has a node {node!r} without the attribute {name!r}.")
            return graph.nodes[node][name]

        values = ["node"] * len(order) if node_attribute is None else [attribute(n, node_attribute) for n in order]
        if values and not isinstance(values[0], (str, bytes)) and np.ndim(values[0]) >= 1:
            values = np.asarray(values, dtype=np.float32)
        edges = np.array([[position[u], position[v]] for u, v in graph.edges()], dtype=np.int64).reshape(-1, 2)
        types = None
        if edge_attribute is not None:
            types = []
            for u, v, data in graph.edges(data=True):
                if edge_attribute not in data:
                    raise ValueError(f"graphs[{i}] has an edge ({u!r}, {v!r}) without the attribute "
                                     f"{edge_attribute!r}.")
                types.append(data[edge_attribute])
        X.append(Graph(values, edges) if types is None else TypedGraph(values, edges, types))
        if label_attribute is not None:
            y.append(np.asarray([attribute(n, label_attribute) for n in order]))
    return (X, y) if label_attribute is not None else X
