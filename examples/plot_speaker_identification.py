"""
Speaker identification with attention pooling
==============================================

JapaneseVowels holds utterances of nine male speakers, each a series of 12
cepstral coefficients per frame, 7 to 29 frames long. An
:class:`~skattention.AttentionSequenceClassifier` reads the frames and
predicts the speaker: an N→1 problem on numeric sequences. With
``pooling="attention"`` a learned query weighs every frame before the
classification layer; we plot those weights to see which frames the model
relies on, and find that they are only informative when the pooling is the
model's only attention.
"""

# %%
# Load the data
# -------------
# :func:`~skattention.datasets.load_japanese_vowels` reads the copy bundled
# with aeon and returns a list of ``(length, 12)`` float arrays, time first.
import time

import matplotlib.pyplot as plt
import numpy as np
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from skattention import AttentionSequenceClassifier
from skattention.datasets import load_japanese_vowels
from skattention.plotting import AttentionDisplay

X_train, y_train = load_japanese_vowels("train")
X_test, y_test = load_japanese_vowels("test")
lengths = [len(x) for x in X_train + X_test]
print(f"{len(X_train)} train / {len(X_test)} test utterances, {X_train[0].shape[1]} channels, "
      f"{min(lengths)}-{max(lengths)} frames, speakers {', '.join(sorted(set(y_train.tolist())))}")

# %%
# Fit the classifier
# ------------------
# Numeric frames are standardised with the training statistics and projected
# to ``d_model``; the encoder is a BiLSTM followed by self-attention, and the
# attention pooling turns the frames into one vector per utterance.
clf = AttentionSequenceClassifier(pooling="attention", d_model=64, random_state=0)
t0 = time.perf_counter()
clf.fit(X_train, y_train)
print(f"fit in {time.perf_counter() - t0:.1f} s ({len(clf.history_)} epochs)")
print(f"AttentionSequenceClassifier test accuracy: {clf.score(X_test, y_test):.4f}")

# %%
# A classical baseline that ignores the order of the frames: logistic
# regression on the mean and standard deviation of each channel.


def summary(X):
    return np.stack([np.concatenate([x.mean(axis=0), x.std(axis=0)]) for x in X])


baseline = make_pipeline(StandardScaler(), LogisticRegression(max_iter=2000))
baseline.fit(summary(X_train), y_train)
print(f"LogisticRegression on frame mean/std test accuracy: "
      f"{baseline.score(summary(X_test), y_test):.4f}")

# %%
# Attention-pooling weights over time
# -----------------------------------
# For a model with ``pooling="attention"``,
# :meth:`~skattention.AttentionSequenceClassifier.attention_weights` returns
# one weight per frame for each utterance; the weights of an utterance sum to
# one. A uniform weighting gives every frame ``1 / length``, so we report the
# largest weight times the length: 1 means "no frame preferred".
weights = clf.attention_weights(X_test)
peak = np.array([w.max() * len(w) for w in weights])
print(f"hybrid encoder: largest weight x length, mean over test utterances {peak.mean():.2f}, "
      f"max {peak.max():.2f}")

# %%
# The weights of the default encoder are close to uniform: its BiLSTM and its
# self-attention layer have already mixed every frame with the others, so
# each position summarises the whole utterance and the pooling has little
# reason to prefer one. To see the pooling pick frames, we fit a model whose
# only attention is the pooling: ``encoder="birnn"`` (a BiLSTM without
# self-attention) with the additive pooling score of Yang et al. (2016),
# :mathmpl:`\alpha_t = \mathrm{softmax}_t(v^{\mathrm{T}} \tanh(W q + U h_t))`.
rnn_clf = AttentionSequenceClassifier(pooling="attention", encoder="birnn", attention="additive",
                                      d_model=64, random_state=0)
t0 = time.perf_counter()
rnn_clf.fit(X_train, y_train)
print(f"fit in {time.perf_counter() - t0:.1f} s ({len(rnn_clf.history_)} epochs)")
print(f"BiLSTM + additive attention pooling test accuracy: {rnn_clf.score(X_test, y_test):.4f}")
rnn_weights = rnn_clf.attention_weights(X_test)
rnn_peak = np.array([w.max() * len(w) for w in rnn_weights])
print(f"BiLSTM encoder: largest weight x length, mean {rnn_peak.mean():.2f}, "
      f"max {rnn_peak.max():.2f}")

# %%
# Its accuracy is close to the default model's (within a few test sequences
# of 370), and its weights are far from uniform. The weights of both models
# for one test utterance of each of four speakers, against the frame index:
rng = np.random.RandomState(0)
speakers = ["1", "3", "5", "7"]
picked = [rng.choice(np.flatnonzero(y_test == s)) for s in speakers]

fig, axes = plt.subplots(2, 2, figsize=(9, 5.5), sharey=True)
for ax, i in zip(axes.ravel(), picked):
    frames = np.arange(len(X_test[i]))
    ax.plot(frames, weights[i], marker="o", markersize=3, label="hybrid encoder")
    ax.plot(frames, rnn_weights[i], marker="s", markersize=3, label="BiLSTM encoder")
    ax.axhline(1 / len(frames), color="grey", linestyle=":", label="uniform")
    ax.set_title(f"test #{i}: speaker {y_test[i]}, predicted {rnn_clf.predict([X_test[i]])[0]}",
                 fontsize=9)
    ax.set_xlabel("frame")
axes[0, 0].set_ylabel("pooling weight")
axes[1, 0].set_ylabel("pooling weight")
axes[0, 0].legend(fontsize=8)
fig.tight_layout()

# %%
# Where in the utterance does the BiLSTM model look, on average? We rescale
# every test utterance to relative time in [0, 1] and average the weights in
# ten bins, each weight multiplied by the length of its utterance so that
# uniform pooling gives 1 everywhere. In this run the weight gathers in the
# middle of the utterance, and the first and last frames are nearly ignored.
bins = np.linspace(0, 1, 11)
sums, counts = np.zeros(10), np.zeros(10)
for w in rnn_weights:
    position = (np.arange(len(w)) + 0.5) / len(w)
    which = np.clip(np.digitize(position, bins) - 1, 0, 9)
    np.add.at(sums, which, w * len(w))
    np.add.at(counts, which, 1)
relative = sums / counts
print("BiLSTM model, mean weight x length per tenth of the utterance:", np.round(relative, 2))

fig, ax = plt.subplots(figsize=(6, 3))
ax.bar((bins[:-1] + bins[1:]) / 2, relative, width=0.09)
ax.axhline(1, color="grey", linestyle=":", label="uniform pooling")
ax.set_xlabel("relative position in the utterance")
ax.set_ylabel("weight × length")
ax.legend()
fig.tight_layout()

# %%
# The same weights for one utterance as a heatmap, with
# :class:`~skattention.plotting.AttentionDisplay` (for numeric frames the
# columns are the frame indices).
disp = AttentionDisplay.from_estimator(rnn_clf, X_test[picked[0]], annotate=True, xticks_rotation=0)
disp.ax_.set_title(f"attention pooling, test utterance #{picked[0]}")
disp.figure_.tight_layout()
plt.show()
