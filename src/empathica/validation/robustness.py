"""Robustness: does each verdict survive other seeds, another trait spread, and every
mechanism constant moved by 20%?

A verdict is worth only as much as it does not hang on one arbitrary choice. The pass
re-runs every counted row (and the definitional ones, for information) of its own family:

- over the seeds ``seed`` .. ``seed + 4`` (``"seed 3"``),
- with the within-profile trait spread at 0.10 and at 0.15 (``"spread 0.10"``),
- with each mechanism constant of ``ModelParams`` times 1.2 and times 0.8, one at a time
  (``"relationship.inertia_base +20%"``): every float field of every group, found from
  ``ModelParams.model_fields`` so that new groups and fields join by themselves; a tuple
  is scaled as a whole; integers are skipped, and so are constants that are exactly 0
  (20% of 0 is 0; ``skipped_constants`` lists them); a value that would leave the field's
  validated range is clipped to it, and the label says so.

A row is *fragile* when some variation flips its verdict; ``fragile_rows`` says which.
Every variation keeps the seed's random streams (only the named change differs), and
each result depends only on its variation, never on the scheduling of the worker
processes. The last full pass is stored with the code's fingerprint
(``save``, ``data/robustness.json``); ``fragile_note`` reports it only while the code is
the same. See docs/validation.md, "Robustness".
"""

from __future__ import annotations

import datetime
import hashlib
import json
import math
import os
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd
from pydantic import BaseModel, ValidationError

from empathica.model.params import ModelParams
from empathica.model.profiles import DEFAULT_SPREAD
from empathica.validation.registry import experiments

KINDS: tuple[str, ...] = ("seed", "spread", "constant")
#: Seeds per pass (the baseline seed and the next four).
N_SEEDS = 5
SPREADS: tuple[float, ...] = (0.10, 0.15)
#: Relative change of each mechanism constant, up and down.
STEP = 0.20
#: The stored result of the last full pass (``save``).
STORED = Path(__file__).resolve().parents[1] / "data" / "robustness.json"
_PACKAGE = Path(__file__).resolve().parents[1]
#: Frame columns.
COLUMNS = (
    "key",
    "kind",
    "variation",
    "value",
    "verdict",
    "baseline_value",
    "baseline_verdict",
    "flipped",
    "basis",
    "counted",
)


@dataclass(frozen=True)
class Variation:
    """One re-run: a seed, a spread, and constants changed from their defaults.

    ``seed``/``spread`` None keep the baseline's; ``changes`` are ``(group, field, value)``
    triples applied to ``ModelParams()``. Plain data, so it travels to worker processes."""

    kind: str
    label: str
    seed: int | None = None
    spread: float | None = None
    changes: tuple[tuple[str, str, Any], ...] = ()

    @staticmethod
    def constant(group: str, name: str, value: Any, label: str | None = None) -> Variation:
        """One constant set to ``value`` (validated when the run builds its parameters)."""
        return Variation("constant", label or f"{group}.{name} = {value}", changes=((group, name, value),))

    def params(self) -> ModelParams:
        """``ModelParams()`` with the changes, each group validated by pydantic."""
        return _with_changes(self.changes)

    def spec(self, seed: int) -> tuple:
        """What the run depends on: (seed, spread, changes that differ from the defaults)."""
        base = ModelParams()
        changes = tuple(c for c in self.changes if getattr(getattr(base, c[0], None), c[1], None) != c[2])
        spread = DEFAULT_SPREAD if self.spread is None else float(self.spread)
        return (seed if self.seed is None else int(self.seed), spread, changes)


def _with_changes(changes: Iterable[tuple[str, str, Any]]) -> ModelParams:
    base = ModelParams()
    groups: dict[str, dict[str, Any]] = {}
    for group, name, value in changes:
        if group not in ModelParams.model_fields:
            raise ValueError(f"no mechanism group {group!r} in ModelParams")
        groups.setdefault(group, getattr(base, group).model_dump())[name] = value
    update = {g: type(getattr(base, g)).model_validate(v) for g, v in groups.items()}
    return base.model_copy(update=update)


def _bounds(info) -> tuple[float | None, float | None]:
    """The (low, high) a field's validation allows (``ge``/``gt``, ``le``/``lt``)."""
    low = high = None
    for m in info.metadata:
        for attr in ("ge", "gt"):
            if getattr(m, attr, None) is not None:
                low = float(getattr(m, attr))
        for attr in ("le", "lt"):
            if getattr(m, attr, None) is not None:
                high = float(getattr(m, attr))
    return low, high


