"""Engine-level behaviour: determinism, chunking, output contract, theory directions."""

import numpy as np
import pandas as pd
import pytest

import empathica
from empathica.model import streams
from empathica.model.schema import HIDDEN_COLUMNS, OBSERVABLE_COLUMNS


@pytest.fixture(scope="module")
def run():
    return empathica.simulate("secure:secure,bpd:secure,npd:secure,npd:bpd", dyads=60, days=120, seed=7)


def test_streams_compiled_equal_reference():
    key = streams.stream_key(3)
    dyads = np.arange(0, 5000, 7)
    words = streams.words(key, dyads, 11, 5)  # plain NumPy SplitMix64
    want = (words >> np.uint64(11)).astype(np.float64) * 2.0**-53
    assert np.array_equal(streams.uniforms(key, dyads, 11, [5])[0], want)


def test_streams_are_uniform_and_independent():
    u = streams.uniforms(streams.stream_key(0), np.arange(200000), 3, np.arange(2))
    assert u.mean() == pytest.approx(0.5, abs=0.003)
    assert abs(np.corrcoef(u[0], u[1])[0, 1]) < 0.01
    z = streams.normals(streams.stream_key(0), np.arange(200000), 3, np.arange(1))
    assert z.std() == pytest.approx(1.0, abs=0.01)


def test_same_seed_identical(run):
    again = empathica.simulate("secure:secure,bpd:secure,npd:secure,npd:bpd", dyads=60, days=120, seed=7)
    pd.testing.assert_frame_equal(run.episodes, again.episodes)
    pd.testing.assert_frame_equal(run.trajectories, again.trajectories)


def test_other_seed_differs(run):
    other = empathica.simulate("secure:secure,bpd:secure,npd:secure,npd:bpd", dyads=60, days=120, seed=8)
    assert len(other.episodes) != len(run.episodes) or not other.episodes.equals(run.episodes)


@pytest.mark.parametrize("chunk", [240, 60, 17])
def test_chunking_does_not_change_results(run, chunk):
    chunked = empathica.simulate(
        "secure:secure,bpd:secure,npd:secure,npd:bpd", dyads=60, days=120, seed=7, chunk_size=chunk
    )
    pd.testing.assert_frame_equal(run.episodes, chunked.episodes)
    pd.testing.assert_frame_equal(run.trajectories, chunked.trajectories)


