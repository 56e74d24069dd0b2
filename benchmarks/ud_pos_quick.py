"""Quick check of the default AttentionTokenClassifier on UD English-EWT UPOS.

Usage: python benchmarks/ud_pos_quick.py [--max-epochs N] [--encoder E] [--d-model D]
"""

import argparse
import json
import time

from skattention import AttentionTokenClassifier
from skattention.datasets import load_ud_english_ewt

parser = argparse.ArgumentParser()
parser.add_argument("--max-epochs", type=int, default=None)
parser.add_argument("--encoder", default=None)
parser.add_argument("--d-model", type=int, default=None)
parser.add_argument("--batch-size", type=int, default=None)
parser.add_argument("--lr", type=float, default=None)
args = parser.parse_args()

X_train, y_train = load_ud_english_ewt("train")
X_test, y_test = load_ud_english_ewt("test")
params = {k: v for k, v in {"max_epochs": args.max_epochs, "encoder": args.encoder, "d_model": args.d_model,
                            "batch_size": args.batch_size, "lr": args.lr}.items() if v is not None}
model = AttentionTokenClassifier(random_state=0, verbose=1, **params)
t0 = time.perf_counter()
model.fit(X_train, y_train)
fit_s = time.perf_counter() - t0
t0 = time.perf_counter()
acc = model.score(X_test, y_test)
pred_s = time.perf_counter() - t0
n_tok = sum(len(s) for s in X_test)
print(json.dumps({"params": params, "upos_test_accuracy": acc, "fit_s": fit_s, "epochs": len(model.history_),
                  "predict_tokens_per_s": n_tok / pred_s}))