def _scaled(sub: BaseModel, name: str, factor: float) -> tuple[Any, str]:
    """The field times ``factor`` (a tuple as a whole); clipped to its validated range if
    pydantic refuses it. Returns the value and a note ("" or "clipped to 1")."""
    value = getattr(sub, name)
    new = tuple(float(x) * factor for x in value) if isinstance(value, tuple) else float(value) * factor
    try:
        type(sub).model_validate({**sub.model_dump(), name: new})
        return new, ""
    except ValidationError:
        low, high = _bounds(type(sub).model_fields[name])

        def clip(x: float) -> float:
            if high is not None and x > high:
                return high
            if low is not None and x < low:
                return low
            return x

        if isinstance(new, tuple):
            clipped: Any = tuple(clip(x) for x in new)
            note = "clipped to its range"
        else:
            clipped = clip(new)
            note = f"clipped to {clipped:g}"
        type(sub).model_validate({**sub.model_dump(), name: clipped})  # a bound that still fails: raise
        return clipped, note


def _constants() -> Iterable[tuple[str, str, Any]]:
    """(group, field, default) of every float or tuple-of-floats field of ``ModelParams``."""
    base = ModelParams()
    for group in ModelParams.model_fields:
        sub = getattr(base, group)
        for name in type(sub).model_fields:
            value = getattr(sub, name)
            if isinstance(value, bool) or isinstance(value, int):
                continue  # integers (max_episodes_per_day): a count, not a strength
            if isinstance(value, float) or (
                isinstance(value, tuple) and all(isinstance(x, int | float) for x in value)
            ):
                yield group, name, value


def skipped_constants() -> list[str]:
    """Constants that are exactly 0: moving them by 20% changes nothing, so they are not varied."""
    out = []
    for group, name, value in _constants():
        if (value == 0.0) if isinstance(value, float) else all(x == 0 for x in value):
            out.append(f"{group}.{name}")
    return out


def constant_variations(step: float = STEP) -> list[Variation]:
    """Each mechanism constant times (1 + step) and times (1 - step), one at a time."""
    base = ModelParams()
    skipped = set(skipped_constants())
    out = []
    for group, name, _ in _constants():
        if f"{group}.{name}" in skipped:
            continue
        for sign, factor in (("+", 1.0 + step), ("-", 1.0 - step)):
            value, note = _scaled(getattr(base, group), name, factor)
            label = f"{group}.{name} {sign}{step:.0%}" + (f" ({note})" if note else "")
            out.append(Variation("constant", label, changes=((group, name, value),)))
    return out


def default_variations(seed: int = 0) -> list[Variation]:
    """The full pass: N_SEEDS seeds, the spreads of SPREADS, every constant up and down."""
    seeds = [Variation("seed", f"seed {s}", seed=s) for s in range(seed, seed + N_SEEDS)]
    spreads = [Variation("spread", f"spread {s:.2f}", spread=s) for s in SPREADS]
    return seeds + spreads + constant_variations()


# -------------------------------------------------------------------- running


def _run(spec: tuple, only: list[str] | None) -> pd.DataFrame | str:
    """One validation run of a spec (in a worker process): the own-family rows, or the error."""
    from empathica.validation.report import run_validation

    seed, spread, changes = spec
    try:
        df = run_validation(
            only, seed=seed, params=_with_changes(changes), spread=spread, own_family_only=True
        )
    except Exception as exc:  # a variation that breaks the model is reported, not fatal
        return f"{type(exc).__name__}: {exc}"
    return df[["key", "value", "verdict", "basis", "counted"]].reset_index(drop=True)