def test_episode_columns_contract(run):
    e = run.episodes
    assert tuple(e.columns[: len(OBSERVABLE_COLUMNS)]) == OBSERVABLE_COLUMNS
    assert all(c.startswith("true_") for c in e.columns[len(OBSERVABLE_COLUMNS) :])
    assert set(HIDDEN_COLUMNS) <= set(e.columns)
    assert e["episode"].is_unique and (e["episode"].diff().dropna() == 1).all()
    assert (e["accuracy"].isna() == ~e["responded"]).all()
    assert (e["warmth"].isna() == ~e["responded"]).all()
    assert (e["followed_through"].isna() == ~e["committed"]).all()
    assert (e["boundary_respected"].isna() == ~e["boundary_asked"]).all()
    assert (e["committed"] <= e["responded"]).all()
    assert (e["actor"] // 2 == e["dyad"]).all() and (e["target"] // 2 == e["dyad"]).all()
    assert (e["actor"] != e["target"]).all()
    assert e["intensity"].between(0, 1).all() and e["accuracy"].dropna().between(0, 1).all()
    assert set(e["true_motive"].unique()) <= {"none", "genuine", "strategic", "defensive"}
    responded = e["true_motive"].isin(["genuine", "strategic"])
    assert (responded == e["responded"]).all()
    # ordered by dyad, then time
    assert (np.diff(e["dyad"].to_numpy()) >= 0).all()
    per = e.groupby("dyad")["t"].apply(lambda s: (np.diff(s.to_numpy()) >= 0).all())
    assert per.all()


def test_trajectories_contract(run):
    t = run.trajectories
    assert len(t) == 240 * 120
    for col in (
        "affect_a",
        "affect_b",
        "arousal_a",
        "self_esteem_b",
        "trust_a",
        "trust_b",
        "satisfaction_a",
        "satisfaction_b",
        "liking_a",
        "quality_b",
        "together",
        "breakups",
        "reconciliations",
    ):
        assert col in t.columns
    assert t[["trust_a", "trust_b", "liking_a", "liking_b"]].stack().between(0, 1).all()
    assert t[["affect_a", "satisfaction_b", "quality_a"]].stack().between(-1, 1).all()
    # every breakup ends a together spell
    t = t.sort_values(["dyad", "t"])
    prev = t.groupby("dyad")["together"].shift(1, fill_value=True)
    assert ((t["breakups"] > 0) <= (prev & ~t["together"] | (t["reconciliations"] > 0))).all()


def test_record_every_sums_events():
    full = empathica.simulate("bpd:secure", dyads=40, days=60, seed=1)
    sparse = empathica.simulate("bpd:secure", dyads=40, days=60, seed=1, record_every=10)
    assert len(sparse.trajectories) == 40 * 6
    assert sparse.trajectories["breakups"].sum() == full.trajectories["breakups"].sum()
    pd.testing.assert_frame_equal(full.episodes, sparse.episodes)


def test_save_roundtrip(tmp_path, run):
    paths = run.save(tmp_path / "out")
    back = pd.read_parquet(paths[0])
    assert len(back) == len(run.episodes)
    assert back["followed_through"].isna().sum() == run.episodes["followed_through"].isna().sum()
    csv = run.save(tmp_path / "csv", fmt="csv")
    assert csv[0].suffix == ".csv" and len(pd.read_csv(csv[0])) == len(run.episodes)


def test_overrides_apply_to_named_profile():
    base = empathica.simulate("npd:secure", dyads=150, days=90, seed=3)
    no_supply = empathica.simulate(
        "npd:secure", dyads=150, days=90, seed=3, overrides={"npd": {"admiration_need": 0.0}}
    )

    def lift(res):
        e = res.episodes[res.episodes.true_actor_profile == "npd"]
        paid = e.audience | e.benefit
        return e[paid].responded.mean() - e[~paid].responded.mean()

    assert lift(base) > 0.4
    assert abs(lift(no_supply)) < 0.05  # A4: audience acts only through admiration need
    motives = no_supply.episodes.query("true_actor_profile == 'npd'").true_motive
    assert (motives == "strategic").mean() < 0.02 < (base.episodes.true_motive == "strategic").mean()


def test_bad_inputs_raise_clear_errors():
    from empathica.errors import EmpathicaInputError

    with pytest.raises(EmpathicaInputError, match="unknown profile"):
        empathica.simulate("bpd:nobody", dyads=2, days=2)
    with pytest.raises(EmpathicaInputError, match="bad pair"):
        empathica.simulate("bpd-secure", dyads=2, days=2)
    with pytest.raises(EmpathicaInputError, match="out of range"):
        empathica.simulate("bpd:secure", dyads=2, days=2, overrides={"bpd": {"impulsivity": 1.5}})
    with pytest.raises(EmpathicaInputError, match="dyads"):
        empathica.simulate("bpd:secure", dyads=0, days=2)
    with pytest.raises(EmpathicaInputError, match="days"):
        empathica.simulate("bpd:secure", dyads=2, days=-3)


def test_many_profiles_in_one_run():
    from empathica.model.profiles import builtin_profiles

    base = builtin_profiles()["secure"]
    many = [base.model_copy(update={"name": f"p{i}"}).with_traits(impulsivity=i / 200) for i in range(130)]
    res = empathica.simulate([(p, "secure") for p in many], dyads=1, days=20, seed=1)
    assert set(res.episodes.true_actor_profile.unique()) <= {p.name for p in many} | {"secure"}
    assert res.trajectories.profile_a.nunique() == 130


def test_logged_arousal_is_the_state_value():
    e = empathica.simulate("bpd:bpd", dyads=50, days=60, seed=2).episodes
    assert e.true_actor_arousal.between(0, 1).all()
