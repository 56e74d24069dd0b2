"""skattention.modules.ngrams: the linear model over a sequence's bag of n-grams,
and the ``ngrams`` parameter of the sequence estimators that adds it."""

import numpy as np
import pytest
import torch
from conftest import TINY, make_numeric_data, make_tagging_data

from skattention import AttentionSequenceClassifier, AttentionSequenceRegressor
from skattention.callbacks import NaiveBayesInit
from skattention.modules import Batch, NGramLinear, SequenceModel
from skattention.modules.ngrams import default_buckets


def _reference_ids(row, n_tokens, n, buckets):
    """The rows of one padded sequence, written out with Python integers."""
    length = sum(1 for t in row if t > 0)
    ids = [t if t > 0 else 0 for t in row]
    for k in range(2, n + 1):
        for t in range(len(row)):
            if t < k - 1 or t >= length:
                ids.append(0)
                continue
            key = row[t - k + 1]
            for token in row[t - k + 2: t + 1]:
                key = (key * n_tokens + token) % buckets
            ids.append(n_tokens + key)
    return ids


@pytest.mark.parametrize("n", [1, 2, 3])
def test_ngram_ids_match_a_written_out_hash(n):
    rng = np.random.RandomState(n)
    tokens = torch.from_numpy(rng.randint(1, 50, size=(4, 7)))
    tokens[1, 5:] = 0  # padded
    tokens[2, 1:] = 0  # one token: no bigram
    layer = NGramLinear(50, 3, n=n, buckets=31)
    expected = [_reference_ids(row.tolist(), 50, n, 31) for row in tokens]
    assert layer.ngram_ids(tokens).tolist() == expected


def test_scores_are_the_rows_of_the_ngrams_over_the_root_of_their_count():
    layer = NGramLinear(10, 2, n=2, buckets=7)
    with torch.no_grad():
        layer.weight.copy_(torch.arange(34, dtype=torch.float32).reshape(17, 2))
    tokens = torch.tensor([[4, 5, 6], [4, 5, 0]])
    rows = [[4, 5, 6, 13, 10], [4, 5, 13]]  # unigrams, then the hashed bigrams (the doctest's ids)
    expected = torch.stack([layer.weight[r].sum(0) / len(r) ** 0.5 for r in rows])
    assert torch.equal(layer(tokens), expected)


def test_default_buckets_keep_the_table_small_for_many_outputs():
    assert default_buckets(1) == default_buckets(2) == 1048573  # the largest prime under 2**20
    assert default_buckets(6) * 6 <= 2**22
    assert default_buckets(10**6) == 1021
    with pytest.raises(ValueError, match="n must be >= 1"):
        NGramLinear(10, 2, n=0)


def test_sequence_model_starts_as_the_network_alone():
    """The n-gram rows start at zero: the first outputs are the network's, exactly."""
    kwargs = dict(n_tokens=30, n_chars=0, d_model=16, n_heads=2, n_layers=1, encoder="transformer")
    torch.manual_seed(0)
    plain = SequenceModel(3, **kwargs).eval()
    torch.manual_seed(0)
    with_ngrams = SequenceModel(3, ngrams=2, **kwargs).eval()
    tokens = torch.tensor([[3, 4, 5, 6], [7, 8, 0, 0]])
    lengths = torch.tensor([4, 2])
    assert torch.equal(plain(Batch(lengths, tokens)), with_ngrams(Batch(lengths, tokens)))
    assert with_ngrams.ngrams.weight.shape == (30 + default_buckets(3), 3)
    assert SequenceModel(3, ngrams=2, n_features=4, d_model=16).ngrams is None  # numeric input