def robustness(
    only: str | list[str] | None = None,
    seed: int = 0,
    workers: int = 2,
    progress: Callable[[int, int], None] | None = None,
    variations: list[Variation] | None = None,
) -> pd.DataFrame:
    """Re-run the rows where they count under each variation; one tidy row per
    (experiment key, variation), ordered by key and variation.

    only: ids or keys as for ``run_validation``; variations: default the full pass
    (``default_variations``); workers: processes running variations side by side (1: in
    this process); progress(done, total) after each finished run. Columns: key, kind,
    variation, value, verdict, baseline_value, baseline_verdict, flipped, basis, counted.
    ``attrs``: seed, only, variations, skipped (constants at 0), errors, seconds,
    fingerprint."""
    from empathica.model.streams import check_seed
    from empathica.validation.report import parse_only

    chosen = parse_only(only)
    check_seed(seed)
    if workers < 1:
        raise ValueError(f"workers must be at least 1, got {workers}")
    variations = default_variations(seed) if variations is None else list(variations)
    baseline = Variation("baseline", "baseline").spec(seed)
    specs = list(dict.fromkeys([baseline] + [v.spec(seed) for v in variations]))
    start = time.perf_counter()
    results = _run_all(specs, chosen, workers, progress)
    base = results[baseline]
    if isinstance(base, str):
        raise RuntimeError(f"the baseline run failed: {base}")
    base = base.set_index("key")
    frames, errors = [], {}
    for v in variations:
        res = results[v.spec(seed)]
        if isinstance(res, str):
            errors[v.label] = res
            res = pd.DataFrame({"key": base.index, "value": math.nan, "verdict": "error"})
        res = res.set_index("key").reindex(base.index)
        frame = pd.DataFrame(
            {
                "key": base.index,
                "kind": v.kind,
                "variation": v.label,
                "value": res["value"].to_numpy(float),
                "verdict": res["verdict"].fillna("n/a").to_numpy(),
                "baseline_value": base["value"].to_numpy(float),
                "baseline_verdict": base["verdict"].to_numpy(),
                "basis": base["basis"].to_numpy(),
                "counted": base["counted"].to_numpy(bool),
            }
        )
        frame["flipped"] = frame["verdict"] != frame["baseline_verdict"]
        frames.append(frame)
    df = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(columns=list(COLUMNS))
    df = _ordered(df[list(COLUMNS)], [v.label for v in variations])
    df.attrs.update(
        seed=seed,
        only=None if chosen is None else ",".join(chosen),
        variations=len(variations),
        skipped=skipped_constants(),
        errors=errors,
        seconds=time.perf_counter() - start,
        fingerprint=code_fingerprint(),
    )
    return df


def _run_all(specs: list[tuple], only, workers: int, progress) -> dict[tuple, pd.DataFrame | str]:
    total = len(specs)
    if progress is not None:
        progress(0, total)
    if workers == 1 or total == 1:
        out = {}
        for i, spec in enumerate(specs, start=1):
            out[spec] = _run(spec, only)
            if progress is not None:
                progress(i, total)
        return out
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor, as_completed

    # spawn, not fork: the compiled kernel may hold threads; workers load it from numba's cache
    context = multiprocessing.get_context("spawn")
    out = {}
    pool = ProcessPoolExecutor(max_workers=min(workers, total), mp_context=context)
    try:
        futures = {pool.submit(_run, spec, only): spec for spec in specs}
        for done, fut in enumerate(as_completed(futures), start=1):
            out[futures[fut]] = fut.result()
            if progress is not None:
                progress(done, total)
    except BaseException:
        pool.shutdown(wait=False, cancel_futures=True)  # stopped: do not wait for the queue
        raise
    pool.shutdown()
    return out


def _ordered(df: pd.DataFrame, labels: list[str]) -> pd.DataFrame:
    """Rows by experiment (brief order) and then by variation (the order they were given)."""
    key_order = {e.key: i for i, e in enumerate(experiments())}
    var_order = {label: i for i, label in enumerate(dict.fromkeys(labels))}
    order = pd.DataFrame({"k": df["key"].map(key_order), "v": df["variation"].map(var_order)})
    index = order.sort_values(["k", "v"], kind="stable").index
    return df.loc[index].reset_index(drop=True)


# -------------------------------------------------------------------- reading


def _flip_text(labels: list[str], most: int = 3) -> str:
    if not labels:
        return ""
    shown = ", ".join(labels[:most])
    return shown + (f" and {len(labels) - most} more" if len(labels) > most else "")


def fragile_rows(df: pd.DataFrame) -> pd.DataFrame:
    """One line per row of the pass: key, basis, counted, baseline verdict, fragile (some
    variation flips the verdict), flips (how many) and flipped_by (which, short text)."""
    out = []
    for key, grp in df.groupby("key", sort=False):
        flips = grp[grp["flipped"]]
        out.append(
            {
                "key": key,
                "basis": grp["basis"].iloc[0],
                "counted": bool(grp["counted"].iloc[0]),
                "baseline_verdict": grp["baseline_verdict"].iloc[0],
                "fragile": len(flips) > 0,
                "flips": len(flips),
                "flipped_by": _flip_text(
                    [
                        f"{v} ({verdict})"
                        for v, verdict in zip(flips["variation"], flips["verdict"], strict=True)
                    ]
                ),
            }
        )
    return pd.DataFrame(
        out, columns=["key", "basis", "counted", "baseline_verdict", "fragile", "flips", "flipped_by"]
    )


