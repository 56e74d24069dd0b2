"""A number for every atom of real molecules (N→N on graphs): RDKit's
Gasteiger partial charge of each heavy atom of the ESOL molecules.

Gasteiger charges come from an iterative equalisation of electronegativity
along the bonds, so an atom's charge depends on its neighbours and, more
weakly, on atoms a few bonds away: a test of reading structure. 5-fold CV
(shuffled, seed 0) over the 1,128 molecules; every model sees the same
folds and the same atom features (:data:`skattention.chem.ATOM_FEATURES`,
41 one-hot columns):

* ``AttentionTokenRegressor`` over each molecule's graph
  (:func:`skattention.chem.smiles_to_graphs`, typed bonds), defaults;
* the same estimator reading the atoms as a plain sequence, in SMILES
  order, without the bonds, defaults;
* ``RandomForestRegressor`` per atom on the atom's own features, the mean of
  its neighbours' features and the count of each bond type around it (the
  classical baseline for a per-node target).

The score is the RMSE over every atom of the held-out molecules (in units of
the electron charge), with R² beside it. Atoms whose charge RDKit cannot
compute (NaN) would be unlabelled; on ESOL there are none.

    python benchmarks/atom_charges.py            # the full 5-fold run
    python benchmarks/atom_charges.py --quick    # 200 molecules, 2 folds, 2 epochs
"""

from __future__ import annotations

import argparse

import numpy as np
from _common import Timer, write_results
from sklearn.ensemble import RandomForestRegressor
from sklearn.metrics import r2_score
from sklearn.model_selection import KFold

from skattention import AttentionTokenRegressor
from skattention.chem import smiles_to_graphs
from skattention.datasets import load_esol

BOND_TYPES = ("SINGLE", "DOUBLE", "TRIPLE", "AROMATIC")


def gasteiger_charges(smiles: list[str]) -> list[np.ndarray]:
    """Each molecule's heavy-atom Gasteiger charges, in RDKit's atom order
    (the node order of smiles_to_graphs)."""
    from rdkit import Chem
    from rdkit.Chem import AllChem

    out = []
    for s in smiles:
        mol = Chem.MolFromSmiles(s)
        AllChem.ComputeGasteigerCharges(mol)
        out.append(np.array([a.GetDoubleProp("_GasteigerCharge") for a in mol.GetAtoms()], dtype=np.float64))
    return out


def atom_table(graph) -> np.ndarray:
    """Per atom: its features, its neighbours' mean features, and its bond-type counts."""
    nodes, edges, types = graph
    n = len(nodes)
    A = np.zeros((n, n))
    counts = np.zeros((n, len(BOND_TYPES)))
    for (u, v), t in zip(edges, types):
        A[u, v] = A[v, u] = 1.0
        k = BOND_TYPES.index(t) if t in BOND_TYPES else None
        if k is not None:
            counts[u, k] += 1
            counts[v, k] += 1
    means = A @ nodes / np.maximum(A.sum(axis=1, keepdims=True), 1)
    return np.hstack([nodes, means, counts])


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true")
    args = parser.parse_args()

    X, _ = load_esol()
    smiles = ["".join(x) for x in X]
    if args.quick:
        smiles = smiles[:200]
    graphs = smiles_to_graphs(smiles)
    charges = gasteiger_charges(smiles)
    sequences = [g.nodes for g in graphs]  # the same atoms, in SMILES order, without the bonds
    tables = [atom_table(g) for g in graphs]
    extra = {"max_epochs": 2} if args.quick else {}
    cv = KFold(2 if args.quick else 5, shuffle=True, random_state=0)

    models = {
        "AttentionTokenRegressor on molecular graphs (defaults)": ("graphs", lambda: AttentionTokenRegressor(
            random_state=0, **extra)),
        "AttentionTokenRegressor on the atoms as a sequence, no bonds (defaults)": (
            "sequences", lambda: AttentionTokenRegressor(random_state=0, **extra)),
        "RandomForestRegressor per atom: own + neighbour-mean features, bond counts": (
            "tables", lambda: RandomForestRegressor(n_estimators=300, n_jobs=1, random_state=0)),
    }
    data = {"graphs": graphs, "sequences": sequences, "tables": tables}
    rows = []
    for name, (kind, make) in models.items():
        rmse, r2, fit_seconds = [], [], []
        for train, test in cv.split(smiles):
            model = make()
            with Timer() as t:
                if kind == "tables":
                    model.fit(np.concatenate([tables[i] for i in train]), np.concatenate([charges[i] for i in train]))
                    pred = [model.predict(tables[i]) for i in test]
                else:
                    model.fit([data[kind][i] for i in train], [charges[i] for i in train])
                    pred = model.predict([data[kind][i] for i in test])
            truth = np.concatenate([charges[i] for i in test])
            pred = np.concatenate(pred)
            rmse.append(float(np.sqrt(np.mean((pred - truth) ** 2))))
            r2.append(float(r2_score(truth, pred)))
            fit_seconds.append(t.seconds)
            print(f"{name}: fold RMSE {rmse[-1]:.4f}, R² {r2[-1]:.4f} ({t.seconds:.0f} s)", flush=True)
        rows.append({"model": name, "rmse": float(np.mean(rmse)), "rmse_std": float(np.std(rmse)),
                     "r2": float(np.mean(r2)), "fold_rmse": rmse, "fit_predict_seconds": float(np.mean(fit_seconds))})

    n_atoms = sum(len(c) for c in charges)
    table = ["| model | RMSE (e) | R² | fit + predict per fold |", "|---|---|---|---|"]
    for row in sorted(rows, key=lambda r: r["rmse"]):
        table.append(f"| {row['model']} | {row['rmse']:.4f} ± {row['rmse_std']:.4f} | {row['r2']:.4f} | "
                     f"{row['fit_predict_seconds']:.0f} s |")
    table += ["", f"{len(smiles)} molecules, {n_atoms} heavy atoms; charges' standard deviation "
                  f"{np.std(np.concatenate(charges)):.4f} e; {cv.get_n_splits()}-fold CV over molecules."]
    print("\n".join(table))
    write_results("atom_charges", {"rows": rows, "n_molecules": len(smiles), "n_atoms": n_atoms},
                  "\n".join(table), quick=args.quick)


if __name__ == "__main__":
    main()
