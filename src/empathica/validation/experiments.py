"""The virtual experiments: every claim (A1-A19) and finding (L1-L11) with a number and a verdict.

Each function measures one property on one profile family (``run(lab, family)``)
and returns an ``Estimate`` (value, 95% interval, details); it returns ``None``
where the family has no group for it (n/a). docs/validation.md explains every
operationalisation.

Sign conventions: a group difference is Hedges g of (focal group - control), so a
deficit is negative; "bpd" and "npd" are roles (lab.ROLES), i.e. ``bpd``/``npd``
in the article family and ``bpd_evidence``/``npd_grandiose`` in the evidence family.
"""

from __future__ import annotations

import numpy as np

from empathica.lab import tasks
from empathica.lab.cohorts import Lab, roles
from empathica.lab.stats import (
    Z95,
    Estimate,
    bootstrap,
    correlation,
    hedges_g,
    mean_ci,
    mean_diff,
    paired_d,
    proportion,
    replication_rate,
    replication_rate_paired,
    replication_rate_proportions,
)
from empathica.model import contagion
from empathica.model.params import ModelParams
from empathica.validation.registry import above, below, experiment, near_zero, pending, within

ARTICLE = "article"
BPD_SECTION = "article: The Emotional Foundations of Empathy in BPD"
NPD_VARIABILITY = "article: Variability of Empathic Abilities in Narcissistic Personalities"
CONDITIONAL = "article: Conditional Empathy and Manipulation"
SELF_IMAGE = "article: Self-Image Preservation Strategies; Self-Image & Empathy"
STABILITY = "article: Relationship Stability Factors"
RECOGNIZING = "article: Recognizing Genuine Care Versus Strategic Empathy"
RITTER = "Ritter et al. 2011, Psychiatry Research 187:241"
BLUNDEN = "Blunden et al. 2024, J Affect Disord 367:462"
BORA = "Bora 2021, Psychol Med 51:2541"
DZIOBEK = "Dziobek et al. 2011, NeuroImage 57:539"
HEPPER = "Hepper, Hart & Sedikides 2014, PSPB 40:1079"
FRONTIERS_2024 = "Frontiers in Psychology 2024, doi 10.3389/fpsyg.2024.1350133"
JRP_2022 = "meta-analysis of narcissism facets and empathy, J Res Pers 2022"
BOUCHARD = (
    "Bouchard et al. 2009, J Marital Fam Ther 35:446; Navarro-Gomez et al. 2017, Psychopathology 50:175"
)
FOXHALL = "Foxhall et al. 2019 (meta-analysis)"
ATTACHMENT = (
    "Agrawal et al. 2004, Harv Rev Psychiatry 12:94; Frontiers in Psychology 2021, "
    "doi 10.3389/fpsyg.2021.679168"
)
GOTTMAN = "Gottman, Murray, Swanson, Tyson & Swanson 2002; Gottman, Swanson & Murray 1999, J Fam Psychol 13:3"


def _with_ci_difference(a: Estimate, b: Estimate, detail: str = "") -> Estimate:
    """a - b for two independent estimates (interval from their standard errors)."""
    se = np.hypot((a.ci_high - a.ci_low) / (2 * Z95), (b.ci_high - b.ci_low) / (2 * Z95))
    d = a.value - b.value
    return Estimate(d, d - Z95 * se, d + Z95 * se, detail)


def _g(lab: Lab, family: str, role: str, task: str, score: str | None = None, paper=None, expect=None):
    """Hedges g of a battery score, role vs control; with the replication rate at the paper's N."""
    x, y = lab.task(family, role, task), lab.task(family, "control", task)
    if x is None:
        return None
    if score is not None:
        x, y = x[score], y[score]
    est = hedges_g(x, y)
    if paper is not None:
        rate = replication_rate(x, y, paper[0], paper[1], expect, lab.rng("replicate", task, score, family))
        est = Estimate(est.value, est.ci_low, est.ci_high, est.detail, rate)
    return est


def _ahead(est: Estimate, text: str) -> Estimate:
    return Estimate(
        est.value,
        est.ci_low,
        est.ci_high,
        f"{text}; {est.detail}" if est.detail else text,
        est.replication,
        est.extra,
    )


# =====================================================================================
# A1-A2: BPD's emotional foundations
# =====================================================================================


@experiment(
    "A1.contagion",
    "BPD: heightened emotional empathy, strong contagion",
    BPD_SECTION,
    "MET-like task: arousal rise per photo (skin-conductance-like), g bpd vs control",
    "higher: g > 0.5",
    above(0.5),
)
def a1_contagion(lab: Lab, family: str):
    return _g(lab, family, "bpd", "met", "arousal_gain")


@experiment(
    "A1.emotional",
    "BPD: heightened emotional empathy (moved by others' feelings)",
    BPD_SECTION,
    "MET-like emotional score (how moved, concern), g bpd vs control",
    "heightened: g > 0.5",
    above(0.5),
)
def a1_emotional(lab: Lab, family: str):
    return _g(lab, family, "bpd", "met", "emotional")


@experiment(
    "A1.cognitive",
    "BPD: weaker cognitive empathy, misreads mental states",
    BPD_SECTION,
    "MET-like cognitive score (share of feelings identified), g bpd vs control",
    "lower: g < -0.2",
    below(-0.2),
)
def a1_cognitive(lab: Lab, family: str):
    return _g(lab, family, "bpd", "met", "cognitive")


@experiment(
    "A1.subtle",
    "BPD: picks up subtle emotional cues",
    BPD_SECTION,
    "faint cues of every need type, each after rest: share of valences read right, g bpd vs control",
    "at least as good as control: g > -0.2",
    lambda e: e.value > -0.2,
)
def a1_subtle(lab: Lab, family: str):
    return _g(lab, family, "bpd", "subtle")


@experiment(
    "A2.reactivity",
    "BPD: intense reactivity amplifies the misreading (empathic paradox)",
    BPD_SECTION,
    "MET-like cognitive g (bpd vs control) with arousal carried over minus the same photos each after rest",
    "the deficit grows with arousal: difference < -0.3",
    below(-0.3),
)
def a2_reactivity(lab: Lab, family: str):
    aroused = _g(lab, family, "bpd", "met", "cognitive")
    rest = _g(lab, family, "bpd", "met_rest", "cognitive")
    return _with_ci_difference(aroused, rest, f"g aroused {aroused.value:+.2f}, at rest {rest.value:+.2f}")


pending(
    "A2.mindfulness",
    "BPD: mindfulness practice raises awareness; neuroplasticity allows gradual change",
    BPD_SECTION,
    "needs slow trait change under practice (long-horizon mechanisms): regulation and mentalizing "
    "are fixed traits in the current model",
    "accuracy of a bpd group over months of practice",
    "rises slowly",
)


# =====================================================================================
# A3-A8: NPD's conditional empathy
# =====================================================================================


@experiment(
    "A3.cognitive",
    "NPD: cognitive empathy retained",
    "article: Variability of Empathic Abilities; Key takeaways",
    "MASC-like mental-state reasoning, g npd vs control",
    "retained: g > -0.5 and under a quarter of the affective deficit (A3.affective)",
    lambda e: e.value > -0.5 and abs(e.value) < abs(e.extra["affective"]) / 4,
)
def a3_cognitive(lab: Lab, family: str):
    est = _g(lab, family, "npd", "reasoning")
    met = _g(lab, family, "npd", "met", "cognitive")
    aff = _g(lab, family, "npd", "met", "emotional")
    detail = f"MET cognitive g {met.value:+.2f}; affective (MET emotional) g {aff.value:+.2f}; {est.detail}"
    return Estimate(est.value, est.ci_low, est.ci_high, detail, extra={"affective": aff.value})


