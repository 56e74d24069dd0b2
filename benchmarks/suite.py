"""The defaults of every estimator against the classical baselines, over many data sets.

One run, every model on the same split (or the same folds) of every data set,
through :func:`skattention.model_selection.compare`:

* **tagging** (UPOS token accuracy, test split): ``AttentionTokenClassifier()``
  against ``CRFTagger()`` (word shapes) and ``MostFrequentTagTagger()``, on
  UD English-EWT train cut to 300, 1,000 and 3,000 sentences and in full (a
  learning curve, always scored on EWT test), French-Sequoia,
  Indonesian-GSD and Irish-IDT;
* **sentences** (accuracy): ``AttentionSequenceClassifier()`` against TF-IDF
  1-2-grams + ``LogisticRegression`` and counts + ``MultinomialNB``, on MR
  and Subj by stratified 10-fold CV and SST-2 and TREC on their test splits;
* **time_series** (accuracy, official splits): ``AttentionSequenceClassifier()``
  against 1-NN DTW, MiniRocket and summary statistics + ``LogisticRegression``,
  on JapaneseVowels, ArrowHead, GunPoint, ItalyPowerDemand, OSULeaf, ACSF1;
* **regression** (RMSE): ``AttentionSequenceRegressor()`` against
  ``RandomForestRegressor`` and ``Ridge`` on ESOL (SMILES characters for
  ours, the file's six descriptors for the baselines; 5-fold CV) and on
  Covid3Month (official split; summary statistics for the baselines, and
  1-NN DTW).

Every baseline uses its library's usual settings, untuned; ours are the
defaults with ``random_state=0``. Per family the script counts wins, ties
(within 0.5 accuracy points, or 1% of the RMSE) and losses of ours against
the best baseline of each data set, and draws a critical difference diagram
(aeon's, Wilcoxon-Holm) where the family has four data sets or more.

    python benchmarks/suite.py                       # everything (about two hours on 2 cores)
    python benchmarks/suite.py --family tagging      # one family; the others' results are kept
    python benchmarks/suite.py --quick               # tiny samples, 2 epochs: the code path only
    python benchmarks/suite.py --report              # rewrite suite.md from suite.json
    python benchmarks/suite.py --family sentences --resume   # after an interruption: only what is left
    python benchmarks/suite.py --family sentences --dataset MR   # one data set; the family's others are kept

Results: ``benchmarks/results/suite.json`` and ``suite.md`` (and
``suite_cd_<family>.png``).
"""

from __future__ import annotations

import argparse
import json

import numpy as np
from _common import RESULTS, _command, _commit, write_results
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.ensemble import RandomForestRegressor
from sklearn.linear_model import LogisticRegression, Ridge
from sklearn.naive_bayes import MultinomialNB
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from skattention import (
    AttentionSequenceClassifier,
    AttentionSequenceRegressor,
    AttentionTokenClassifier,
)
from skattention.baselines import (
    AeonClassifier,
    AeonRegressor,
    CRFTagger,
    MostFrequentTagTagger,
    SummaryStatistics,
    TokenSequenceVectorizer,
)
from skattention.datasets import (
    ESOL_DESCRIPTORS,
    load_esol,
    load_sentence_classification,
    load_time_series,
    load_ud_treebank,
)
from skattention.metrics import flat_accuracy_scorer
from skattention.model_selection import compare

OURS = "skattention (defaults)"
FAMILIES = ("tagging", "sentences", "time_series", "regression")
TIE = {"accuracy": 0.005, "rmse": 0.01}  # absolute accuracy; relative RMSE
EWT_SIZES = (300, 1000, 3000)


class DescriptorLookup(TransformerMixin, BaseEstimator):
    """SMILES (as a character list) to the data file's descriptor row, so the
    descriptor baselines take the same ``X`` as the SMILES model."""

    def __init__(self, table=None):
        self.table = table

    def fit(self, X, y=None):
        return self

    def transform(self, X):
        return np.array([self.table["".join(x)] for x in X])


def _holdout(X_train, y_train, X_test, y_test):
    """One train/test split as the single fold of ``compare``."""
    n, m = len(X_train), len(X_test)
    return list(X_train) + list(X_test), _concat(y_train, y_test), [(np.arange(n), np.arange(n, n + m))]


