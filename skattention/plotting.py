"""Attention heatmaps, attention on graphs and molecules, and learning
curves, in the style of scikit-learn's ``Display`` objects:
``from_estimator`` computes and draws, ``plot`` redraws, and the matplotlib
objects are kept as attributes ending in ``_``.

Needs matplotlib (``pip install skattention[plot]``); the graph displays
need networkx too, the molecule ones RDKit (``skattention[chem]``).
"""

from __future__ import annotations

import numpy as np

from ._graph_plots import GraphAttentionDisplay, plot_graph_attention
from ._molecule_plots import MoleculeAttentionDisplay, plot_molecule_attention
from ._plot_utils import _labels, _pyplot


class AttentionDisplay:
    """Attention weights as a heatmap with the tokens on the axes.

    Parameters
    ----------
    weights : ndarray
        ``(L,)`` pooling weights, ``(T_out, T_in)`` an alignment or one head,
        or ``(n_heads, L, L)`` self-attention (pick a head in :meth:`plot`).
    x_labels : list of str
        Labels of the attended positions (columns).
    y_labels : list of str, optional
        Labels of the rows (queries or output tokens); default ``x_labels``
        for square weights.

    Attributes
    ----------
    ax_, figure_, im_ : matplotlib objects, after :meth:`plot`.

    Examples
    --------
    >>> import numpy as np
    >>> from skattention.plotting import AttentionDisplay
    >>> w = np.array([[0.9, 0.1], [0.2, 0.8]])
    >>> disp = AttentionDisplay(w, ["a", "b"], ["A", "B"]).plot()
    >>> [t.get_text() for t in disp.ax_.get_xticklabels()]
    ['a', 'b']
    """

    def __init__(self, weights, x_labels, y_labels=None):
        self.weights = np.asarray(weights)
        self.x_labels = list(x_labels)
        self.y_labels = None if y_labels is None else list(y_labels)

    def plot(self, *, ax=None, head: int | str = "mean", cmap: str = "viridis", colorbar: bool = True,
             xticks_rotation: float = 90, annotate: bool = False) -> AttentionDisplay:
        """Draw the heatmap.

        Parameters
        ----------
        ax : matplotlib Axes, optional
        head : int or "mean"
            For ``(n_heads, L, L)`` weights: which head, or their mean.
        cmap : str
        colorbar : bool
        xticks_rotation : float
        annotate : bool
            Write each weight in its cell.

        Returns
        -------
        self
        """
        plt = _pyplot()
        w = self.weights
        if w.ndim == 3:
            w = w.mean(axis=0) if head == "mean" else w[head]
        rows = [""] if w.ndim == 1 else (self.y_labels if self.y_labels is not None else self.x_labels)
        w = np.atleast_2d(w)
        if w.shape != (len(rows), len(self.x_labels)):
            raise ValueError(f"weights of shape {w.shape} do not match {len(rows)} row and "
                             f"{len(self.x_labels)} column labels.")
        if ax is None:
            _, ax = plt.subplots(figsize=(max(3, 0.45 * w.shape[1] + 1.5), max(1.5, 0.45 * w.shape[0] + 1)))
        im = ax.imshow(w, cmap=cmap, aspect="auto", vmin=0, vmax=max(float(w.max()), 1e-12))
        ax.set_xticks(range(w.shape[1]), self.x_labels, rotation=xticks_rotation)
        ax.set_yticks(range(w.shape[0]), rows)
        if annotate:
            for (i, j), value in np.ndenumerate(w):
                ax.text(j, i, f"{value:.2f}", ha="center", va="center", fontsize=7,
                        color="white" if value < 0.6 * w.max() else "black")
        if colorbar:
            ax.figure.colorbar(im, ax=ax)
        self.ax_, self.figure_, self.im_ = ax, ax.figure, im
        return self

    @classmethod
    def from_estimator(cls, estimator, sequence, **plot_kwargs) -> AttentionDisplay:
        """Compute the attention a fitted estimator uses on one sequence and plot it.

        Rows are the output tokens for :class:`~skattention.AttentionSeq2Seq`
        (its alignment), the same elements for self-attention, and a single
        row for attention pooling.

        Parameters
        ----------
        estimator : fitted skattention estimator
        sequence : one input sequence (tokens, or a numeric array)
        **plot_kwargs
            Passed to :meth:`plot`.
        """
        weights = estimator.attention_weights([sequence])[0]
        x_labels = _labels(sequence)
        y_labels = None
        if hasattr(estimator, "target_vocab_"):  # seq2seq: rows are the predicted tokens
            y_labels = [str(t) for t in estimator.predict([sequence])[0]]
        elif getattr(estimator, "pooling", None) == "cls":  # (n_heads, L): one row per head
            y_labels = [f"head {h}" for h in range(len(weights))]
        return cls(weights, x_labels, y_labels).plot(**plot_kwargs)