@experiment(
    "A3.affective",
    "NPD: affective empathy reduced",
    "article: Variability of Empathic Abilities; Key takeaways",
    "MET-like emotional score (how moved), g npd vs control",
    "reduced: g < -0.2",
    below(-0.2),
)
def a3_affective(lab: Lab, family: str):
    est = _g(lab, family, "npd", "met", "emotional")
    gain = _g(lab, family, "npd", "met", "arousal_gain")
    return _ahead(est, f"contagion (arousal rise) g {gain.value:+.2f}")


def _conditional(lab: Lab, family: str, role: str, key: str, **conditions) -> dict[str, np.ndarray] | None:
    s = lab.sample(family, role, key)
    if s is None:
        return None
    return tasks.conditional_empathy(
        s, lab.rng(key, family, role, str(sorted(conditions.items()))), **conditions
    )


def _payoff_lift(lab: Lab, family: str, role: str, key: str) -> tuple[np.ndarray, np.ndarray] | None:
    """Per participant: response rate with audience and/or benefit minus with neither; and the latter."""
    s = lab.sample(family, role, key)
    if s is None:
        return None
    rate = {}
    for audience in (False, True):
        for benefit in (False, True):
            rng = lab.rng(key, family, role, audience, benefit)
            rate[audience, benefit] = tasks.conditional_empathy(s, rng, audience, benefit)["responded"]
    paid = (rate[True, False] + rate[False, True] + rate[True, True]) / 3
    return paid - rate[False, False], rate[False, False]


@experiment(
    "A4",
    "NPD: empathy is conditional: expressed when it brings admiration or gain, absent otherwise",
    CONDITIONAL,
    "conditional-empathy experiment (audience x benefit, 12 needs per cell): response-rate lift "
    "from a payoff, npd minus control",
    "lift difference > 0.2, and npd responds less than control without a payoff",
    lambda e: e.value > 0.2 and e.ci_low > 0 and e.extra.get("unpaid_difference", 0) < 0,
)
def a4_conditional(lab: Lab, family: str):
    npd, ctrl = _payoff_lift(lab, family, "npd", "A4"), _payoff_lift(lab, family, "control", "A4")
    if npd is None:
        return None
    est = mean_diff(npd[0], ctrl[0])
    unpaid = float(npd[1].mean() - ctrl[1].mean())
    detail = (
        f"lift npd {npd[0].mean():+.2f}, control {ctrl[0].mean():+.2f}; without payoff npd "
        f"{npd[1].mean():.2f} vs control {ctrl[1].mean():.2f}"
    )
    return Estimate(est.value, est.ci_low, est.ci_high, detail, extra={"unpaid_difference": unpaid})


@experiment(
    "A5",
    "NPD: empathy withdrawn when superiority is threatened; criticism met with defensiveness",
    "article: Conditional Empathy; Self-Image Preservation Strategies",
    "self-image-threat experiment (watched needs, with vs without criticism of the responder): "
    "drop in response rate, npd minus control",
    "drop difference > 0.15",
    above(0.15),
)
def a5_threat(lab: Lab, family: str):
    out = {}
    for role in ("npd", "control"):
        calm = _conditional(lab, family, role, "A5", audience=True, benefit=False)
        if calm is None:
            return None
        threat = _conditional(lab, family, role, "A5", audience=True, benefit=False, threat=True)
        setback = _conditional(
            lab, family, role, "A5", audience=True, benefit=False, threat=True, esteem_drop=0.2
        )
        out[role] = (calm["responded"] - threat["responded"], threat["defensive"], setback["defensive"])
    est = mean_diff(out["npd"][0], out["control"][0])
    detail = (
        f"drop npd {out['npd'][0].mean():.2f}, control {out['control'][0].mean():.2f}; defensive share under "
        f"criticism npd {out['npd'][1].mean():.2f} (after a setback {out['npd'][2].mean():.2f}), "
        f"control {out['control'][1].mean():.2f}"
    )
    return Estimate(est.value, est.ci_low, est.ci_high, detail)


@experiment(
    "A6",
    "NPD: self-esteem depends on external validation; seeks praise",
    SELF_IMAGE,
    "praise-deprivation experiment: self-esteem after 30 days with vs without daily praise, "
    "npd minus control",
    "difference > 0.05",
    above(0.05),
)
def a6_validation(lab: Lab, family: str):
    gaps = {}
    for role in ("npd", "control"):
        s = lab.sample(family, role, "A6")
        if s is None:
            return None
        r = tasks.praise_deprivation(s)
        gaps[role] = (r["praised"] - r["deprived"], r["deprived"] - r["set_point"])
    est = mean_diff(gaps["npd"][0], gaps["control"][0])
    detail = (
        f"praise gap npd {gaps['npd'][0].mean():.3f}, control {gaps['control'][0].mean():.3f}; "
        "without praise "
        f"npd ends {gaps['npd'][1].mean():+.3f} from its set point"
    )
    return Estimate(est.value, est.ci_low, est.ci_high, detail)


@experiment(
    "A7.accuracy",
    "NPD: lower empathic accuracy for physical and social pain",
    NPD_VARIABILITY,
    "empathic-accuracy task (3 physical + 3 social pain videos): g npd vs control, the larger "
    "(less negative) of the two pain types",
    "both lower: g < 0",
    below(0.0),
)
def a7_accuracy(lab: Lab, family: str):
    phys = _g(lab, family, "npd", "accuracy", "accuracy_physical")
    if phys is None:
        return None
    soc = _g(lab, family, "npd", "accuracy", "accuracy_social")
    worst = max(phys, soc, key=lambda e: e.value)
    return Estimate(
        worst.value, worst.ci_low, worst.ci_high, f"physical g {phys.value:+.2f}, social g {soc.value:+.2f}"
    )


@experiment(
    "A7.social",
    "NPD: more accurate for social than for physical pain",
    NPD_VARIABILITY,
    "empathic-accuracy task: within npd, d of (social - physical) accuracy",
    "social better: d > 0",
    above(0.0),
)
def a7_social(lab: Lab, family: str):
    a = lab.task(family, "npd", "accuracy")
    if a is None:
        return None
    return paired_d(a["accuracy_social"] - a["accuracy_physical"])


@experiment(
    "A7.selfother",
    "NPD: sharp self-other distinction",
    NPD_VARIABILITY,
    "empathic-accuracy task: rating of the other's pain minus of one's own feeling, g npd vs control",
    "sharp: g > 0.5",
    above(0.5),
)
def a7_selfother(lab: Lab, family: str):
    return _g(lab, family, "npd", "accuracy", "self_other_gap")


def _prompt_effect(lab: Lab, family: str, role: str, key: str, need: int) -> Estimate | None:
    """Between subjects: state empathy with vs without a perspective-taking instruction (g)."""
    a, b = lab.sample(family, role, key + "pt"), lab.sample(family, role, key + "no")
    if a is None:
        return None
    with_pt = tasks.state_empathy(a, lab.rng(key, family, role, need, 1), True, need)
    without = tasks.state_empathy(b, lab.rng(key, family, role, need, 0), False, need)
    return hedges_g(with_pt, without)


@experiment(
    "A8.prompt",
    "NPD: a perspective-taking prompt increases the empathic response",
    NPD_VARIABILITY,
    "perspective-taking instruction experiment (social need, between subjects): prompt effect g, "
    "npd minus control",
    "larger in npd: difference > 0.2",
    above(0.2),
)
def a8_prompt(lab: Lab, family: str):
    npd = _prompt_effect(lab, family, "npd", "A8", tasks.SOCIAL)
    if npd is None:
        return None
    ctrl = _prompt_effect(lab, family, "control", "A8", tasks.SOCIAL)
    return _with_ci_difference(npd, ctrl, f"prompt g npd {npd.value:+.2f}, control {ctrl.value:+.2f}")