def _concat(a, b):
    if isinstance(a, np.ndarray) and isinstance(b, np.ndarray):
        return np.concatenate([a, b])
    return list(a) + list(b)


def _ours(cls, quick):
    return cls(random_state=0, **({"max_epochs": 2} if quick else {}))


def tagging(quick):
    models = lambda: {OURS: _ours(AttentionTokenClassifier, quick), "CRF (word shapes)": CRFTagger(),  # noqa: E731
                      "most frequent tag": MostFrequentTagTagger()}
    X_test, y_test = load_ud_treebank("english_ewt", "test")
    X_train, y_train = load_ud_treebank("english_ewt", "train")
    if quick:
        X_test, y_test = X_test[:150], y_test[:150]
    sizes = (100,) if quick else EWT_SIZES
    order = np.random.RandomState(0).permutation(len(X_train))  # the EWT subsets: a seeded random sample
    for size in sizes:
        idx = order[:size]
        yield (f"EWT, {size} training sentences", "test split",
               _holdout([X_train[i] for i in idx], [y_train[i] for i in idx], X_test, y_test), models())
    if quick:
        return
    yield "EWT, full (12,544)", "test split", _holdout(X_train, y_train, X_test, y_test), models()
    for name, label in (("french_sequoia", "French-Sequoia"), ("indonesian_gsd", "Indonesian-GSD"),
                        ("irish_idt", "Irish-IDT")):
        data = (*load_ud_treebank(name, "train"), *load_ud_treebank(name, "test"))
        yield label, "test split", _holdout(*data), models()


def sentences(quick):
    def models():
        return {
            OURS: _ours(AttentionSequenceClassifier, quick),
            "TF-IDF 1-2-grams + LogisticRegression": make_pipeline(TokenSequenceVectorizer(),
                                                                   LogisticRegression(max_iter=2000)),
            "counts 1-2-grams + MultinomialNB": make_pipeline(TokenSequenceVectorizer(weighting="count"),
                                                              MultinomialNB()),
        }

    for name, label in (("mr", "MR"), ("subj", "Subj")):
        X, y = load_sentence_classification(name)
        if quick:
            idx = np.random.RandomState(0).permutation(len(X))[:300]
            X, y = [X[i] for i in idx], y[idx]
        yield label, f"{3 if quick else 10}-fold CV", (X, y, 3 if quick else 10), models()
        if quick:
            return
    for name, label in (("sst2", "SST-2"), ("trec", "TREC")):
        yield label, "test split", _holdout(*load_sentence_classification(name, "train"),
                                            *load_sentence_classification(name, "test")), models()


def time_series(quick):
    from aeon.classification.convolution_based import MiniRocketClassifier

    def models():
        found = {
            OURS: _ours(AttentionSequenceClassifier, quick),
            "1-NN DTW": AeonClassifier(),
            "MiniRocket": AeonClassifier(MiniRocketClassifier(random_state=0)),
            "summary statistics + LogisticRegression": make_pipeline(SummaryStatistics(), StandardScaler(),
                                                                     LogisticRegression(max_iter=2000)),
        }
        if quick:  # its numba compilation alone takes about 40 s
            del found["MiniRocket"]
        return found

    names = ("GunPoint",) if quick else ("JapaneseVowels", "ArrowHead", "GunPoint", "ItalyPowerDemand",
                                         "OSULeaf", "ACSF1")
    for name in names:
        yield name, "test split", _holdout(*load_time_series(name, "train"), *load_time_series(name, "test")), models()


def regression(quick):
    frame = load_esol(as_frame=True)
    X, y = load_esol()
    table = dict(zip(frame["smiles"], frame[list(ESOL_DESCRIPTORS)].to_numpy(dtype=float)))
    if quick:
        X, y = X[:200], y[:200]
    yield "ESOL", f"{2 if quick else 5}-fold CV", (X, y, 2 if quick else 5), {
        OURS: _ours(AttentionSequenceRegressor, quick),
        "RandomForest on 6 descriptors": make_pipeline(DescriptorLookup(table),
                                                       RandomForestRegressor(n_estimators=500, random_state=0)),
        "Ridge on 6 descriptors": make_pipeline(DescriptorLookup(table), StandardScaler(), Ridge()),
    }
    yield "Covid3Month", "test split", _holdout(*load_time_series("Covid3Month", "train"),
                                                 *load_time_series("Covid3Month", "test")), {
        OURS: _ours(AttentionSequenceRegressor, quick),
        "1-NN DTW": AeonRegressor(),
        "RandomForest on summary statistics": make_pipeline(SummaryStatistics(),
                                                            RandomForestRegressor(n_estimators=500, random_state=0)),
        "Ridge on summary statistics": make_pipeline(SummaryStatistics(), StandardScaler(), Ridge()),
    }


