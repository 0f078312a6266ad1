"""Where the article and the evidence disagree: C1, C2 (information, both families).

C1 measures NPD attachment avoidance (article A13 vs L10); C2 BPD empathic concern
(article A1 vs L2) and MET emotional empathy (article A1 vs L4).
"""

from __future__ import annotations

from empathica.lab.cohorts import Lab
from empathica.validation.experiments.common import _ecr, _g
from empathica.validation.registry import above, below, experiment, near_zero

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
