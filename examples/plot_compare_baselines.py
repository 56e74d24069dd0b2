"""
Attention models against the classical baselines, on the same folds
===================================================================

:func:`skattention.model_selection.compare` cross-validates several estimators
on the same folds, with the same scorer, and returns one tidy table, a plot
and a paired significance test. The baselines of :mod:`skattention.baselines`
take exactly the ragged ``X``/``y`` of the attention estimators, so nothing
has to be converted for them.

Two comparisons, each kept small so that the example builds in about a
minute: a part-of-speech tagger against a CRF, and a speaker classifier on
numeric frames against aeon's 1-NN DTW. The full-size comparisons, over
many data sets, are on the benchmarks page (``benchmarks/suite.py``).
"""

# %%
# A tagger against a CRF
# ----------------------
# 600 sentences of UD English-EWT (dev split), three folds. The attention
# tagger trains for at most 8 epochs here; the CRF uses word-shape features of
# each word and its neighbours (:func:`~skattention.baselines.word_shape_features`).
# ``flat_accuracy_scorer`` scores every token of every held-out sentence.
import matplotlib.pyplot as plt
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from skattention import AttentionSequenceClassifier, AttentionTokenClassifier
from skattention.baselines import (
    AeonClassifier,
    CRFTagger,
    MostFrequentTagTagger,
    SummaryStatistics,
)
from skattention.datasets import load_japanese_vowels, load_ud_english_ewt
from skattention.metrics import flat_accuracy_scorer
from skattention.model_selection import compare

X, y = load_ud_english_ewt("dev")
X, y = X[:600], y[:600]
tagging = compare(
    {"attention tagger": AttentionTokenClassifier(max_epochs=8, random_state=0),
     "CRF": CRFTagger(),
     "most frequent tag": MostFrequentTagTagger()},
    X, y, cv=3, scoring=flat_accuracy_scorer,
)
print(tagging.table.round(4).to_string(index=False))

# %%
# ``summary`` gives one row per model, the best first; ``test()`` compares the
# two best with the corrected resampled t-test of Nadeau & Bengio, which
# allows for the training sets that the folds share.
print(tagging.summary.round(4))
print(tagging.test())

# %%
# With 400 training sentences per fold, small data for a neural tagger, the
# CRF's hand-made word shapes are hard to beat; the benchmarks page shows
# the learning curve up to the full 12,544 sentences.
tagging.plot(title="UPOS, EWT dev, 600 sentences")
plt.tight_layout()
plt.show()

# %%
# A speaker classifier against aeon's baselines
# ---------------------------------------------
# JapaneseVowels: 270 utterances of 12 cepstrum coefficients, 7 to 29 frames
# each. :class:`~skattention.baselines.AeonClassifier` runs aeon's 1-NN DTW on
# the same ``(length, 12)`` arrays (it transposes them to aeon's channels-first
# layout and keeps the unequal lengths, which DTW takes as they are), and
# :class:`~skattention.baselines.SummaryStatistics` turns each utterance into
# per-channel statistics for any scikit-learn model. Three stratified folds.
X, y = load_japanese_vowels("train")
speakers = compare(
    # 40 epochs (240 steps on 180 utterances) keep the build quick; the defaults train at least
    # 1,000 steps, and the benchmarks page has them on the official split
    {"attention, 40 epochs": AttentionSequenceClassifier(max_epochs=40, random_state=0),
     "1-NN DTW": AeonClassifier(),
     "statistics + LogReg": make_pipeline(SummaryStatistics(), StandardScaler(),
                                          LogisticRegression(max_iter=2000))},
    X, y, cv=3,
)
print(speakers.summary.round(4))
print(speakers.test())

# %%
# Each dot is one fold; grey lines join the scores of the same fold, so a
# model that is better on every fold shows as lines that all slope one way.
speakers.plot(title="JapaneseVowels, 3-fold CV")
plt.tight_layout()
plt.show()
