"""UPOS tagging on UD English-EWT: the attention tagger vs a CRF with word shapes.

Both models train on the train split and are scored on the test split (gold
tokenisation, no pretrained embeddings), in the same run:

* ``AttentionTokenClassifier()`` with its defaults (word embeddings plus a
  character CNN, a BiLSTM and a self-attention layer);
* optionally (``--config``) the one documented configuration below;
* the baseline: sklearn-crfsuite's ``CRF`` (L-BFGS, c1=0.1, c2=0.1, 100
  iterations) over the usual word-shape features of the word and its two
  neighbours (lower-cased form, prefixes and suffixes up to 3, case, digits,
  hyphens).

    python benchmarks/ud_pos.py                # defaults vs CRF (about 10 minutes on 2 cores)
    python benchmarks/ud_pos.py --config       # also the documented configuration
    python benchmarks/ud_pos.py --bf16         # also the defaults with precision="bf16"
    python benchmarks/ud_pos.py --quick        # 500 training sentences, 2 epochs

Published anchors (UD English-EWT test UPOS): UDPipe 1 94.4 (trained from
scratch, raw text), Stanza 95.4 (raw text, pretrained word vectors), UDPipe 2
97.5 (with mBERT). Raw-text figures include tokenisation errors, so they
compare only roughly with gold-token figures.
"""

from __future__ import annotations

import argparse

from _common import evaluate, report
from sklearn_crfsuite import CRF

from skattention import AttentionTokenClassifier
from skattention.datasets import load_ud_english_ewt
from skattention.metrics import flat_accuracy_score

# the documented configuration: wider, and more patient before stopping
CONFIG = dict(d_model=256, max_epochs=40, patience=8, random_state=0)


def _shape(word: str, prefix: str) -> dict:
    return {
        f"{prefix}lower": word.lower(), f"{prefix}suffix2": word[-2:], f"{prefix}suffix3": word[-3:],
        f"{prefix}istitle": word.istitle(), f"{prefix}isupper": word.isupper(),
    }


def word_features(sentence: list[str], i: int) -> dict:
    word = sentence[i]
    feats = {
        "bias": 1.0, "lower": word.lower(), "prefix1": word[:1], "prefix2": word[:2], "prefix3": word[:3],
        "suffix1": word[-1:], "suffix2": word[-2:], "suffix3": word[-3:], "istitle": word.istitle(),
        "isupper": word.isupper(), "isdigit": word.isdigit(), "hasdigit": any(c.isdigit() for c in word),
        "hyphen": "-" in word, "length": min(len(word), 10),
    }
    for offset in (-2, -1, 1, 2):
        j = i + offset
        if 0 <= j < len(sentence):
            feats.update(_shape(sentence[j], f"{offset:+d}:"))
        else:
            feats[f"{offset:+d}:pad"] = True
    return feats


class CRFTagger(CRF):
    """sklearn-crfsuite's CRF on raw token lists: features are computed inside,
    so it takes the same ``X`` as the attention tagger."""

    def fit(self, X, y, X_dev=None, y_dev=None):
        return super().fit([[word_features(s, i) for i in range(len(s))] for s in X], y)

    def predict(self, X):
        return super().predict([[word_features(s, i) for i in range(len(s))] for s in X])


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--config", action="store_true", help="also train the documented configuration")
    parser.add_argument("--bf16", action="store_true", help='also train the defaults with precision="bf16"')
    args = parser.parse_args()

    X_train, y_train = load_ud_english_ewt("train")
    X_test, y_test = load_ud_english_ewt("test")
    defaults, config = {"random_state": 0}, dict(CONFIG)
    if args.quick:
        X_train, y_train = X_train[:500], y_train[:500]
        defaults["max_epochs"] = config["max_epochs"] = 2
    data = (X_train, y_train, X_test, y_test)
    score = dict(unit="tokens", score=flat_accuracy_score)

    rows = [evaluate("AttentionTokenClassifier (defaults)", AttentionTokenClassifier(**defaults), *data, **score)]
    if args.bf16:
        rows.append(evaluate('AttentionTokenClassifier (defaults, precision="bf16")',
                             AttentionTokenClassifier(**defaults, precision="bf16"), *data, **score))
    if args.config:
        rows.append(evaluate("AttentionTokenClassifier (documented configuration)",
                             AttentionTokenClassifier(**config), *data, **score))
    rows.append(evaluate("sklearn-crfsuite CRF, word-shape features",
                         CRFTagger(algorithm="lbfgs", c1=0.1, c2=0.1, max_iterations=100), *data, **score))
    anchors = [("UDPipe 1, from scratch (published)", 0.944),
               ("Stanza, pretrained word vectors, raw text (published)", 0.954),
               ("UDPipe 2 with mBERT (published)", 0.975)]
    report("ud_pos", rows, "UPOS test accuracy", anchors=anchors, fmt="{:.2%}", quick=args.quick,
           note=f"Documented configuration: `{config}`." if args.config else "",
           config=config if args.config else None, target=0.955)


if __name__ == "__main__":
    main()