def markdown(df: pd.DataFrame) -> str:
    """The pass as Markdown: the fragile rows, then every row with its number of flips."""
    rows = fragile_rows(df)
    lines = [
        f"Robustness of {len(rows)} rows under {df.attrs.get('variations', '?')} variations "
        f"(seed {df.attrs.get('seed')}; code {str(df.attrs.get('fingerprint', ''))[:12]}).",
        "",
        "| key | basis | baseline | flips | flipped by (verdict under the variation) |",
        "|---|---|---|---|---|",
    ]
    for _, r in rows.iterrows():
        basis = r["basis"] if r["counted"] else f"{r['basis']} (not counted)"
        lines.append(
            f"| {r['key']} | {basis} | {r['baseline_verdict']} | {r['flips']} | "
            + (r["flipped_by"] or "-").replace("|", "\\|")
            + " |"
        )
    if df.attrs.get("skipped"):
        lines += ["", "Not varied (exactly 0): " + ", ".join(df.attrs["skipped"]) + "."]
    if df.attrs.get("errors"):
        lines += ["", "Variations that failed to run:"]
        lines += [f"- {label}: {msg}" for label, msg in df.attrs["errors"].items()]
    return "\n".join(lines) + "\n"


def write(df: pd.DataFrame, out: str | Path, force: bool = False) -> list[Path]:
    """robustness.csv (the tidy frame), robustness.md and manifest.json as folder ``out``
    (``empathica.io.rundir``: it appears only when complete)."""
    import empathica
    from empathica.io.rundir import RunDirectory

    manifest = {
        "command": "validate --robustness",
        "empathica_version": empathica.__version__,
        "parameters": {"seed": df.attrs.get("seed"), "only": df.attrs.get("only")},
        "variations": df.attrs.get("variations"),
        "fingerprint": df.attrs.get("fingerprint"),
        "rows": len(df),
    }
    with RunDirectory(out, force=force, manifest=manifest) as run:
        run.write_text("robustness.csv", df.to_csv(index=False))
        run.write_text("robustness.md", markdown(df))
    return [run.target / n for n in ("robustness.csv", "robustness.md")]


# -------------------------------------------------------------------- the stored pass


def code_fingerprint() -> str:
    """A hash of everything a verdict depends on: the model and the lab (the compiled
    kernel's ``SOURCES_FINGERPRINT``), the simulator, the profiles, the experiments and
    their checks, and this pass's variations."""
    from empathica.model.jit import SOURCES_FINGERPRINT

    h = hashlib.sha256(SOURCES_FINGERPRINT.encode())
    files = [_PACKAGE / "simulation.py", _PACKAGE / "validation" / "registry.py", Path(__file__).resolve()]
    files += sorted((_PACKAGE / "validation" / "experiments").glob("*.py"))
    files += sorted((_PACKAGE / "data").glob("*.toml"))
    for path in files:
        h.update(path.relative_to(_PACKAGE).as_posix().encode())
        h.update(path.read_bytes())
    return h.hexdigest()


def save(df: pd.DataFrame, path: Path = STORED) -> Path:
    """Store a full pass (per row: fragile or not, and what flips it) with the code's
    fingerprint, written atomically. Refuses a partial pass (``only``)."""
    if df.attrs.get("only"):
        raise ValueError("only a full robustness pass is stored; this one ran --only " + df.attrs["only"])
    rows = fragile_rows(df)
    record = {
        "fingerprint": df.attrs.get("fingerprint") or code_fingerprint(),
        "date": datetime.datetime.now(datetime.UTC).date().isoformat(),
        "seed": df.attrs.get("seed"),
        "variations": df.attrs.get("variations"),
        "skipped": df.attrs.get("skipped", []),
        "errors": df.attrs.get("errors", {}),
        "rows": json.loads(rows.to_json(orient="records")),
    }
    part = path.with_name(path.name + ".part")
    part.write_text(json.dumps(record, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    os.replace(part, path)
    return path


def stored(path: Path = STORED) -> dict | None:
    """The stored pass if it was made with the current code, else None."""
    try:
        record = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(record, dict) or record.get("fingerprint") != code_fingerprint():
        return None
    return record


def fragile_note(df: pd.DataFrame | None = None, path: Path = STORED) -> str:
    """ "fragile: N (robustness of <date>, code <fingerprint>)" for the counted rows of ``df``
    (all counted rows without ``df``), or that the current code has not been measured."""
    record = stored(path)
    if record is None:
        return "fragile: not measured for this code (run --robustness)"
    keys = None if df is None else set(df.loc[df["counted"], "key"])
    n = sum(1 for r in record["rows"] if r["counted"] and r["fragile"] and (keys is None or r["key"] in keys))
    return f"fragile: {n} (robustness of {record['date']}, code {record['fingerprint'][:8]})"
