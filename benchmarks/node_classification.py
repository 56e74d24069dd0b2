"""Node classification on graphs: a label for every node (N→N on graphs),
against LabelPropagation and a LogisticRegression on node features plus
their neighbours' means, in one run.

Both tasks are semi-supervised, as node classification usually is: every
graph is seen in training, a few of its nodes carry labels, and the score is
the accuracy on the others. AttentionTokenClassifier trains on the labelled
nodes alone: the rest have the label ``None`` (unlabelled elements are left
out of the loss).

* **Karate club** (networkx, 34 members, the ``club`` attribute): 2 labelled
  members per club, 10 random draws of them. The members have no features,
  so every model gets the known labels as input ("label as input", as in
  UniMP, Shi et al. 2021): each node reads a one-hot of its known club (zeros
  when unknown). The attention model trains on 64 copies of the graph, each
  revealing a random half of the labelled members and asking for the others;
  the LogisticRegression trains on the same copies (own input plus the mean
  of the neighbours' inputs); LabelPropagation spreads the labels over the
  adjacency.
* **Stochastic block models** (networkx's generator): 3 data draws of 120
  graphs of 45-90 nodes in 3 communities (edge probability 0.25 inside a
  community, 0.02 across), each node with 8 noisy features whose mean
  depends on its community (a signal one node alone classifies at about 60%).
  20% of each graph's nodes are labelled. LabelPropagation runs on each
  graph's adjacency from its labelled nodes (it reads no features); the
  LogisticRegression reads a node's features and its neighbours' mean
  features; the attention model reads the features and the graph.

    python benchmarks/node_classification.py
    python benchmarks/node_classification.py --quick   # one draw each, few graphs, 2 epochs
"""

from __future__ import annotations

import argparse

import networkx as nx
import numpy as np
from _common import Timer, write_results
from sklearn.linear_model import LogisticRegression
from sklearn.semi_supervised import LabelPropagation

from skattention import AttentionTokenClassifier
from skattention.preprocessing import from_networkx


def adjacency(graph: nx.Graph) -> np.ndarray:
    return nx.to_numpy_array(graph, nodelist=list(graph.nodes))


def neighbour_means(A: np.ndarray, F: np.ndarray) -> np.ndarray:
    degree = A.sum(axis=1, keepdims=True)
    return np.hstack([F, A @ F / np.maximum(degree, 1)])


def label_propagation(A: np.ndarray, labels: np.ndarray) -> np.ndarray:
    """LabelPropagation over a given adjacency: the nodes' indices are ``X``
    and the kernel looks their affinities up (``labels``: -1 unlabelled)."""
    model = LabelPropagation(kernel=lambda a, b: A[np.ix_(a[:, 0].astype(int), b[:, 0].astype(int))],
                             max_iter=1000)
    return model.fit(np.arange(len(A))[:, None], labels).transduction_


def karate(n_draws: int, n_copies: int = 64, per_class: int = 2, **params) -> dict:
    graph = nx.karate_club_graph()
    edges = from_networkx([graph])[0].edges
    classes = np.array(sorted({graph.nodes[v]["club"] for v in graph}))
    truth = np.array([np.searchsorted(classes, graph.nodes[v]["club"]) for v in graph])
    A = adjacency(graph)
    scores = {"AttentionTokenClassifier (defaults)": [], "LogisticRegression, own + neighbour means": [],
              "LabelPropagation": []}
    seconds = dict.fromkeys(scores, 0.0)
    for draw in range(n_draws):
        rng = np.random.RandomState(draw)
        seeds = np.concatenate([rng.choice(np.flatnonzero(truth == c), per_class, replace=False)
                                for c in range(len(classes))])
        test = np.setdiff1d(np.arange(len(truth)), seeds)

        def reveal(shown):
            F = np.zeros((len(truth), len(classes)), np.float32)
            F[shown, truth[shown]] = 1.0
            return F

        copies, targets = [], []
        while len(copies) < n_copies:
            shown = seeds[rng.rand(len(seeds)) < 0.5]
            asked = np.setdiff1d(seeds, shown)
            if len(asked):
                copies.append(reveal(shown))
                y = np.full(len(truth), None, dtype=object)
                y[asked] = classes[truth[asked]]
                targets.append(y)
        full = reveal(seeds)

        model = AttentionTokenClassifier(random_state=draw, **params)
        with Timer() as t:
            model.fit([(F, edges) for F in copies], targets)
            pred = model.predict([(full, edges)])[0]
        scores["AttentionTokenClassifier (defaults)"].append(float(np.mean(pred[test] == classes[truth[test]])))
        seconds["AttentionTokenClassifier (defaults)"] += t.seconds

        with Timer() as t:
            rows = [neighbour_means(A, F) for F in copies]
            X = np.concatenate([r[y != None] for r, y in zip(rows, targets)])  # noqa: E711
            y = np.concatenate([y[y != None] for y in targets]).astype(str)  # noqa: E711
            lr = LogisticRegression(max_iter=1000).fit(X, y)
            pred = lr.predict(neighbour_means(A, full))
        scores["LogisticRegression, own + neighbour means"].append(float(np.mean(pred[test] == classes[truth[test]])))
        seconds["LogisticRegression, own + neighbour means"] += t.seconds

        with Timer() as t:
            labels = np.full(len(truth), -1)
            labels[seeds] = truth[seeds]
            pred = label_propagation(A, labels)
        scores["LabelPropagation"].append(float(np.mean(pred[test] == truth[test])))
        seconds["LabelPropagation"] += t.seconds
        print(f"karate draw {draw}: " + ", ".join(f"{k} {v[-1]:.3f}" for k, v in scores.items()), flush=True)
    return {"scores": scores, "seconds": seconds,
            "protocol": f"{per_class} labelled members per club, {n_draws} random draws; accuracy on the other "
                        f"{34 - 2 * per_class}"}


