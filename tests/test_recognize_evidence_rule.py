"""The minimum-evidence rule: no verdict about a person from a thin record."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest

from empathica.errors import EmpathicaInputError
from empathica.recognize import recognizer as rec
from empathica.recognize.recognizer import MIN_PAID, MIN_UNPAID, UnknownActorError, recognize
from empathica.recognize.synthetic import synthetic_diary

#: Notes that say the record cannot decide: never next to a definite verdict.
UNDECIDED_NOTES = ("say little yet", "too few episodes", "leans one way", "care is rare")


def moments(actor: str, unpaid: int, paid: int, respond_unpaid: float, respond_paid: float, threat: int = 0):
    """Rows of one actor: ``unpaid`` moments with nobody watching and nothing to gain
    (the first ``threat`` of them with a threat), ``paid`` moments with an audience;
    responding in the first ``round(rate * count)`` of each."""
    rows = []
    for count, rate, audience in ((unpaid, respond_unpaid, False), (paid, respond_paid, True)):
        k = round(rate * count)
        for i in range(count):
            rows.append(
                {
                    "actor": actor,
                    "audience": audience,
                    "benefit": False,
                    "threat": (not audience) and i < threat,
                    "responded": i < k,
                }
            )
    return rows


def frame(*actors: list[dict]) -> pd.DataFrame:
    return pd.DataFrame([row for rows in actors for row in rows])


def assert_notes_agree_with_verdicts(actors: pd.DataFrame) -> None:
    for phrase in UNDECIDED_NOTES:
        flagged = actors["note"].str.contains(phrase, regex=False)
        assert (actors.loc[flagged, "verdict"] == "uncertain").all(), phrase


# ------------------------------------------------------------------ thin records


def test_one_episode_per_actor_gives_no_verdict_whatever_the_pooled_prior() -> None:
    diary = synthetic_diary(n_actors=200_000, episodes=1, seed=0)
    result = recognize(diary, evidence_per_actor=0)
    a = result.actors
    assert len(a) == 200_000
    assert (a["verdict"] == "uncertain").all()
    assert (a["n_unpaid"] + a["n_paid"] == 1).all()
    assert a["note"].str.startswith("too few episodes for a verdict: ").all()
    assert_notes_agree_with_verdicts(a)
    # Without the rule the pooled prior alone would give verdicts here (the case the rule is for).
    free = recognize(diary, evidence_per_actor=0, min_unpaid=0, min_paid=0).actors
    assert (free["verdict"] != "uncertain").sum() > 20_000
    assert_notes_agree_with_verdicts(free)
    # The rule changes verdicts only, never the probability.
    np.testing.assert_array_equal(a["p_conditional"].to_numpy(), free["p_conditional"].to_numpy())
    assert any("minimum-evidence rule" in note for note in result.notes)


def test_thin_pool_with_a_few_long_records() -> None:
    thin = synthetic_diary(n_actors=3000, episodes=2, seed=3)
    long = synthetic_diary(n_actors=40, episodes=120, seed=4)
    long["actor"] = long["actor"] + 10_000
    long["episode"] = long["episode"] + 10_000_000
    a = recognize(pd.concat([thin, long], ignore_index=True), evidence_per_actor=0).actors
    short = a["actor"] < 10_000
    assert (a.loc[short, "verdict"] == "uncertain").all()
    assert (a.loc[~short, "verdict"] != "uncertain").mean() >= 0.5
    assert_notes_agree_with_verdicts(a)


# ------------------------------------------------------------ enough evidence


def test_clear_patterns_with_enough_episodes_keep_their_verdict() -> None:
    diary = frame(
        moments("Sam", 20, 20, 0.05, 0.95),  # cares mostly when watched
        moments("Ada", 20, 20, 0.90, 0.95),  # cares whoever watches
        moments("Lee", 3, 30, 0.0, 1.0),  # the same pattern as Sam, too few unpaid moments
    )
    a = recognize(diary).actors.set_index("actor")
    assert a.loc["Sam", "verdict"] == "conditional"
    assert a.loc["Ada", "verdict"] == "genuine"
    assert a.loc["Lee", "verdict"] == "uncertain"
    assert a.loc["Lee", "p_conditional"] >= 0.9  # the probability leans, the rule holds the verdict
    assert a.loc["Lee", "note"] == (
        f"too few episodes for a verdict: 3 unpaid and 30 paid moments recorded; "
        f"a verdict needs at least {MIN_UNPAID} of each"
    )
    assert a.loc["Sam", "note"] == "" and a.loc["Ada", "note"] == ""
    assert a.loc["Sam", "n_unpaid"] == 20 and a.loc["Sam", "n_paid"] == 20


@pytest.mark.parametrize(
    ("unpaid", "paid", "decided"),
    [
        (MIN_UNPAID, MIN_PAID, True),
        (MIN_UNPAID - 1, MIN_PAID, False),
        (MIN_UNPAID, MIN_PAID - 1, False),
        (MIN_UNPAID + 10, MIN_PAID - 1, False),
    ],
)
@pytest.mark.parametrize(("rate_unpaid", "verdict"), [(0.0, "conditional"), (1.0, "genuine")])
def test_boundary_exactly_at_the_minimums(
    unpaid: int, paid: int, decided: bool, rate_unpaid: float, verdict: str
) -> None:
    row = recognize(frame(moments("Kit", unpaid, paid, rate_unpaid, 1.0))).actors.iloc[0]
    assert (row["n_unpaid"], row["n_paid"]) == (unpaid, paid)
    if decided:
        assert row["verdict"] == verdict
        assert row["note"] == ""
    else:
        assert row["verdict"] == "uncertain"
        assert row["note"].startswith(f"too few episodes for a verdict: {unpaid} unpaid and {paid} paid")


def test_moments_with_a_threat_count_toward_the_minimum() -> None:
    diary = frame(moments("Roz", MIN_UNPAID, MIN_PAID, 0.0, 1.0, threat=5))
    row = recognize(diary).actors.iloc[0]
    assert row["n_unpaid"] == MIN_UNPAID
    assert row["verdict"] == "conditional"


def test_minimums_are_parameters() -> None:
    diary = frame(moments("Sam", 8, 8, 0.0, 1.0), moments("Ada", 8, 8, 1.0, 1.0))
    default = recognize(diary).actors.set_index("actor")
    assert (default["verdict"] == "uncertain").all()
    lower = recognize(diary, min_unpaid=8, min_paid=8).actors.set_index("actor")
    assert lower.loc["Sam", "verdict"] == "conditional"
    assert lower.loc["Ada", "verdict"] == "genuine"
    uneven = recognize(diary, min_unpaid=9, min_paid=2).actors.set_index("actor")
    assert (uneven["verdict"] == "uncertain").all()
    assert uneven.loc["Sam", "note"] == (
        "too few episodes for a verdict: 8 unpaid and 8 paid moments recorded; "
        "a verdict needs at least 9 unpaid and 2 paid"
    )
    assert recognize(diary, min_unpaid=np.int64(8), min_paid=8).settings["min_unpaid"] == 8


@pytest.mark.parametrize("bad", [-1, 1.5, 2.0, "3", None, True, np.float64(3)])
@pytest.mark.parametrize("name", ["min_unpaid", "min_paid"])
def test_bad_minimums_are_refused(name: str, bad) -> None:
    diary = frame(moments("Sam", 4, 4, 0.0, 1.0))
    with pytest.raises(EmpathicaInputError, match=name):
        recognize(diary, **{name: bad})


# ----------------------------------------------------------- what the output says


def test_settings_columns_and_json_carry_the_rule() -> None:
    diary = synthetic_diary(30, 40, seed=2)
    result = recognize(diary, evidence_per_actor=1)
    assert result.settings["min_unpaid"] == MIN_UNPAID
    assert result.settings["min_paid"] == MIN_PAID
    a = result.actors
    cols = list(a.columns)
    assert cols[cols.index("n_episodes") + 1 : cols.index("n_episodes") + 3] == ["n_unpaid", "n_paid"]
    assert a["n_unpaid"].dtype.kind == "i" and a["n_paid"].dtype.kind == "i"
    paid = diary["audience"] | diary["benefit"]
    expect = diary.assign(paid=paid).groupby("actor")["paid"].agg(["sum", "size"])
    np.testing.assert_array_equal(a["n_paid"].to_numpy(), expect["sum"].to_numpy())
    np.testing.assert_array_equal((a["n_unpaid"] + a["n_paid"]).to_numpy(), expect["size"].to_numpy())
    payload = json.loads(json.dumps(result.to_dict()))
    assert payload["settings"]["min_unpaid"] == MIN_UNPAID
    for out, (_, row) in zip(payload["actors"], a.iterrows(), strict=True):
        assert isinstance(out["n_unpaid"], int) and isinstance(out["n_paid"], int)
        assert (out["n_unpaid"], out["n_paid"]) == (row["n_unpaid"], row["n_paid"])


@pytest.mark.parametrize("minimum", [0, 3, None])
def test_notes_never_contradict_verdicts(minimum: int | None) -> None:
    rng = np.random.default_rng(9)
    diary = synthetic_diary(600, 60, seed=9)
    length = rng.integers(1, 61, 600)
    diary = diary[diary["t"].to_numpy() < length[diary["actor"].to_numpy()]]
    kwargs = {} if minimum is None else {"min_unpaid": minimum, "min_paid": minimum}
    a = recognize(diary, evidence_per_actor=0, **kwargs).actors
    assert_notes_agree_with_verdicts(a)
    assert (a["verdict"] != "uncertain").any() and (a["verdict"] == "uncertain").any()
    m_u = MIN_UNPAID if minimum is None else minimum
    m_p = MIN_PAID if minimum is None else minimum
    short = (a["n_unpaid"] < m_u) | (a["n_paid"] < m_p)
    assert (a.loc[short, "verdict"] == "uncertain").all()
    assert a.loc[short, "note"].str.startswith("too few episodes for a verdict").all()
    assert not a.loc[~short, "note"].str.startswith("too few episodes").any()


# ----------------------------------------------------------- the rest unchanged


def test_actors_with_the_same_counts_get_their_own_exact_posterior() -> None:
    # Posteriors are computed once per distinct row of counts; check against every row.
    diary = synthetic_diary(80, 6, seed=12)
    result = recognize(diary, evidence_per_actor=0)
    a = result.actors
    K, N = _counts(diary)
    assert len(np.unique(np.hstack([K, N]), axis=0)) < len(a)  # some actors do share counts
    prior = rec.fit_prior(K, N)
    post = rec._posterior(K, N, prior)
    weights = np.array(list(result.settings["behaviour_weights"].values()))
    np.testing.assert_allclose(a["p_conditional"], rec.p_share_above(post, weights, rec.DELTA), atol=1e-12)
    for name, triple in (
        ("conditionality", rec._share_summary(post, weights)),
        ("response_unpaid", rec._cell_summary(post, 0)),
    ):
        for suffix, values in zip(("mean", "lo", "hi"), triple, strict=True):
            np.testing.assert_allclose(a[f"{name}_{suffix}"], values, atol=1e-12)


def _counts(diary: pd.DataFrame):
    codes, names = pd.factorize(diary["actor"], sort=True)
    K, N, _ = rec._counts(diary, codes.astype(np.int64), len(names))
    return K, N


def test_unknown_actor_is_an_input_error_not_a_key_error() -> None:
    diary = frame(moments("Sam", 4, 4, 0.0, 1.0), moments("Ada", 4, 4, 1.0, 1.0))
    with pytest.raises(UnknownActorError, match="no actor 'Zed' in the diary; actors: Ada, Sam"):
        recognize(diary, actors=["Zed"])
    assert issubclass(UnknownActorError, EmpathicaInputError)
    assert not issubclass(UnknownActorError, KeyError)
    assert recognize(diary, actors=["Ada"]).actors["actor"].tolist() == ["Ada"]
