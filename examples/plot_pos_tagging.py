"""
Part-of-speech tagging on UD English-EWT
=========================================

An :class:`~skattention.AttentionTokenClassifier` predicts one universal
part-of-speech tag (UPOS) for every word of a sentence: an N→N problem. We
train it on a small subset of the English Web Treebank, compare its token
accuracy with a most-frequent-tag baseline, look at the self-attention of one
sentence, and draw the learning curves.

To keep the documentation build fast, the tagger is small (``d_model=48``),
trained on 2,000 sentences for 8 epochs and scored on 1,000 test
sentences. The defaults trained on the whole training split, against a CRF
baseline, are on the benchmarks page.
"""

# %%
# Load a subset of the treebank
# -----------------------------
# :func:`~skattention.datasets.load_ud_english_ewt` returns a list of
# sentences (lists of words) and a list of tag sequences of the same lengths.
import time
from collections import Counter, defaultdict

import matplotlib.pyplot as plt
import numpy as np

from skattention import AttentionTokenClassifier
from skattention.datasets import load_ud_english_ewt
from skattention.metrics import flat_accuracy_score
from skattention.plotting import AttentionDisplay, HistoryDisplay

X_train_full, y_train_full = load_ud_english_ewt("train")
X_test_full, y_test_full = load_ud_english_ewt("test")

rng = np.random.RandomState(0)
train_idx = rng.choice(len(X_train_full), 2000, replace=False)
test_idx = rng.choice(len(X_test_full), 1000, replace=False)
X_train = [X_train_full[i] for i in train_idx]
y_train = [y_train_full[i] for i in train_idx]
X_test = [X_test_full[i] for i in test_idx]
y_test = [y_test_full[i] for i in test_idx]

print(f"train: {len(X_train)} sentences, {sum(map(len, X_train))} tokens")
print(f"test:  {len(X_test)} sentences, {sum(map(len, X_test))} tokens")
print(list(zip(X_train[0], y_train[0]))[:8])

# %%
# A most-frequent-tag baseline
# ----------------------------
# Every known word gets the tag it carries most often in the training data,
# every unknown word the most frequent tag overall. This is the usual floor
# for POS tagging.
counts = defaultdict(Counter)
for words, tags in zip(X_train, y_train):
    for word, tag in zip(words, tags):
        counts[word][tag] += 1
most_frequent = {word: c.most_common(1)[0][0] for word, c in counts.items()}
overall = Counter(tag for tags in y_train for tag in tags).most_common(1)[0][0]
baseline_pred = [[most_frequent.get(w, overall) for w in words] for words in X_test]
baseline_acc = flat_accuracy_score(y_test, baseline_pred)
print(f"most-frequent-tag baseline: token accuracy {baseline_acc:.4f}")

# %%
# Train the attention tagger
# --------------------------
# The default encoder is a BiLSTM followed by one self-attention layer; words
# are embedded and also read letter by letter by a character CNN, so unseen
# words still get a sensible representation. 10% of the training sentences
# are held out for early stopping.
tagger = AttentionTokenClassifier(d_model=48, n_heads=4, n_layers=1, max_epochs=8, lr=5e-3,
                                  random_state=0)
t0 = time.perf_counter()
tagger.fit(X_train, y_train)
print(f"fit in {time.perf_counter() - t0:.1f} s, {len(tagger.history_)} epochs")

acc = tagger.score(X_test, y_test)
print(f"AttentionTokenClassifier:   token accuracy {acc:.4f}")

# %%
# On this small setting the tagger beats the most-frequent-tag baseline,
# mostly on words it never saw in training, where the character CNN and the
# context help. The accuracy on test words outside the training vocabulary:
y_pred = tagger.predict(X_test)
oov_true, oov_tagger, oov_base = [], [], []
for words, tags, pred, base in zip(X_test, y_test, y_pred, baseline_pred):
    for w, t, p, b in zip(words, tags, pred, base):
        if w not in counts:
            oov_true.append(t)
            oov_tagger.append(p)
            oov_base.append(b)
oov_true = np.array(oov_true)
oov_acc_tagger = np.mean(np.array(oov_tagger) == oov_true)
oov_acc_base = np.mean(np.array(oov_base) == oov_true)
print(f"{len(oov_true)} unseen test tokens: tagger {oov_acc_tagger:.4f}, "
      f"baseline {oov_acc_base:.4f}")

sentence = ["I", "saw", "her", "duck", "under", "the", "table", "."]
print(list(zip(sentence, tagger.predict([sentence])[0])))

# %%
# Self-attention over one sentence
# --------------------------------
# :meth:`~skattention.AttentionTokenClassifier.attention_weights` returns, for
# each sentence, the ``(n_heads, L, L)`` weights of the last self-attention
# layer: row *i* says how much word *i* attends to every other word.
# :class:`~skattention.plotting.AttentionDisplay` draws them with the words on
# both axes; ``head="mean"`` averages the heads.
fig, axes = plt.subplots(1, 2, figsize=(11, 4.5))
AttentionDisplay.from_estimator(tagger, sentence, head="mean", ax=axes[0])
axes[0].set_title("mean over heads")
AttentionDisplay.from_estimator(tagger, sentence, head=0, ax=axes[1])
axes[1].set_title("head 0")
fig.tight_layout()

# %%
# Learning curves
# ---------------
# ``history_`` holds one row per epoch;
# :class:`~skattention.plotting.HistoryDisplay` draws the losses and marks the
# epoch whose weights early stopping kept. The validation token accuracy is in
# the history as well.
history = tagger.history_[["epoch", "train_loss", "valid_loss", "valid_acc"]]
print(history.round(4).to_string(index=False))

fig, axes = plt.subplots(1, 2, figsize=(10, 3.5))
HistoryDisplay.from_estimator(tagger, ax=axes[0])
HistoryDisplay.from_estimator(tagger, metrics=["valid_acc"], ax=axes[1])
fig.tight_layout()
plt.show()
