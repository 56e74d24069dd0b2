"""
Solubility from molecular graphs, and what the model looks at
=============================================================

The same ESOL data as :ref:`the SMILES example
<sphx_glr_auto_examples_plot_smiles_regression.py>`, read the way chemists'
graph models read molecules: :func:`skattention.chem.smiles_to_graphs`
turns each SMILES string into a graph whose nodes are the heavy atoms (with
the standard one-hot atom features: element, degree, hydrogens, charge,
hybridisation, aromaticity, ring) and whose edges are the bonds, typed by
bond order. An :class:`~skattention.AttentionSequenceRegressor` fits the
list of graphs as it would a list of sequences: self-attention over the
atoms, biased by the number of bonds between two atoms and by the type of
the bond between neighbours, then pooling.

Solubility grows and shrinks with the size of a molecule, so the pooling is
``"combined"`` (attention, mean, max and a sum scaled by the typical size),
the one documented configuration of the benchmarks page. One 80/20 split,
against a random forest on the six descriptors of the file; the 5-fold
comparison, with RDKit's full descriptor set, is on the benchmarks page.
"""

# %%
# Molecules as graphs
# -------------------
import time

import matplotlib.pyplot as plt
import numpy as np
from sklearn.ensemble import RandomForestRegressor
from sklearn.metrics import mean_squared_error
from sklearn.model_selection import train_test_split

from skattention import AttentionSequenceRegressor
from skattention.chem import ATOM_FEATURES, ELEMENTS, smiles_to_graphs
from skattention.datasets import ESOL_DESCRIPTORS, load_esol
from skattention.plotting import plot_graph_attention, plot_molecule_attention

frame = load_esol(as_frame=True)
smiles = [s.strip() for s in frame["smiles"]]
y = frame["measured log solubility in mols per litre"].to_numpy()
graphs = smiles_to_graphs(smiles)
nodes, edges, bonds = graphs[0]
print(f"{smiles[0]}: {len(nodes)} atoms with {len(ATOM_FEATURES)} features, {len(edges)} bonds "
      f"({', '.join(sorted(set(bonds)))})")

idx_train, idx_test = train_test_split(np.arange(len(y)), test_size=0.2, random_state=0)


def rmse(y_true, y_pred):
    return mean_squared_error(y_true, y_pred) ** 0.5


# %%
# Fit and compare
# ---------------
reg = AttentionSequenceRegressor(pooling="combined", random_state=0)
t0 = time.perf_counter()
reg.fit([graphs[i] for i in idx_train], y[idx_train])
print(f"fit in {time.perf_counter() - t0:.0f} s")
pred_graph = reg.predict([graphs[i] for i in idx_test])

descriptors = frame[list(ESOL_DESCRIPTORS)].to_numpy()
forest = RandomForestRegressor(n_estimators=300, random_state=0).fit(descriptors[idx_train], y[idx_train])
pred_forest = forest.predict(descriptors[idx_test])
for name, pred in [("AttentionSequenceRegressor on graphs", pred_graph), ("RandomForest, 6 descriptors", pred_forest)]:
    print(f"{name:<40s} test RMSE {rmse(y[idx_test], pred):.3f}")

# %%
# Which atoms the pooling weighs
# ------------------------------
# :func:`~skattention.plotting.plot_molecule_attention` draws a molecule with
# RDKit and shades each atom by its attention-pooling weight (atom ``i`` of
# the drawing is node ``i`` of the graph). Two test molecules, the least and
# the most soluble among those of 10 to 20 heavy atoms:
sizes = np.array([len(graphs[i].nodes) for i in idx_test])
moderate = np.flatnonzero((sizes >= 10) & (sizes <= 20))
picked = [idx_test[moderate[np.argmin(y[idx_test][moderate])]], idx_test[moderate[np.argmax(y[idx_test][moderate])]]]
fig, axes = plt.subplots(1, 2, figsize=(10, 4))
for ax, i in zip(axes, picked):
    plot_molecule_attention(reg, smiles[i], ax=ax, size=(420, 320))
    ax.set_title(f"measured {y[i]:.2f}, predicted {reg.predict([graphs[i]])[0]:.2f}", fontsize=10)
fig.tight_layout()

# %%
# Attention along the bonds
# -------------------------
# :func:`~skattention.plotting.plot_graph_attention` draws the graph itself
# (networkx's layout, not chemistry's): each bond shaded by the self-attention
# between its two atoms in the last layer, averaged over heads, and each atom
# by its pooling weight.
n_elements = len(ELEMENTS) + 1  # the element one-hot comes first, "other" last
element = [ATOM_FEATURES[j].split("=")[1] for j in graphs[picked[0]].nodes[:, :n_elements].argmax(axis=1)]
display = plot_graph_attention(reg, graphs[picked[0]], node_labels=element)
display.ax_.set_title(smiles[picked[0]], fontsize=10)
plt.show()
