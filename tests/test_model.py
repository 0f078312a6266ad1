"""The kernel runs what the mechanisms say, step() equals a whole run, and the engine's contracts."""

from __future__ import annotations

import json
import math
import os
import subprocess
import sys

import numpy as np
import pandas as pd
import pytest
from oracle import replay
from scipy import stats

import empathica
from empathica.model import chunks, kernel, streams
from empathica.model import step as model_step
from empathica.model.params import ModelParams
from empathica.model.traits import Traits
from empathica.outputs import simulate_to_files
from empathica.simulation import agent_traits, iter_chunks, make_layout, simulate_counts

PAIRS = "secure:secure,bpd:secure,npd:secure,npd:bpd"


def assert_matches_mechanisms(pairs, dyads, days, seed, model=None, spread=0.10, overrides=None, check=None):
    """Every episode and daily state of the first dyads of each pairing equals the oracle's
    replay from the mechanism functions."""
    model = model or ModelParams()
    res = empathica.simulate(
        pairs, dyads=dyads, days=days, seed=seed, model=model, spread=spread, overrides=overrides
    )
    traits = agent_traits(pairs, dyads, seed, spread=spread, overrides=overrides).stacked()
    key = streams.stream_key(seed)
    n_pairs = len(make_layout(pairs, dyads, overrides).pair_codes)
    checked = 0
    for gid in [p * dyads + i for p in range(n_pairs) for i in range(check or 2)]:
        want_ep, want_tr = replay(key, gid, traits[:, :, gid], days, model)
        got = res.episodes[res.episodes.dyad == gid]
        assert len(got) == len(want_ep), gid
        if want_ep:
            w = pd.DataFrame(want_ep)
            for col, other in (
                ("t", "t"),
                ("actor", "actor"),
                ("intensity", "intensity"),
                ("audience", "audience"),
                ("benefit", "benefit"),
                ("threat", "threat"),
                ("boundary_asked", "boundary_asked"),
                ("perspective_prompt", "perspective_prompt"),
                ("responded", "responded"),
                ("committed", "committed"),
                ("accuracy", "accuracy"),
                ("warmth", "warmth"),
                ("true_target_feeling", "feeling"),
                ("true_perceived_feeling", "perceived"),
                ("true_actor_arousal", "arousal"),
                ("true_actor_arousal_gain", "gain"),
                ("true_protest", "protest"),
                ("true_felt_care", "felt_care"),
                ("true_target_trust", "target_trust"),
                ("true_rupture", "rupture"),
                ("true_repair_attempted", "repair_attempted"),
                ("true_repair_accepted", "repair_accepted"),
            ):
                dtype = np.float32 if got[col].dtype == np.float32 else float  # logged as float32
                np.testing.assert_array_equal(
                    got[col].to_numpy(dtype=dtype), w[other].to_numpy(dtype=dtype), col
                )
            assert got["true_motive"].cat.codes.tolist() == w["motive"].tolist()
            assert [None if pd.isna(x) else bool(x) for x in got["followed_through"]] == w[
                "followed"
            ].tolist()
            assert [None if pd.isna(x) else bool(x) for x in got["boundary_respected"]] == w[
                "respected"
            ].tolist()
        traj = res.trajectories[res.trajectories.dyad == gid].reset_index(drop=True)
        want = pd.DataFrame(want_tr)
        for col in kernel.STATE_FLOAT:  # every float state, as the trajectories record it
            np.testing.assert_array_equal(traj[col].to_numpy(), want[col].to_numpy(dtype=np.float32), col)
        for col in ("together", "breakups", "reconciliations"):
            assert traj[col].tolist() == want[col].tolist(), col
        checked += len(want_ep)
    assert checked > 100
    return res


@pytest.mark.parametrize(
    "pairs, kwargs",
    [
        (PAIRS, dict(dyads=5, days=150, seed=7)),
        ("bpd:bpd,npd:npd", dict(dyads=4, days=200, seed=11, spread=0.2)),
        (
            "bpd:secure",
            dict(
                dyads=3,
                days=400,
                seed=123456789,
                spread=0.0,
                overrides={"bpd": {"emotion_regulation": 0.6}, "*": {"impulsivity": 0.9}},
            ),
        ),
    ],
)
def test_episodes_are_what_the_mechanisms_say(pairs, kwargs):
    assert_matches_mechanisms(pairs, **kwargs)


