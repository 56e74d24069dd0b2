"""
Grid search over a pipeline, against a classical baseline
==========================================================

skattention estimators are ordinary scikit-learn estimators, so they fit in a
:class:`~sklearn.pipeline.Pipeline` and :class:`~sklearn.model_selection.GridSearchCV`
tunes them over ragged inputs (lists of token lists) like anything else. Here
a single grid search compares, on the same cross-validation folds, two
attention classifiers and a TF-IDF + logistic regression baseline for the
polarity of movie-review sentences (Pang & Lee, 2005).

The data are a 2,400-sentence subset and the networks are tiny and trained
for a few epochs, so that the example builds quickly. The 10-fold results on
all 10,662 sentences are on the benchmarks page; there too the linear
baseline wins.
"""

# %%
# Data
# ----
# :func:`~skattention.datasets.load_movie_review_polarity` returns tokenised,
# lowercased sentences and labels 1 (positive) / 0 (negative). We keep a
# stratified subset for the search and 1,000 other sentences as a test set.
import matplotlib.pyplot as plt
import pandas as pd
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import GridSearchCV, StratifiedKFold, train_test_split
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import FunctionTransformer

from skattention import AttentionSequenceClassifier
from skattention.baselines import TokenSequenceVectorizer
from skattention.datasets import load_movie_review_polarity

X, y = load_movie_review_polarity()
X_train, X_test, y_train, y_test = train_test_split(X, y, train_size=2400, test_size=1000,
                                                    stratify=y, random_state=0)
print(f"{len(X)} sentences; search on {len(X_train)}, test on {len(X_test)}")
print(" ".join(X_train[0]), "->", y_train[0])

# %%
# One pipeline, two kinds of model
# --------------------------------
# The pipeline has a ``features`` step and a ``model`` step, and the grid
# replaces both. For the attention classifier the features step only cuts
# sentences to at most 40 tokens (the classifier reads token lists directly);
# for the baseline it is :class:`~skattention.baselines.TokenSequenceVectorizer`,
# TF-IDF over word unigrams and bigrams of the same token lists.


def truncate(sentences, max_len=40):
    return [s[:max_len] for s in sentences]


tfidf = TokenSequenceVectorizer(ngram_range=(1, 2), sublinear_tf=True)
attention_clf = AttentionSequenceClassifier(d_model=32, n_layers=1, max_epochs=8, patience=2,
                                            random_state=0)

pipe = Pipeline([("features", FunctionTransformer(truncate)), ("model", attention_clf)])
param_grid = [
    {   # two attention classifiers: a BiLSTM or a Transformer encoder, attention pooling
        "model__encoder": ["birnn", "transformer"],
    },
    {   # the classical baseline, two regularisation strengths
        "features": [tfidf],
        "model": [LogisticRegression(max_iter=1000)],
        "model__C": [1.0, 10.0],
    },
]
search = GridSearchCV(pipe, param_grid, cv=StratifiedKFold(3, shuffle=True, random_state=0),
                      scoring="accuracy")
search.fit(X_train, y_train)

# %%
# The cross-validation results
# ----------------------------
# ``cv_results_`` is a dictionary of arrays; as a DataFrame it lists every
# candidate with its mean and standard deviation over the three folds, and
# its fit time.
results = pd.DataFrame(search.cv_results_)


def describe(params):
    if "model__encoder" in params:
        return f"attention, encoder={params['model__encoder']}"
    return f"TF-IDF + LogReg, C={params['model__C']:g}"


results["candidate"] = results["params"].map(describe)
columns = ["candidate", "mean_test_score", "std_test_score", "mean_fit_time", "rank_test_score"]
table = results[columns]
print(table.round(3).to_string(index=False))

# %%
# The best candidate, refitted on all 2,400 sentences, on the test set:
print(f"best: {describe(search.best_params_)}")
print(f"test accuracy of the best candidate: {search.score(X_test, y_test):.3f}")

# %%
# On this small subset the TF-IDF baseline is clearly ahead of the tiny
# attention classifiers, which have too little data to learn word meanings
# from scratch. On the full data set the gap narrows but remains (see the
# benchmarks page).
#
# A bar chart of the cross-validated accuracies, with one standard deviation
# over the folds:
fig, ax = plt.subplots(figsize=(7, 3.2))
colors = ["C0" if c.startswith("attention") else "C1" for c in results["candidate"]]
ax.barh(results["candidate"], results["mean_test_score"], xerr=results["std_test_score"],
        color=colors, capsize=3)
ax.axvline(0.5, color="grey", linestyle=":", label="chance")
ax.set_xlim(0.4, max(0.8, float(results["mean_test_score"].max()) + 0.05))
ax.set_xlabel("3-fold CV accuracy")
ax.invert_yaxis()
ax.legend(loc="upper right")
fig.tight_layout()
plt.show()

# %%
# The same search object could tune both models more finely: add
# ``model__d_model`` or ``model__pooling`` to the first grid, or the
# vectoriser's ``features__ngram_range`` to the second. Every skorch option
# is a parameter too, e.g. ``model__optimizer__weight_decay``.
