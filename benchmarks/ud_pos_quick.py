"""Quick check of the default AttentionTokenClassifier on UD English-EWT UPOS.

    python benchmarks/ud_pos_quick.py            # defaults, train -> test
    python benchmarks/ud_pos_quick.py --quick    # 2,000 training sentences, 3 epochs

The reference point measured on this machine (see issue 2): sklearn-crfsuite CRF
with word-shape features, UPOS 94.33%, fit 16 s. The full CRF-vs-ours
comparison belongs to the benchmark suite.
"""

import argparse

from _common import Timer, write_results

from skattention import AttentionTokenClassifier
from skattention.datasets import load_ud_english_ewt

parser = argparse.ArgumentParser()
parser.add_argument("--quick", action="store_true")
args = parser.parse_args()

X_train, y_train = load_ud_english_ewt("train")
X_test, y_test = load_ud_english_ewt("test")
params = {"random_state": 0, "verbose": int(not args.quick)}
if args.quick:
    X_train, y_train, params["max_epochs"] = X_train[:2000], y_train[:2000], 3
model = AttentionTokenClassifier(**params)
with Timer() as fit:
    model.fit(X_train, y_train)
with Timer() as pred:
    acc = model.score(X_test, y_test)
n_tokens = sum(len(s) for s in X_test)
hist = model.history_
table = "\n".join([
    "| model | UPOS test accuracy | fit | epochs | predict |",
    "|---|---|---|---|---|",
    f"| AttentionTokenClassifier (defaults) | {acc:.2%} | {fit.seconds:.0f} s | {len(hist)} "
    f"(best {int(hist.loc[hist['valid_acc_best'], 'epoch'].max())}) | {n_tokens / pred.seconds:,.0f} tokens/s |",
    "| sklearn-crfsuite CRF, word shapes (measured on this machine, issue 2) | 94.33% | 16 s | | ~357k tokens/s |",
])
print(table)
write_results("ud_pos_quick", {"params": params, "upos_test_accuracy": acc, "fit_seconds": fit.seconds,
                               "epochs": len(hist), "epoch_seconds": hist["dur"].tolist(),
                               "predict_tokens_per_s": n_tokens / pred.seconds}, table, quick=args.quick)