def _run_dataset(family, label, protocol, data, models):
    X, y, cv = data
    metric = "rmse" if family == "regression" else "accuracy"
    scoring = {"tagging": flat_accuracy_scorer, "regression": "neg_root_mean_squared_error"}.get(family, "accuracy")
    result = compare(models, X, y, cv=cv, scoring=scoring, error_score="raise")
    sign = -1.0 if metric == "rmse" else 1.0
    summary = result.summary
    rows = [{"model": name, "score": sign * float(s["mean_score"]), "score_std": float(s["std_score"]),
             "fit_seconds": float(s["fit_time"]), "predict_seconds": float(s["predict_time"])}
            for name, s in summary.iterrows()]
    baselines = [r for r in rows if r["model"] != OURS]
    best = min(baselines, key=lambda r: r["score"]) if metric == "rmse" else max(baselines, key=lambda r: r["score"])
    ours = next(r for r in rows if r["model"] == OURS)
    diff = ours["score"] - best["score"]
    tie = TIE[metric] * (best["score"] if metric == "rmse" else 1.0)
    better = -diff if metric == "rmse" else diff
    outcome = "tie" if abs(diff) <= tie else ("win" if better > 0 else "loss")
    entry = {"dataset": label, "protocol": protocol, "metric": metric, "n_train": int(len(cv[0][0]) if
             isinstance(cv, list) else len(X) * (1 - 1 / cv)), "models": rows, "best_baseline": best["model"],
             "difference": diff, "outcome": outcome,
             "fold_scores": {m: (sign * result.table[result.table.model == m]["score"]).tolist() for m in models}}
    if result.table["fold"].nunique() > 1:
        test = result.test(OURS, best["model"])
        entry["paired_test"] = {"p_value": test.p_value, "method": test.method, "significant": test.significant}
    print(f"[{family}] {label}: ours {ours['score']:.4f}, best baseline {best['model']} {best['score']:.4f} "
          f"-> {outcome}", flush=True)
    return entry


def _cd_diagram(family, entries, quick):
    if len(entries) < 4:
        return None
    from aeon.visualisation import plot_critical_difference

    names = [r["model"] for r in entries[0]["models"]]
    scores = np.array([[next(r["score"] for r in e["models"] if r["model"] == n) for n in names] for e in entries])
    fig, _ = plot_critical_difference(scores, names, lower_better=entries[0]["metric"] == "rmse")
    path = RESULTS / f"suite_cd_{family}{'_quick' if quick else ''}.png"
    RESULTS.mkdir(exist_ok=True)
    fig.savefig(path, dpi=120, bbox_inches="tight")
    return path.name


def _family(family, entries, quick, *, partial: bool) -> dict:
    wtl = {k: sum(e["outcome"] == k for e in entries) for k in ("win", "tie", "loss")}
    return {"datasets": entries, "wins_ties_losses": wtl, "partial": partial,
            "cd_diagram": None if partial else _cd_diagram(family, entries, quick),
            "run": {"command": _command(), "commit": _commit()}}


def _seconds(row) -> str:
    return f"{row['fit_seconds'] + row['predict_seconds']:.1f} s"