@experiment(
    "A8.social",
    "NPD: the prompt works especially in social contexts",
    NPD_VARIABILITY,
    "prompt effect g in npd for a social need minus for physical pain",
    "larger for social: difference > 0",
    above(0.0),
)
def a8_social(lab: Lab, family: str):
    soc = _prompt_effect(lab, family, "npd", "A8", tasks.SOCIAL)
    if soc is None:
        return None
    phys = _prompt_effect(lab, family, "npd", "A8", tasks.PHYSICAL)
    return _with_ci_difference(soc, phys, f"prompt g social {soc.value:+.2f}, physical {phys.value:+.2f}")


@experiment(
    "A8.benefit",
    "NPD: empathy rises when personal benefit or recognition is perceived",
    NPD_VARIABILITY,
    "conditional-empathy experiment: npd response rate with a benefit minus without (same people)",
    "rises: > 0.2",
    above(0.2),
)
def a8_benefit(lab: Lab, family: str):
    s = lab.sample(family, "npd", "A8.benefit")
    if s is None:
        return None
    gain = tasks.conditional_empathy(s, lab.rng("A8b", family, 1), False, True)["responded"]
    none = tasks.conditional_empathy(s, lab.rng("A8b", family, 0), False, False)["responded"]
    return mean_diff(gain, none)


# =====================================================================================
# A9-A14: relationships (simulated cohorts)
# =====================================================================================


def _per_actor_rate(episodes, column: str, mask=None) -> np.ndarray:
    e = episodes if mask is None else episodes[mask]
    e = e[e[column].notna()]
    return e.groupby("actor")[column].mean().astype(float).to_numpy()


@experiment(
    "A9.follow",
    "Strategic empathy: lower follow-through",
    CONDITIONAL,
    "relationship cohort (2 years): share of promises kept per responder, npd minus control",
    "lower: difference < -0.10",
    below(-0.10),
)
def a9_follow(lab: Lab, family: str):
    c = lab.cohort(family)
    npd = _per_actor_rate(c.actor_episodes("npd"), "followed_through")
    ctrl = _per_actor_rate(c.actor_episodes("control"), "followed_through")
    return mean_diff(npd, ctrl)


@experiment(
    "A9.partner",
    "Strategic empathy leaves partners confused and exhausted",
    CONDITIONAL,
    "relationship cohort: partner's mean trust in npd:control dyads minus control:control",
    "lower trust: difference < -0.03",
    below(-0.03),
)
def a9_partner(lab: Lab, family: str):
    d = lab.cohort(family).dyads()
    c = lab.cohort(family)
    npd, ctrl = d[c.pair_mask("npd")], d[c.pair_mask("control")]
    est = mean_diff(npd["trust"], ctrl["trust"])
    sat = npd["satisfaction"].mean() - ctrl["satisfaction"].mean()
    return _ahead(est, f"satisfaction difference {sat:+.2f}")


@experiment(
    "A10.misunderstanding",
    "Unregulated intense emotion creates misunderstanding",
    "article: How Internal Emotional States Shape Relationship Dynamics",
    "bpd:control cohort vs the same with the bpd partner's regulation raised to the control's: "
    "bpd responders' mean perception error, g dysregulated vs regulated",
    "more misreading: g > 0.2",
    above(0.2),
)
def a10_misunderstanding(lab: Lab, family: str):
    base, regulated = _regulation_pair(lab, family)
    err = {}
    for name, c in (("base", base), ("regulated", regulated)):
        e = c.actor_episodes("bpd")
        e = e.assign(err=(e["true_perceived_feeling"] - e["true_target_feeling"]).abs())
        err[name] = e.groupby("actor")["err"].mean().to_numpy()
    return hedges_g(err["base"], err["regulated"])


def _regulation_pair(lab: Lab, family: str):
    r = roles(family)
    ctrl_reg = lab.profile(family, "control").traits["emotion_regulation"].value
    base = lab.cohort(family, "one-year")
    regulated = lab.cohort(family, "regulated", overrides={r["bpd"]: {"emotion_regulation": ctrl_reg}})
    return base, regulated


@experiment(
    "A10.conflict",
    "Unregulated intense emotion creates conflict",
    "article: How Internal Emotional States Shape Relationship Dynamics",
    "same two cohorts: protests per dyad-year in bpd:control dyads, dysregulated minus regulated",
    "more conflict: difference > 0",
    above(0.0),
)
def a10_conflict(lab: Lab, family: str):
    base, regulated = _regulation_pair(lab, family)
    counts = {}
    for name, c in (("base", base), ("regulated", regulated)):
        e = c.episodes
        mask = c.pair_mask("bpd")
        ids = c.dyads()["dyad"].to_numpy()[mask]
        per = e[e["dyad"].isin(ids)].groupby("dyad")["true_protest"].sum()
        counts[name] = per.reindex(ids, fill_value=0).to_numpy(float) * 365 / c.days
    return mean_diff(counts["base"], counts["regulated"])


def _lag_regression(w: np.ndarray, h: np.ndarray, ok: np.ndarray) -> np.ndarray:
    """Per row: OLS of w(t+1) on [1, w(t), h(t)] over the days where ``ok``; returns (n, 3)."""
    y, x1, x2 = w[:, 1:], w[:, :-1], h[:, :-1]
    m = (ok[:, 1:] & ok[:, :-1]).astype(float)
    cols = [np.ones_like(x1), x1, x2]
    xtx = np.einsum("nt,int,jnt->nij", m, np.array(cols), np.array(cols))
    xty = np.einsum("nt,int,nt->ni", m, np.array(cols), y)
    xtx += 1e-9 * np.eye(3)
    return np.linalg.solve(xtx, xty[..., None])[..., 0]


@experiment(
    "A10.partners",
    "Partners shape each other's emotional experience",
    "article: How Internal Emotional States Shape Relationship Dynamics",
    "relationship cohort: per-dyad regression of affect(t+1) on own and partner's affect(t); "
    "mean partner coefficient",
    "partners influence each other: coefficient > 0",
    above(0.0),
)
def a10_partners(lab: Lab, family: str):
    c = lab.cohort(family)
    w, h, tog = c.series("affect_a"), c.series("affect_b"), c.series("together")
    enough = np.tile(tog.sum(axis=1) >= 60, 2)  # dyads together for at least two months
    coef = np.concatenate([_lag_regression(w, h, tog)[:, 2], _lag_regression(h, w, tog)[:, 2]])
    return mean_ci(coef[enough & np.isfinite(coef)])


@experiment(
    "A10.validation",
    "Validation matters: met needs make a better relationship",
    "article: How Internal Emotional States Shape Relationship Dynamics",
    "relationship cohort: correlation across dyads (within pairings) of the share of needs met with "
    "mean satisfaction",
    "positive: r > 0.2",
    above(0.2),
)
def a10_validation(lab: Lab, family: str):
    c = lab.cohort(family)
    met = c.episodes.groupby("dyad")["responded"].mean()
    d = c.dyads().set_index("dyad")
    d = d.assign(met=met.reindex(d.index)).dropna(subset=["met"])
    centred = d[["met", "satisfaction"]] - d.groupby("pair")[["met", "satisfaction"]].transform("mean")
    return correlation(centred["met"].to_numpy(float), centred["satisfaction"].to_numpy(float))


@experiment(
    "A11.reactive",
    "BPD care is reactive, driven by attachment need (fear, longing)",
    "article: Emotional Roots Drive Care",
    "conditional-empathy experiment with everyday small needs (intensity 0.05-0.3), after an arousal "
    "induction (halfway to maximal arousal) vs calm: change in response rate, bpd minus control",
    "more reactive: difference > 0.05",
    above(0.05),
)
def a11_reactive(lab: Lab, family: str):
    change = {}
    for role in ("bpd", "control"):
        s = lab.sample(family, role, "A11")
        small = (0.05, 0.3)
        calm = tasks.conditional_empathy(s, lab.rng("A11", family, role, 0), False, False, intensity=small)
        aroused = tasks.conditional_empathy(
            s, lab.rng("A11", family, role, 1), False, False, arousal_boost=0.5, intensity=small
        )
        calm, aroused = calm["responded"], aroused["responded"]
        change[role] = aroused - calm
    return mean_diff(change["bpd"], change["control"])


