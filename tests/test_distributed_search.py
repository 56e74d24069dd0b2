"""Scale out, part 1: a hyperparameter search run on a Dask cluster of worker
processes, or through Ray, gives exactly the results of the same search run
with ``n_jobs=1`` (docs/scaling.md)."""

import contextlib
import logging
import os

import joblib
import numpy as np
import pytest
import torch
from conftest import TINY, make_numeric_data, make_tagging_data
from scipy.stats import loguniform
from sklearn.model_selection import GridSearchCV, RandomizedSearchCV

from skattention import AttentionSequenceRegressor, AttentionTokenClassifier
from skattention.metrics import flat_accuracy_scorer


@contextlib.contextmanager
def torch_threads(n):
    """Run the in-process reference with as many torch threads as a worker has:
    a matrix product split over another number of threads may round differently."""
    before = torch.get_num_threads()
    torch.set_num_threads(n)
    try:
        yield
    finally:
        torch.set_num_threads(before)


@contextlib.contextmanager
def restored_environ():
    """Dask's nanny sets OMP_NUM_THREADS=1, PYTHONHASHSEED and more in the process that
    starts a LocalCluster, Ray sets PYTHONBREAKPOINT and RAY_* variables in its driver:
    undo them, so that the tests after these do not inherit them."""
    before = dict(os.environ)
    try:
        yield
    finally:
        for key in set(os.environ) - set(before):
            del os.environ[key]
        os.environ.update(before)


def one_thread_count(counts):
    counts = set(counts)
    assert len(counts) == 1, f"workers run torch with different thread counts: {counts}"
    return counts.pop()


def grid_search(n_jobs):
    return GridSearchCV(AttentionTokenClassifier(**{**TINY, "d_model": 8}), {"d_model": [8, 16]}, cv=2,
                        scoring=flat_accuracy_scorer, n_jobs=n_jobs)


# Searches over a regressor: its R^2 is a float that roundoff would show in, unlike an
# accuracy. 1 and 2 torch threads already give R^2 that differ in the 8th digit.
def regressor_grid_search(n_jobs):
    return GridSearchCV(AttentionSequenceRegressor(**{**TINY, "d_model": 8}), {"d_model": [8, 16]}, cv=2,
                        n_jobs=n_jobs)


def randomized_search(n_jobs):
    return RandomizedSearchCV(AttentionSequenceRegressor(**{**TINY, "d_model": 8}),
                              {"d_model": [8, 16], "lr": loguniform(1e-3, 1e-2)}, n_iter=3, cv=2,
                              random_state=0, n_jobs=n_jobs)


def tagging():
    return make_tagging_data(30)


def regression():
    X = make_numeric_data(30)
    return X, np.array([x[:, 0].mean() for x in X])


def assert_same_search(local, remote, X):
    n_splits = local.n_splits_
    assert remote.n_splits_ == n_splits
    assert remote.cv_results_["params"] == local.cv_results_["params"]
    for key in ["mean_test_score", "std_test_score", "rank_test_score",
                *(f"split{i}_test_score" for i in range(n_splits))]:
        np.testing.assert_array_equal(remote.cv_results_[key], local.cv_results_[key], err_msg=key)
    assert remote.best_params_ == local.best_params_
    assert remote.best_score_ == local.best_score_
    a, b = local.best_estimator_, remote.best_estimator_
    if hasattr(a, "predict_proba"):
        for p, q in zip(a.predict_proba(X), b.predict_proba(X), strict=True):
            np.testing.assert_array_equal(p, q)
    for p, q in zip(a.predict(X), b.predict(X), strict=True):
        np.testing.assert_array_equal(np.asarray(p), np.asarray(q))


# ---------------------------------------------------------------------- Dask
@pytest.fixture(scope="module")
def dask_client():
    distributed = pytest.importorskip("dask.distributed")
    with restored_environ():
        # worker processes, as on a real cluster: the estimator and the data are pickled to them
        cluster = distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, host="127.0.0.1",
                                           dashboard_address=None, silence_logs=logging.ERROR)
        try:
            client = distributed.Client(cluster)
            try:
                yield client
            finally:
                client.close()
        finally:
            cluster.close()


def _on_dask(client, make_search, X, y):
    # Dask's nanny starts workers with OMP_NUM_THREADS=1
    threads = one_thread_count(client.run(torch.get_num_threads).values())
    # the refit of the best candidate runs in this process for both searches: at the
    # workers' thread count too, so that the two best estimators are comparable
    with torch_threads(threads):
        local = make_search(n_jobs=1).fit(X, y)
        with joblib.parallel_backend("dask"):  # the backend finds the client as the default one
            remote = make_search(n_jobs=-1).fit(X, y)
    return local, remote


def test_grid_search_on_a_dask_cluster_matches_n_jobs_1(dask_client):
    X, y = tagging()
    local, remote = _on_dask(dask_client, grid_search, X, y)
    assert_same_search(local, remote, X)


def test_randomized_search_on_a_dask_cluster_matches_n_jobs_1(dask_client):
    X, y = regression()
    local, remote = _on_dask(dask_client, randomized_search, X, y)
    assert_same_search(local, remote, X)
    assert len(set(local.cv_results_["mean_test_score"])) > 1  # the candidates really differ


# ----------------------------------------------------------------------- Ray
@pytest.fixture
def ray_backend():
    ray = pytest.importorskip("ray")
    from joblib.pool import PicklingPool
    from ray.util.joblib import register_ray

    if ray.is_initialized():
        pytest.skip("Ray is already initialised in this process")
    bases = PicklingPool.__bases__
    with restored_environ():
        # address="local": a fresh local Ray, never a cluster that RAY_ADDRESS points at
        ray.init(address="local", num_cpus=2, include_dashboard=False, log_to_driver=False,
                 configure_logging=False)
        try:
            register_ray()
            yield ray
        finally:
            ray.shutdown()
            # Ray's joblib backend rebases joblib's PicklingPool onto Ray's pool for the
            # whole process; put it back so that backend="multiprocessing" stays itself
            PicklingPool.__bases__ = bases


def test_grid_search_through_ray_matches_n_jobs_1(ray_backend):
    ray = ray_backend

    @ray.remote
    def worker_threads():  # a local function: it travels by value, the test module is not importable there
        import torch

        return torch.get_num_threads()

    # Ray starts its workers with OMP_NUM_THREADS=1 (one per CPU they hold)
    threads = one_thread_count(ray.get([worker_threads.remote() for _ in range(2)]))
    X, y = regression()
    with torch_threads(threads):  # the refits run in this process, at the workers' count too
        local = regressor_grid_search(n_jobs=1).fit(X, y)
        with joblib.parallel_backend("ray"):
            remote = regressor_grid_search(n_jobs=-1).fit(X, y)
    assert_same_search(local, remote, X)
    assert len(set(local.cv_results_["mean_test_score"])) > 1
