"""Molecules as graphs: SMILES strings to the ``(nodes, edges)`` graphs every
estimator takes, with RDKit (the ``[chem]`` extra).

Each heavy atom is a node with the standard one-hot features of graph
models for chemistry (as in DeepChem, AttentiveFP and D-MPNN): element,
degree, attached hydrogens, formal charge, hybridisation, aromaticity and
ring membership, :data:`N_ATOM_FEATURES` numbers in all; each bond is an
edge, typed by its bond type (``"SINGLE"``, ``"DOUBLE"``, ``"TRIPLE"``,
``"AROMATIC"``, as RDKit names them).

Examples
--------
>>> from skattention.chem import smiles_to_graphs
>>> graphs = smiles_to_graphs(["CCO", "c1ccccc1"])
>>> nodes, edges, bonds = graphs[0]
>>> nodes.shape, edges.tolist(), bonds
((3, 41), [[0, 1], [1, 2]], ['SINGLE', 'SINGLE'])
>>> from skattention.chem import ATOM_FEATURES
>>> int(graphs[1].nodes[:, ATOM_FEATURES.index("aromatic")].sum())
6
"""

from __future__ import annotations

import numpy as np

from ._graphs import Graph, TypedGraph

#: elements with a one-hot column of their own; any other element shares the last one
ELEMENTS = ("C", "N", "O", "S", "F", "Cl", "Br", "I", "P", "B", "Si", "Se", "Na", "K")
DEGREES = (0, 1, 2, 3, 4, 5)
HYDROGENS = (0, 1, 2, 3, 4)
CHARGES = (-1, 0, 1)
HYBRIDISATIONS = ("S", "SP", "SP2", "SP3", "SP3D", "SP3D2")

#: the name of every column of an atom's features
ATOM_FEATURES = (
    [f"element={e}" for e in ELEMENTS] + ["element=other"]
    + [f"degree={d}" for d in DEGREES] + ["degree=other"]
    + [f"hydrogens={h}" for h in HYDROGENS] + ["hydrogens=other"]
    + [f"charge={c}" for c in CHARGES] + ["charge=other"]
    + [f"hybridisation={h}" for h in HYBRIDISATIONS] + ["hybridisation=other"]
    + ["aromatic", "in_ring"]
)
N_ATOM_FEATURES = len(ATOM_FEATURES)


def _rdkit():
    try:
        from rdkit import Chem, RDLogger
    except ImportError as exc:
        raise ImportError("skattention.chem needs RDKit: pip install skattention[chem] (or pip install rdkit).") \
            from exc
    RDLogger.DisableLog("rdApp.*")  # invalid SMILES are reported by index below, not on stderr
    return Chem


def _one_hot(value, choices) -> list[float]:
    out = [0.0] * (len(choices) + 1)
    out[choices.index(value) if value in choices else len(choices)] = 1.0
    return out


def atom_features(atom) -> np.ndarray:
    """The :data:`ATOM_FEATURES` of one RDKit atom."""
    return np.array(
        _one_hot(atom.GetSymbol(), ELEMENTS) + _one_hot(atom.GetDegree(), DEGREES)
        + _one_hot(atom.GetTotalNumHs(), HYDROGENS) + _one_hot(atom.GetFormalCharge(), CHARGES)
        + _one_hot(str(atom.GetHybridization()), HYBRIDISATIONS)
        + [float(atom.GetIsAromatic()), float(atom.IsInRing())], dtype=np.float32)


def smiles_to_graphs(smiles, *, bond_types: bool = True) -> list[TypedGraph] | list[Graph]:
    """One graph per SMILES string: heavy atoms as nodes (their
    :data:`ATOM_FEATURES`), bonds as edges.

    Parameters
    ----------
    smiles : iterable of str
    bond_types : bool, default=True
        Type each edge by its bond type (RDKit's name: ``"SINGLE"``,
        ``"DOUBLE"``, ``"TRIPLE"``, ``"AROMATIC"``, ...); the model then
        learns a bias per type. False gives untyped graphs.

    Returns
    -------
    list of TypedGraph (list of Graph with ``bond_types=False``)

    Raises
    ------
    ValueError
        For a string RDKit cannot read, or a molecule without heavy atoms
        (the message names its index).
    TypeError
        For an element that is not a string.
    """
    Chem = _rdkit()
    graphs = []
    for i, s in enumerate(smiles):
        if not isinstance(s, str):
            raise TypeError(f"smiles[{i}] is a {type(s).__name__}; expected a SMILES string.")
        mol = Chem.MolFromSmiles(s)
        if mol is None:
            raise ValueError(f"smiles[{i}] = {s!r} is not a valid SMILES string (RDKit cannot parse it).")
        if mol.GetNumAtoms() == 0:
            raise ValueError(f"smiles[{i}] = {s!r} has no heavy atoms.")
        nodes = np.stack([atom_features(a) for a in mol.GetAtoms()])
        edges = np.array([[b.GetBeginAtomIdx(), b.GetEndAtomIdx()] for b in mol.GetBonds()],
                         dtype=np.int64).reshape(-1, 2)
        graphs.append(TypedGraph(nodes, edges, [str(b.GetBondType()) for b in mol.GetBonds()]) if bond_types
                      else Graph(nodes, edges))
    return graphs