def _perturbed(seed: int) -> ModelParams:
    """Every constant moved at random (probabilities kept in [0, 1])."""
    r = np.random.default_rng(seed)
    base = ModelParams()
    groups = {}
    for group in type(base).model_fields:
        sub = getattr(base, group)
        update = {}
        for name in type(sub).model_fields:
            value = getattr(sub, name)
            if isinstance(value, float):
                new = value * r.uniform(0.7, 1.3)
                meta = type(sub).model_fields[name].metadata
                if any(getattr(m, "le", None) == 1 for m in meta) or name.startswith("p_"):
                    new = min(new, 1.0)
                update[name] = new
            elif isinstance(value, tuple):
                update[name] = tuple(v * r.uniform(0.7, 1.3) for v in value)
        groups[group] = sub.model_copy(update=update)
    return base.model_copy(update=groups)


@pytest.mark.parametrize("seed", [1, 2])
def test_every_parameter_reaches_the_kernel(seed):
    """Each constant is moved by its own random factor, so a constant the kernel read
    under the wrong name, or ignored, would make kernel and mechanisms differ."""
    model = _perturbed(seed)
    assert model != ModelParams()
    assert_matches_mechanisms(PAIRS, dyads=3, days=150, seed=seed, model=model)


@pytest.mark.parametrize("max_episodes", [1, 2])
def test_episode_cap(max_episodes):
    base = ModelParams()
    context = base.context.model_copy(update={"max_episodes_per_day": max_episodes, "episode_rate": 2.5})
    model = base.model_copy(update={"context": context})
    res = assert_matches_mechanisms("bpd:npd", dyads=4, days=80, seed=4, model=model)
    assert res.episodes.groupby(["dyad", "t"]).size().max() == max_episodes


def test_stepping_day_by_day_equals_a_whole_run():
    pairs, days, seed = [("bpd", "secure"), ("npd", "bpd")], 40, 4
    res = empathica.simulate(pairs, dyads=15, days=days, seed=seed)
    ids = np.arange(make_layout(pairs, 15).n_dyads)
    params = model_step.Params(agent_traits(pairs, 15, seed), ModelParams(), ids)
    state = model_step.initial_state(params, streams.stream_key(seed))
    day_eps = []
    for _ in range(days):
        state, events = model_step.step(state, params, streams.stream_key(seed))
        day_eps.append(events.episodes)
    eps = {k: np.concatenate([e[k] for e in day_eps]) for k in day_eps[0]}
    order = np.lexsort((np.arange(len(eps["dyad"])), eps["dyad"]))  # (dyad, t, slot), as simulate
    assert state.t == days and len(order) == len(res.episodes)
    np.testing.assert_array_equal(eps["intensity"][order], res.episodes["intensity"].to_numpy())
    np.testing.assert_array_equal(eps["responded"][order], res.episodes["responded"].to_numpy())
    last = res.trajectories[res.trajectories.t == days - 1]
    np.testing.assert_array_equal(state.trust[0].astype(np.float32), last["trust_a"].to_numpy())
    np.testing.assert_array_equal(state.liking[1].astype(np.float32), last["liking_b"].to_numpy())
    np.testing.assert_array_equal(state.together, last["together"].to_numpy())


def test_step_is_pure():
    ids = np.arange(6)
    params = model_step.Params(agent_traits("bpd:npd", 6, 1), ModelParams(), ids)
    state = model_step.initial_state(params, streams.stream_key(1))
    before = {k: np.copy(v) for k, v in vars(state).items() if isinstance(v, np.ndarray)}
    one, _ = model_step.step(state, params, streams.stream_key(1))
    two, _ = model_step.step(state, params, streams.stream_key(1))
    for k, v in before.items():
        np.testing.assert_array_equal(getattr(state, k), v)  # the input state is not changed
        np.testing.assert_array_equal(getattr(one, k), getattr(two, k))


