"""Compare estimators on the same folds: the attention models beside the
classical baselines, in one table, with a paired significance test."""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd
from sklearn.base import clone, is_classifier
from sklearn.model_selection import KFold, StratifiedKFold, check_cv, cross_validate
from sklearn.utils.multiclass import type_of_target

from .metrics import get_scorer

__all__ = ["Comparison", "PairedTest", "compare", "cross_val_predict", "paired_test"]

#: Folds from which :func:`paired_test` uses the Wilcoxon signed-rank test (``method="auto"``).
WILCOXON_MIN_FOLDS = 20


@dataclass(frozen=True)
class PairedTest:
    """The result of :func:`paired_test`: is model ``a`` better than ``b``?

    Attributes
    ----------
    a, b : str
        The models compared (``a`` is the one with the higher mean score).
    mean_difference : float
        Mean over folds of ``score(a) - score(b)``.
    statistic : float
        The t statistic (corrected t-test) or Wilcoxon's W.
    p_value : float
        Two-sided p-value.
    method : {"corrected_t", "wilcoxon"}
    n_folds : int
    alpha : float
        The level at which :attr:`significant` is decided.
    """

    a: str
    b: str
    mean_difference: float
    statistic: float
    p_value: float
    method: str
    n_folds: int
    alpha: float = 0.05

    @property
    def significant(self) -> bool:
        """Whether the difference is significant at level :attr:`alpha`."""
        return bool(self.p_value < self.alpha)

    def __str__(self) -> str:
        name = {"corrected_t": "corrected resampled t-test (Nadeau & Bengio 2003)",
                "wilcoxon": "Wilcoxon signed-rank test"}[self.method]
        verdict = "significant" if self.significant else "not significant"
        return (f"{self.a} - {self.b}: {self.mean_difference:+.4f} over {self.n_folds} folds; {name}: "
                f"p = {self.p_value:.3g}, {verdict} at {self.alpha:g}")


def paired_test(scores_a, scores_b, *, test_train_ratio: float | None = None, method: str = "auto",
                a: str = "a", b: str = "b", alpha: float = 0.05) -> PairedTest:
    """Test whether two models' scores on the same folds differ.

    The folds of one cross-validation share most of their training data, so
    their scores are not independent and the plain paired t-test is far too
    eager. The corrected resampled t-test (Nadeau & Bengio 2003) widens the
    variance of the ``k`` per-fold differences ``d`` by the ratio of test to
    training size: ``t = mean(d) / sqrt((1/k + n_test/n_train) * var(d))``,
    with ``k - 1`` degrees of freedom. With many folds the Wilcoxon signed-rank test
    (:func:`scipy.stats.wilcoxon`) is an option that assumes no normality.

    Parameters
    ----------
    scores_a, scores_b : array-like of shape (n_folds,)
        Scores of the two models, fold by fold.
    test_train_ratio : float, optional
        ``n_test / n_train`` of the folds; needed by the corrected t-test
        (``1 / (k - 1)`` for k-fold CV, the default).
    method : {"auto", "corrected_t", "wilcoxon"}, default="auto"
        ``"auto"``: Wilcoxon from :data:`WILCOXON_MIN_FOLDS` folds on, the
        corrected t-test below.
    a, b : str
        Names of the models, for the report.
    alpha : float, default=0.05
        Level of :attr:`PairedTest.significant`.

    Returns
    -------
    PairedTest

    Examples
    --------
    >>> from skattention.model_selection import paired_test
    >>> res = paired_test([0.81, 0.83, 0.80, 0.82, 0.84], [0.78, 0.80, 0.79, 0.78, 0.80],
    ...                   a="attention", b="crf")
    >>> round(res.mean_difference, 3), round(res.p_value, 4), res.significant
    (0.03, 0.0217, True)
    """
    from scipy import stats

    x, y = np.asarray(scores_a, dtype=float), np.asarray(scores_b, dtype=float)
    if x.shape != y.shape or x.ndim != 1 or len(x) < 2:
        raise ValueError(f"scores_a and scores_b must be 1-D with the same number (>= 2) of folds, got shapes "
                         f"{x.shape} and {y.shape}.")
    if not (np.isfinite(x).all() and np.isfinite(y).all()):
        raise ValueError("The scores contain NaN or infinity (a failed fit?); a paired test needs every fold.")
    if method not in ("auto", "corrected_t", "wilcoxon"):
        raise ValueError(f"method must be 'auto', 'corrected_t' or 'wilcoxon', got {method!r}.")
    k = len(x)
    if method == "auto":
        method = "wilcoxon" if k >= WILCOXON_MIN_FOLDS else "corrected_t"
    d = x - y
    mean = float(d.mean())
    if method == "wilcoxon":
        if not d.any():
            statistic, p = 0.0, 1.0
        else:
            res = stats.wilcoxon(x, y)
            statistic, p = float(res.statistic), float(res.pvalue)
    else:
        ratio = 1.0 / (k - 1) if test_train_ratio is None else float(test_train_ratio)
        var = float(d.var(ddof=1))
        if var == 0.0:
            statistic, p = (0.0, 1.0) if mean == 0.0 else (math.copysign(math.inf, mean), 0.0)
        else:
            statistic = mean / math.sqrt((1.0 / k + ratio) * var)
            p = float(2 * stats.t.sf(abs(statistic), df=k - 1))
    return PairedTest(a, b, mean, float(statistic), p, method, k, alpha)


