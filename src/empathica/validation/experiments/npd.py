"""NPD claims of the article: A3-A9, A11.npd, A12.npd, A12.expression.

A3-A8 measure NPD's conditional empathy in lab experiments: cognitive empathy kept and
affective empathy reduced (A3), empathy shown when it pays (A4), withdrawn under
criticism (A5), self-esteem that needs praise (A6), empathic accuracy for physical and
social pain and the self-other gap (A7), the perspective-taking prompt (A8). A9 measures
strategic empathy in simulated relationships (promises kept, partner's trust); A11.npd
the strategic motive of NPD care; A12.npd the inflated, steady self-esteem and
A12.expression the suppressed expression of felt need (npd vs bpd). The BPD parts of A11
and A12 are in ``bpd``.
"""

from __future__ import annotations

import numpy as np

from empathica.lab import tasks
from empathica.lab.cohorts import Lab
from empathica.lab.stats import Estimate, hedges_g, mean_diff, paired_d, proportion
from empathica.validation.experiments.common import (
    CONDITIONAL,
    NPD_VARIABILITY,
    SELF_IMAGE,
    _ahead,
    _esteem,
    _g,
    _with_ci_difference,
)
from empathica.validation.registry import above, below, experiment

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
    basis="fitted",
    basis_note=(
        "npd.cognitive_empathy 0.65 was set for A3; reasoning accuracy is that trait through the social "
        "skill weights, and the check was shaped with A7"
    ),
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
    basis="fitted",
    basis_note=(
        "npd.emotional_contagion 0.20 (A3) and empathic_concern 0.15 (A4/A11) were set for it; 'how "
        "moved' is the genuine drive at those traits, less distress crowd-out"
    ),
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
        s, lab.rng(key, family, role, str(sorted(conditions.items()))), m=lab.params, **conditions
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
            rate[audience, benefit] = tasks.conditional_empathy(s, rng, audience, benefit, m=lab.params)[
                "responded"
            ]
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
    basis="definitional",
    basis_note=(
        "a payoff reaches behaviour only through admiration^2 x weight and the unpaid rate through "
        "concern: npd's 0.90 and 0.15 against 0.25 and 0.60 force both parts"
    ),
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
    basis="fitted",
    basis_note=(
        "npd.self_image_fragility 0.70 was set for A5; defensiveness is fragility^2 under threat, against"
        " the paid strategic drive under an audience"
    ),
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
    basis="fitted",
    basis_note=(
        "npd.admiration_need 0.90 was set for A6; the praise gap is the supply equations at that trait, "
        "against npd's higher set point"
    ),
)
def a6_validation(lab: Lab, family: str):
    gaps = {}
    for role in ("npd", "control"):
        s = lab.sample(family, role, "A6")
        if s is None:
            return None
        r = tasks.praise_deprivation(s, m=lab.params)
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
    basis="fitted",
    basis_note=(
        "the perception skill weights and npd's contagion 0.20 were chosen so that A3 and A7 both hold: a"
        " small social deficit against cognitive empathy kept"
    ),
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
    basis="definitional",
    basis_note=(
        "the skill weights were chosen to yield A7: social minus physical skill is 0.4 x cognitive - 0.3 "
        "x contagion, positive for npd's 0.65 and 0.20"
    ),
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
    basis="fitted",
    basis_note=(
        "npd.emotional_contagion 0.20 was set for A7's self-other distinction; the gap is |perceived| x "
        "(1 - affect_gain x contagion)"
    ),
)
def a7_selfother(lab: Lab, family: str):
    return _g(lab, family, "npd", "accuracy", "self_other_gap")


def _prompt_effect(lab: Lab, family: str, role: str, key: str, need: int) -> Estimate | None:
    """Between subjects: state empathy with vs without a perspective-taking instruction (g)."""
    a, b = lab.sample(family, role, key + "pt"), lab.sample(family, role, key + "no")
    if a is None:
        return None
    with_pt = tasks.state_empathy(a, lab.rng(key, family, role, need, 1), True, need, m=lab.params)
    without = tasks.state_empathy(b, lab.rng(key, family, role, need, 0), False, need, m=lab.params)
    return hedges_g(with_pt, without)


