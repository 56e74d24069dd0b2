"""Attention on molecules: each atom of an RDKit drawing shaded by what it
weighs to a model fitted on :func:`skattention.chem.smiles_to_graphs`
graphs (see :mod:`skattention._graph_plots`).

Re-exported by :mod:`skattention.plotting`. Needs matplotlib and RDKit
(``pip install 'skattention[chem]'``).
"""

from __future__ import annotations

import io

import numpy as np

from ._graph_plots import NODE_WEIGHTS, _graph_weights
from ._plot_utils import _light, _pyplot, _rdkit


class MoleculeAttentionDisplay:
    """A molecule drawn by RDKit, each atom shaded by its weight, shown in a
    matplotlib Axes.

    Parameters
    ----------
    smiles : str
        The molecule. Atom ``i`` is node ``i`` of
        ``skattention.chem.smiles_to_graphs([smiles])[0]`` (its heavy
        atoms, in RDKit's order).
    atom_weights : array-like of shape (n_atoms,)
        The shade of each heavy atom.
    label : str, default="atom weight"
        The colorbar's label.

    Attributes
    ----------
    ax_, figure_, im_ : matplotlib objects, after :meth:`plot`.
    image_ : ndarray of shape (height, width, channels)
        The picture RDKit drew (floats from 0 to 1).
    colorbar_ : matplotlib Colorbar or None

    Examples
    --------
    >>> from skattention.plotting import MoleculeAttentionDisplay
    >>> disp = MoleculeAttentionDisplay("CCO", [0.2, 0.3, 0.5]).plot(size=(300, 200))
    >>> disp.image_.shape[:2]
    (200, 300)
    """

    def __init__(self, smiles: str, atom_weights, *, label: str = "atom weight"):
        self.smiles = smiles
        self.atom_weights = np.asarray(atom_weights, dtype=np.float64)
        self.label = label

    def plot(self, *, ax=None, size: tuple[int, int] = (400, 300), cmap: str | None = None,
             colorbar: bool = True, atom_indices: bool = False) -> MoleculeAttentionDisplay:
        """Draw the molecule.

        Parameters
        ----------
        ax : matplotlib Axes, optional
        size : (int, int)
            The picture's width and height in pixels.
        cmap : str, optional
            From 0 to the largest weight; default a light orange (the atom
            symbols stay legible).
        colorbar : bool
        atom_indices : bool
            Write each atom's index (its node position) beside it.

        Returns
        -------
        self
        """
        plt = _pyplot()
        from matplotlib import cm
        from matplotlib.colors import Normalize

        Chem, rdMolDraw2D = _rdkit()
        mol = Chem.MolFromSmiles(self.smiles)
        if mol is None:
            raise ValueError(f"{self.smiles!r} is not a valid SMILES string (RDKit cannot parse it).")
        n = mol.GetNumAtoms()
        if self.atom_weights.shape != (n,):
            raise ValueError(f"atom_weights of shape {self.atom_weights.shape} do not match the {n} heavy "
                             f"atoms of {self.smiles!r}.")
        norm = Normalize(0, max(float(self.atom_weights.max(initial=0)), 1e-12))
        colormap = _light(cmap)
        colours = {i: tuple(float(c) for c in colormap(norm(w))[:3]) for i, w in enumerate(self.atom_weights)}
        drawer = rdMolDraw2D.MolDraw2DCairo(int(size[0]), int(size[1]))
        drawer.drawOptions().addAtomIndices = atom_indices
        rdMolDraw2D.PrepareAndDrawMolecule(drawer, mol, highlightAtoms=list(range(n)),
                                           highlightAtomColors=colours, highlightBonds=[])
        drawer.FinishDrawing()
        self.image_ = plt.imread(io.BytesIO(drawer.GetDrawingText()), format="png")
        if ax is None:
            _, ax = plt.subplots(figsize=(size[0] / 80 + (1.2 if colorbar else 0), size[1] / 80))
        self.im_ = ax.imshow(self.image_)
        ax.set_axis_off()
        self.colorbar_ = None
        if colorbar:
            self.colorbar_ = ax.figure.colorbar(cm.ScalarMappable(norm=norm, cmap=colormap), ax=ax,
                                                label=self.label)
        self.ax_, self.figure_ = ax, ax.figure
        return self

    @classmethod
    def from_estimator(cls, estimator, smiles: str, *, layer: int = -1, head: int | str = "mean",
                       **plot_kwargs) -> MoleculeAttentionDisplay:
        """Draw what each atom of a molecule weighs to a model fitted on
        :func:`~skattention.chem.smiles_to_graphs` graphs.

        The weights are the node weights of
        :meth:`GraphAttentionDisplay.from_estimator`: the pooling weights
        for a sequence model that pools with attention, else the attention
        each atom receives in ``layer`` (or, with ``pooling="cls"``, the
        summary position's).

        Parameters
        ----------
        estimator : skattention estimator fitted on molecule graphs
        smiles : str
        layer : int, default=-1
        head : int or "mean", default="mean"
        **plot_kwargs
            Passed to :meth:`plot`.

        Returns
        -------
        MoleculeAttentionDisplay
        """
        from .chem import smiles_to_graphs

        _rdkit()
        estimator._check_fitted()
        typed = hasattr(estimator.input_encoder_, "edge_types_")  # as the model was fitted: bond types or not
        graph = smiles_to_graphs([smiles], bond_types=typed)[0]
        found = _graph_weights(estimator, graph, layer, head)
        return cls(smiles, found.node_weights, label=NODE_WEIGHTS[found.source]).plot(**plot_kwargs)


def plot_molecule_attention(estimator, smiles: str, *, layer: int = -1, head: int | str = "mean", ax=None,
                            **plot_kwargs) -> MoleculeAttentionDisplay:
    """Shortcut for :meth:`MoleculeAttentionDisplay.from_estimator`; returns
    the display.

    Examples
    --------
    >>> from skattention import AttentionSequenceRegressor
    >>> from skattention.chem import smiles_to_graphs
    >>> from skattention.plotting import plot_molecule_attention
    >>> smiles = ["CCO", "c1ccccc1", "CC(=O)O", "CCN"] * 2
    >>> reg = AttentionSequenceRegressor(max_epochs=2, d_model=8, n_heads=2, n_layers=1,
    ...                                  random_state=0).fit(smiles_to_graphs(smiles), [1.0, 2.0, 3.0, 4.0] * 2)
    >>> disp = plot_molecule_attention(reg, "CC(=O)O", size=(300, 200))
    >>> disp.atom_weights.shape, disp.image_.shape[:2]
    ((4,), (200, 300))
    """
    return MoleculeAttentionDisplay.from_estimator(estimator, smiles, layer=layer, head=head, ax=ax,
                                                   **plot_kwargs)
