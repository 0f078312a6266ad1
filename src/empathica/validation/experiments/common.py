"""Sources and helpers shared by the experiment modules.

Sources: the article's sections and the published papers the experiments cite.
Helpers: ``_g`` (Hedges g of a battery score, role vs control, with the replication
rate at the paper's N), ``_with_ci_difference`` (difference of two independent
estimates), ``_ahead`` (an estimate with text put ahead of its detail),
``_lag_regression`` (per-row lagged affect regression, A10 and L11), ``_esteem``
(self-esteem series of one role, A12) and ``_ecr`` (ECR-R-like attachment g, L10 and C1).
"""

from __future__ import annotations

import numpy as np

from empathica.lab.cohorts import Lab
from empathica.lab.stats import Z95, Estimate, hedges_g, replication_rate

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


def _lag_regression(w: np.ndarray, h: np.ndarray, ok: np.ndarray) -> np.ndarray:
    """Per row: OLS of w(t+1) on [1, w(t), h(t)] over the days where ``ok``; returns (n, 3)."""
    y, x1, x2 = w[:, 1:], w[:, :-1], h[:, :-1]
    m = (ok[:, 1:] & ok[:, :-1]).astype(float)
    cols = [np.ones_like(x1), x1, x2]
    xtx = np.einsum("nt,int,jnt->nij", m, np.array(cols), np.array(cols))
    xty = np.einsum("nt,int,nt->ni", m, np.array(cols), y)
    xtx += 1e-9 * np.eye(3)
    return np.linalg.solve(xtx, xty[..., None])[..., 0]


def _esteem(c, role: str) -> np.ndarray:
    """(n_dyads, days) self-esteem of the ``role`` partner (side a of role:control dyads)."""
    return c.series("self_esteem_a")[c.pair_mask(role)]


def _ecr(lab: Lab, family: str, role: str, scale: str) -> Estimate | None:
    return _g(lab, family, role, "self_report", f"attachment_{scale}")
