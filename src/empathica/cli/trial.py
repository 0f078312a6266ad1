"""Commands ``trial`` and ``experiment``: thin shells over ``empathica.lab.trial`` and the
long-horizon studies (``lab.therapy``, ``lab.loved_ones``, ``lab.development``)."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from empathica.cli.common import echo_wrapped, friendly, print_frame, progress
from empathica.io.terminal import visible

TRIAL_HELP = (
    "Run a virtual randomized trial from a spec (arms of therapy components on schedules, hundreds "
    "of people per arm, months of follow-up): print the CONSORT-like flow and the effects on the "
    "primary outcome; with --out, write every table."
)


#: Flow columns as shown (CONSORT-like).
_FLOW = {
    "arm": "arm",
    "enrolled": "enrolled",
    "received_treatment": "treated",
    "dropped_out": "dropped out",
    "completed": "completed",
    "analysed_itt": "analysed",
    "median_dropout_week": "median drop-out week",
}


def _effects(df, keys: list[str]):
    """Effects vs the control arm as shown: change, difference with its interval, g, responders."""
    import pandas as pd

    return pd.DataFrame(
        {
            **{k: df[k].astype(str) for k in keys},
            "change": df["change"],
            "control": df["control_change"],
            "difference [95% CI]": [
                f"{d:+.3f} [{lo:+.3f}, {hi:+.3f}]"
                for d, lo, hi in zip(df["difference"], df["ci_low"], df["ci_high"], strict=True)
            ],
            "g": df["g"],
            "responders": df["responders"],
        }
    )


@friendly
def trial(
    spec: Annotated[Path, typer.Argument(metavar="SPEC.toml", help="the trial spec (docs/trial.md)")],
    out: Annotated[
        Path | None, typer.Option(metavar="DIR", help="write the tables into this new folder")
    ] = None,
    force: Annotated[bool, typer.Option("--force", help="replace earlier results in --out")] = False,
) -> None:
    """Run a virtual randomized trial."""
    from empathica.io.rundir import check_target
    from empathica.lab.trial import load_trial, run_trial, write_trial

    sp = load_trial(spec)
    if out is not None:
        check_target(out, force=force)
    with progress() as bar:
        task = bar.add_task("arms", total=len(sp.arm))
        result = run_trial(sp, progress=lambda done, total: bar.update(task, completed=done))
    flow = result.flow.rename(columns=_FLOW)[list(_FLOW.values())]
    print_frame(flow, f"{visible(sp.name)}: flow", digits=1)
    end = result.effects[result.effects["primary"]]
    print_frame(
        _effects(end, ["arm", "week"]), f"primary outcome {sp.primary} ({end['better'].iloc[0]} is better)"
    )
    last = result.effects[(result.effects["week"] == sp.weeks) & ~result.effects["primary"]]
    print_frame(_effects(last, ["arm", "outcome"]), f"other outcomes at week {sp.weeks} (end of treatment)")
    echo_wrapped(
        "Analysis by intention to treat; responders: reliable change (RCI > 1.96) on the primary outcome. "
        "Virtual people of a model, not patients: a trial of a theory, not of a treatment."
    )
    if out is not None:
        paths = write_trial(result, out, force=force)
        typer.echo(f"wrote {len(paths)} files to {visible(out)}")


class Study(StrEnum):
    therapy = "therapy"
    loved_ones = "loved-ones"
    development = "development"
    culture = "culture"
    biology = "biology"


@friendly
def experiment(
    study: Annotated[Study, typer.Argument(help="which study")],
    n: Annotated[int, typer.Option(metavar="N", min=20, max=20000, help="people per group")] = 500,
    seed: Annotated[int, typer.Option(metavar="N", help="random seed (a non-negative integer)")] = 0,
    out: Annotated[
        Path | None, typer.Option(metavar="DIR", help="write the tidy table into this new folder")
    ] = None,
    force: Annotated[bool, typer.Option("--force", help="replace earlier results in --out")] = False,
) -> None:
    """Run a long-horizon virtual study and print its table."""
    from empathica.io.rundir import RunDirectory, check_target
    from empathica.model.streams import check_seed

    check_seed(seed)
    if out is not None:
        check_target(out, force=force)
    with progress() as bar:
        bar.add_task(study.value, total=None)
        table, shown, title = _run(study, n, seed)
    print_frame(shown, title)
    if out is not None:
        import empathica

        name = f"{study.value.replace('-', '_')}.csv"
        manifest = {
            "command": "experiment",
            "study": study.value,
            "empathica_version": empathica.__version__,
            "parameters": {"n": n, "seed": seed},
        }
        with RunDirectory(out, force=force, manifest=manifest) as run:
            run.write_text(name, table.to_csv(index=False))
        typer.echo(f"wrote {visible(out)}; next: empathica report {visible(out)} --out {study.value}.html")


def _run(study: Study, n: int, seed: int):
    if study is Study.therapy:
        from empathica.lab.therapy import therapy_study

        t = therapy_study(n=n, seed=seed)
        keep = t["outcome"].isin(["met_cognitive", "met_emotional", "misreading_stressed"]) & (
            t["week"] % 4 == 0
        )
        shown = (
            t[keep]
            .pivot_table(index=["person", "arm", "week"], columns="outcome", values="gain_sd")
            .reset_index()
        )
        return t, shown, "therapy trajectories: change from baseline in baseline SDs"
    if study is Study.loved_ones:
        from empathica.lab.loved_ones import comparison_table, loved_ones_study

        t = loved_ones_study(n=n, seed=seed)
        return t, comparison_table(t), "loved ones' strategies: a year with a partner following each"
    from empathica.lab import development

    fn = {
        Study.development: development.development_study,
        Study.culture: development.culture_study,
        Study.biology: development.biology_study,
    }[study]
    t = fn(n=n, seed=seed)
    return t, t, f"{study.value} study"


def register(app: typer.Typer) -> None:
    app.command("trial", help=TRIAL_HELP)(trial)
    app.command(
        "experiment",
        help="Run a long-horizon virtual study (therapy, loved-ones, development, culture, biology) and "
        "print its table; --out writes the tidy table into a results folder (for empathica report).",
    )(experiment)