@dataclass
class Comparison:
    """The result of :func:`compare`.

    Attributes
    ----------
    table : pandas.DataFrame
        One row per model and fold: ``model``, ``fold``, ``score``,
        ``fit_time`` and ``predict_time`` (seconds; the predict time is
        scikit-learn's ``score_time``, the prediction plus the scoring),
        ``n_train`` and ``n_test``.
    scoring : str
        What ``score`` is (the scorer's name).
    """

    table: pd.DataFrame
    scoring: str

    @property
    def summary(self) -> pd.DataFrame:
        """Per model: mean and standard deviation of the score, mean fit and
        predict times; the best model first."""
        grouped = self.table.groupby("model", sort=False)
        out = pd.DataFrame({"mean_score": grouped["score"].mean(), "std_score": grouped["score"].std(ddof=0),
                            "fit_time": grouped["fit_time"].mean(), "predict_time": grouped["predict_time"].mean()})
        return out.sort_values("mean_score", ascending=False, kind="stable")

    def test(self, a: str | None = None, b: str | None = None, *, method: str = "auto",
             alpha: float = 0.05) -> PairedTest:
        """:func:`paired_test` of two models over the folds; by default the
        two with the best mean scores."""
        ranked = list(self.summary.index)
        if len(ranked) < 2:
            raise ValueError("A paired test needs two models; this comparison holds one.")
        a = ranked[0] if a is None else a
        b = next(m for m in ranked if m != a) if b is None else b
        for name in (a, b):
            if name not in ranked:
                raise ValueError(f"No model named {name!r}; the models are {ranked}.")
        wide = self.table.pivot(index="fold", columns="model", values="score")
        folds = self.table.drop_duplicates("fold").set_index("fold")
        ratio = float((folds["n_test"] / folds["n_train"]).mean())
        return paired_test(wide[a].to_numpy(), wide[b].to_numpy(), test_train_ratio=ratio, method=method,
                           a=a, b=b, alpha=alpha)

    def plot(self, *, ax=None, **kwargs):
        """Draw the fold scores: see :class:`skattention.plotting.ComparisonDisplay`."""
        from .plotting import ComparisonDisplay

        return ComparisonDisplay(self.table, self.scoring).plot(ax=ax, **kwargs)

    def __repr__(self) -> str:
        lines = [f"Comparison of {self.summary.shape[0]} models over "
                 f"{self.table['fold'].nunique()} folds ({self.scoring}):", self.summary.to_string()]
        if self.summary.shape[0] > 1 and self.table["score"].notna().all():
            lines.append(str(self.test()))
        return "\n".join(lines)


def _folds(cv, X, y, groups, estimators, random_state):
    if isinstance(cv, (int, np.integer)) and not isinstance(cv, bool):
        try:
            labels = type_of_target(y) in ("binary", "multiclass")
        except (ValueError, TypeError):  # ragged label sequences: not one label per sequence
            labels = False
        stratify = labels and any(is_classifier(e) for e in estimators)
        splitter = (StratifiedKFold if stratify else KFold)(int(cv), shuffle=True, random_state=random_state)
    else:
        splitter = check_cv(cv)
    return list(splitter.split(X, y, groups))


