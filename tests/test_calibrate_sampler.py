"""The calibration sampler gives the same posterior whatever the workers (pyabc on Dask)."""

from __future__ import annotations

import numpy as np
import pytest

pyabc = pytest.importorskip("pyabc")
from distributed import Client, LocalCluster  # noqa: E402

from empathica.calibrate import SeededMapSampler, dask_map  # noqa: E402
from empathica.calibrate.sampler import particle_seed  # noqa: E402


def _model(p):
    # A noisy simulator: its noise comes from the global generator the sampler seeds.
    return {"y": p["a"] + 0.1 * np.random.standard_normal()}


def _posterior(sampler, tmp_path, name):
    np.random.seed(0)
    prior = pyabc.Distribution(a=pyabc.RV("uniform", 0, 1))
    abc = pyabc.ABCSMC(_model, prior, pyabc.PNormDistance(p=2), population_size=40, sampler=sampler)
    abc.new(f"sqlite:///{tmp_path / name}.db", {"y": 0.3})
    history = abc.run(max_nr_populations=3)
    df, w = history.get_distribution()
    return df["a"].to_numpy(), w, history.total_nr_simulations


@pytest.fixture(scope="module")
def clients():
    with LocalCluster(
        n_workers=2, threads_per_worker=1, host="127.0.0.1", dashboard_address=None, silence_logs=40
    ) as two:
        with LocalCluster(
            n_workers=1, threads_per_worker=1, host="127.0.0.1", dashboard_address=None, silence_logs=40
        ) as one:
            with Client(two) as c2, Client(one) as c1:
                yield c1, c2


def test_same_posterior_on_one_or_two_workers_and_in_process(clients, tmp_path):
    c1, c2 = clients
    runs = [
        _posterior(SeededMapSampler(map, seed=5), tmp_path, "local"),
        _posterior(SeededMapSampler(dask_map(c1), seed=5), tmp_path, "one"),
        _posterior(SeededMapSampler(dask_map(c2), seed=5), tmp_path, "two"),
    ]
    for a, w, n in runs[1:]:
        np.testing.assert_array_equal(a, runs[0][0])
        np.testing.assert_array_equal(w, runs[0][1])
        assert n == runs[0][2]
    a, w, _ = runs[0]
    assert abs(np.average(a, weights=w) - 0.3) < 0.1  # the posterior is near the observation


def test_another_seed_gives_another_population(tmp_path):
    a, _, _ = _posterior(SeededMapSampler(map, seed=5), tmp_path, "s5")
    b, _, _ = _posterior(SeededMapSampler(map, seed=6), tmp_path, "s6")
    assert not np.array_equal(np.sort(a), np.sort(b))


def test_particle_seeds_are_addressed():
    assert particle_seed(1, 2, 3) == particle_seed(1, 2, 3)
    assert len({particle_seed(1, t, i) for t in range(-1, 3) for i in range(100)}) == 400