def test_estimator_trains_the_ngram_scores_on_tokens_only():
    X, tags = make_tagging_data()
    y = [t[0] for t in tags]
    clf = AttentionSequenceClassifier(**TINY).fit(X, y)
    assert clf.ngrams == "auto" and clf.module_.ngrams.n == 2
    assert clf.module_.ngrams.weight.abs().sum() > 0  # trained from the same loss
    off = AttentionSequenceClassifier(**TINY, ngrams=0).fit(X, y)
    assert off.module_.ngrams is None
    Xn = make_numeric_data()
    reg = AttentionSequenceRegressor(**TINY, ngrams=3).fit(Xn, np.array([x.sum() for x in Xn]))
    assert reg.module_.ngrams is None
    counts = np.array([sum(w == "the" for w in x) for x in X], dtype=float)
    assert AttentionSequenceRegressor(**TINY).fit(X, counts).module_.ngrams is None  # "auto": off
    assert AttentionSequenceRegressor(**TINY, ngrams=2).fit(X, counts).module_.ngrams.n == 2


def test_ngrams_fit_is_repeatable_and_reloads(tmp_path):
    X, tags = make_tagging_data()
    y = [t[0] for t in tags]
    a = AttentionSequenceClassifier(**TINY, ngrams=3).fit(X, y)
    b = AttentionSequenceClassifier(**TINY, ngrams=3).fit(X, y)
    assert np.array_equal(a.predict_proba(X), b.predict_proba(X))
    a.save(tmp_path / "m")
    loaded = AttentionSequenceClassifier.load(tmp_path / "m")
    assert np.array_equal(loaded.predict_proba(X), a.predict_proba(X))


@pytest.mark.parametrize("bad", [-1, 1.5, "2", True, None])
def test_bad_ngrams_named(bad):
    X, tags = make_tagging_data()
    with pytest.raises(ValueError, match="ngrams"):
        AttentionSequenceClassifier(**TINY, ngrams=bad).fit(X, [t[0] for t in tags])


def test_bigrams_tell_apart_what_a_bag_of_words_cannot():
    """Same words, different order: "not good , bad" against "good , not bad".
    The bigram scores learn them apart; unigram scores are equal for both."""
    torch.manual_seed(0)
    layer = NGramLinear(6, 2, n=2, buckets=101)
    a = torch.tensor([[2, 3, 4, 5]])  # not good , bad
    b = torch.tensor([[3, 4, 2, 5]])  # good , not bad
    opt = torch.optim.SGD(layer.parameters(), lr=1.0)
    for _ in range(50):
        opt.zero_grad()
        loss = torch.nn.functional.cross_entropy(layer(torch.cat([a, b])), torch.tensor([0, 1]))
        loss.backward()
        opt.step()
    assert layer(a).argmax().item() == 0 and layer(b).argmax().item() == 1
    unigrams = NGramLinear(6, 2, n=1)
    assert torch.equal(unigrams(a), unigrams(b))  # a bag of words cannot


def test_in_training_the_ngram_scores_also_fit_the_targets_alone():
    """A product of experts: the loss is that of the sum plus that of the n-gram
    scores alone, so the linear model is a model of its own, not a correction."""
    from skattention._batching import Collate
    from skattention.modules import WithAuxiliary

    X, tags = make_tagging_data()
    clf = AttentionSequenceClassifier(**TINY).fit(X, [t[0] for t in tags])
    module, net = clf.module_, clf.net_
    items = clf._input_items(clf._check_X(X[:8], fitted=True))
    inputs, y = Collate(token_targets=False)([(item, np.int64(i % 2)) for i, item in enumerate(items)])
    module.train()
    out = module(inputs)
    assert isinstance(out, WithAuxiliary) and len(out.auxiliary) == 1
    criterion = torch.nn.CrossEntropyLoss()
    expected = criterion(out.output, y) + criterion(out.auxiliary[0], y)
    assert torch.equal(net.get_loss(out, y), expected)
    module.eval()
    assert torch.is_tensor(module(inputs))


