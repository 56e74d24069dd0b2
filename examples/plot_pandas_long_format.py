"""
Sequences from a pandas long-format table
==========================================

Sensor logs, event tables and database exports usually come in *long format*:
one row per reading, with a column naming the sequence (a machine, a
patient, a session), a time column, the measured values and a label.
:func:`skattention.preprocessing.from_long_format` turns such a table into the
list of ``(length, n_features)`` arrays the estimators read, with one label
per sequence (N→1) or one per row (N→N).

We simulate vibration and temperature logs of 600 machines. Every log holds
one five-reading burst of vibration: an oscillating burst on faulty machines,
a one-sided bump on healthy ones. A sequence classifier tells the two apart
and its attention pooling shows where in the log it looks; a token
classifier, trained from the same table, marks the burst itself.
"""

# %%
# A long-format table
# -------------------
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import train_test_split
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from skattention import AttentionSequenceClassifier, AttentionTokenClassifier
from skattention.metrics import flat_f1_score
from skattention.preprocessing import from_long_format

rng = np.random.RandomState(0)
frames = []
for i in range(600):
    n = rng.randint(30, 81)
    noise = rng.normal(0, 1, n)
    vibration = np.zeros(n)
    for t in range(n):  # smooth background vibration: an AR(1) process
        vibration[t] = 0.6 * (vibration[t - 1] if t else 0.0) + noise[t]
    temperature = 40 + np.cumsum(rng.normal(0, 0.2, n))
    faulty = i % 2 == 1
    start = rng.randint(0, n - 5)
    amplitude = rng.uniform(2.0, 3.0)
    burst = amplitude * (np.array([1, -1, 1, -1, 1]) if faulty else np.ones(5))
    vibration[start:start + 5] += burst
    event = np.full(n, "none", dtype=object)
    event[start:start + 5] = "burst"
    frames.append(pd.DataFrame({
        "machine": f"M{i:03d}",
        "timestamp": pd.Timestamp("2024-01-01") + pd.to_timedelta(np.arange(n) * 30, unit="s"),
        "vibration": vibration,
        "temperature": temperature,
        "status": "fault" if faulty else "ok",
        "event": event,
    }))
# rows arrive in no particular order, as they might from a database
df = pd.concat(frames, ignore_index=True).sample(frac=1, random_state=0).reset_index(drop=True)
print(f"{len(df)} rows, {df['machine'].nunique()} machines")
print(df.head())

# %%
# From long to sequences
# ----------------------
# ``order_col`` sorts the rows of each machine by time (here a datetime
# column); ``sequence_target=True`` asks for one label per machine (it must
# be constant within a machine). Sequences come out in the order in which
# their machine first appears in the table.
value_cols = ["vibration", "temperature"]
X, y = from_long_format(df, sequence_col="machine", value_cols=value_cols,
                        order_col="timestamp", target_col="status", sequence_target=True)
machines = list(pd.unique(df["machine"]))
print(len(X), X[0].shape, y[:5])

idx_train, idx_test = train_test_split(np.arange(len(X)), test_size=0.3, stratify=y, random_state=0)
X_train, X_test = [X[i] for i in idx_train], [X[i] for i in idx_test]
y_train, y_test = y[idx_train], y[idx_test]

# %%
# A sequence classifier
# ---------------------
# A BiLSTM with additive attention pooling: the pooling is the model's only
# attention, so its weights say which readings the decision rests on. On
# this task the validation loss plateaus for a while before the model finds
# the burst, which stops training too early with a small validation split,
# so we train on all training machines for a fixed 60 epochs
# (``train_split=None``).
clf = AttentionSequenceClassifier(encoder="birnn", pooling="attention", attention="additive",
                                  d_model=32, max_epochs=60, train_split=None, random_state=0)
clf.fit(X_train, y_train)
print(f"AttentionSequenceClassifier test accuracy: {clf.score(X_test, y_test):.3f}")

# %%
# The classical way to use a long table is to aggregate it: one row of
# summary statistics per machine with ``groupby``, then any tabular model.
# These statistics ignore the order of the readings, and the two kinds of
# burst have the same amplitude, so they only catch the small shift of the
# mean and spread that a one-sided bump causes.
summary = df.groupby("machine", sort=False)[value_cols].agg(["mean", "std", "min", "max"])
summary = summary.loc[machines]  # same order as X
baseline = make_pipeline(StandardScaler(), LogisticRegression(max_iter=1000))
baseline.fit(summary.iloc[idx_train], y_train)
print(f"LogisticRegression on per-machine statistics, test accuracy: "
      f"{baseline.score(summary.iloc[idx_test], y_test):.3f}")

