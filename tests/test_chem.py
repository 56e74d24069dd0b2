"""skattention/chem.py: SMILES to graphs with RDKit's atom features, errors
that name the molecule, and molecule models that do not depend on how RDKit
numbers the atoms."""

import numpy as np
import pytest
from conftest import TINY

Chem = pytest.importorskip("rdkit.Chem")

from skattention import AttentionSequenceRegressor  # noqa: E402
from skattention.chem import ATOM_FEATURES, N_ATOM_FEATURES, smiles_to_graphs  # noqa: E402
from skattention.preprocessing import Graph  # noqa: E402

SMILES = ["CCO", "c1ccccc1O", "CC(=O)[O-]", "C[NH3+]", "ClC(Cl)Cl", "CC#N", "OCC(O)CO", "c1ccncc1",
          "CCCCCC", "CS(=O)C", "O=C=O", "C1CCCCC1", "NC(=O)N", "CCOC(=O)C", "Brc1ccccc1", "CCSCC"]


def _column(name):
    return ATOM_FEATURES.index(name)


def test_atoms_get_one_hot_features_and_bonds_become_edges():
    ethanol, phenol, acetate = smiles_to_graphs(SMILES[:3])
    assert ethanol.nodes.shape == (3, N_ATOM_FEATURES) and ethanol.edges.tolist() == [[0, 1], [1, 2]]
    # every one-hot group holds exactly one 1 per atom
    groups = {name.split("=")[0] for name in ATOM_FEATURES if "=" in name}
    for group in groups:
        columns = [i for i, name in enumerate(ATOM_FEATURES) if name.startswith(group + "=")]
        assert (phenol.nodes[:, columns].sum(axis=1) == 1).all(), group
    assert phenol.nodes[:, _column("aromatic")].tolist() == [1] * 6 + [0]
    assert phenol.nodes[:, _column("element=O")].tolist() == [0] * 6 + [1]
    assert ethanol.nodes[:, _column("hydrogens=3")].tolist() == [1, 0, 0]
    assert acetate.nodes[:, _column("charge=-1")].tolist() == [0, 0, 0, 1]
    assert acetate.nodes[:, _column("hybridisation=SP2")].tolist() == [0, 1, 1, 1]
    assert ethanol.edge_types == ["SINGLE", "SINGLE"] and acetate.edge_types == ["SINGLE", "DOUBLE", "SINGLE"]
    assert phenol.edge_types == ["AROMATIC"] * 5 + ["SINGLE", "AROMATIC"]  # bond 5 joins the ring to the O
    assert type(smiles_to_graphs(["CC#N"], bond_types=False)[0]) is Graph
    assert smiles_to_graphs(["CC#N"])[0].edge_types == ["SINGLE", "TRIPLE"]


def test_bad_smiles_are_named_by_index():
    with pytest.raises(ValueError, match=r"smiles\[1\] = 'C\(\(' is not a valid SMILES string"):
        smiles_to_graphs(["CCO", "C(("])
    with pytest.raises(TypeError, match=r"smiles\[0\] is a int; expected a SMILES string"):
        smiles_to_graphs([3])
    with pytest.raises(ValueError, match=r"smiles\[0\] = '' has no heavy atoms"):
        smiles_to_graphs([""])


def test_a_molecule_model_does_not_depend_on_the_atom_numbering():
    y = np.array([Chem.MolFromSmiles(s).GetNumAtoms() * 0.5 for s in SMILES])
    model = AttentionSequenceRegressor(**TINY, pooling="combined").fit(smiles_to_graphs(SMILES), y)
    rng = np.random.RandomState(0)
    renumbered = []
    for s in SMILES:
        mol = Chem.MolFromSmiles(s)
        order = [int(i) for i in rng.permutation(mol.GetNumAtoms())]
        renumbered.append(Chem.MolToSmiles(Chem.RenumberAtoms(mol, order), canonical=False))
    assert renumbered != SMILES  # the strings (and atom orders) differ
    np.testing.assert_allclose(model.predict(smiles_to_graphs(renumbered)), model.predict(smiles_to_graphs(SMILES)),
                               rtol=1e-5, atol=1e-6)
