"""Robustness pass: variations of seed, spread and every mechanism constant reach the experiments,
flipped verdicts are reported with the variation that flips them, and results do not depend
on the worker processes."""

import ast
import inspect
import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import typer
from typer.testing import CliRunner

from empathica.cli.validate import register
from empathica.lab import tasks
from empathica.lab.cohorts import Lab
from empathica.model.params import ModelParams
from empathica.validation import robustness as rob
from empathica.validation.report import run_validation
from empathica.validation.robustness import Variation

EXPERIMENTS = Path(__file__).resolve().parents[1] / "src" / "empathica" / "validation" / "experiments"
#: A variation that surely flips A5 (fitted): without the defence weight nobody withdraws under threat.
NO_DEFENCE = Variation.constant("motivation", "defense_weight", 0.0, label="no defence")
FEW = [Variation("seed", "seed 0", seed=0), Variation("seed", "seed 1", seed=1), NO_DEFENCE]


def test_every_float_constant_is_varied_up_and_down():
    base = ModelParams()
    labels = {v.label.split(" (")[0] for v in rob.constant_variations()}
    expected, zeros = set(), set()
    for group in ModelParams.model_fields:
        sub = getattr(base, group)
        for name in type(sub).model_fields:
            value = getattr(sub, name)
            if isinstance(value, int):
                continue
            if value == 0 or (isinstance(value, tuple) and not any(value)):
                zeros.add(f"{group}.{name}")
                continue
            expected |= {f"{group}.{name} +20%", f"{group}.{name} -20%"}
    assert labels == expected
    assert set(rob.skipped_constants()) == zeros
    assert not any("max_episodes_per_day" in label for label in labels)  # an int: skipped


def test_tuples_scale_whole_and_bounds_clip():
    up = {v.label: v for v in rob.constant_variations()}
    w = up["perception.w_cognitive +20%"].changes[0][2]
    np.testing.assert_allclose(w, np.array(ModelParams().perception.w_cognitive) * 1.2)
    clipped = [v for v in up.values() if "clipped" in v.label]
    for v in clipped:
        v.params()  # a clipped value passes validation
    # reconcile_avoidance is 1.0 with le=1: +20% is clipped to 1 and named so
    assert any(v.label == "relationship.reconcile_avoidance +20% (clipped to 1)" for v in clipped)
    with pytest.raises(ValueError):
        Variation.constant("motivation", "threshold_missing", 1.0).params()


def test_a_flip_is_reported_with_the_variation_named():
    df = rob.robustness(only="A5", workers=1, variations=FEW)
    assert list(df["variation"]) == ["seed 0", "seed 1", "no defence"]
    # seed 0 is the baseline itself: it cannot flip
    assert not df.loc[df["variation"] == "seed 0", "flipped"].any()
    row = rob.fragile_rows(df).set_index("key").loc["A5"]
    assert row["counted"] and row["baseline_verdict"] == "pass"
    assert row["fragile"] and "no defence (fail)" in row["flipped_by"]
    assert "seed 0" not in row["flipped_by"]


def test_workers_do_not_change_the_result():
    variations = FEW + [Variation.constant("perception", "noise", 0.54, label="noise up")]
    one = rob.robustness(only="A5,A7.social", workers=1, variations=variations)
    two = rob.robustness(only="A5,A7.social", workers=2, variations=variations)
    pd.testing.assert_frame_equal(one, two)
    assert list(dict.fromkeys(one["key"])) == ["A5", "A7.social"]


#: Own-family rows whose measure uses no perception (questionnaires, the praise and
#: expression equations); every other row must move when perception.noise moves.
NO_PERCEPTION = {"A6", "A12.expression", "L2.contagion", "L2.concern", "L10.bpd", "L10.grandiose"}
NO_PERCEPTION |= {"L10.vulnerable", "L7.affective", "L7.cognitive", "L7.distress"}
NO_PERCEPTION |= {"A16.npd"}  # admiration self-report and the self-esteem lost to a criticism


def test_a_changed_constant_reaches_every_experiment():
    """A row is reached when it moves under noise x 1.2 or x 0.8: a share of a finite
    cohort (L8.dissolved) can land on the same value under one of them by chance."""
    m = ModelParams()
    base = run_validation(own_family_only=True).set_index("key")["value"]
    unchanged = set(base.index)
    for factor in (1.2, 0.8):
        noise = m.perception.noise * factor
        noisy = m.model_copy(update={"perception": m.perception.model_copy(update={"noise": noise})})
        moved = run_validation(params=noisy, own_family_only=True).set_index("key")["value"]
        unchanged &= set(base.index[np.isclose(base, moved, rtol=0, atol=0)])
    assert unchanged <= NO_PERCEPTION, unchanged - NO_PERCEPTION


