"""The virtual lab: studies of one's own on the model, and the instruments validation uses.

A study is data (``Study``: populations, conditions, measures, n, design) run by a
pure function into a tidy participant-level DataFrame (``run``), compared cell by
cell with an effect size, its interval and the power of a real study of that size
(``compare``, ``power``). The instruments are functions of a ``Sample`` of
participants (``met``, ``eyes``, ``reasoning``, ``self_report``, ...); every
experiment of ``empathica validate`` is written with them. See docs/lab.md.
"""

from empathica.lab.development import biology_study, culture_study, development_study
from empathica.lab.loved_ones import loved_ones_study
from empathica.lab.manipulations import Induction
from empathica.lab.phase_plane import basins, steady_states
from empathica.lab.stats import Estimate, correlation, hedges_g, paired_d
from empathica.lab.study import INSTRUMENTS, Condition, Partner, Population, Study, compare, power, run
from empathica.lab.tasks import (
    Sample,
    conditional_empathy,
    decoding,
    draw_sample,
    empathic_accuracy,
    expression,
    eyes,
    met,
    own_views,
    praise_deprivation,
    reasoning,
    rejection_sensitivity,
    self_report,
    state_empathy,
    subtle_cues,
)
from empathica.lab.therapy import therapy_study
from empathica.lab.trial import TrialSpec, load_trial, run_trial, write_trial

__all__ = [
    "INSTRUMENTS",
    "Condition",
    "Estimate",
    "Induction",
    "Partner",
    "Population",
    "Sample",
    "Study",
    "TrialSpec",
    "biology_study",
    "culture_study",
    "development_study",
    "load_trial",
    "loved_ones_study",
    "run_trial",
    "therapy_study",
    "write_trial",
    "basins",
    "compare",
    "conditional_empathy",
    "correlation",
    "decoding",
    "draw_sample",
    "empathic_accuracy",
    "expression",
    "eyes",
    "hedges_g",
    "met",
    "own_views",
    "paired_d",
    "power",
    "praise_deprivation",
    "reasoning",
    "rejection_sensitivity",
    "run",
    "self_report",
    "state_empathy",
    "steady_states",
    "subtle_cues",
]