def plot_attention(estimator, sequence, **plot_kwargs):
    """Shortcut for :meth:`AttentionDisplay.from_estimator`; returns the Axes.

    Examples
    --------
    >>> from skattention import AttentionSequenceClassifier
    >>> from skattention.plotting import plot_attention
    >>> X = [["good", "film"], ["bad", "film"]] * 5
    >>> clf = AttentionSequenceClassifier(max_epochs=1, d_model=8, n_heads=2,
    ...                                   random_state=0).fit(X, [1, 0] * 5)
    >>> ax = plot_attention(clf, ["good", "film"])
    >>> [t.get_text() for t in ax.get_xticklabels()]
    ['good', 'film']
    """
    return AttentionDisplay.from_estimator(estimator, sequence, **plot_kwargs).ax_


class HistoryDisplay:
    """Learning curves from a fitted estimator's ``history_``.

    Parameters
    ----------
    history : pandas.DataFrame
        One row per epoch, as :attr:`history_` gives it (an ``epoch`` column
        and one column per recorded metric).
    metrics : list of str, optional
        Columns to draw. Default: the losses that were recorded
        (``train_loss`` and, with a validation split, ``valid_loss``).
    best_metric : str, optional
        The metric whose best epoch is marked. Default: the first drawn
        validation metric, else the first drawn metric.
        :meth:`from_estimator` uses the metric that early stopping watched,
        so the mark is the epoch whose weights the model kept.

    Attributes
    ----------
    ax_, figure_ : matplotlib objects, after :meth:`plot`.
    lines_ : dict
        Metric name → its ``Line2D``.
    best_epoch_ : int or None
        The last epoch that skorch marked best (``<metric>_best``) for
        ``best_metric``, else None.

    Examples
    --------
    >>> from skattention import AttentionSequenceClassifier
    >>> from skattention.plotting import HistoryDisplay
    >>> X = [["good", "film"], ["bad", "film"]] * 10
    >>> clf = AttentionSequenceClassifier(max_epochs=3, d_model=8, n_heads=2, train_split=0.2,
    ...                                   random_state=0).fit(X, [1, 0] * 10)
    >>> disp = HistoryDisplay.from_estimator(clf)
    >>> sorted(disp.lines_)
    ['train_loss', 'valid_loss']
    """

    def __init__(self, history, metrics=None, best_metric=None):
        self.history = history
        self.metrics = metrics
        self.best_metric = best_metric

    def _metrics(self) -> list[str]:
        columns = list(self.history.columns)
        if self.metrics is None:
            found = [m for m in ("train_loss", "valid_loss") if m in columns]
            if not found:
                raise ValueError(f"The history has no losses to draw; its columns are {columns}.")
            return found
        metrics = [self.metrics] if isinstance(self.metrics, str) else list(self.metrics)
        missing = [m for m in metrics if m not in columns]
        if missing:
            raise ValueError(f"The history has no column {missing[0]!r}; it has {columns}.")
        return metrics

    def _best(self, metrics: list[str]):
        """(metric, epoch) of the best epoch, or (None, None)."""
        candidates = [self.best_metric] if self.best_metric else (
            [m for m in metrics if m.startswith("valid")] + metrics)
        for m in candidates:
            flags = self.history.get(f"{m}_best")
            if flags is not None:
                flags = flags.fillna(False).astype(bool).to_numpy()
                if flags.any():
                    epochs = self._epochs()
                    return m, int(np.asarray(epochs)[np.flatnonzero(flags)[-1]])
        return None, None

    def _epochs(self):
        if "epoch" in self.history:
            return self.history["epoch"]
        return np.arange(1, len(self.history) + 1)

    def plot(self, *, ax=None, mark_best: bool = True, logy: bool = False) -> HistoryDisplay:
        """Draw one line per metric against the epoch.

        Parameters
        ----------
        ax : matplotlib Axes, optional
        mark_best : bool
            Draw a dotted vertical line at the best epoch of
            ``best_metric``.
        logy : bool
            Logarithmic y axis.

        Returns
        -------
        self
        """
        plt = _pyplot()
        metrics = self._metrics()
        if ax is None:
            _, ax = plt.subplots(figsize=(5, 3.2))
        epochs = self._epochs()
        self.lines_ = {m: ax.plot(epochs, self.history[m], marker="o", markersize=3, label=m)[0]
                       for m in metrics}
        best_metric, self.best_epoch_ = self._best(metrics)
        if mark_best and self.best_epoch_ is not None:
            ax.axvline(self.best_epoch_, color="grey", linestyle=":",
                       label=f"best {best_metric} (epoch {self.best_epoch_})")
        if logy:
            ax.set_yscale("log")
        ax.set_xlabel("epoch")
        ax.set_ylabel(metrics[0] if len(metrics) == 1 else "value")
        ax.legend()
        self.ax_, self.figure_ = ax, ax.figure
        return self

    @classmethod
    def from_estimator(cls, estimator, metrics=None, **plot_kwargs) -> HistoryDisplay:
        """Draw the learning curves of a fitted skattention estimator.

        Parameters
        ----------
        estimator : fitted skattention estimator
        metrics : list of str, optional
            Columns of ``estimator.history_``; default its losses.
        **plot_kwargs
            Passed to :meth:`plot`.
        """
        stopper = dict(getattr(estimator.net_, "callbacks_", [])).get("early_stopping")
        best_metric = getattr(stopper, "monitor", None)
        history = estimator.history_
        if f"{best_metric}_best" not in history:
            best_metric = None
        return cls(history, metrics, best_metric).plot(**plot_kwargs)


