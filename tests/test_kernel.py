"""The fused kernel runs the same model as the NumPy reference (engine.step), bit for bit."""

import numpy as np
import pandas as pd
import pytest

import empathica
from empathica.errors import EmpathicaInputError
from empathica.model import kernel, streams
from empathica.model.engine import draw_traits
from empathica.model.params import ModelParams
from empathica.model.traits import TRAIT_NAMES
from empathica.simulation import make_layout, simulate_counts, simulate_to_files

PAIRS = "secure:secure,bpd:secure,npd:secure,npd:bpd"


def both(pairs, **kwargs):
    ref = empathica.simulate(pairs, engine="reference", **kwargs)
    ker = empathica.simulate(pairs, engine="kernel", **kwargs)
    return ref, ker


def assert_same(ref, ker):
    assert len(ref.episodes) > 0
    pd.testing.assert_frame_equal(ref.episodes, ker.episodes, check_exact=True)
    pd.testing.assert_frame_equal(ref.trajectories, ker.trajectories, check_exact=True)


@pytest.mark.parametrize(
    "pairs, kwargs",
    [
        (PAIRS, dict(dyads=30, days=120, seed=7)),
        ("bpd:bpd,npd:npd", dict(dyads=25, days=150, seed=11, spread=0.2)),
        (
            PAIRS,
            dict(
                dyads=20,
                days=90,
                seed=3,
                record_every=7,
                chunk_size=33,
                overrides={"bpd": {"emotion_regulation": 0.6}, "*": {"impulsivity": 0.9}},
            ),
        ),
        ("npd:secure", dict(dyads=40, days=60, seed=0, overrides={"npd": {"admiration_need": 0.0}})),
        ("bpd:secure", dict(dyads=15, days=400, seed=123456789, spread=0.0)),
    ],
)
def test_kernel_equals_reference(pairs, kwargs):
    assert_same(*both(pairs, **kwargs))


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
    under the wrong name, or ignored, would make the runs differ."""
    model = _perturbed(seed)
    assert model != ModelParams()
    assert_same(*both(PAIRS, dyads=12, days=80, seed=seed, model=model))


@pytest.mark.parametrize("max_episodes", [1, 2])
def test_episode_cap(max_episodes):
    base = ModelParams()
    context = base.context.model_copy(update={"max_episodes_per_day": max_episodes, "episode_rate": 2.5})
    model = base.model_copy(update={"context": context})
    assert_same(*both("bpd:npd", dyads=20, days=60, seed=4, model=model))


def test_traits_equal_reference():
    layout = make_layout(PAIRS, 50)
    key = streams.stream_key(9)
    ids = np.arange(layout.n_dyads)
    table = np.stack([p.means() for p in layout.profiles])
    got = kernel.draw_traits(key, ids, table, layout.pair_codes, layout.dyads_per_pair, 0.1)
    ref = draw_traits(layout.means(ids), 0.1, ids, key)
    for i, name in enumerate(TRAIT_NAMES):
        assert np.array_equal(got[i], getattr(ref, name)), name


def test_buffer_growth_gives_same_result(monkeypatch):
    """If a chunk has more episodes than estimated, the kernel continues in new buffers."""
    normal = empathica.simulate(PAIRS, dyads=10, days=50, seed=2)
    monkeypatch.setattr(kernel, "expected_episodes", lambda thr, days: 0.0)
    grown = empathica.simulate(PAIRS, dyads=10, days=50, seed=2)
    pd.testing.assert_frame_equal(normal.episodes, grown.episodes, check_exact=True)


def test_keep_episodes_false_keeps_trajectories():
    full = list(empathica.simulation.iter_chunks("bpd:secure", 20, 40, seed=1))
    lean = list(empathica.simulation.iter_chunks("bpd:secure", 20, 40, seed=1, keep_episodes=False))
    assert len(lean[0].episodes) == 0 and list(lean[0].episodes.columns) == list(full[0].episodes.columns)
    pd.testing.assert_frame_equal(full[0].trajectories, lean[0].trajectories)


def test_unknown_engine_is_an_input_error():
    with pytest.raises(EmpathicaInputError, match="engine"):
        empathica.simulate("secure:secure", dyads=2, days=2, engine="fast")


def test_counts_summary_equals_file_summary(tmp_path):
    counts = simulate_counts(PAIRS, dyads=40, days=200, seed=5)
    files = simulate_to_files(tmp_path / "run", PAIRS, dyads=40, days=200, seed=5)
    assert counts.n_episodes == files.n_episodes
    pd.testing.assert_frame_equal(counts.summary, files.summary, check_exact=False, rtol=1e-9)


def test_counts_do_not_depend_on_threads_or_chunks():
    one = simulate_counts(PAIRS, dyads=30, days=100, seed=8, threads=1)
    two = simulate_counts(PAIRS, dyads=30, days=100, seed=8, threads=2, chunk_size=37)
    pd.testing.assert_frame_equal(one.summary, two.summary, check_exact=False, rtol=1e-12)


def test_state_fits_the_memory_goal():
    assert kernel.state_bytes_per_agent() <= 256


def test_kernel_sub_chunks_do_not_change_results(monkeypatch):
    whole = empathica.simulate(PAIRS, dyads=10, days=30, seed=6)
    monkeypatch.setattr(empathica.simulation, "KERNEL_CHUNK_ROWS", 200)
    chunks = list(empathica.simulation.iter_chunks(PAIRS, 10, 30, seed=6))
    assert len(chunks) > 4
    pd.testing.assert_frame_equal(
        whole.episodes, pd.concat([c.episodes for c in chunks], ignore_index=True), check_exact=True
    )


def test_normals_are_box_muller():
    """The compiled normals are sqrt(-2 log(1 - u1)) cos(2 pi u2) to within rounding."""
    key = streams.stream_key(3)
    dyads = np.arange(20000)
    idx = np.arange(64, 70)
    z = streams.normals(key, dyads, 5, idx)
    u1 = streams.uniforms(key, dyads, 5, 2 * idx)
    u2 = streams.uniforms(key, dyads, 5, 2 * idx + 1)
    ref = np.sqrt(-2.0 * np.log1p(-u1)) * np.cos(2.0 * np.pi * u2)
    np.testing.assert_allclose(z, ref, rtol=0, atol=1e-14)


def test_branch_free_cosine_is_accurate():
    u = np.concatenate([np.random.default_rng(0).random(200000), [0.0, 0.125, 0.25, 0.5, 0.75, 1 - 2**-53]])
    got = np.array([streams.cos_turns(x) for x in u[:2000]] + [streams.cos_turns(x) for x in u[-6:]])
    exact = np.cos(2.0 * np.pi * np.concatenate([u[:2000], u[-6:]]))
    assert np.max(np.abs(got - exact)) < 1e-15


def test_cache_key_covers_the_modules_compiled_in():
    fp = kernel._sources_fingerprint()
    assert len(fp) == 64 and fp == kernel._sources_fingerprint()


def test_file_summary_same_for_both_engines(tmp_path):
    """simulate_to_files takes the kernel's own episode sums; the table is the one the
    reference's episode log gives."""
    ker = simulate_to_files(tmp_path / "k", PAIRS, dyads=15, days=120, seed=12, record_every=5)
    ref = simulate_to_files(
        tmp_path / "r", PAIRS, dyads=15, days=120, seed=12, record_every=5, engine="reference"
    )
    pd.testing.assert_frame_equal(ker.summary, ref.summary, check_exact=False, rtol=1e-9)
    for name in ("episodes.parquet", "trajectories.parquet"):
        pd.testing.assert_frame_equal(
            pd.read_parquet(tmp_path / "k" / name), pd.read_parquet(tmp_path / "r" / name)
        )