@experiment(
    "A8.prompt",
    "NPD: a perspective-taking prompt increases the empathic response",
    NPD_VARIABILITY,
    "perspective-taking instruction experiment (social need, between subjects): prompt effect g, "
    "npd minus control",
    "larger in npd: difference > 0.2",
    above(0.2),
    basis="definitional",
    basis_note=(
        "the prompt lifts concern by gain x max(0, reference - concern): nothing for secure (0.60 above "
        "the 0.55 reference), 0.40 for npd (0.15)"
    ),
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
    basis="definitional",
    basis_note=(
        "prompt_physical_factor 0.5 halves the prompt's lift for physical pain; the row reads that factor"
        " back"
    ),
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
    basis="definitional",
    basis_note=(
        "a benefit only adds admiration^2 x benefit_weight to the strategic drive (0.65 at npd's 0.90, "
        "threshold 0.10), so responding must rise"
    ),
)
def a8_benefit(lab: Lab, family: str):
    s = lab.sample(family, "npd", "A8.benefit")
    if s is None:
        return None
    gain = tasks.conditional_empathy(s, lab.rng("A8b", family, 1), False, True, m=lab.params)["responded"]
    none = tasks.conditional_empathy(s, lab.rng("A8b", family, 0), False, False, m=lab.params)["responded"]
    return mean_diff(gain, none)


# =====================================================================================
# A9, A11-A12: NPD in relationships (simulated cohorts)
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
    basis="fitted",
    basis_note=(
        "the follow-through constants were chosen for A9 (genuine 0.92, strategic 0.85 watched, 0.25 "
        "unwatched); npd's motive mix weights them, and whether the gap clears -0.10 rests on their values"
    ),
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
    basis="predicted",
    basis_note=(
        "partner trust emerges from needs met, broken promises and ignored boundaries over two years; no "
        "value was set for it and strategic warmth on display pulls the other way"
    ),
)
def a9_partner(lab: Lab, family: str):
    d = lab.cohort(family).dyads()
    c = lab.cohort(family)
    npd, ctrl = d[c.pair_mask("npd")], d[c.pair_mask("control")]
    est = mean_diff(npd["trust_b"], ctrl["trust_b"])  # the partner's own trust in the actor (side a)
    sat = npd["satisfaction"].mean() - ctrl["satisfaction"].mean()
    return _ahead(est, f"satisfaction difference {sat:+.2f}")


@experiment(
    "A11.npd",
    "NPD care is superficial, rooted in self-interest",
    "article: Emotional Roots Drive Care",
    "relationship cohort: share of npd responses whose motive is strategic (ground truth)",
    "mostly self-interested: > 0.5",
    lambda e: e.value > 0.5 and e.ci_low > 0.5,
    basis="fitted",
    basis_note=(
        "npd.empathic_concern 0.15 was set for A11 ('care superficial'); the share is strategic wins "
        "among responses, set by admiration and the context rates"
    ),
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


@experiment(
    "A12.npd",
    "NPD self-image stable but inflated",
    SELF_IMAGE,
    "relationship cohort: mean self-esteem, g npd vs control (inflated); detail: day-to-day change vs bpd",
    "inflated: g > 0.2, and steadier than bpd",
    lambda e: e.value > 0.2 and e.ci_low > 0 and e.extra.get("swing_vs_bpd", 1) < 0,
    basis="fitted",
    basis_note=(
        "set_point_admiration (A6, A12) inflates npd's set point; the daily drain of unmet admiration "
        "pulls it down"
    ),
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
    basis="definitional",
    basis_note=(
        "reads the expression equation back: the shown share is 1 - suppression_damping x "
        "expressive_suppression, 0.80 for npd vs 0.15 for bpd (set for A12)"
    ),
)
def a12_expression(lab: Lab, family: str):
    shown = {role: tasks.expression(lab.battery(family, role), m=lab.params) for role in ("npd", "bpd")}
    return mean_diff(shown["npd"], shown["bpd"])