def plot_history(estimator, metrics=None, **plot_kwargs):
    """Shortcut for :meth:`HistoryDisplay.from_estimator`; returns the Axes."""
    return HistoryDisplay.from_estimator(estimator, metrics, **plot_kwargs).ax_


class ComparisonDisplay:
    """Fold scores of several models side by side, as
    :func:`skattention.model_selection.compare` gives them.

    Each model is a column (the best mean first) with one dot per fold and a
    bar at the mean; grey lines join the scores of the same fold, so a model
    that wins on every fold reads as lines sloping the same way.

    Parameters
    ----------
    table : pandas.DataFrame
        ``Comparison.table``: columns ``model``, ``fold`` and ``score``.
    scoring : str, default="score"
        The axis label.

    Attributes
    ----------
    ax_, figure_ : matplotlib objects, after :meth:`plot`.
    order_ : list of str
        The models from left to right.

    Examples
    --------
    >>> import pandas as pd
    >>> from skattention.plotting import ComparisonDisplay
    >>> table = pd.DataFrame({"model": ["crf"] * 3 + ["attention"] * 3, "fold": [0, 1, 2] * 2,
    ...                       "score": [0.90, 0.91, 0.89, 0.93, 0.92, 0.94]})
    >>> ComparisonDisplay(table, "token accuracy").plot().order_
    ['attention', 'crf']
    """

    def __init__(self, table, scoring: str = "score"):
        self.table = table
        self.scoring = scoring

    @classmethod
    def from_comparison(cls, comparison, **plot_kwargs):
        """Draw a :class:`~skattention.model_selection.Comparison`."""
        return cls(comparison.table, comparison.scoring).plot(**plot_kwargs)

    def plot(self, *, ax=None, title: str | None = None):
        """Draw on ``ax`` (a new figure by default); returns ``self``."""
        plt = _pyplot()
        if ax is None:
            _, ax = plt.subplots(figsize=(1.6 + 1.3 * self.table["model"].nunique(), 3.6))
        means = self.table.groupby("model", sort=False)["score"].mean().sort_values(ascending=False, kind="stable")
        self.order_ = list(means.index)
        wide = self.table.pivot(index="fold", columns="model", values="score")[self.order_]
        positions = np.arange(len(self.order_))
        for _, row in wide.iterrows():
            ax.plot(positions, row.to_numpy(), color="0.75", lw=0.8, zorder=1)
        for i, name in enumerate(self.order_):
            ax.scatter(np.full(len(wide), i), wide[name], s=18, zorder=2)
            ax.hlines(means[name], i - 0.25, i + 0.25, color="black", lw=2, zorder=3)
        ax.set_xticks(positions, self.order_, rotation=20, ha="right")
        ax.set_ylabel(self.scoring)
        ax.set_title(title if title is not None else f"{len(wide)} folds, mean marked")
        ax.grid(axis="y", alpha=0.3)
        self.ax_, self.figure_ = ax, ax.figure
        return self


__all__ = ["AttentionDisplay", "ComparisonDisplay", "GraphAttentionDisplay", "HistoryDisplay",
           "MoleculeAttentionDisplay", "plot_attention", "plot_graph_attention", "plot_history",
           "plot_molecule_attention"]