@experiment(
    "A11.unpredictable",
    "BPD care is unpredictable",
    "article: Emotional Roots Drive Care",
    "relationship cohort: per responder, SD of the accuracy of their responses across episodes, "
    "g bpd vs control",
    "highly unpredictable: g > 0.5",
    above(0.5),
)
def a11_unpredictable(lab: Lab, family: str):
    c = lab.cohort(family)
    sd = {}
    for role in ("bpd", "control"):
        e = c.actor_episodes(role)
        e = e[e["responded"]]
        sd[role] = e.groupby("actor")["accuracy"].std().dropna().to_numpy()
    return hedges_g(sd["bpd"], sd["control"])


@experiment(
    "A11.npd",
    "NPD care is superficial, rooted in self-interest",
    "article: Emotional Roots Drive Care",
    "relationship cohort: share of npd responses whose motive is strategic (ground truth)",
    "mostly self-interested: > 0.5",
    lambda e: e.value > 0.5 and e.ci_low > 0.5,
)
def a11_npd(lab: Lab, family: str):
    c = lab.cohort(family)
    e = c.actor_episodes("npd")
    e = e[e["responded"]]
    strategic = (e["true_motive"] == "strategic").to_numpy()
    ctrl = c.actor_episodes("control")
    ctrl = ctrl[ctrl["responded"]]
    est = proportion(int(strategic.sum()), len(strategic))
    return _ahead(est, f"control {float((ctrl['true_motive'] == 'strategic').mean()):.2f}")


def _esteem(c, role: str) -> np.ndarray:
    """(n_dyads, days) self-esteem of the ``role`` partner (side a of role:control dyads)."""
    return c.series("self_esteem_a")[c.pair_mask(role)]


@experiment(
    "A12.bpd",
    "BPD self-esteem fluctuates with feedback",
    SELF_IMAGE,
    "relationship cohort: mean day-to-day change of self-esteem, g bpd vs control",
    "fluctuates more: g > 0.5",
    above(0.5),
)
def a12_bpd(lab: Lab, family: str):
    c = lab.cohort(family)
    swing = {r: np.abs(np.diff(_esteem(c, r), axis=1)).mean(axis=1) for r in ("bpd", "control")}
    return hedges_g(swing["bpd"], swing["control"])


@experiment(
    "A12.npd",
    "NPD self-image stable but inflated",
    SELF_IMAGE,
    "relationship cohort: mean self-esteem, g npd vs control (inflated); detail: day-to-day change vs bpd",
    "inflated: g > 0.2, and steadier than bpd",
    lambda e: e.value > 0.2 and e.ci_low > 0 and e.extra.get("swing_vs_bpd", 1) < 0,
)
def a12_npd(lab: Lab, family: str):
    c = lab.cohort(family)
    level = {r: _esteem(c, r).mean(axis=1) for r in ("npd", "control")}
    swing = {r: np.abs(np.diff(_esteem(c, r), axis=1)).mean(axis=1) for r in ("npd", "bpd")}
    est = hedges_g(level["npd"], level["control"])
    sw = float(swing["npd"].mean() - swing["bpd"].mean())
    return Estimate(
        est.value,
        est.ci_low,
        est.ci_high,
        f"{est.detail}; swing npd - bpd {sw:+.4f}",
        extra={"swing_vs_bpd": sw},
    )


@experiment(
    "A12.expression",
    "BPD emotions openly expressed; NPD vulnerability suppressed, emotions outwardly controlled",
    SELF_IMAGE,
    "share of a felt need that shows in the expressed cue (contagion.expressed_cue), npd minus bpd",
    "npd shows less: difference < -0.1",
    below(-0.1),
)
def a12_expression(lab: Lab, family: str):
    m = ModelParams().contagion
    shown = {}
    for role in ("npd", "bpd"):
        s = lab.battery(family, role)
        shown[role] = contagion.expressed_cue(np.ones(s.n), s.expressive_suppression, m)
    return mean_diff(shown["npd"], shown["bpd"])


@experiment(
    "A13.bpd",
    "BPD: fear of abandonment -> frequent breakups and reconciliations",
    STABILITY,
    "relationship cohort (2 years): share of dyads with at least 2 breakup-reconciliation cycles, "
    "bpd:control minus control:control",
    "more cycling: difference > 0.3",
    above(0.3),
)
def a13_bpd(lab: Lab, family: str):
    c = lab.cohort(family)
    d = c.dyads()
    cyc = {r: (d[c.pair_mask(r)]["reconciliations"] >= 2).to_numpy(float) for r in ("bpd", "control")}
    br = {r: d[c.pair_mask(r)]["breakups"].mean() for r in ("bpd", "control")}
    return _ahead(
        mean_diff(cyc["bpd"], cyc["control"]), f"breakups per dyad {br['bpd']:.2f} vs {br['control']:.2f}"
    )


@experiment(
    "A13.npd",
    "NPD: avoidant distancing and withdrawal -> reduced resilience",
    STABILITY,
    "relationship cohort: share of breakups followed by a reconciliation, npd:control minus "
    "control:control; detail: episodes per together-day",
    "less resilient: difference < 0",
    below(0.0),
)
def a13_npd(lab: Lab, family: str):
    c = lab.cohort(family)
    d = c.dyads()
    rng = lab.rng("A13", family)

    def share(counts):  # rows: (reconciliations, breakups) per dyad
        return counts[:, 0].sum() / max(counts[:, 1].sum(), 1)

    npd, ctrl = d[c.pair_mask("npd")], d[c.pair_mask("control")]
    cn, cc = (f[["reconciliations", "breakups"]].to_numpy(float) for f in (npd, ctrl))
    value = share(cn) - share(cc)
    lo, hi = bootstrap(lambda a, b: share(a) - share(b), (cn, cc), rng, reps=300)
    rate = {}
    for role, frame in (("npd", npd), ("control", ctrl)):
        n_ep = c.episodes[c.episodes["dyad"].isin(frame["dyad"])].shape[0]
        rate[role] = n_ep / frame["together_days"].sum()
    detail = (
        f"reconciled share npd {share(cn):.2f}, control {share(cc):.2f}; episodes per together-day "
        f"{rate['npd']:.2f} vs {rate['control']:.2f}"
    )
    return Estimate(value, lo, hi, detail)


def _motive_rates(lab: Lab, family: str, column: str) -> Estimate:
    """Unwatched episodes of the whole cohort: rate of ``column`` for genuine minus strategic motives."""
    e = lab.cohort(family).episodes
    e = e[~e["audience"] & e[column].notna()]
    rates = {}
    for motive in ("genuine", "strategic"):
        sub = e[e["true_motive"] == motive]
        rates[motive] = sub.groupby("actor")[column].mean().astype(float).to_numpy()
    return mean_diff(rates["genuine"], rates["strategic"])


@experiment(
    "A14.follow",
    "Genuine care follows through; strategic empathy lacks follow-through",
    RECOGNIZING,
    "relationship cohort, unwatched promises: share kept per responder, genuine minus strategic motive",
    "difference > 0.3",
    above(0.3),
)
def a14_follow(lab: Lab, family: str):
    return _motive_rates(lab, family, "followed_through")


@experiment(
    "A14.boundary",
    "Genuine care respects boundaries even when unobserved",
    RECOGNIZING,
    "relationship cohort, unwatched boundary requests: share respected per responder, genuine "
    "minus strategic",
    "difference > 0.05",
    above(0.05),
)
def a14_boundary(lab: Lab, family: str):
    return _motive_rates(lab, family, "boundary_respected")


