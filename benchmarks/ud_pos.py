"""UPOS tagging on UD English-EWT: the attention tagger vs a CRF with word shapes.

Both models train on the train split and are scored on the test split (gold
tokenisation, no pretrained embeddings), in the same run:

* ``AttentionTokenClassifier()`` with its defaults (word embeddings plus a
  character CNN, a BiLSTM and a self-attention layer);
* optionally (``--config``) the one documented configuration below;
* the baseline: :class:`skattention.baselines.CRFTagger`, sklearn-crfsuite's
  CRF (L-BFGS, c1=0.1, c2=0.1, 100 iterations) over the usual word-shape
  features of the word and its two neighbours (lower-cased form, prefixes
  and suffixes up to 3, case, digits, hyphens).

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

from skattention import AttentionTokenClassifier
from skattention.baselines import CRFTagger
from skattention.datasets import load_ud_english_ewt
from skattention.metrics import flat_accuracy_score

# the documented configuration: wider, and more patient before stopping
CONFIG = dict(d_model=256, max_epochs=40, patience=8, random_state=0)


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
                         CRFTagger(), *data, **score))
    anchors = [("UDPipe 1, from scratch (published)", 0.944),
               ("Stanza, pretrained word vectors, raw text (published)", 0.954),
               ("UDPipe 2 with mBERT (published)", 0.975)]
    report("ud_pos", rows, "UPOS test accuracy", anchors=anchors, fmt="{:.2%}", quick=args.quick,
           note=f"Documented configuration: `{config}`." if args.config else "",
           config=config if args.config else None, target=0.955)


if __name__ == "__main__":
    main()
