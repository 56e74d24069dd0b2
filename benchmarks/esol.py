"""Aqueous solubility (ESOL, Delaney 2004): attention on SMILES characters vs
RandomForest on descriptors.

5-fold CV (shuffled, seed 0) over the 1,128 molecules, through
``sklearn.model_selection.cross_validate``; every model sees the same folds:

* ``AttentionSequenceRegressor`` reading each SMILES string character by
  character, with no chemistry knowledge (defaults, and the one documented
  configuration below);
* the baseline in the same run: ``RandomForestRegressor`` on the file's six
  descriptors (:data:`skattention.datasets.ESOL_DESCRIPTORS`);
* Delaney's ESOL equation, read from the file's prediction column and scored
  on the same folds.

    python benchmarks/esol.py            # the full 5-fold run
    python benchmarks/esol.py --quick    # 2 folds, 2 epochs
    python benchmarks/esol.py --tune     # how CONFIG was chosen (see below)

CONFIG was chosen by ``GridSearchCV`` (3-fold) on the training part of the
first outer fold only (``--tune``).

Published anchors (MoleculeNet random split, RMSE): MPNN 0.58 (Wu et al.
2018), SMILES-X 0.57 (Lambard & Gracheva 2020).
"""

from __future__ import annotations

import argparse

import numpy as np
from _common import cross_validate_row, report
from sklearn.ensemble import RandomForestRegressor
from sklearn.model_selection import GridSearchCV, KFold

from skattention import AttentionSequenceRegressor
from skattention.datasets import ESOL_DESCRIPTORS, load_esol

# pooling chosen by --tune (mean: 3-fold CV RMSE 0.795 on fold 0's training part, better
# than attention); max_epochs raised so that early stopping, not the budget, ends the fit
CONFIG = dict(pooling="mean", max_epochs=100, random_state=0)
GRID = {"pooling": ["attention", "mean"]}


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--tune", action="store_true", help="run the grid search that chose CONFIG")
    args = parser.parse_args()

    X, y = load_esol()
    frame = load_esol(as_frame=True)
    descriptors = frame[list(ESOL_DESCRIPTORS)].to_numpy()
    equation = frame["ESOL predicted log solubility in mols per litre"].to_numpy()
    config, defaults, n_folds = dict(CONFIG), {"random_state": 0}, 5
    if args.quick:
        config.update(max_epochs=2)
        defaults.update(max_epochs=2)
        n_folds = 2
    cv = KFold(n_folds, shuffle=True, random_state=0)

    if args.tune:
        train, _ = next(cv.split(X))
        search = GridSearchCV(AttentionSequenceRegressor(**config), GRID, cv=KFold(3, shuffle=True, random_state=0),
                              scoring="neg_root_mean_squared_error")
        search.fit([X[i] for i in train], y[train])
        for params, rmse in zip(search.cv_results_["params"], search.cv_results_["mean_test_score"]):
            print(f"{params}: 3-fold CV RMSE {-rmse:.3f}")
        return

    rmse = dict(scoring="neg_root_mean_squared_error", sign=-1.0, cv=cv)
    rows = [
        cross_validate_row("AttentionSequenceRegressor on SMILES characters (documented configuration)",
                           AttentionSequenceRegressor(**config), X, y, **rmse),
        cross_validate_row("AttentionSequenceRegressor on SMILES characters (defaults)",
                           AttentionSequenceRegressor(**defaults), X, y, **rmse),
        cross_validate_row("RandomForestRegressor on the 6 descriptors",
                           RandomForestRegressor(n_estimators=500, random_state=0), descriptors, y, **rmse),
    ]
    folds = [float(np.sqrt(np.mean((equation[test] - y[test]) ** 2))) for _, test in cv.split(X)]
    rows.append({"model": "ESOL equation (Delaney 2004; the file's prediction column)",
                 "score": float(np.mean(folds)), "score_std": float(np.std(folds)), "fold_scores": folds,
                 "fit_seconds": None})
    anchors = [("MPNN, MoleculeNet (published)", 0.58), ("SMILES-X (published)", 0.57)]
    report("esol", rows, f"{n_folds}-fold CV RMSE (log mol/L)", anchors=anchors, quick=args.quick,
           note=f"Documented configuration: `{config}`.", config=config, target=0.80)


if __name__ == "__main__":
    main()