_LONG = "a long-horizon mechanism, not in the model yet"
pending(
    "A15",
    "Therapy improves empathy slowly; in NPD cognitive before affective",
    "article: Therapeutic Strategies; FAQ",
    "needs slow, therapy-driven change of traits over months (cognitive faster than affective): " + _LONG,
)
pending(
    "A16",
    "Childhood: neglect, abuse, unstable care -> BPD-like sensitivity; overvaluation -> grandiosity",
    "article: FAQ",
    "needs developmental histories that shape the traits: " + _LONG,
)
pending(
    "A17",
    "Culture: collectivist norms buffer deficits; individualist norms reinforce narcissistic traits",
    "article: FAQ",
    "needs cultural norms acting on context rates and trait development: " + _LONG,
)
pending(
    "A18",
    "Biology: oxytocin in BPD, dopamine in NPD",
    "article: FAQ",
    "needs neurobiological modulators of the mechanisms: " + _LONG,
)
pending(
    "A19",
    "Loved ones' strategies (validation, boundaries, calm, no confrontation) reduce strain on both",
    "article: FAQ",
    "needs partner strategies as a policy of one partner (who voices criticism, consistent support); "
    "context rates apply to both partners alike today: " + _LONG,
)


# =====================================================================================
# L1-L4: empathy and mentalizing in the lab
# =====================================================================================


@experiment(
    "L1.emotional",
    "NPD vs controls: emotional empathy (MET) lower",
    RITTER,
    "MET-like emotional score, g npd vs control",
    "lower: g < -0.3",
    below(-0.3),
    paper_n="47 vs 53",
)
def l1_emotional(lab: Lab, family: str):
    return _g(lab, family, "npd", "met", "emotional", (47, 53), "less")


@experiment(
    "L1.cognitive",
    "NPD vs controls: cognitive empathy (MET) not different",
    RITTER,
    "MET-like cognitive score, g npd vs control",
    "not different: |g| < 0.2",
    near_zero(0.2),
    paper_n="47 vs 53",
)
def l1_cognitive(lab: Lab, family: str):
    return _g(lab, family, "npd", "met", "cognitive", (47, 53), "null")


@experiment(
    "L1.masc",
    "NPD vs controls: cognitive empathy (MASC) not different",
    RITTER,
    "MASC-like reasoning score, g npd vs control",
    "not different: |g| < 0.2",
    near_zero(0.2),
    paper_n="47 vs 53",
)
def l1_masc(lab: Lab, family: str):
    return _g(lab, family, "npd", "reasoning", None, (47, 53), "null")


@experiment(
    "L2.contagion",
    "BPD vs controls: emotional contagion much higher (g about 1.10)",
    BLUNDEN,
    "IRI-like personal distress (reliability 0.75), g bpd vs control",
    "g in [0.8, 1.4] (published 1.10)",
    within(0.8, 1.4),
)
def l2_contagion(lab: Lab, family: str):
    return _g(lab, family, "bpd", "self_report", "personal_distress")


@experiment(
    "L2.concern",
    "BPD vs controls: empathic concern not different (g about 0.06)",
    BLUNDEN,
    "IRI-like empathic concern, g bpd vs control",
    "|g| < 0.3 (published 0.06)",
    near_zero(0.3),
)
def l2_concern(lab: Lab, family: str):
    return _g(lab, family, "bpd", "self_report", "empathic_concern")


@experiment(
    "L3.overall",
    "BPD theory of mind: overall deficit d about 0.36",
    BORA,
    "mean of standardised decoding and reasoning scores, g bpd vs control (deficit negative)",
    "g in [-0.55, -0.2] (published -0.36)",
    within(-0.55, -0.2),
)
def l3_overall(lab: Lab, family: str):
    dec, rea = lab.task(family, "bpd", "decoding"), lab.task(family, "bpd", "reasoning")
    if dec is None:
        return None
    cdec, crea = lab.task(family, "control", "decoding"), lab.task(family, "control", "reasoning")

    def z(x, ref):
        return (x - ref.mean()) / ref.std()

    return hedges_g(z(dec, cdec) + z(rea, crea), z(cdec, cdec) + z(crea, crea))


@experiment(
    "L3.reasoning",
    "BPD theory of mind: reasoning deficit d about 0.44",
    BORA,
    "MASC-like mental-state reasoning, g bpd vs control",
    "g in [-0.65, -0.25] (published -0.44)",
    within(-0.65, -0.25),
)
def l3_reasoning(lab: Lab, family: str):
    return _g(lab, family, "bpd", "reasoning")


@experiment(
    "L3.decoding",
    "BPD theory of mind: no deficit in decoding emotions",
    BORA,
    "eyes-test-like emotion decoding, g bpd vs control",
    "no deficit: |g| < 0.2",
    near_zero(0.2),
)
def l3_decoding(lab: Lab, family: str):
    return _g(lab, family, "bpd", "decoding")


def _rf_closest(lab: Lab, family: str) -> Estimate:
    c = lab.cohort(family)
    acc = {}
    for role in ("bpd", "control"):
        e = c.actor_episodes(role)
        e = e.assign(err=(e["true_perceived_feeling"] - e["true_target_feeling"]).abs())
        acc[role] = -e.groupby("actor")["err"].mean().to_numpy()
    return hedges_g(acc["bpd"], acc["control"])


pending(
    "L3.rf",
    "BPD: reflective functioning deficit d about 1.68",
    BORA,
    "reflective functioning is mentalizing about self and others in attachment narratives; the model "
    "has no self-mentalizing and no attachment-specific collapse of mentalizing: its one mechanism "
    "(arousal breakdown) acts alike in the lab and in relationships, so lab deficits of d about 0.4 "
    "come with a deficit of about 0.5 in reading one's partner (closest measure in this row)",
    "accuracy of reading the partner in the simulated relationship, g bpd vs control",
    "g about -1.68",
    info=_rf_closest,
)


@experiment(
    "L4.cognitive",
    "BPD: impaired cognitive empathy on the MET",
    DZIOBEK,
    "MET-like cognitive score, g bpd vs control",
    "lower: g < -0.3",
    below(-0.3),
)
def l4_cognitive(lab: Lab, family: str):
    return _g(lab, family, "bpd", "met", "cognitive")


@experiment(
    "L4.insula",
    "BPD: hyper-response during emotional empathy (insula)",
    DZIOBEK,
    "MET-like task: interoceptive response (arousal rise per photo), g bpd vs control",
    "hyper-response: g > 0.5",
    above(0.5),
)
def l4_insula(lab: Lab, family: str):
    return _g(lab, family, "bpd", "met", "arousal_gain")


@experiment(
    "L4.scr",
    "BPD: the hyper-response tracks skin conductance",
    DZIOBEK,
    "within bpd: r of the arousal rise with the skin-conductance-like arousal level",
    "positive: r > 0.2 (near-definitional in the model: one arousal variable)",
    above(0.2),
)
def l4_scr(lab: Lab, family: str):
    m = lab.task(family, "bpd", "met")
    return correlation(m["arousal_gain"], m["scr"])


# =====================================================================================
# L5-L7: narcissism in the general population
# =====================================================================================


#: General-population size of the perspective-taking experiment: its subgroup effects
#: (thirds x two conditions) need a large sample to be stable across seeds.
L5_N = 60000


def _narcissism_groups(lab: Lab, family: str, label: str):
    """(sample, narcissism score) of a general population; the article family has none, so it
    uses its npd and control groups with the group as the score."""
    if family == "evidence":
        s, facets = lab.narcissism_population(label, n=L5_N)
        return s, facets["antagonism"], facets
    npd, ctrl = lab.sample(family, "npd", label), lab.sample(family, "control", label)
    s = tasks.Sample.concat([npd, ctrl])
    score = np.r_[np.ones(npd.n), np.zeros(ctrl.n)]
    return s, score, None


