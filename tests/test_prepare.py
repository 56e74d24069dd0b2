"""estimators/_prepare.py: the one validate -> encode path of fit, streamed
pools and predict."""

import numpy as np
import pytest
from conftest import TINY, make_numeric_data, make_tagging_data

from skattention import AttentionSequenceRegressor, AttentionTokenClassifier


@pytest.fixture(scope="module")
def tagger():
    X, y = make_tagging_data(20)
    return AttentionTokenClassifier(**TINY).fit(X, y)


def _same_items(a, b):
    return len(a) == len(b) and all(x.keys() == y.keys() and all(np.array_equal(x[k], y[k]) for k in x)
                                    for x, y in zip(a, b))


def test_validate_checks_targets_in_training_and_cuts_windows(tagger):
    X, y = make_tagging_data(6)
    tagger.set_params(max_length=3)
    try:
        seqs, targets, owners, n_long = tagger._validate(X, y)
        assert n_long == sum(len(x) > 3 for x in X)
        assert seqs.lengths.max() <= 3 and len(owners) == len(seqs) == len(targets)
        assert [sum(seqs.lengths[owners == i]) for i in range(len(X))] == [len(x) for x in X]
        with pytest.raises(ValueError, match=r"y\[0\] has 1 label"):
            tagger._validate(X, [["DET"]] + y[1:])
        seqs, targets, owners, _ = tagger._validate(X, training=False)  # predicting: no targets
        assert targets is None and owners is not None
    finally:
        tagger.set_params(max_length=None)


def test_encode_leaves_out_empty_sequences_and_says_where_the_rest_were(tagger):
    X, y = make_tagging_data(5)
    X, y = [X[0], [], X[1]], [y[0], [], y[1]]
    items, lengths, targets, keep = tagger._encode(*tagger._validate(X, y)[:2])
    assert keep.tolist() == [0, 2] and lengths.tolist() == [len(X[0]), len(X[2])]
    assert [len(t) for t in targets] == lengths.tolist()
    assert items[1]["tokens"].tolist() == [tagger.vocabulary_.get(w, 1) for w in X[2]]
    predicting = tagger._encode(tagger._validate(X, training=False).seqs)
    assert predicting.targets is None and _same_items(predicting.items, items)


def test_fit_stream_and_predict_encode_alike(tagger):
    X, y = make_tagging_data(8)
    encoded = tagger._encode(*tagger._validate(X, y)[:2])
    items, lengths, targets, positions = tagger._encode_pool(list(zip(X, y)), np.arange(len(X)))
    assert _same_items(items, encoded.items) and positions.tolist() == list(range(len(X)))
    assert all(np.array_equal(a, b) for a, b in zip(targets, encoded.targets))
    n, batches, _ = tagger._predict_batches(X)
    seen = {}
    for where, _, batch in batches:
        for row, i in enumerate(where):
            seen[int(i)] = batch.tokens[row, : lengths[i]].numpy()
    assert n == len(X) and all(np.array_equal(seen[i], encoded.items[i]["tokens"]) for i in range(len(X)))


def test_sequence_estimators_truncate_and_encode_numbers():
    X = make_numeric_data(12)
    y = np.array([x[:, 0].sum() for x in X])
    reg = AttentionSequenceRegressor(**TINY, max_length=4).fit(X, y)
    with pytest.warns(UserWarning, match="truncated to their first 4"):
        seqs, targets, owners, n_long = reg._validate(X, y)
    assert owners is None and n_long == sum(len(x) > 4 for x in X) and seqs.lengths.max() == 4
    items, _, encoded, _ = reg._encode(seqs, targets)
    assert items[0]["features"].shape == (min(len(X[0]), 4), X[0].shape[1])
    np.testing.assert_allclose(reg._to_original_units(encoded), targets, rtol=1e-5)