def _task_calls(tree: ast.AST):
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and isinstance(node.func.value, ast.Name)
            and node.func.value.id == "tasks"
            and callable(getattr(tasks, node.func.attr, None))
        ):
            yield node


def test_every_task_call_passes_the_labs_constants():
    calls = 0
    for path in sorted(EXPERIMENTS.glob("*.py")):
        for call in _task_calls(ast.parse(path.read_text())):
            fn = getattr(tasks, call.func.attr)
            if inspect.isclass(fn) or "m" not in inspect.signature(fn).parameters:
                continue
            calls += 1
            passed = {k.arg: ast.unparse(k.value) for k in call.keywords}
            assert passed.get("m") == "lab.params", (
                f"{path.name}:{call.lineno} {call.func.attr} without m=lab.params"
            )
    assert calls >= 10


def test_lab_passes_spread_and_constants_on(monkeypatch):
    noisy = ModelParams().model_copy(
        update={"perception": ModelParams().perception.model_copy(update={"noise": 0.9})}
    )
    lab = Lab(seed=1, params=noisy, spread=0.05, group_n=20000)
    s = lab.sample("evidence", "control", "x")
    assert abs(np.std(s.emotion_regulation) - 0.05) < 0.005
    seen = {}

    def fake_simulate(pairs, **kw):
        seen.update(kw)
        raise RuntimeError("stop")

    import empathica

    monkeypatch.setattr(empathica, "simulate", fake_simulate)
    with pytest.raises(RuntimeError):
        lab.cohort("evidence")
    assert seen["spread"] == 0.05 and seen["model"] is noisy
    # the caches are kept per constants and spread: changing one starts afresh
    lab._cache["probe"] = 1
    lab.spread = 0.06
    assert "probe" not in lab._cache


def test_stored_pass_is_shown_only_for_the_same_code(tmp_path):
    df = rob.robustness(only="A5", workers=1, variations=FEW)
    with pytest.raises(ValueError):
        rob.save(df, tmp_path / "r.json")  # a partial pass is not stored
    df.attrs["only"] = None  # stands in for a full pass here
    path = rob.save(df, tmp_path / "r.json")
    report = pd.DataFrame({"key": ["A5"], "counted": [True]})
    note = rob.fragile_note(report, path)
    assert note.startswith("fragile: 1 (robustness of ") and rob.code_fingerprint()[:8] in note
    record = json.loads(path.read_text())
    record["fingerprint"] = "0" * 64
    path.write_text(json.dumps(record))
    assert rob.fragile_note(report, path) == "fragile: not measured for this code (run --robustness)"


@pytest.fixture(scope="module")
def app():
    app = typer.Typer(add_completion=False, pretty_exceptions_enable=False)

    @app.callback()
    def main() -> None:
        pass

    register(app)
    return app


def test_cli_bad_only_exits_2_with_one_line(app, tmp_path):
    res = CliRunner().invoke(app, ["validate", "--robustness", "--only", "X99", "--out", str(tmp_path / "r")])
    assert res.exit_code == 2
    out = res.stderr if hasattr(res, "stderr") else res.output
    assert "X99" in out and "Traceback" not in out
    assert len(out.strip().splitlines()) == 1
    assert not (tmp_path / "r").exists()


def test_cli_save_needs_a_full_robustness_pass(app):
    for args in (["validate", "--save"], ["validate", "--robustness", "--save", "--only", "A5"]):
        res = CliRunner().invoke(app, args)
        out = res.stderr if hasattr(res, "stderr") else res.output
        assert res.exit_code == 2 and "--save" in out


def test_cli_prints_fragile_rows_and_writes_files(app, tmp_path, monkeypatch):
    monkeypatch.setattr(rob, "default_variations", lambda seed=0: FEW)
    out = tmp_path / "rob"
    res = CliRunner().invoke(
        app,
        ["validate", "--robustness", "--only", "A5", "--workers", "1", "--out", str(out)],
        env={"COLUMNS": "100"},
    )
    assert res.exit_code == 0, res.output
    assert "A5" in res.output and "no defence (fail)" in res.output
    assert "fragile: 1 of 1 counted rows" in res.output
    frame = pd.read_csv(out / "robustness.csv")
    assert len(frame) == len(FEW) and set(frame["key"]) == {"A5"}
    assert "no defence" in (out / "robustness.md").read_text()
