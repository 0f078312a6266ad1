"""The registry of virtual experiments: one or more per claim (A1-A19) and finding (L1-L11).

An experiment states what it measures and what the theory or the paper expects,
with a machine check, and a ``run(lab, family)`` that measures it on one profile
family. ``family`` is where the experiment *counts*: article claims on the article
profiles, literature findings on the evidence profiles. It may also run on the
other family; that verdict is information (C1, C2: where article and evidence disagree).
An experiment whose mechanism is not in the model yet is registered with a
``pending`` reason and no run: nothing is reported as passing that was not measured.

Every measured row also says what it is (``basis``, in the family where it counts):
*predicted* (no value was chosen for its target and the equations do not force it),
*fitted* (a trait or constant was chosen with its target, so passing confirms a
calibration) or *definitional* (it holds by construction: a trait or constant read
back, or a direction every route of the equations forces). Definitional rows are
shown but not counted (docs/validation.md, "What each row is").
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from empathica.lab.stats import Estimate

#: Every claim and finding id of the theory brief; each must have an experiment.
BRIEF_IDS: tuple[str, ...] = tuple(f"A{i}" for i in range(1, 20)) + tuple(f"L{i}" for i in range(1, 12))
#: Conflicts between article and evidence, shown side by side.
CONFLICT_IDS: tuple[str, ...] = ("C1", "C2")
FAMILIES: tuple[str, ...] = ("article", "evidence")
#: What a counted row is: not fitted and not forced; fitted to its target; true by construction.
BASES: tuple[str, ...] = ("predicted", "fitted", "definitional")

#: A few words naming each claim, finding and conflict of the theory brief (for short tables).
TITLES: dict[str, str] = {
    "A1": "BPD: feels intensely, misreads (empathic paradox)",
    "A2": "BPD: arousal amplifies misreading; mindfulness",
    "A3": "NPD: cognitive empathy kept, affective reduced",
    "A4": "NPD: empathy shown when it pays",
    "A5": "NPD: empathy withdrawn under threat",
    "A6": "NPD: self-esteem needs outside validation",
    "A7": "NPD: lower accuracy, social better than physical",
    "A8": "NPD: perspective-taking prompt helps",
    "A9": "strategic empathy: little follow-through",
    "A10": "unregulated emotion: misunderstanding, conflict",
    "A11": "BPD care reactive; NPD care self-interested",
    "A12": "self-image: BPD fluctuates, NPD inflated",
    "A13": "attachment: BPD breakups and reunions; NPD distance",
    "A14": "genuine care vs strategic empathy",
    "A15": "therapy improves empathy slowly",
    "A16": "childhood shapes the traits",
    "A17": "culture buffers or reinforces",
    "A18": "biology: oxytocin, dopamine",
    "A19": "loved ones: validation, boundaries",
    "L1": "NPD: emotional empathy lower (MET)",
    "L2": "BPD: contagion higher, concern not",
    "L3": "BPD: theory-of-mind deficit",
    "L4": "BPD: MET cognitive impaired; insula",
    "L5": "perspective-taking removes narcissism link",
    "L6": "narcissism: lower empathic accuracy",
    "L7": "narcissism facets and empathy (meta)",
    "L8": "BPD couples: breakups, reconciliations",
    "L9": "rejection sensitivity and BPD",
    "L10": "attachment in BPD and narcissism",
    "L11": "dyadic affect dynamics (Gottman)",
    "C1": "conflict: NPD attachment",
    "C2": "conflict: BPD emotional empathy",
}

Check = Callable[[Estimate], bool]


@dataclass(frozen=True)
class Expectation:
    text: str
    check: Check


@dataclass(frozen=True)
class Experiment:
    key: str  # unique, e.g. "A3.cognitive"
    id: str  # claim / finding / conflict id, e.g. "A3"
    claim: str
    source: str
    metric: str
    expected: dict[str, Expectation]  # per family
    family: str | None  # the family where the verdict counts (None: information only)
    runs_on: tuple[str, ...]
    run: Callable[..., Estimate | None] | None
    pending: str = ""
    paper_n: str = ""
    basis: str = ""  # one of BASES, for the row in ``family``; "" for pending and conflict rows
    basis_note: str = ""  # why: which value was fitted, or what is read back

    def expectation(self, family: str) -> Expectation | None:
        return self.expected.get(family)


REGISTRY: dict[str, Experiment] = {}


def _order(key: str) -> tuple:
    ident = key.split(".")[0]
    return ("ALC".index(ident[0]), int(ident[1:]))


def experiment(
    key: str,
    claim: str,
    source: str,
    metric: str,
    expected: str | dict[str, str],
    check: Check | dict[str, Check] | None = None,
    family: str | None = None,
    cross: bool = True,
    paper_n: str = "",
    basis: str = "",
    basis_note: str = "",
) -> Callable:
    """Register ``run(lab, family) -> Estimate`` as a virtual experiment.

    ``family`` defaults from the id (A: article, L: evidence, C: information only);
    ``cross`` also runs it on the other family, as information.
    ``expected``/``check`` may differ per family (conflict rows).
    ``basis`` (one of ``BASES``) and ``basis_note`` say what the row is where it counts;
    required for claims and findings, absent for conflict rows (they never count)."""
    ident = key.split(".")[0]
    if family is None and ident[0] in "AL":
        family = "article" if ident[0] == "A" else "evidence"
    _check_basis(key, family, basis, basis_note)
    if ident[0] == "C" or cross:
        runs_on = FAMILIES
    else:
        runs_on = (family,)
    texts = expected if isinstance(expected, dict) else {f: expected for f in runs_on}
    checks = check if isinstance(check, dict) else {f: check for f in runs_on}

    def register(run: Callable[..., Estimate | None]) -> Callable[..., Estimate | None]:
        if key in REGISTRY:
            raise ValueError(f"experiment {key} registered twice")
        REGISTRY[key] = Experiment(
            key=key,
            id=ident,
            claim=claim,
            source=source,
            metric=metric,
            expected={f: Expectation(texts[f], checks[f]) for f in runs_on if f in texts},
            family=family,
            runs_on=tuple(f for f in runs_on if f in texts),
            run=run,
            paper_n=paper_n,
            basis=basis,
            basis_note=basis_note,
        )
        return run

    return register


def _check_basis(key: str, family: str | None, basis: str, note: str) -> None:
    if family is None:
        if basis or note:
            raise ValueError(f"experiment {key} counts nowhere, so it has no basis")
        return
    if basis not in BASES:
        raise ValueError(f"experiment {key}: basis must be one of {', '.join(BASES)}, got {basis!r}")
    if not note.strip():
        raise ValueError(f"experiment {key}: basis_note must say why the row is {basis}")


def pending(
    key: str,
    claim: str,
    source: str,
    reason: str,
    metric: str = "",
    expected: str = "",
    info: Callable[..., Estimate | None] | None = None,
) -> None:
    """Register an experiment whose mechanism is not in the model yet.

    ``info`` optionally measures the closest quantity the model has; it is shown in the
    report for transparency, but the verdict stays ``pending``."""
    ident = key.split(".")[0]
    family = "article" if ident[0] == "A" else "evidence"
    REGISTRY[key] = Experiment(
        key=key,
        id=ident,
        claim=claim,
        source=source,
        metric=metric or "not measured",
        expected={family: Expectation(expected or "-", lambda e: False)},
        family=family,
        runs_on=(family,),
        run=info,
        pending=reason,
    )


def experiments(only: list[str] | None = None) -> list[Experiment]:
    """Registered experiments in brief order, optionally only the given ids or keys."""
    from empathica.validation import experiments as _  # noqa: F401  (fills the registry)

    position = {key: i for i, key in enumerate(REGISTRY)}
    chosen = sorted(REGISTRY.values(), key=lambda e: (_order(e.key), position[e.key]))
    if only:
        wanted = {o.strip() for o in only}
        chosen = [e for e in chosen if e.id in wanted or e.key in wanted]
    return chosen


def known_ids() -> set[str]:
    return {e.id for e in experiments()} | {e.key for e in experiments()}


# Machine checks -------------------------------------------------------------------------


def above(threshold: float) -> Check:
    """Value above threshold and the interval excludes no effect (its low end above 0)."""
    return lambda e: e.value > threshold and e.ci_low > 0


def below(threshold: float) -> Check:
    return lambda e: e.value < threshold and e.ci_high < 0


def within(low: float, high: float) -> Check:
    """Point estimate inside a tolerance band around the published value."""
    return lambda e: low <= e.value <= high


def near_zero(tolerance: float) -> Check:
    return lambda e: abs(e.value) < tolerance
