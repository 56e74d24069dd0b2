"""What the plotting modules share: lazy imports of matplotlib, networkx and
RDKit with messages naming the extra to install, labels, colormaps and
index checks."""

from __future__ import annotations

import numpy as np


def _pyplot():
    try:
        import matplotlib.pyplot as plt
    except ImportError as exc:  # pragma: no cover - exercised only without matplotlib
        raise ImportError("skattention.plotting needs matplotlib: pip install 'skattention[plot]'.") from exc
    return plt


def _labels(sequence) -> list[str]:
    """Tokens as they are, numeric elements (frames, node features) as their positions."""
    if isinstance(sequence, np.ndarray) and sequence.dtype.kind in "fiub":
        return [str(i) for i in range(len(sequence))]
    return [str(tok) for tok in sequence]


def _networkx():
    try:
        import networkx as nx
    except ImportError as exc:  # pragma: no cover - networkx comes with PyTorch
        raise ImportError("GraphAttentionDisplay needs networkx: pip install networkx.") from exc
    return nx


def _rdkit():
    try:
        from rdkit import Chem
        from rdkit.Chem.Draw import rdMolDraw2D
    except ImportError as exc:  # pragma: no cover - exercised only without RDKit
        raise ImportError("Drawing molecules needs RDKit: pip install 'skattention[chem]' "
                          "(or pip install rdkit).") from exc
    return Chem, rdMolDraw2D


def _light(cmap):
    """The named colormap; None: Oranges without its darkest part, so that
    black labels stay legible on every shade."""
    import matplotlib
    from matplotlib.colors import ListedColormap

    if cmap is not None:
        return matplotlib.colormaps[cmap] if isinstance(cmap, str) else cmap
    return ListedColormap(matplotlib.colormaps["Oranges"](np.linspace(0, 0.7, 256)), name="Oranges_light")


def _check_index(name: str, value, n: int, what: str, alternative: str = "") -> int:
    integer = isinstance(value, (int, np.integer)) and not isinstance(value, bool)
    if not integer or not -n <= value < n:
        raise ValueError(f"{name}={value!r} {'is out of range' if integer else 'is not an int'}: the model has "
                         f"{n} {what}, so {name} must be an int from 0 to {n - 1} (or from -{n}, counting "
                         f"from the last){alternative}.")
    return int(value) % n