def compare(estimators, X, y, *, cv=5, scoring=None, groups=None, n_jobs: int | None = None,
            random_state: int | None = 0, error_score=np.nan, verbose: int = 0) -> Comparison:
    """Cross-validate several estimators on the same folds, data and scorer.

    Parameters
    ----------
    estimators : dict or list of (name, estimator) pairs
        The models, by name: attention estimators, baselines from
        :mod:`skattention.baselines`, pipelines, anything scikit-learn fits.
    X : list of sequences
        What every estimator takes (ragged lists are fine).
    y : array-like or list of sequences
        One target per sequence, or per element for token estimators.
    cv : int, cross-validation generator or iterable, default=5
        An int gives shuffled folds (seeded by ``random_state``), stratified
        when ``y`` holds one class label per sequence and a model is a
        classifier; anything else is used as scikit-learn's ``cv``. The
        folds are drawn once and every model sees the same ones.
    scoring : str or callable, default=None
        One scorer for all, e.g. :data:`skattention.metrics.flat_accuracy_scorer`
        for token outputs, a name of :data:`skattention.metrics.SCORERS` or
        any scikit-learn scoring name; None uses each estimator's ``score``.
        Greater is better, as in scikit-learn (``"neg_root_mean_squared_error"``
        for an RMSE).
    groups : array-like, optional
        Group labels for a group-aware ``cv``.
    n_jobs : int, optional
        Folds fitted in parallel (``cross_validate``'s ``n_jobs``).
    random_state : int or None, default=0
        Seeds the shuffled folds of an int ``cv``.
    error_score : "raise" or float, default=np.nan
        The score of a fold whose fit fails.
    verbose : int, default=0

    Returns
    -------
    Comparison
        ``.table`` (one row per model and fold), ``.summary``, ``.test()``
        (a paired test of the two best) and ``.plot()``.

    Examples
    --------
    >>> from skattention.baselines import CRFTagger, MostFrequentTagTagger
    >>> from skattention.metrics import flat_accuracy_scorer
    >>> from skattention.model_selection import compare
    >>> X = [["the", "cat", "sat"], ["a", "dog", "ran"], ["the", "dog", "sat"]] * 4
    >>> y = [["DET", "NOUN", "VERB"]] * 12
    >>> result = compare({"crf": CRFTagger(), "mft": MostFrequentTagTagger()}, X, y, cv=3,
    ...                  scoring=flat_accuracy_scorer)
    >>> result.table.columns.tolist()
    ['model', 'fold', 'score', 'fit_time', 'predict_time', 'n_train', 'n_test']
    >>> result.summary["mean_score"].tolist()
    [1.0, 1.0]
    """
    items = list(estimators.items()) if isinstance(estimators, Mapping) else list(estimators)
    if not items:
        raise ValueError("estimators is empty; pass a dict of name -> estimator.")
    names = [name for name, _ in items]
    if len(set(names)) != len(names):
        raise ValueError(f"The estimators' names must be unique, got {names}.")
    splits = _folds(cv, X, y, groups, [est for _, est in items], random_state)
    scorer = None if scoring is None else get_scorer(scoring)
    label = "estimator.score" if scoring is None else (scoring if isinstance(scoring, str) else
                                                        getattr(getattr(scorer, "_score_func", None),
                                                                "__name__", repr(scoring)))
    rows = []
    for name, estimator in items:
        res = cross_validate(estimator, X, y, cv=splits, scoring=scorer, n_jobs=n_jobs, verbose=verbose,
                             error_score=error_score)
        for fold, (train, test) in enumerate(splits):
            rows.append({"model": name, "fold": fold, "score": float(res["test_score"][fold]),
                         "fit_time": float(res["fit_time"][fold]), "predict_time": float(res["score_time"][fold]),
                         "n_train": len(train), "n_test": len(test)})
    return Comparison(pd.DataFrame(rows), label)


def _fit_and_predict(estimator, X, y, train, test, method):
    from sklearn.utils import _safe_indexing

    fitted = clone(estimator).fit(_safe_indexing(X, train), _safe_indexing(y, train))
    return getattr(fitted, method)(_safe_indexing(X, test))


def cross_val_predict(estimator, X, y, *, cv=5, groups=None, method: str = "predict", n_jobs: int | None = None,
                      random_state: int | None = 0) -> list:
    """Out-of-fold predictions for ragged outputs, in the order of ``X``.

    scikit-learn's :func:`~sklearn.model_selection.cross_val_predict` stacks
    the folds' predictions into one array, which ragged outputs (a label
    array per sequence from the token estimators, a token list per sequence
    from :class:`~skattention.AttentionSeq2Seq`) cannot form. This one keeps
    them as a list, one entry per sequence. For one label per sequence,
    scikit-learn's own works as it is.

    Parameters
    ----------
    estimator : estimator
        Cloned and fitted once per fold.
    X : list of sequences
    y : list of target sequences (or one target per sequence)
    cv : int, cross-validation generator or iterable, default=5
        As in :func:`compare`: an int gives shuffled folds seeded by
        ``random_state``; every sequence must be in exactly one test fold.
    groups : array-like, optional
    method : str, default="predict"
        ``"predict"``, ``"predict_proba"`` or any method returning one entry
        per sequence.
    n_jobs : int, optional
        Folds fitted in parallel.
    random_state : int or None, default=0

    Returns
    -------
    list
        ``method``'s output for every sequence of ``X``, from the fold in
        which it was held out.

    Examples
    --------
    >>> from skattention.baselines import MostFrequentTagTagger
    >>> from skattention.model_selection import cross_val_predict
    >>> X = [["the", "cat"], ["a", "dog", "ran"], ["the", "dog"]] * 2
    >>> y = [["D", "N"], ["D", "N", "V"], ["D", "N"]] * 2
    >>> [list(p) for p in cross_val_predict(MostFrequentTagTagger(), X, y, cv=3)][:2]
    [['D', 'N'], ['D', 'N', 'V']]
    """
    from sklearn.utils.parallel import Parallel, delayed

    splits = _folds(cv, X, y, groups, [estimator], random_state)
    tested = np.concatenate([test for _, test in splits]) if splits else np.array([], dtype=int)
    if len(tested) != len(X) or len(np.unique(tested)) != len(X):
        raise ValueError("cross_val_predict needs folds whose test sets hold every sequence exactly once.")
    pieces = Parallel(n_jobs=n_jobs)(delayed(_fit_and_predict)(estimator, X, y, train, test, method)
                                     for train, test in splits)
    out: list = [None] * len(X)
    for (_, test), predicted in zip(splits, pieces):
        for i, p in zip(test, predicted):
            out[i] = p
    return out