def _l5_data(lab: Lab, family: str):
    key = ("L5", family)
    if key not in lab._cache:
        s, score, _ = _narcissism_groups(lab, family, "L5")
        rng = lab.rng("L5", family)
        pt = rng.random(s.n) < 0.5
        emp = np.where(
            pt,
            tasks.state_empathy(s, lab.rng("L5pt", family), True),
            tasks.state_empathy(s, lab.rng("L5c", family), False),
        )
        lab._cache[key] = (score, pt, emp)
    return lab._cache[key]


@experiment(
    "L5.control",
    "Maladaptive narcissism goes with less empathy (without instructions)",
    HEPPER,
    "vignette, no instruction: r of narcissism (entitlement/exploitativeness) with state empathy",
    "negative: r < -0.15",
    below(-0.15),
)
def l5_control(lab: Lab, family: str):
    score, pt, emp = _l5_data(lab, family)
    return correlation(score[~pt], emp[~pt])


@experiment(
    "L5.prompt",
    "Perspective-taking instructions remove the negative link",
    HEPPER,
    "vignette: r of narcissism with state empathy under a perspective-taking instruction, as a share "
    "of the r without it (interval from the instructed r's Fisher-z interval)",
    "link removed: at most half of it left, share < 0.5",
    lambda e: e.value < 0.5,
)
def l5_prompt(lab: Lab, family: str):
    # The stricter reading "r > -0.10 with the instruction" is reported in the detail: the model
    # brings r from about -0.23 to about -0.10, at that boundary (see docs/validation.md).
    score, pt, emp = _l5_data(lab, family)
    with_pt = correlation(score[pt], emp[pt])
    without = correlation(score[~pt], emp[~pt])
    share = with_pt.value / without.value
    lo, hi = sorted((with_pt.ci_low / without.value, with_pt.ci_high / without.value))
    detail = f"r {with_pt.value:+.3f} with the instruction, {without.value:+.3f} without"
    return Estimate(share, lo, hi, detail)


def _l5_effect(lab: Lab, family: str, high: bool) -> Estimate:
    score, pt, emp = _l5_data(lab, family)
    if family == "evidence":
        cut = np.quantile(score, [1 / 3, 2 / 3])
        group = score >= cut[1] if high else score <= cut[0]
    else:
        group = score == (1.0 if high else 0.0)
    return hedges_g(emp[group & pt], emp[group & ~pt])


@experiment(
    "L5.low",
    "No effect of the instruction in low narcissists",
    HEPPER,
    "prompt effect g among low narcissists (bottom third; article family: control group)",
    "no effect: |g| < 0.2",
    near_zero(0.2),
)
def l5_low(lab: Lab, family: str):
    return _l5_effect(lab, family, high=False)


@experiment(
    "L5.high",
    "The instruction raises empathy in high narcissists",
    HEPPER,
    "prompt effect g among high narcissists (top third; article family: npd group)",
    "raises: g > 0.2",
    above(0.2),
)
def l5_high(lab: Lab, family: str):
    return _l5_effect(lab, family, high=True)


L6_N, L6_HIGH, L6_LOW = 611, 44, 43


def _l6_data(lab: Lab, family: str):
    """High vs low narcissism groups (top 44 / bottom 43 of 611, as in the paper) and their
    empathic-accuracy scores; the article family uses its npd and control groups."""
    key = ("L6", family)
    if key not in lab._cache:
        if family == "evidence":
            s, facets = lab.narcissism_population("L6")
            score = facets["antagonism"]
            ea = tasks.empathic_accuracy(s, lab.rng("L6", family))
            order = np.argsort(score)
            k_hi, k_lo = round(len(score) * L6_HIGH / L6_N), round(len(score) * L6_LOW / L6_N)
            hi, lo = order[-k_hi:], order[:k_lo]
        else:
            npd, ctrl = lab.sample(family, "npd", "L6"), lab.sample(family, "control", "L6")
            s = tasks.Sample.concat([npd, ctrl])
            score = np.r_[np.ones(npd.n), np.zeros(ctrl.n)]
            ea = tasks.empathic_accuracy(s, lab.rng("L6", family))
            hi, lo = np.arange(npd.n), npd.n + np.arange(ctrl.n)
        lab._cache[key] = (score, ea, hi, lo)
    return lab._cache[key]


def _l6_replication(lab: Lab, family: str, stat, reps: int = 400) -> float | None:
    """Share of studies (611 students, top 44 vs bottom 43) finding ``stat`` significant."""
    if family != "evidence":
        return None
    score, ea, _, _ = _l6_data(lab, family)
    rng = lab.rng("L6rep", family)
    hits = 0
    for _ in range(reps):
        pick = rng.integers(0, len(score), L6_N)
        order = pick[np.argsort(score[pick])]
        hits += stat(ea, order[-L6_HIGH:], order[:L6_LOW])
    return hits / reps


def _sig_less(x: np.ndarray, y: np.ndarray) -> bool:
    from scipy import stats as sps

    t, p = sps.ttest_ind(x, y, equal_var=False)
    return bool(p < 0.05 and t < 0)


@experiment(
    "L6.affective",
    "High narcissism: lower affective empathy",
    FRONTIERS_2024,
    "empathic-accuracy videos: own emotional response, g high vs low narcissism group",
    "lower: g < -0.2",
    below(-0.2),
    paper_n="44 vs 43 (of 611)",
)
def l6_affective(lab: Lab, family: str):
    _, ea, hi, lo = _l6_data(lab, family)
    est = hedges_g(ea["affective"][hi], ea["affective"][lo])
    rate = _l6_replication(lab, family, lambda a, h, lw: _sig_less(a["affective"][h], a["affective"][lw]))
    return Estimate(est.value, est.ci_low, est.ci_high, est.detail, rate)


@experiment(
    "L6.accuracy",
    "High narcissism: lower empathic accuracy for both physical and social pain",
    FRONTIERS_2024,
    "empathic accuracy, g high vs low narcissism, the larger (less negative) of the two pain types",
    "both lower: g < 0",
    below(0.0),
    paper_n="44 vs 43 (of 611)",
)
def l6_accuracy(lab: Lab, family: str):
    _, ea, hi, lo = _l6_data(lab, family)
    phys = hedges_g(ea["accuracy_physical"][hi], ea["accuracy_physical"][lo])
    soc = hedges_g(ea["accuracy_social"][hi], ea["accuracy_social"][lo])
    worst = max(phys, soc, key=lambda e: e.value)

    def both(a, h, lw):
        return _sig_less(a["accuracy_physical"][h], a["accuracy_physical"][lw]) and _sig_less(
            a["accuracy_social"][h], a["accuracy_social"][lw]
        )

    rate = _l6_replication(lab, family, both)
    detail = f"physical g {phys.value:+.2f}, social g {soc.value:+.2f}"
    return Estimate(worst.value, worst.ci_low, worst.ci_high, detail, rate)


@experiment(
    "L6.within",
    "High narcissism: more accurate for social than for physical pain",
    FRONTIERS_2024,
    "within the high group: d of (social - physical) accuracy",
    "social better: d > 0",
    above(0.0),
    paper_n="44",
)
def l6_within(lab: Lab, family: str):
    _, ea, hi, lo = _l6_data(lab, family)
    diff = ea["accuracy_social"] - ea["accuracy_physical"]
    est = paired_d(diff[hi])
    low = paired_d(diff[lo])
    rate = replication_rate_paired(diff[hi], L6_HIGH, "greater", lab.rng("L6w", family))
    return Estimate(est.value, est.ci_low, est.ci_high, f"{est.detail}; low group d {low.value:+.2f}", rate)


