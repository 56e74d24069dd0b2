"""ESOL aqueous solubility (Delaney 2004): SMILES strings and descriptors."""

from __future__ import annotations

import os

import numpy as np
import pandas as pd

from ._home import _data_file

#: The six numeric RDKit descriptor columns of ``esol/delaney-processed.csv``,
#: in file order (the usual features of a descriptor baseline).
ESOL_DESCRIPTORS: tuple[str, ...] = (
    "Minimum Degree",
    "Molecular Weight",
    "Number of H-Bond Donors",
    "Number of Rings",
    "Number of Rotatable Bonds",
    "Polar Surface Area",
)

ESOL_TARGET = "measured log solubility in mols per litre"
ESOL_SMILES = "smiles"


def load_esol(
    *, data_home: str | os.PathLike | None = None, as_frame: bool = False
) -> tuple[list[list[str]], np.ndarray] | pd.DataFrame:
    """Load the ESOL aqueous solubility data set (1128 molecules).

    Reads ``<data_home>/esol/delaney-processed.csv`` (Delaney, 2004, "ESOL:
    Estimating aqueous solubility directly from molecular structure",
    J. Chem. Inf. Comput. Sci. 44(3), as processed by MoleculeNet).  The
    regression target is the column
    ``"measured log solubility in mols per litre"``; the column
    ``"ESOL predicted log solubility in mols per litre"`` holds Delaney's own
    model predictions and must not be used as a feature.  The six numeric
    descriptor columns are listed in :data:`ESOL_DESCRIPTORS`.

    Parameters
    ----------
    data_home : str or os.PathLike, optional
        Data home folder, see :func:`get_data_home`.
    as_frame : bool, default=False
        If True, return the whole table as a :class:`pandas.DataFrame`
        (the file's unnamed leading index column becomes the row index).

    Returns
    -------
    X : list of list of str
        Each SMILES string split into characters, ``list(smiles)``.
    y : numpy.ndarray of float, shape (n_molecules,)
        Measured log solubility (log mol/L).

    Or, if ``as_frame=True``, the DataFrame.

    Examples
    --------
    >>> X, y = load_esol()  # doctest: +SKIP
    >>> "".join(X[0])[:10], float(y[0])  # doctest: +SKIP
    ('OCC3OC(OCC', -0.77)
    >>> df = load_esol(as_frame=True)  # doctest: +SKIP
    >>> df[list(ESOL_DESCRIPTORS)].shape  # doctest: +SKIP
    (1128, 6)
    """
    path = _data_file(data_home, "esol", "delaney-processed.csv")
    frame = pd.read_csv(path, index_col=0)
    if as_frame:
        return frame
    X = [list(str(smiles)) for smiles in frame[ESOL_SMILES]]
    y = frame[ESOL_TARGET].to_numpy(dtype=np.float64)
    return X, y