def _table(families: dict) -> str:
    lines = []
    for family in FAMILIES:
        if family not in families:
            continue
        fam = families[family]
        wtl = fam["wins_ties_losses"]
        unfinished = (f" (**unfinished**: the {len(fam['datasets'])} data sets done so far; "
                      "`--resume` runs the rest)") if fam.get("partial") else ""
        lines += [f"## {family}", "",
                  f"Against the best baseline of each data set: **{wtl['win']} wins, {wtl['tie']} ties, "
                  f"{wtl['loss']} losses**{unfinished}.", "",
                  "| data set | protocol | skattention (defaults) | best baseline | difference | outcome | "
                  "fit + predict time, ours / best baseline |", "|---|---|---|---|---|---|---|"]
        for e in fam["datasets"]:
            ours = next(r for r in e["models"] if r["model"] == OURS)
            best = next(r for r in e["models"] if r["model"] == e["best_baseline"])
            fmt = "{:.3f}" if e["metric"] == "rmse" else "{:.2%}"
            p = f" (p = {e['paired_test']['p_value']:.3g})" if "paired_test" in e else ""
            diff = f"{e['difference']:+.3f}" if e["metric"] == "rmse" else f"{100 * e['difference']:+.2f} pt"
            lines.append(f"| {e['dataset']} | {e['protocol']} | {fmt.format(ours['score'])} | {e['best_baseline']}: "
                         f"{fmt.format(best['score'])} | {diff}{p} | {e['outcome']} | "
                         f"{_seconds(ours)} / {_seconds(best)} |")
        lines += ["", "All models (times per fold for CV):", "", "| data set | model | score | fit | predict |",
                  "|---|---|---|---|---|"]
        for e in fam["datasets"]:
            fmt = "{:.3f}" if e["metric"] == "rmse" else "{:.2%}"
            for r in e["models"]:
                lines.append(f"| {e['dataset']} | {r['model']} | {fmt.format(r['score'])} | {r['fit_seconds']:.1f} s | "
                             f"{r['predict_seconds']:.1f} s |")
        if fam.get("cd_diagram"):
            lines += ["", f"Critical difference diagram: `{fam['cd_diagram']}`."]
        if fam.get("run"):
            lines += ["", f"Run: `{fam['run']['command']}` at commit {fam['run']['commit']}."]
            if len({str(e.get("commit")).removesuffix("+dirty") for e in fam["datasets"]}) > 1:  # some kept from earlier runs (--dataset)
                lines.append("Each data set's commit: " + ", ".join(f"{e['dataset']} {e.get('commit')}"
                                                                    for e in fam["datasets"]) + ".")
        lines.append("")
    return "\n".join(lines)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--family", choices=FAMILIES, action="append",
                        help="run only this family (repeatable); the stored results of the others are kept")
    parser.add_argument("--report", action="store_true", help="rewrite suite.md from suite.json; run nothing")
    parser.add_argument("--resume", action="store_true",
                        help="keep the data sets that an interrupted run of a family finished (each result is "
                             "written as soon as its data set is done) and run only the rest")
    parser.add_argument("--dataset", action="append",
                        help="run only this data set (its label, repeatable) of the families run; the stored "
                             "results of their other data sets are kept, each with the commit it ran at")
    args = parser.parse_args()

    stored = RESULTS / ("suite_quick.json" if args.quick else "suite.json")
    kept = json.loads(stored.read_text()) if stored.is_file() and (args.family or args.report or args.resume or
                                                                    args.dataset) else {}
    families = kept.get("families", {})
    if args.report:  # the stored run's own command, commit and machine stay
        table = _table(families)
        stem = stored.with_suffix("")
        machine = kept["machine"]
        stem.with_suffix(".md").write_text(
            f"# suite\n\n{table}\n\n"
            f"Machine: {machine['cpu']} ({machine['cpu_count']} cores), torch {machine['torch']}, "
            f"{machine['cuda'] or 'no GPU'}.\n")
        print(table)
        return
    for family in args.family or FAMILIES:
        previous = families.get(family, {})
        done = {e["dataset"]: e for e in previous.get("datasets", [])} if args.resume and previous.get("partial") \
            else {}
        if args.dataset:
            done = {e["dataset"]: e for e in previous.get("datasets", []) if e["dataset"] not in args.dataset}
        entries = []
        for spec in globals()[family](args.quick):
            if args.dataset and spec[0] not in args.dataset and spec[0] not in done:
                raise SystemExit(f"--dataset: {family} has no stored result for {spec[0]!r} to keep; run it too.")
            entries.append(done.get(spec[0]) or {**_run_dataset(family, *spec), "commit": _commit()})
            # written after every data set: an interrupted run keeps what it finished (--resume)
            families[family] = _family(family, entries, args.quick, partial=True)
            write_results("suite", {"families": families, "tie": TIE}, _table(families), quick=args.quick)
        families[family] = _family(family, entries, args.quick, partial=False)
    table = _table(families)
    print(table)
    write_results("suite", {"families": families, "tie": TIE}, table, quick=args.quick)


if __name__ == "__main__":
    main()