def test_naive_bayes_rows_are_multinomial_naive_bayes():
    """Rows that occur hold scikit-learn's MultinomialNB log-probabilities,
    centred over the classes; the others stay zero; the layer's choice is
    naive Bayes' under a uniform prior."""
    from sklearn.naive_bayes import MultinomialNB

    rng = np.random.RandomState(0)
    tokens = torch.from_numpy(rng.randint(2, 14, size=(60, 9)))
    tokens[::3, 6:] = 0  # padded
    labels = torch.from_numpy(rng.randint(0, 3, size=60))
    layer = NGramLinear(20, 3, n=1)
    batches = [(tokens[i : i + 16], labels[i : i + 16]) for i in range(0, 60, 16)]
    assert layer.init_naive_bayes(batches, alpha=0.5) == 12
    counts = np.stack([np.bincount(row[row > 0], minlength=20) for row in tokens.numpy()])
    seen = counts.sum(0) > 0
    nb = MultinomialNB(alpha=0.5).fit(counts[:, seen], labels.numpy())
    expected = nb.feature_log_prob_ - nb.feature_log_prob_.mean(0)
    weight = layer.weight.detach().numpy()
    np.testing.assert_allclose(weight[seen], expected.T, rtol=1e-6, atol=1e-6)
    assert not weight[~seen].any()
    uniform = MultinomialNB(alpha=0.5, fit_prior=False).fit(counts[:, seen], labels.numpy())
    with torch.no_grad():
        assert np.array_equal(layer(tokens).argmax(1).numpy(), uniform.predict(counts[:, seen]))


def test_naive_bayes_refuses_labels_that_are_not_classes():
    with pytest.raises(ValueError, match=r"class indices in \[0, 2\)"):
        NGramLinear(10, 2, n=1).init_naive_bayes([(torch.tensor([[2, 3]]), torch.tensor([2]))])


def test_classifier_starts_the_ngram_scores_from_naive_bayes_on_its_training_split(tmp_path, monkeypatch):
    """At the first epoch the rows are naive Bayes over the training split's
    sequences only (the validation split is left out); a continued fit keeps
    its rows; ``callbacks__ngram_init=None`` starts from zero."""
    from skorch.callbacks import Callback

    class FirstEpoch(Callback):
        def on_epoch_begin(self, net, dataset_train=None, **kwargs):  # after ngram_init's
            self.weight = net.module_.ngrams.weight.detach().clone()
            self.train = list(dataset_train.indices)

    X, tags = make_tagging_data(60)
    y = [t[0] for t in tags]
    seen = FirstEpoch()
    clf = AttentionSequenceClassifier(**{**TINY, "max_epochs": 1}, train_split=0.25, callbacks=[seen]).fit(X, y)
    enc = clf.input_encoder_
    ids = [torch.from_numpy(enc.vocab_.encode(x))[None] for x in X]
    label = {c: i for i, c in enumerate(clf.classes_)}

    def naive_bayes(rows):
        layer = NGramLinear(len(enc.vocab_), len(clf.classes_), n=2)
        layer.init_naive_bayes((ids[i], torch.tensor([label[y[i]]])) for i in rows)
        return layer.weight.detach()

    assert torch.equal(seen.weight, naive_bayes(seen.train))
    assert not torch.equal(seen.weight, naive_bayes(range(len(X))))  # the validation split would change it
    trained = clf.module_.ngrams.weight.detach().clone()
    assert not torch.equal(trained, seen.weight)  # training moved them
    clf.set_params(warm_start=True).fit(X[::-1], y[::-1])  # continues: the same net and callbacks
    assert torch.equal(seen.weight, trained)
    with pytest.warns(UserWarning, match="does not store the 'callbacks'"):
        clf.save(tmp_path / "m")
    loaded = AttentionSequenceClassifier.load(tmp_path / "m")
    kept, first = loaded.module_.ngrams.weight.detach().clone(), []
    init = NaiveBayesInit.on_epoch_begin

    def record(self, net, **kwargs):
        init(self, net, **kwargs)
        first.append(net.module_.ngrams.weight.detach().clone())

    monkeypatch.setattr(NaiveBayesInit, "on_epoch_begin", record)
    loaded.partial_fit(X, y)  # a model read from a file continues from its rows too
    assert torch.equal(first[0], kept)
    off = FirstEpoch()
    AttentionSequenceClassifier(**{**TINY, "max_epochs": 1}, train_split=0.25, callbacks=[off],
                                callbacks__ngram_init=None).fit(X, y)
    assert not off.weight.any()
