"""docs/lab.md: the tutorial runs as written and says what the model predicts."""

import re
from pathlib import Path

import numpy as np
import pytest

from empathica import lab
from empathica.errors import EmpathicaInputError

DOC = Path(__file__).resolve().parents[1] / "docs" / "lab.md"


def tutorial_code() -> str:
    blocks = re.findall(r"```python\n(.*?)```", DOC.read_text(), flags=re.S)
    assert len(blocks) >= 1  # the first block is the tutorial; later ones are tested below
    return blocks[0]


def test_tutorial_is_short_and_runs(capsys):
    code = tutorial_code()
    assert len([line for line in code.splitlines() if line.strip()]) <= 25
    namespace: dict = {}
    exec(compile(code, str(DOC), "exec"), namespace)  # noqa: S102 - our own documentation
    result = namespace["result"]
    assert list(result["a"]) == [
        "population=bpd, condition=stressed",
        "population=control, condition=stressed",
    ]
    assert (result["effect"] < 0).all()  # as the text says: stress lowers identification in both
    assert ((result["power"] > 0) & (result["power"] <= 1)).all()
    assert "effect" in capsys.readouterr().out
    data = namespace["data"]
    assert len(data) == 4 * 40 and data["participant"].nunique() == 160  # between: new people per cell


def test_the_texts_large_sample_numbers():
    """The text quotes the model's values at 2,000 per cell ("g X against Y"): they must be true."""
    quoted = re.search(r"g (-?[0-9.]+) against (-?[0-9.]+)", DOC.read_text())
    ns: dict = {}
    exec(compile(tutorial_code().replace("n=40", "n=2000"), str(DOC), "exec"), ns)  # noqa: S102
    g = ns["result"]["effect"].to_numpy()
    assert g[0] == pytest.approx(float(quoted[1]), abs=0.01)
    assert g[1] == pytest.approx(float(quoted[2]), abs=0.01)
    assert g[0] > g[1]  # as the text says: somewhat less in the bpd group (calibrated profile)


def test_same_seed_same_data_and_within_design_reuses_people():
    study = lab.Study(
        populations={"p": "population"},
        conditions={"rest": lab.Condition(), "excluded": lab.Condition([lab.Induction("exclusion", 0.7)])},
        measures=["rsq", "questionnaires"],
        n=300,
        design="within",
    )
    a, b = lab.run(study, seed=4), lab.run(study, seed=4)
    assert a.equals(b)
    assert a["participant"].nunique() == 300
    eff = lab.compare(a, "rsq", a={"condition": "excluded"}, b={"condition": "rest"})
    assert eff["kind"][0].startswith("d_z") and eff["effect"][0] > 0  # sociometer: exclusion -> RSQ up
    same = a.groupby("condition", observed=True)["iri_empathic_concern"].mean()
    assert same.iloc[0] != same.iloc[1]  # fresh item error per administration


def test_power_matches_the_textbook():
    """Cohen: d = 0.5 with 64 per group has power 0.80; paired d_z 0.5 needs 34 pairs."""
    assert lab.power(0.5, 64, 64) == pytest.approx(0.80, abs=0.01)
    assert lab.power(0.5, 34) == pytest.approx(0.80, abs=0.02)
    assert lab.power(0.0, 50, 50) == pytest.approx(0.05, abs=1e-6)


def test_populations_with_correlated_traits():
    pop = lab.Population(
        "mine",
        {"attachment_anxiety": 0.6},
        correlations={("attachment_anxiety", "self_image_fragility"): 0.5},
    )
    s = pop.draw(20000, np.random.default_rng(0))
    r = np.corrcoef(s.attachment_anxiety, s.self_image_fragility)[0, 1]
    assert r == pytest.approx(0.5, abs=0.03) and s.attachment_anxiety.mean() == pytest.approx(0.6, abs=0.01)


def test_relationship_measure_reads_trust_over_time():
    study = lab.Study(
        populations={"p": "population"},
        measures=["relationship"],
        n=200,
        partner=lab.Partner(days=60, every=30),
    )
    data = lab.run(study, seed=2)
    assert {"trust_d30", "trust_d60", "satisfaction_d60", "affect_d60"} <= set(data.columns)
    assert {"partner_trust_d60", "liking_d30", "partner_liking_d60", "together_d60"} <= set(data.columns)
    assert data["trust_d60"].between(0, 1).all()


def test_relationship_study_rates_both_views_at_chosen_waves():
    """Couples followed to four years: the partner of a bpd-profile participant trusts
    them less than the partner of a secure participant does, and the waves read the same
    couples a simulation of the whole span would (state carried from wave to wave)."""
    study = lab.Study(
        populations={"bpd": "bpd", "secure": "secure"},
        measures=["relationship"],
        n=300,
        partner=lab.Partner("secure", waves=(7, 182, 1460)),
    )
    data = lab.run(study, seed=3).set_index("population")
    assert (
        data.loc["bpd", "partner_trust_d182"].mean() < data.loc["secure", "partner_trust_d182"].mean() - 0.1
    )
    bpd_drop = data.loc["bpd", "satisfaction_d1460"].mean() - data.loc["bpd", "satisfaction_d182"].mean()
    secure_drop = (
        data.loc["secure", "satisfaction_d1460"].mean() - data.loc["secure", "satisfaction_d182"].mean()
    )
    assert bpd_drop < secure_drop - 0.1  # slow wear: a steeper decline, not only a lower level
    with pytest.raises(EmpathicaInputError, match="waves must be increasing"):
        lab.Partner(waves=(30, 7))


def test_exchange_task_gives_each_partners_investment_per_round():
    study = lab.Study(
        populations={"npd": "npd", "secure": "secure"},
        measures=["exchange"],
        n=300,
        partner=lab.Partner("secure", rounds=10),
    )
    data = lab.run(study, seed=4).set_index("population")
    cols = [f"invested_r{k}" for k in range(1, 11)] + [f"returned_r{k}" for k in range(1, 11)]
    assert set(cols) <= set(data.columns) and data[cols].stack().between(0, 1).all()
    # ruptures are repaired far less by npd-profile trustees (admiration need, defensiveness)
    rate = data.groupby(level=0).apply(
        lambda d: d.exchange_repair_attempts.sum() / max(1, d.exchange_ruptures.sum())
    )
    assert rate["npd"] < 0.5 * rate["secure"]
    assert (data.exchange_repairs_accepted <= data.exchange_repair_attempts).all()


@pytest.mark.parametrize(
    "kwargs, message",
    [
        ({"measures": ["mood"]}, "unknown measure"),
        ({"measures": ["met"], "design": "crossover"}, "design must be"),
        ({"measures": ["met"], "n": 1}, "n must be"),
        ({"measures": ["met"], "delay": -1}, "delay is in minutes"),
    ],
)
def test_bad_studies_say_what_to_do(kwargs, message):
    with pytest.raises(EmpathicaInputError, match=message):
        lab.Study(populations={"p": "population"}, **kwargs)
