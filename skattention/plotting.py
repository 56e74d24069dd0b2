"""Attention heatmaps, in the style of scikit-learn's ``Display`` objects.

Needs matplotlib (``pip install skattention[plot]``).
"""

from __future__ import annotations

import numpy as np


def _pyplot():
    try:
        import matplotlib.pyplot as plt
    except ImportError as exc:  # pragma: no cover - exercised only without matplotlib
        raise ImportError("skattention.plotting needs matplotlib: pip install 'skattention[plot]'.") from exc
    return plt


def _labels(sequence) -> list[str]:
    if isinstance(sequence, np.ndarray) and sequence.dtype.kind in "fiub":
        return [str(i) for i in range(len(sequence))]  # numeric frames: their positions
    return [str(tok) for tok in sequence]


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
        return cls(weights, x_labels, y_labels).plot(**plot_kwargs)


def plot_attention(estimator, sequence, **plot_kwargs):
    """Shortcut for :meth:`AttentionDisplay.from_estimator`; returns the Axes."""
    return AttentionDisplay.from_estimator(estimator, sequence, **plot_kwargs).ax_