def test_the_model_runs_with_the_jit_disabled(tmp_path):
    """NUMBA_DISABLE_JIT=1 runs the same code as plain Python (debuggable) with the same output."""
    code = (
        "import warnings, json; warnings.simplefilter('ignore'); import empathica; "
        "r = empathica.simulate('bpd:npd', dyads=2, days=12, seed=3); "
        "print(json.dumps([r.episodes['intensity'].tolist(), r.episodes['responded'].tolist(), "
        "r.trajectories['trust_b'].astype(float).tolist()]))"
    )
    slow = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        env={**os.environ, "NUMBA_DISABLE_JIT": "1"},
        timeout=600,
    )
    assert slow.returncode == 0, slow.stderr[-2000:]
    fast = empathica.simulate("bpd:npd", dyads=2, days=12, seed=3)
    want = [
        fast.episodes["intensity"].tolist(),
        fast.episodes["responded"].tolist(),
        fast.trajectories["trust_b"].astype(float).tolist(),
    ]
    assert json.loads(slow.stdout) == want


def test_buffer_growth_gives_same_result(monkeypatch):
    """If a chunk has more episodes than estimated, the kernel continues in new buffers."""
    normal = empathica.simulate(PAIRS, dyads=10, days=50, seed=2)
    monkeypatch.setattr(chunks, "expected_episodes", lambda su, days, lo=0: 0.0)
    grown = empathica.simulate(PAIRS, dyads=10, days=50, seed=2)
    pd.testing.assert_frame_equal(normal.episodes, grown.episodes, check_exact=True)


def test_keep_episodes_false_keeps_trajectories():
    full = list(iter_chunks("bpd:secure", 20, 40, seed=1))
    lean = list(iter_chunks("bpd:secure", 20, 40, seed=1, keep_episodes=False))
    assert len(lean[0].episodes) == 0 and list(lean[0].episodes.columns) == list(full[0].episodes.columns)
    pd.testing.assert_frame_equal(full[0].trajectories, lean[0].trajectories)


def test_counts_summary_equals_file_summary(tmp_path):
    counts = simulate_counts(PAIRS, dyads=40, days=200, seed=5)
    files = simulate_to_files(tmp_path / "run", PAIRS, dyads=40, days=200, seed=5)
    assert counts.n_episodes == files.n_episodes
    pd.testing.assert_frame_equal(counts.summary, files.summary, check_exact=False, rtol=1e-9)


def test_file_summary_equals_the_summary_of_its_episode_log(tmp_path):
    """simulate_to_files takes the kernel's own episode sums: the table is the one its log gives."""
    from empathica.summary import episode_sums, summarize, trajectory_sums

    report = simulate_to_files(tmp_path / "k", PAIRS, dyads=15, days=120, seed=12)
    eps = pd.read_parquet(tmp_path / "k" / "episodes.parquet")
    trs = pd.read_parquet(tmp_path / "k" / "trajectories.parquet")
    from_log = summarize(
        episode_sums(eps), trajectory_sums(trs, 1), pair_order=list(report.summary["pair"].unique())
    )
    written = pd.read_parquet(tmp_path / "k" / "summary.parquet")
    pd.testing.assert_frame_equal(written, report.summary, check_exact=True)
    pd.testing.assert_frame_equal(report.summary, from_log, check_exact=False, rtol=1e-9)


def test_counts_do_not_depend_on_threads_or_chunks():
    one = simulate_counts(PAIRS, dyads=30, days=100, seed=8, threads=1)
    two = simulate_counts(PAIRS, dyads=30, days=100, seed=8, threads=2, chunk_size=37)
    pd.testing.assert_frame_equal(one.summary, two.summary, check_exact=False, rtol=1e-12)


def test_state_fits_the_memory_goal():
    assert chunks.state_bytes_per_agent() <= 256


