"""Command ``calibrate``: a thin shell over ``empathica.calibrate.calibrate``."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from empathica.cli.common import echo_wrapped, friendly, print_frame, progress
from empathica.io.terminal import visible

CALIBRATE_HELP = (
    "Calibrate the evidence profiles to published findings by ABC-SMC (pyabc) on a local Dask "
    "cluster: the posterior of the spec's free parameters, predictive intervals for the fit set "
    "and the held-out test set, identifiability, parameter recovery on synthetic truths, and the "
    "posterior probabilities of the evidence, article and null accounts (docs/calibrate.md)."
)


def _interval(df) -> list[str]:
    return [
        f"{m:+.2f} [{lo:+.2f}, {hi:+.2f}]"
        for m, lo, hi in zip(df["median"], df["q05"], df["q95"], strict=True)
    ]


def show(result) -> None:
    """The calibration's tables on the terminal."""
    import pandas as pd

    spec = result.spec
    g = result.generations
    print_frame(
        g[["generation", "epsilon", "simulations", "acceptance_rate", "effective_size"]].astype(
            {"generation": str}
        ),
        f"{visible(spec.name)}: ABC-SMC generations (epsilon in published standard errors)",
    )
    par = result.parameters
    print_frame(
        pd.DataFrame(
            {
                "parameter": par["parameter"],
                "prior": [f"[{lo:.2f}, {hi:.2f}]" for lo, hi in zip(par["low"], par["high"], strict=True)],
                "posterior median [90%]": _interval(par),
                "contraction": par["contraction"],
            }
        ),
        "posterior (contraction: 1 - posterior variance / prior variance)",
        digits=2,
    )
    ev = result.predictions[result.predictions["account"] == "evidence"]
    print_frame(
        pd.DataFrame(
            {
                "finding": ev["key"],
                "set": ev["set"],
                "published": [
                    f"{v:+.2f} (se {s:.2f})" for v, s in zip(ev["published"], ev["se"], strict=True)
                ],
                "predicted [90%]": _interval(ev),
                "inside 90%": ev["inside90"].map({True: "yes", False: "NO"}),
            }
        ),
        "posterior predictive intervals of the published values: fit set and held-out test set",
    )
    c = result.claims
    cols = [k for k in ("log10_bf_evidence_article", "log10_bf_evidence_null") if k in c]
    print_frame(
        c[["key", "set", "claim", "favours", *cols]].rename(
            columns={
                "log10_bf_evidence_article": "log10 BF ev:art",
                "log10_bf_evidence_null": "log10 BF ev:null",
            }
        ),
        "finding by finding: which account predicts the published value best",
        digits=1,
    )
    m = result.models
    wide = m.pivot_table(index=["tolerance", "epsilon"], columns="account", values="probability", sort=False)
    wide = wide.reset_index().rename(columns={a: f"p {a}" for a in m["account"].unique()})
    print_frame(
        wide.astype({"tolerance": str}),
        "posterior probabilities of the accounts on the fit set, at the final epsilon and multiples",
    )
    cov = result.coverage
    if len(cov):
        print_frame(
            cov.rename(columns={"sbc_ks": "SBC KS", "sbc_p": "SBC p"}),
            "parameter recovery: coverage of the true values (should be near 0.50 and 0.90)",
            digits=2,
        )
    t = result.timing
    typer.echo(
        f"{t['simulations']} simulations in {t['abc_seconds']:.0f} s on {t['workers']} worker(s) "
        f"({t['seconds_per_simulation']:.2f} s each); total {t['total_seconds']:.0f} s"
    )


@friendly
def calibrate(
    spec: Annotated[
        Path, typer.Argument(metavar="SPEC.toml", help="the calibration spec (docs/calibrate.md)")
    ],
    out: Annotated[
        Path | None, typer.Option(metavar="DIR", help="write the tables into this new folder")
    ] = None,
    force: Annotated[bool, typer.Option("--force", help="replace earlier results in --out")] = False,
    quick: Annotated[
        bool, typer.Option("--quick", help="the smallest sizes that run every step (a check, not a result)")
    ] = False,
    workers: Annotated[int, typer.Option(metavar="N", min=1, max=64, help="local Dask worker processes")] = 2,
    scheduler: Annotated[
        str | None,
        typer.Option(metavar="ADDRESS", help="an existing Dask scheduler instead of local workers"),
    ] = None,
    recovery: Annotated[
        bool, typer.Option("--recovery/--no-recovery", help="run the parameter-recovery check")
    ] = True,
) -> None:
    """Calibrate profiles to published findings."""
    from empathica.calibrate.run import calibrate as run_calibration
    from empathica.calibrate.run import write_calibration
    from empathica.calibrate.spec import load_calibration
    from empathica.io.rundir import check_target

    sp = load_calibration(spec)
    if quick:
        sp = sp.quick()
    if out is not None:
        check_target(out, force=force)
    with progress() as bar:
        tasks: dict[str, int] = {}

        def on(stage: str, done: int, total: int) -> None:
            if stage not in tasks:
                tasks[stage] = bar.add_task(stage, total=total)
            bar.update(tasks[stage], completed=done, total=total)

        result = run_calibration(sp, workers=workers, scheduler=scheduler, recovery=recovery, progress=on)
    show(result)
    echo_wrapped(
        "Virtual groups of a model fitted to published group findings: a calibration of a theory, "
        "not a measurement of any person." + (" --quick: sizes too small for conclusions." if quick else "")
    )
    if out is not None:
        paths = write_calibration(result, out, force=force)
        typer.echo(f"wrote {len(paths)} files to {visible(out)}; next: empathica report {visible(out)}")


def register(app: typer.Typer) -> None:
    app.command("calibrate", help=CALIBRATE_HELP)(calibrate)