@experiment(
    "L6.selfother",
    "High narcissism: larger self-other gap",
    FRONTIERS_2024,
    "rating of the other's pain minus of one's own feeling, g high vs low narcissism",
    "larger: g > 0.2",
    above(0.2),
    paper_n="44 vs 43 (of 611)",
)
def l6_selfother(lab: Lab, family: str):
    _, ea, hi, lo = _l6_data(lab, family)
    est = hedges_g(ea["self_other_gap"][hi], ea["self_other_gap"][lo])
    rate = _l6_replication(
        lab, family, lambda a, h, lw: _sig_less(a["self_other_gap"][lw], a["self_other_gap"][h])
    )
    return Estimate(est.value, est.ci_low, est.ci_high, est.detail, rate)


def _l7(lab: Lab, facet: str, scale: str) -> Estimate:
    s, facets = lab.narcissism_population("L7")
    sr = tasks.self_report(s, lab.rng("L7", scale))
    return correlation(facets[facet], sr[scale])


@experiment(
    "L7.affective",
    "Antagonism/entitlement with affective empathy r about -.37",
    JRP_2022,
    "general population: r of antagonism (measured) with IRI-like empathic concern",
    "r in [-0.47, -0.27] (published -0.37)",
    within(-0.47, -0.27),
    cross=False,
)
def l7_affective(lab: Lab, family: str):
    return _l7(lab, "antagonism", "empathic_concern")


@experiment(
    "L7.cognitive",
    "Antagonism/entitlement with cognitive empathy r about -.16",
    JRP_2022,
    "general population: r of antagonism with IRI-like perspective taking",
    "r in [-0.26, -0.06] (published -0.16)",
    within(-0.26, -0.06),
    cross=False,
)
def l7_cognitive(lab: Lab, family: str):
    return _l7(lab, "antagonism", "perspective_taking")


@experiment(
    "L7.distress",
    "Narcissistic neuroticism with personal distress r about +.28",
    JRP_2022,
    "general population: r of narcissistic neuroticism with IRI-like personal distress",
    "r in [0.18, 0.38] (published 0.28)",
    within(0.18, 0.38),
    cross=False,
)
def l7_distress(lab: Lab, family: str):
    return _l7(lab, "neuroticism", "personal_distress")


# =====================================================================================
# L8-L11: relationships and attachment
# =====================================================================================


@experiment(
    "L8.cycles",
    "BPD couples: about 69% report frequent breakups and reconciliations",
    BOUCHARD,
    "relationship cohort (2 years): share of bpd:control dyads with at least 2 breakup-reconciliation cycles",
    "share in [0.50, 0.85] (published 0.69)",
    within(0.50, 0.85),
    paper_n="35 vs 35 couples",
)
def l8_cycles(lab: Lab, family: str):
    c = lab.cohort(family)
    d = c.dyads()
    bpd = (d[c.pair_mask("bpd")]["reconciliations"] >= 2).to_numpy()
    ctrl = (d[c.pair_mask("control")]["reconciliations"] >= 2).to_numpy()
    est = proportion(int(bpd.sum()), len(bpd))
    rate = replication_rate_proportions(bpd, ctrl, 35, 35, lab.rng("L8", family))
    return Estimate(
        est.value, est.ci_low, est.ci_high, f"{est.detail}; control couples {ctrl.mean():.2f}", rate
    )


@experiment(
    "L8.dissolved",
    "BPD couples: about 30% dissolve",
    BOUCHARD,
    "relationship cohort: share of bpd:control dyads apart for the last 90+ days of the 2 years",
    "share in [0.15, 0.45] (published 0.30)",
    within(0.15, 0.45),
)
def l8_dissolved(lab: Lab, family: str):
    c = lab.cohort(family)
    d = c.dyads()
    bpd = d[c.pair_mask("bpd")]["dissolved"].to_numpy()
    ctrl = d[c.pair_mask("control")]["dissolved"].to_numpy()
    est = proportion(int(bpd.sum()), len(bpd))
    return _ahead(est, f"control couples {ctrl.mean():.2f}")


@experiment(
    "L8.shorter",
    "BPD: more but shorter relationships",
    BOUCHARD,
    "relationship cohort: mean length of a together spell (days), bpd:control minus control:control",
    "shorter: difference < 0",
    below(0.0),
)
def l8_shorter(lab: Lab, family: str):
    c = lab.cohort(family)
    d = c.dyads()
    return mean_diff(d[c.pair_mask("bpd")]["mean_spell"], d[c.pair_mask("control")]["mean_spell"])


@experiment(
    "L8.hostile",
    "BPD: more hostile relationships",
    BOUCHARD,
    "relationship cohort: protests per need of the bpd partner, minus of a control partner",
    "more hostile: difference > 0",
    above(0.0),
)
def l8_hostile(lab: Lab, family: str):
    c = lab.cohort(family)
    e = c.episodes
    r = roles(family)
    rates = {}
    for role in ("bpd", "control"):
        sub = e[(e["true_target_profile"] == r[role]) & (e["true_actor_profile"] == r["control"])]
        rates[role] = sub.groupby("target")["true_protest"].mean().astype(float).to_numpy()
    return mean_diff(rates["bpd"], rates["control"])


@experiment(
    "L9.clinical",
    "Rejection sensitivity and BPD: r about .66 clinical BPD vs controls",
    FOXHALL,
    "RSQ-like task: point-biserial r of group (bpd vs control) with the score",
    "r in [0.50, 0.82] (published 0.66)",
    within(0.50, 0.82),
)
def l9_clinical(lab: Lab, family: str):
    x, y = lab.task(family, "bpd", "rejection"), lab.task(family, "control", "rejection")
    return correlation(np.r_[np.ones(len(x)), np.zeros(len(y))], np.r_[x, y])


@experiment(
    "L9.overall",
    "Rejection sensitivity and BPD features: r about .33 overall",
    FOXHALL,
    "general population varying along the control -> bpd direction: r of BPD features with the "
    "RSQ-like score",
    "r in [0.20, 0.50] (published 0.33)",
    within(0.20, 0.50),
)
def l9_overall(lab: Lab, family: str):
    s, features = lab.bpd_feature_population(family, "L9")
    rs = tasks.rejection_sensitivity(s, lab.rng("L9", family))
    return correlation(features, rs)


def _ecr(lab: Lab, family: str, role: str, scale: str) -> Estimate | None:
    return _g(lab, family, role, "self_report", f"attachment_{scale}")


@experiment(
    "L10.bpd",
    "BPD: insecure (preoccupied, fearful) attachment",
    ATTACHMENT,
    "ECR-R-like attachment anxiety, g bpd vs control (detail: avoidance)",
    "insecure: anxiety g > 0.8",
    above(0.8),
)
def l10_bpd(lab: Lab, family: str):
    anx, avo = _ecr(lab, family, "bpd", "anxiety"), _ecr(lab, family, "bpd", "avoidance")
    return _ahead(anx, f"avoidance g {avo.value:+.2f}")


@experiment(
    "L10.grandiose",
    "Grandiose narcissism largely unrelated to attachment insecurity",
    ATTACHMENT,
    "ECR-R-like anxiety and avoidance, g npd (grandiose) vs control: the larger |g|",
    "unrelated: |g| < 0.3 on both",
    near_zero(0.3),
)
def l10_grandiose(lab: Lab, family: str):
    anx, avo = _ecr(lab, family, "npd", "anxiety"), _ecr(lab, family, "npd", "avoidance")
    big = max(anx, avo, key=lambda e: abs(e.value))
    return Estimate(
        big.value, big.ci_low, big.ci_high, f"anxiety g {anx.value:+.2f}, avoidance g {avo.value:+.2f}"
    )


@experiment(
    "L10.vulnerable",
    "Vulnerable narcissism linked to anxious/fearful attachment",
    ATTACHMENT,
    "ECR-R-like attachment anxiety, g npd_vulnerable vs control (detail: avoidance)",
    "anxious: g > 0.2",
    above(0.2),
)
def l10_vulnerable(lab: Lab, family: str):
    anx = _ecr(lab, family, "npd_vulnerable", "anxiety")
    if anx is None:
        return None
    avo = _ecr(lab, family, "npd_vulnerable", "avoidance")
    return _ahead(anx, f"avoidance g {avo.value:+.2f}")


