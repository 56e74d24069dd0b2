"""Pretrained vectors when labels are few: a tagger trained on 300 labelled
sentences of UD English-EWT (the suite's seeded sample), with and without
word2vec vectors that gensim trains on the words of the whole EWT training
split (lower-cased; its labels unused), against the CRF tagger on the same
300 sentences. Scored on EWT dev (where fine-tuning versus freezing was
chosen) and on EWT test.

    python benchmarks/pretrained_vectors.py            # about 8 minutes on one core
    python benchmarks/pretrained_vectors.py --quick    # tiny: the code path only

Results: ``benchmarks/results/pretrained_vectors.json`` and ``.md``.
"""

from __future__ import annotations

import argparse

import numpy as np
from _common import Timer, write_results
from gensim.models import Word2Vec

from skattention import AttentionTokenClassifier
from skattention.baselines import CRFTagger
from skattention.datasets import load_ud_treebank
from skattention.metrics import flat_accuracy_score

N_LABELLED = 300
WORD2VEC = dict(vector_size=100, window=5, min_count=2, epochs=10, sg=1, workers=1, seed=0)


def main(quick: bool) -> None:
    X_all, y_all = load_ud_treebank("english_ewt", "train")
    n = 60 if quick else N_LABELLED
    idx = np.random.RandomState(0).permutation(len(X_all))[:n]  # the suite's EWT sample for n=300
    X, y = [X_all[i] for i in idx], [y_all[i] for i in idx]
    unlabelled = [[w.lower() for w in s] for s in (X_all[:500] if quick else X_all)]
    with Timer() as t:
        vectors = Word2Vec(unlabelled, **{**WORD2VEC, **({"epochs": 1} if quick else {})}).wv
    print(f"word2vec: {len(vectors.index_to_key)} vectors in {t.seconds:.1f} s", flush=True)
    splits = {s: load_ud_treebank("english_ewt", s) for s in ("dev", "test")}
    if quick:
        splits = {s: (Xs[:100], ys[:100]) for s, (Xs, ys) in splits.items()}
    budget = {"max_epochs": 2} if quick else {}
    models = {
        "skattention, no vectors": lambda: AttentionTokenClassifier(random_state=0, **budget),
        "skattention, vectors fine-tuned (default)": lambda: AttentionTokenClassifier(
            embeddings=vectors, random_state=0, **budget),
        "skattention, vectors frozen": lambda: AttentionTokenClassifier(
            embeddings=vectors, freeze_embeddings=True, random_state=0, **budget),
        "CRF (word shapes), no vectors": CRFTagger,
    }
    rows = []
    for name, make in models.items():
        with Timer() as fit:
            model = make().fit(X, y)
        row = {"model": name, "fit_seconds": fit.seconds}
        for split, (Xs, ys) in splits.items():
            row[f"{split}_accuracy"] = flat_accuracy_score(ys, model.predict(Xs))
        print(row, flush=True)
        rows.append(row)
    table = "\n".join(
        ["| model | EWT dev UPOS | EWT test UPOS | fit (s) |", "|---|---|---|---|"]
        + [f"| {r['model']} | {r['dev_accuracy']:.2%} | {r['test_accuracy']:.2%} | {r['fit_seconds']:.0f} |"
           for r in rows])
    table = (f"{n} labelled training sentences; word2vec ({WORD2VEC}) on the words of "
             f"{len(unlabelled)} unlabelled EWT training sentences: {len(vectors.index_to_key)} vectors.\n\n{table}")
    write_results("pretrained_vectors", {"n_labelled": n, "n_unlabelled": len(unlabelled), "word2vec": WORD2VEC,
                                         "n_vectors": len(vectors.index_to_key), "rows": rows}, table, quick=quick)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true")
    main(parser.parse_args().quick)
