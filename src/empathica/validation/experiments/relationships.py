"""Relationships and attachment: A13 (article), L8-L11 (literature), on simulated cohorts.

A13 measures relationship stability: breakup-reconciliation cycles with a BPD partner
and the reduced resilience of NPD dyads. L8 measures BPD couples (cycles, dissolution,
shorter and more hostile relationships; Bouchard et al.), L9 rejection sensitivity and
BPD (Foxhall et al.), L10 attachment anxiety and avoidance of BPD and grandiose and
vulnerable narcissism, L11 dyadic affect dynamics (Gottman: inertia, partner influence,
set points, negative thresholds).
"""

from __future__ import annotations

import numpy as np

from empathica.lab import tasks
from empathica.lab.cohorts import Lab, roles
from empathica.lab.stats import (
    Estimate,
    bootstrap,
    correlation,
    mean_ci,
    mean_diff,
    proportion,
    replication_rate_proportions,
)
from empathica.validation.experiments.common import (
    ATTACHMENT,
    BOUCHARD,
    FOXHALL,
    GOTTMAN,
    STABILITY,
    _ahead,
    _ecr,
    _lag_regression,
)
from empathica.validation.registry import above, below, experiment, near_zero, within

# =====================================================================================
# A13: relationship stability (simulated cohorts)
# =====================================================================================


@experiment(
    "A13.bpd",
    "BPD: fear of abandonment -> frequent breakups and reconciliations",
    STABILITY,
    "relationship cohort (2 years): share of dyads with at least 2 breakup-reconciliation cycles, "
    "bpd:control minus control:control",
    "more cycling: difference > 0.3",
    above(0.3),
    basis="fitted",
    basis_note=(
        "bpd.attachment_anxiety 0.85 was set for A13 and the breakup and reconciliation constants for L8;"
        " cycling emerges from protest, breakup and longing"
    ),
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
    basis="fitted",
    basis_note=(
        "relationship.reconcile_avoidance was raised to 1.0 to keep this row (calibration table), with "
        "npd.attachment_avoidance 0.80 set for A13"
    ),
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
    basis="fitted",
    basis_note=(
        "bpd_evidence attachment and impulsivity and the breakup/reconciliation constants were fitted to "
        "L8 (calibration table)"
    ),
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
    basis="fitted",
    basis_note=(
        "held out of the calibration examples/evidence.toml, but still fitted by hand: bpd_evidence "
        "attachment_avoidance and impulsivity and the breakup/reconciliation constants were tuned to L8 "
        "(calibration table); attachment_anxiety is a posterior median fitted to L8.cycles and L9.clinical"
    ),
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
    basis="definitional",
    basis_note=(
        "arithmetic of the breakups fitted to L8: more breakups within the same two years make the spells"
        " shorter"
    ),
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
    basis="definitional",
    basis_note=(
        "protest follows perceived rejection with probability anxiety x (base + arousal); bpd_evidence's "
        "anxiety, arousal and rejection reading all push it up"
    ),
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
    basis="fitted",
    basis_note="the reliability of the RSQ-like concern was fitted to L9 (calibration table)",
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
    basis="fitted",
    basis_note=(
        "held out of the calibration examples/evidence.toml, but the reliability of the RSQ-like concern "
        "was tuned by hand to L9 (calibration table); bpd_evidence.attachment_anxiety is a posterior "
        "median fitted to L9.clinical and L8.cycles"
    ),
)
def l9_overall(lab: Lab, family: str):
    s, features = lab.bpd_feature_population(family, "L9")
    rs = tasks.rejection_sensitivity(s, lab.rng("L9", family), m=lab.params)
    return correlation(features, rs)


@experiment(
    "L10.bpd",
    "BPD: insecure (preoccupied, fearful) attachment",
    ATTACHMENT,
    "ECR-R-like attachment anxiety, g bpd vs control (detail: avoidance)",
    "insecure: anxiety g > 0.8",
    above(0.8),
    basis="fitted",
    basis_note=(
        "bpd_evidence.attachment_anxiety was set for L10; the score is the self-view of that trait "
        "plus item error"
    ),
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
    basis="fitted",
    basis_note=(
        "npd_grandiose's attachment was set to the population mean for L10; only the self-view's "
        "enhancement can move the score"
    ),
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
    basis="fitted",
    basis_note=(
        "npd_vulnerable.attachment_anxiety was set for L10; the score is the self-view of that trait"
        " plus item error"
    ),
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
    basis="definitional",
    basis_note=(
        "the Gottman equations are the model's: the regression recovers inertia 0.5 + 0.35 x (1 - "
        "regulation) and the built-in partner influence"
    ),
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
    basis="definitional",
    basis_note=(
        "the set point is the model's a/(1-r), lower with anxiety, and every route from anxiety to a "
        "later breakup (protest, dissatisfaction) pushes the same way"
    ),
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
    basis="definitional",
    basis_note=(
        "the thresholds are read from the agents' traits (neg_threshold_base + neg_threshold_anxiety x "
        "anxiety), and anxious dyads split more"
    ),
)
def l11_threshold(lab: Lab, family: str):
    c = lab.cohort(family)
    tr = c.traits()
    rp = lab.params.relationship
    thr = rp.neg_threshold_base + rp.neg_threshold_anxiety * tr.attachment_anxiety.mean(axis=0)
    tog = c.series("together")
    stay = tog[:, :L11_FIT_DAYS].all(axis=1)
    later = c.series("breakups")[:, L11_FIT_DAYS:].sum(axis=1) > 0
    est = mean_diff(thr[stay & later], thr[stay & ~later])
    w, h, _, _, split = _l11_fit(lab, family)
    sums = _threshold_sums(w, h)
    fitted = _best_threshold(sums[split].sum(0)) - _best_threshold(sums[~split].sum(0))
    return _ahead(est, f"grid-fitted from daily affect instead: {fitted:+.3f} (not recovered, see docs)")
