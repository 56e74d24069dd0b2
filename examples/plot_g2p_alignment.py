"""
Grapheme to phoneme with Bahdanau attention
============================================

Pronouncing an English word from its spelling is a sequence-to-sequence
(N→N′) problem: the number of phonemes differs from the number of letters,
so the model has to decide the output length. An
:class:`~skattention.AttentionSeq2Seq` with ``decoder="rnn"`` and
``attention="additive"`` (Bahdanau et al., 2014) encodes the letters with a BiLSTM and decodes ARPAbet
phonemes with a GRU that attends to the letters at every step. We score it
with the word and phoneme error rates of :mod:`skattention.metrics`, look at
a few predictions, and plot the alignment the decoder learned.

The model here is small (``d_model=64``) and sees 5,000 words for 12 epochs,
so that the example builds in seconds; it makes many more mistakes than a
model trained on the whole dictionary. Those results are on the benchmarks
page.
"""

# %%
# Split CMUdict by word
# ---------------------
# :func:`~skattention.datasets.load_cmudict` returns one ``(letters,
# phonemes)`` pair per pronunciation, so a word with two pronunciations
# appears twice. We split by *word*, train on the first pronunciation of each
# training word, and score a held-out word against all its pronunciations (a
# reference given as a list of alternatives counts if any of them matches).
import time
from collections import defaultdict

import matplotlib.pyplot as plt
import numpy as np

from skattention import AttentionSeq2Seq
from skattention.datasets import load_cmudict
from skattention.metrics import sequence_error_rate, token_error_rate
from skattention.plotting import AttentionDisplay, HistoryDisplay

letters, phones = load_cmudict(strip_stress=True)
pronunciations = defaultdict(list)
for word, pron in zip(letters, phones):
    pronunciations["".join(word)].append(pron)

words = sorted(pronunciations)
rng = np.random.RandomState(0)
rng.shuffle(words)
train_words, test_words = words[:5000], words[5000:5500]

X_train = [list(w) for w in train_words]
y_train = [pronunciations[w][0] for w in train_words]
X_test = [list(w) for w in test_words]
y_test = [pronunciations[w] for w in test_words]  # every pronunciation is a reference
print(f"CMUdict: {len(words)} words; training on {len(X_train)}, testing on {len(X_test)}")
print(train_words[0], "->", " ".join(y_train[0]))

# %%
# Fit the encoder-decoder
# -----------------------
# Early stopping watches the teacher-forced validation token accuracy on 10%
# of the training words.
g2p = AttentionSeq2Seq(decoder="rnn", attention="additive", d_model=64, dropout=0.0, batch_size=64, lr=5e-3,
                       max_epochs=12, random_state=0)
t0 = time.perf_counter()
g2p.fit(X_train, y_train)
print(f"fit in {time.perf_counter() - t0:.1f} s ({len(g2p.history_)} epochs), "
      f"validation token accuracy {g2p.history_['valid_acc'].max():.3f}")

# %%
# Word and phoneme error rates
# ----------------------------
# The word error rate (WER, :func:`~skattention.metrics.sequence_error_rate`)
# is the share of words with any wrong phoneme; the phoneme error rate (PER,
# :func:`~skattention.metrics.token_error_rate`) is the edit distance to the
# closest reference divided by the number of reference phonemes. Decoding is
# greedy by default; ``beam_size`` can be changed on the fitted model.
y_greedy = g2p.predict(X_test)
print(f"greedy: WER {sequence_error_rate(y_test, y_greedy):.3f}, "
      f"PER {token_error_rate(y_test, y_greedy):.3f}")
g2p.set_params(beam_size=4)
y_beam = g2p.predict(X_test)
print(f"beam 4: WER {sequence_error_rate(y_test, y_beam):.3f}, "
      f"PER {token_error_rate(y_test, y_beam):.3f}")

# %%
# A few predictions on held-out words, marked ``ok`` when the prediction
# matches one of the dictionary's pronunciations:
for word, refs, pred in list(zip(test_words, y_test, y_beam))[:10]:
    mark = "ok" if pred in refs else "  "
    print(f"{mark} {word:<14s} {' '.join(pred):<32s} dictionary: {' '.join(refs[0])}")

# %%
# And some words that are not in the dictionary at all (no reference to
# compare with):
for word in ["skorch", "softmax", "tokenizer", "bahdanau", "grapheme"]:
    print(f"{word:<10s} {' '.join(g2p.predict([list(word)])[0])}")

# %%
# The alignment of two words
# ---------------------------
# :meth:`~skattention.AttentionSeq2Seq.attention_weights` returns, for each
# prediction, a ``(len(output), len(source))`` matrix whose row *i* is the
# attention over the letters when the decoder emitted phoneme *i*.
# :class:`~skattention.plotting.AttentionDisplay` draws it with the predicted
# phonemes as rows and the letters as columns. A good G2P alignment runs
# roughly down the diagonal, and a phoneme spelt with several letters, such as
# SH from the "ti" of "attention", spreads its row over them. The predicted
# and dictionary pronunciations of the two words:
pair = ["attention", "knowledge"]
for word in pair:
    seen = "a training word" if word in train_words else "not a training word"
    print(f"{word} ({seen}): predicted {' '.join(g2p.predict([list(word)])[0])}, "
          f"dictionary {' / '.join(' '.join(p) for p in pronunciations[word])}")

fig, axes = plt.subplots(1, 2, figsize=(10, 4.2))
for ax, word in zip(axes, pair):
    AttentionDisplay.from_estimator(g2p, list(word), ax=ax, xticks_rotation=0)
    ax.set_title(word)
fig.tight_layout()

# %%
# The learning curves, drawn by :class:`~skattention.plotting.HistoryDisplay`.
# The validation token accuracy is measured with teacher forcing (the decoder
# is fed the true previous phoneme), so it tends to be higher than the
# accuracy of free-running decoding on new words.
fig, axes = plt.subplots(1, 2, figsize=(10, 3.5))
HistoryDisplay.from_estimator(g2p, ax=axes[0])
HistoryDisplay.from_estimator(g2p, metrics=["valid_acc"], ax=axes[1])
fig.tight_layout()
plt.show()