def sbm_graphs(seed: int, n_graphs: int, n_features: int = 8, noise: float = 2.0):
    rng = np.random.RandomState(seed)
    means = rng.randn(3, n_features)
    graphs = []
    for _ in range(n_graphs):
        sizes = rng.randint(15, 31, size=3).tolist()
        graph = nx.stochastic_block_model(sizes, [[0.25, 0.02, 0.02], [0.02, 0.25, 0.02], [0.02, 0.02, 0.25]],
                                          seed=int(rng.randint(2**31)))
        for v in graph:
            c = graph.nodes[v]["block"]
            graph.nodes[v]["x"] = (means[c] + noise * rng.randn(n_features)).astype(np.float32)
            graph.nodes[v]["community"] = f"c{c}"
        graphs.append(graph)
    return graphs


def sbm(n_draws: int, n_graphs: int, labelled: float = 0.2, **params) -> dict:
    scores = {"AttentionTokenClassifier (defaults)": [], "LogisticRegression, own + neighbour means": [],
              "LabelPropagation": [], "LogisticRegression, own features": []}
    seconds = dict.fromkeys(scores, 0.0)
    for draw in range(n_draws):
        graphs = sbm_graphs(draw, n_graphs)
        X, y = from_networkx(graphs, "x", label_attribute="community")
        rng = np.random.RandomState(draw)
        known = [rng.rand(len(t)) < labelled for t in y]
        partial = [np.where(k, t, None) for k, t in zip(known, y)]
        truth = np.concatenate([t[~k] for t, k in zip(y, known)])

        model = AttentionTokenClassifier(random_state=draw, **params)
        with Timer() as t:
            pred = model.fit(X, partial).predict(X)
        scores["AttentionTokenClassifier (defaults)"].append(
            float(np.mean(np.concatenate([p[~k] for p, k in zip(pred, known)]) == truth)))
        seconds["AttentionTokenClassifier (defaults)"] += t.seconds

        As = [adjacency(g) for g in graphs]
        for name, features in (("LogisticRegression, own + neighbour means", neighbour_means),
                               ("LogisticRegression, own features", lambda A, F: F)):
            with Timer() as t:
                rows = [features(A, nodes) for A, (nodes, _) in zip(As, X)]
                lr = LogisticRegression(max_iter=1000).fit(np.concatenate([r[k] for r, k in zip(rows, known)]),
                                                           np.concatenate([t[k] for t, k in zip(y, known)]))
                pred = np.concatenate([lr.predict(r[~k]) for r, k in zip(rows, known)])
            scores[name].append(float(np.mean(pred == truth)))
            seconds[name] += t.seconds

        with Timer() as t:
            classes = np.array(["c0", "c1", "c2"])
            pred = [classes[label_propagation(A, np.where(k, np.searchsorted(classes, t), -1))][~k]
                    for A, t, k in zip(As, y, known)]
        scores["LabelPropagation"].append(float(np.mean(np.concatenate(pred) == truth)))
        seconds["LabelPropagation"] += t.seconds
        print(f"sbm draw {draw}: " + ", ".join(f"{k} {v[-1]:.3f}" for k, v in scores.items()), flush=True)
    return {"scores": scores, "seconds": seconds,
            "protocol": f"{n_graphs} graphs of 45-90 nodes, 3 communities, 8 noisy features; {labelled:.0%} of "
                        f"each graph's nodes labelled; accuracy on the others; {n_draws} data draws"}


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true")
    args = parser.parse_args()
    quick = {"max_epochs": 2} if args.quick else {}  # the quick mode checks the script, not the models
    results = {"karate club": karate(1 if args.quick else 10, n_copies=8 if args.quick else 64, **quick),
               "stochastic block models": sbm(1 if args.quick else 3, 10 if args.quick else 120, **quick)}
    table = ["| data set | model | accuracy on unlabelled nodes | fit + predict (all draws) |", "|---|---|---|---|"]
    for data, res in results.items():
        for model, values in sorted(res["scores"].items(), key=lambda kv: -np.mean(kv[1])):
            table.append(f"| {data} | {model} | {np.mean(values):.3f} ± {np.std(values):.3f} | "
                         f"{res['seconds'][model]:.1f} s |")
    table += [""] + [f"- {data}: {res['protocol']}." for data, res in results.items()]
    write_results("node_classification", {"results": results}, "\n".join(table), quick=args.quick)
    print("\n".join(table))


if __name__ == "__main__":
    main()