# %%
# Where does the classifier look?
# -------------------------------
# The classifier, which reads the readings in order, is well ahead of the
# aggregated statistics. Below: the share of its pooling weight that falls on
# the five burst readings, over all test machines, then the weights of two
# faulty and one healthy test machine over their vibration signal, with the
# true burst shaded. The burst is the evidence for either class, so the
# pooling looks there for healthy machines too.
burst_of = {m: g.sort_values("timestamp")["event"].to_numpy() == "burst"
            for m, g in df.groupby("machine")}
weights = clf.attention_weights(X_test)
mass = np.array([w[burst_of[machines[i]]].sum() for i, w in zip(idx_test, weights)])
uniform = np.array([5 / len(w) for w in weights])
print(f"attention mass on the 5 burst readings: mean {mass.mean():.2f} "
      f"(uniform pooling would give {uniform.mean():.2f})")

faulty_k = [k for k, i in enumerate(idx_test) if y[i] == "fault"][:2]
healthy_k = [k for k, i in enumerate(idx_test) if y[i] == "ok"][:1]
fig, axes = plt.subplots(3, 1, figsize=(8, 6.5), sharex=True)
for ax, k in zip(axes, faulty_k + healthy_k):
    i = idx_test[k]
    burst = np.flatnonzero(burst_of[machines[i]])
    ax.axvspan(burst[0] - 0.5, burst[-1] + 0.5, color="grey", alpha=0.2, label="burst")
    ax.plot(X[i][:, 0], color="C0", label="vibration")
    ax.set_ylabel("vibration")
    ax.set_title(f"{machines[i]}: true {y[i]}, predicted {clf.predict([X[i]])[0]}", fontsize=9)
    ax2 = ax.twinx()
    ax2.plot(weights[k], color="C3", label="pooling weight")
    ax2.set_ylabel("pooling weight", color="C3")
handles = axes[0].get_legend_handles_labels()[0] + ax2.get_legend_handles_labels()[0]
axes[0].legend(handles, [h.get_label() for h in handles], loc="upper right", fontsize=8)
axes[-1].set_xlabel("reading")
fig.tight_layout()

# %%
# One label per row: marking the burst
# ------------------------------------
# Without ``sequence_target`` the target column gives one label per row, an
# N→N problem for :class:`~skattention.AttentionTokenClassifier`. Only 5
# readings per machine are in a burst, so we report the F1 score of the
# burst class rather than the token accuracy.
X_rows, y_rows = from_long_format(df, sequence_col="machine", value_cols=value_cols,
                                  order_col="timestamp", target_col="event")
print(y_rows[0][:8])
tagger = AttentionTokenClassifier(d_model=32, n_layers=1, max_epochs=15, random_state=0)
tagger.fit([X_rows[i] for i in idx_train], [y_rows[i] for i in idx_train])
y_rows_test = [y_rows[i] for i in idx_test]
y_rows_pred = tagger.predict([X_rows[i] for i in idx_test])
f1 = flat_f1_score(y_rows_test, y_rows_pred, pos_label="burst")
acc = tagger.score([X_rows[i] for i in idx_test], y_rows_test)
print(f"AttentionTokenClassifier: burst F1 {f1:.3f}, token accuracy {acc:.3f}")

fig, ax = plt.subplots(figsize=(8, 2.5))
i = idx_test[0]
ax.plot(X_rows[i][:, 0], color="C0", label="vibration")
true_burst = np.asarray(y_rows[i]) == "burst"
low, high = X_rows[i][:, 0].min() - 1, X_rows[i][:, 0].max() + 1.5
ax.fill_between(np.arange(len(true_burst)), low, high, where=true_burst, color="grey", alpha=0.2,
                step="mid", label="true burst")
pred_burst = np.flatnonzero(y_rows_pred[0] == "burst")
ax.plot(pred_burst, np.full(len(pred_burst), high - 0.5), "v", color="C3", label="predicted burst")
ax.set_ylim(low, high)
ax.set_title(f"{machines[i]}: the token classifier's burst readings", fontsize=9)
ax.set_xlabel("reading")
ax.legend(loc="upper left", fontsize=8, ncol=3)
fig.tight_layout()
plt.show()
