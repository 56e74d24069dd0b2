"""Speaker identification on JapaneseVowels: attention pooling vs 1-NN DTW.

The official split of the UEA archive (270 training and 370 test utterances of
12 LPC cepstrum coefficients, 7-29 frames each, 9 speakers), loaded from the
copy shipped with aeon. Both models see the raw frames:

* ``AttentionSequenceClassifier()`` with its defaults;
* the same estimator with the best of a small grid, chosen by
  ``GridSearchCV`` with stratified 3-fold CV on the training split only;
* five seeds of the defaults averaged by sklearn's ``VotingClassifier``
  (soft voting), the one documented configuration, run once;
* the baseline in the same run, aeon's ``KNeighborsTimeSeriesClassifier``
  (1 nearest neighbour under full-window DTW) through
  :class:`skattention.baselines.AeonClassifier`.

    python benchmarks/japanese_vowels.py            # the full run (a few minutes on 2 cores)
    python benchmarks/japanese_vowels.py --quick    # a tiny grid and few epochs, well under 2 minutes

Published anchors (same split): MiniRocket 0.989, TST 0.994 (timeseriesclassification.com
and Zerveas et al. 2021).
"""

from __future__ import annotations

import argparse

from _common import evaluate, report
from sklearn.ensemble import VotingClassifier
from sklearn.model_selection import GridSearchCV, StratifiedKFold

from skattention import AttentionSequenceClassifier
from skattention.baselines import AeonClassifier
from skattention.datasets import load_japanese_vowels

GRID = {"d_model": [64, 128], "pooling": ["attention", "mean"]}
QUICK_GRID = {"pooling": ["attention", "mean"]}


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true")
    args = parser.parse_args()

    X_train, y_train = load_japanese_vowels("train")
    X_test, y_test = load_japanese_vowels("test")
    base = {"random_state": 0}
    if args.quick:
        base["max_epochs"] = 3

    rows = []
    rows.append(evaluate("AttentionSequenceClassifier (defaults)", AttentionSequenceClassifier(**base),
                         X_train, y_train, X_test, y_test, unit="sequences"))
    search = GridSearchCV(AttentionSequenceClassifier(**base), QUICK_GRID if args.quick else GRID,
                          cv=StratifiedKFold(3, shuffle=True, random_state=0))
    tuned = evaluate("AttentionSequenceClassifier, GridSearchCV on train", search,
                     X_train, y_train, X_test, y_test, unit="sequences")
    tuned["best_params"] = search.best_params_
    tuned["cv_accuracy"] = search.best_score_
    rows.append(tuned)

    # one documented configuration, run once: soft voting over five seeds of the defaults
    seeds = range(2 if args.quick else 5)
    ensemble = VotingClassifier([(f"seed{i}", AttentionSequenceClassifier(**{**base, "random_state": i}))
                                 for i in seeds], voting="soft")
    rows.append(evaluate(f"VotingClassifier (soft) over {len(seeds)} seeds of the defaults", ensemble,
                         X_train, y_train, X_test, y_test, unit="sequences"))

    # skattention.baselines.AeonClassifier: aeon's 1-NN DTW on the same (length, 12) sequences
    rows.append(evaluate("1-NN DTW (aeon KNeighborsTimeSeriesClassifier)", AeonClassifier(),
                         X_train, y_train, X_test, y_test, unit="sequences"))

    anchors = [("MiniRocket (published)", 0.989), ("TST, Zerveas et al. 2021 (published)", 0.994)]
    note = f"Grid: `{QUICK_GRID if args.quick else GRID}`; best `{search.best_params_}` " \
           f"(CV accuracy on train {search.best_score_:.3f})."
    report("japanese_vowels", rows, "test accuracy", anchors=anchors, quick=args.quick, note=note, target=0.985)


if __name__ == "__main__":
    main()