def test_kernel_sub_chunks_do_not_change_results(monkeypatch):
    whole = empathica.simulate(PAIRS, dyads=10, days=30, seed=6)
    monkeypatch.setattr(empathica.simulation, "KERNEL_CHUNK_ROWS", 200)
    chunks = list(iter_chunks(PAIRS, 10, 30, seed=6))
    assert len(chunks) > 4
    pd.testing.assert_frame_equal(
        whole.episodes, pd.concat([c.episodes for c in chunks], ignore_index=True), check_exact=True
    )


def test_traits_are_drawn_around_the_profile_means():
    traits = agent_traits("bpd:secure", 4000, 2, spread=0.1)
    from empathica.model.profiles import builtin_profiles

    for i, name in enumerate(("cognitive_empathy", "attachment_anxiety")):
        got = getattr(traits, name)
        for side, profile in ((0, "bpd"), (1, "secure")):
            mean = builtin_profiles()[profile].traits[name].value
            assert abs(got[side].mean() - mean) < 0.01 and abs(got[side].std() - 0.1) < 0.01, (name, i)
    assert isinstance(traits, Traits)


# ----------------------------------------------------------------- random streams


def test_words_compiled_equal_numpy():
    key = streams.stream_key(5)
    d = np.arange(1000)
    want = streams.words(key, d, 17, 9)
    got = [int(streams.bits(key, np.uint64(x), np.uint64(17), np.uint64(9))) for x in d[:50]]
    assert got == [int(x) for x in want[:50]]


def test_normals_are_standard_normal():
    z = streams.normals(streams.stream_key(1), np.arange(100000), 3, np.arange(16, 36)).ravel()
    assert stats.kstest(z, "norm").pvalue > 1e-3
    assert abs(z.mean()) < 0.005 and abs(z.std() - 1) < 0.005
    for t in (2.0, 3.0, 3.654152885361009, 4.0):  # inside the layers, at and beyond the tail's start
        p = 2 * stats.norm.sf(t)
        assert abs((np.abs(z) > t).mean() - p) < 5 * math.sqrt(p / len(z))


def test_bit_fields_are_uniform_and_independent():
    key = streams.stream_key(2)
    w = streams.words(key, np.arange(200000), 4, 3)
    fields = [((w >> np.uint64(16 * k)) & np.uint64(0xFFFF)).astype(float) / 65536 for k in range(4)]
    for f in fields:
        assert stats.kstest(f, "uniform").pvalue > 1e-3
    assert abs(np.corrcoef(fields)[np.triu_indices(4, 1)]).max() < 0.01


def test_cache_key_covers_the_sources_compiled_in():
    """A composed function's on-disk cache key holds a fingerprint of every model and lab
    source, so a change to a mechanism recompiles the kernel and the lab's loops."""
    from empathica.model import jit

    assert jit.SOURCES_FINGERPRINT == jit._fingerprint() and len(jit.SOURCES_FINGERPRINT) == 64
    for fn in (kernel.run_dyads, kernel.initial_state, streams.normal):
        if hasattr(fn, "_cache"):  # compiled (not with NUMBA_DISABLE_JIT)
            assert isinstance(fn._cache, jit._ModelCache)


def test_streaming_holds_one_chunk_at_a_time():
    """A run streamed with iter_chunks needs the memory of a chunk, not of the run."""
    import tracemalloc

    def peak(dyads: int) -> int:
        tracemalloc.start()
        n = 0
        for chunk in empathica.iter_chunks("bpd:secure", dyads, 200, seed=1, chunk_size=400):
            n += len(chunk.episodes)
        _, top = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        assert n > 0
        return top

    small, large = peak(400), peak(3200)  # 8 times the dyads
    assert large < 2.0 * small


def test_summary_only_run_writes_no_log(tmp_path):
    report = simulate_to_files(tmp_path / "s", PAIRS, dyads=20, days=60, seed=3, keep="summary")
    assert sorted(p.name for p in (tmp_path / "s").iterdir()) == ["manifest.json", "summary.parquet"]
    full = simulate_to_files(tmp_path / "f", PAIRS, dyads=20, days=60, seed=3)
    pd.testing.assert_frame_equal(report.summary, full.summary, check_exact=False, rtol=1e-9)
    assert report.kept == ("summary",) and full.kept == ("episodes", "trajectories", "summary")