L11_FIT_DAYS = 180


def _l11_fit(lab: Lab, family: str):
    """Per agent: Gottman regression over the first 180 days (dyads together throughout),
    and whether the dyad breaks up later."""
    key = ("L11", family)
    if key not in lab._cache:
        c = lab.cohort(family)
        w, h, tog = c.series("affect_a"), c.series("affect_b"), c.series("together")
        stay = tog[:, :L11_FIT_DAYS].all(axis=1)
        w, h, t = w[stay, :L11_FIT_DAYS], h[stay, :L11_FIT_DAYS], tog[stay, :L11_FIT_DAYS]
        later = c.series("breakups")[stay, L11_FIT_DAYS:].sum(axis=1) > 0
        coef_w, coef_h = _lag_regression(w, h, t), _lag_regression(h, w, t)
        lab._cache[key] = (w, h, coef_w, coef_h, later)
    return lab._cache[key]


@experiment(
    "L11.structure",
    "Dyadic affect follows W(t+1) = I(H(t)) + r W(t) + a: inertia and partner influence",
    GOTTMAN,
    "relationship cohort: per-agent regression of affect(t+1) on own and partner's affect(t) over 180 "
    "days; mean inertia r (detail: partner coefficient)",
    "inertia in (0.2, 0.95) and partner coefficient > 0",
    lambda e: 0.2 < e.value < 0.95 and e.extra.get("partner_low", 0) > 0,
)
def l11_structure(lab: Lab, family: str):
    _, _, cw, ch, _ = _l11_fit(lab, family)
    coef = np.vstack([cw, ch])
    inertia = mean_ci(coef[:, 1])
    partner = mean_ci(coef[:, 2])
    detail = f"partner coefficient {partner.value:+.3f} [{partner.ci_low:+.3f}, {partner.ci_high:+.3f}]"
    return Estimate(
        inertia.value, inertia.ci_low, inertia.ci_high, detail, extra={"partner_low": partner.ci_low}
    )


@experiment(
    "L11.setpoint",
    "Couples who later split have more negative uninfluenced set points",
    GOTTMAN,
    "set point a/(1-r) from the first 180 days (mean of both partners), dyads that break up later "
    "minus dyads that do not",
    "more negative: difference < 0",
    below(0.0),
)
def l11_setpoint(lab: Lab, family: str):
    _, _, cw, ch, later = _l11_fit(lab, family)

    def point(c):
        return c[:, 0] / np.clip(1.0 - c[:, 1], 0.05, None)

    sp = np.clip(0.5 * (point(cw) + point(ch)), -1, 1)
    return mean_diff(sp[later], sp[~later])


THRESHOLD_GRID = np.round(np.linspace(-0.6, 0.0, 49), 4)


def _threshold_sums(w: np.ndarray, h: np.ndarray) -> np.ndarray:
    """Per dyad, sufficient statistics of the negative-influence fit for every grid threshold.

    Each partner's affect is first fitted by its own lag alone (W(t+1) = a + r W(t)); the
    residual is then regressed on I_T(H) = H if H < T else 0. Returns (n_dyads, G, 6):
    n, sum x, sum y, sum xy, sum xx, sum yy, summed over both partners of a dyad."""
    out = 0.0
    for own, other in ((w, h), (h, w)):
        y0, x0 = own[:, 1:], own[:, :-1]
        xm, ym = x0.mean(axis=1, keepdims=True), y0.mean(axis=1, keepdims=True)
        r = ((x0 - xm) * (y0 - ym)).sum(axis=1, keepdims=True) / ((x0 - xm) ** 2).sum(axis=1, keepdims=True)
        res = y0 - ym - r * (x0 - xm)
        hx = other[:, :-1]
        x = np.where(hx[:, None, :] < THRESHOLD_GRID[None, :, None], hx[:, None, :], 0.0)  # (n, G, T)
        y = res[:, None, :]
        n = np.full(x.shape[:2], x.shape[2], float)
        out = out + np.stack(
            [
                n,
                x.sum(2),
                np.broadcast_to(y.sum(2), n.shape),
                (x * y).sum(2),
                (x * x).sum(2),
                np.broadcast_to((y * y).sum(2), n.shape),
            ],
            axis=-1,
        )
    return out


def _best_threshold(sums: np.ndarray) -> np.ndarray:
    """Grid threshold minimising the pooled SSE; ``sums`` is (..., G, 6) already pooled."""
    n, sx, sy, sxy, sxx, syy = np.moveaxis(sums, -1, 0)
    cxx = sxx - sx * sx / n
    cxy = sxy - sx * sy / n
    sse = (syy - sy * sy / n) - np.where(cxx > 1e-12, cxy * cxy / np.maximum(cxx, 1e-12), 0.0)
    return THRESHOLD_GRID[np.argmin(sse, axis=-1)]


@experiment(
    "L11.threshold",
    "Couples who later split react to milder partner negativity (lower negative threshold)",
    GOTTMAN,
    "negative threshold of the partners' influence functions (mean of both; closer to zero = reacts "
    "to milder negativity), dyads that break up after day 180 minus dyads that do not",
    "milder: difference > 0",
    above(0.0),
)
def l11_threshold(lab: Lab, family: str):
    c = lab.cohort(family)
    tr = c.traits()
    rp = ModelParams().relationship
    thr = rp.neg_threshold_base + rp.neg_threshold_anxiety * tr.attachment_anxiety.mean(axis=0)
    tog = c.series("together")
    stay = tog[:, :L11_FIT_DAYS].all(axis=1)
    later = c.series("breakups")[:, L11_FIT_DAYS:].sum(axis=1) > 0
    est = mean_diff(thr[stay & later], thr[stay & ~later])
    w, h, _, _, split = _l11_fit(lab, family)
    sums = _threshold_sums(w, h)
    fitted = _best_threshold(sums[split].sum(0)) - _best_threshold(sums[~split].sum(0))
    return _ahead(est, f"grid-fitted from daily affect instead: {fitted:+.3f} (not recovered, see docs)")


# =====================================================================================
# C1-C2: where the article and the evidence disagree (information, both families)
# =====================================================================================


@experiment(
    "C1.avoidance",
    "NPD attachment: avoidant-dismissive (article A13) vs grandiose narcissism unrelated (L10)",
    "A13 vs L10",
    "ECR-R-like attachment avoidance, g npd vs control",
    {"article": "A13: avoidant, g > 0.8", "evidence": "L10: unrelated, |g| < 0.3"},
    {"article": above(0.8), "evidence": near_zero(0.3)},
)
def c1_avoidance(lab: Lab, family: str):
    return _ecr(lab, family, "npd", "avoidance")


@experiment(
    "C2.concern",
    "BPD other-oriented concern: heightened (article A1) vs not different (L2)",
    "A1 vs L2",
    "IRI-like empathic concern, g bpd vs control",
    {"article": "A1: heightened, g > 0.5", "evidence": "L2: not different, |g| < 0.3"},
    {"article": above(0.5), "evidence": near_zero(0.3)},
)
def c2_concern(lab: Lab, family: str):
    return _g(lab, family, "bpd", "self_report", "empathic_concern")


@experiment(
    "C2.met",
    "BPD emotional empathy on the MET: heightened (article A1) vs impaired (L4)",
    "A1 vs L4 (Dziobek et al. 2011)",
    "MET-like emotional score (how moved), g bpd vs control",
    {"article": "A1: heightened, g > 0.5", "evidence": "L4: impaired, g < -0.2"},
    {"article": above(0.5), "evidence": below(-0.2)},
)
def c2_met(lab: Lab, family: str):
    return _g(lab, family, "bpd", "met", "emotional")
