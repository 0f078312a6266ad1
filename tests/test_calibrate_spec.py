"""The calibration spec and the evaluate step: parameters reach the findings they should."""

from __future__ import annotations

import pytest

from empathica.calibrate import Finding, apply, calibration_from_dict, distance, findings
from empathica.errors import EmpathicaInputError
from empathica.lab.cohorts import Lab

SPEC = {
    "parameter": [
        {"name": "bpd_evidence.emotional_contagion", "low": 0.5, "high": 0.95},
        {"name": "perception.noise", "low": 0.3, "high": 0.6},
    ],
    "fit": [{"key": "L2.contagion", "value": 1.10, "se": 0.08, "source": "Blunden et al. 2024"}],
    "test": [{"key": "L3.reasoning", "value": -0.44, "se": 0.07, "source": "Bora 2021"}],
}


def test_a_valid_spec_and_its_parameters():
    spec = calibration_from_dict(SPEC)
    assert [p.kind for p in spec.parameter] == ["trait", "constant"]
    model, traits = apply({"bpd_evidence.emotional_contagion": 0.8, "perception.noise": 0.5}, spec.parameter)
    assert traits == {"bpd_evidence": {"emotional_contagion": 0.8}}
    assert model.perception.noise == 0.5 and model.contagion == type(model)().contagion


@pytest.mark.parametrize(
    "change, message",
    [
        ({"parameter": [{"name": "bpd_evidence.charm", "low": 0, "high": 1}]}, "unknown trait 'charm'"),
        ({"parameter": [{"name": "nobody.noise", "low": 0, "high": 1}]}, "neither a profile"),
        ({"parameter": [{"name": "perception.w_cognitive", "low": 0, "high": 1}]}, "not a number"),
        ({"parameter": [{"name": "bpd_evidence.impulsivity", "low": 0.5, "high": 1.5}]}, "within 0..1"),
        ({"parameter": [{"name": "perception.noise", "low": 0.5, "high": 0.4}]}, "low must be below high"),
        ({"fit": [{"key": "L99", "value": 1, "se": 1, "source": "x"}]}, "not a validation row"),
        ({"fit": [{"key": "A4", "value": 1, "se": 1, "source": "x"}]}, "counted on the evidence"),
        ({"fit": [{"key": "L2.contagion", "value": 1, "se": 0, "source": "x"}]}, "se"),
        ({"test": [{"key": "L2.contagion", "value": 1, "se": 1, "source": "x"}]}, "held out"),
    ],
)
def test_a_bad_spec_is_one_line(change, message):
    with pytest.raises(EmpathicaInputError, match=message) as err:
        calibration_from_dict({**SPEC, **change}, "cal.toml")
    assert "\n" not in str(err.value) and str(err.value).startswith("cal.toml")


def test_a_trait_parameter_moves_its_finding_and_only_through_the_lab():
    spec = calibration_from_dict(SPEC)
    low = findings({"bpd_evidence.emotional_contagion": 0.55, "perception.noise": 0.45}, spec.parameter,
                   ["L2.contagion"], group_n=400)  # fmt: skip
    high = findings({"bpd_evidence.emotional_contagion": 0.90, "perception.noise": 0.45}, spec.parameter,
                    ["L2.contagion"], group_n=400)  # fmt: skip
    assert high["L2.contagion"] > low["L2.contagion"] + 0.5
    assert Lab().profile("evidence", "bpd").traits["emotional_contagion"].source != "user override"


def test_replaced_traits_reach_the_relationship_cohorts():
    from empathica.validation.report import run_validation

    base = run_validation(only="L8.cycles", own_family_only=True)["value"].iloc[0]
    calm = Lab(traits={"bpd_evidence": {"attachment_anxiety": 0.3, "impulsivity": 0.3}})
    moved = run_validation(only="L8.cycles", lab=calm, own_family_only=True)["value"].iloc[0]
    assert moved < base - 0.1


def test_distance_is_in_standard_errors():
    f = [
        Finding(key="L2.contagion", value=1.0, se=0.1, source="x"),
        Finding(key="L2.concern", value=0.0, se=0.2, source="x"),
    ]
    assert distance({"L2.contagion": 1.1, "L2.concern": 0.2}, f) == pytest.approx(1.0)
    assert distance({"L2.contagion": float("nan"), "L2.concern": 0.0}, f) == float("inf")


def test_a_calibration_simulates_only_the_cohorts_its_findings_use():
    from empathica.calibrate.simulator import cohort_roles
    from empathica.validation.registry import REGISTRY, experiments

    experiments()
    counted = [k for k, e in REGISTRY.items() if e.family == "evidence" and not e.pending]
    keys = [k for k in counted if not k.startswith("L11")]
    assert cohort_roles(keys) == ("bpd",) and cohort_roles(["L11.setpoint"]) is None
    from empathica.validation.report import run_validation

    full = run_validation(only=keys, lab=Lab(group_n=300), own_family_only=True)
    part = run_validation(only=keys, lab=Lab(group_n=300, cohort_roles=("bpd",)), own_family_only=True)
    assert full["value"].tolist() == part["value"].tolist()
