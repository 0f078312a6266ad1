"""The virtual experiments: every claim (A1-A19) and finding (L1-L11) with a number and a verdict.

Each function measures one property on one profile family (``run(lab, family)``)
and returns an ``Estimate`` (value, 95% interval, details); it returns ``None``
where the family has no group for it (n/a). docs/validation.md explains every
operationalisation.

Sign conventions: a group difference is Hedges g of (focal group - control), so a
deficit is negative; "bpd" and "npd" are roles (lab.ROLES), i.e. ``bpd``/``npd``
in the article family and ``bpd_evidence``/``npd_grandiose`` in the evidence family.

One module per claim family:

- ``bpd``: A1, A2.reactivity, A10, A11.reactive, A11.unpredictable, A12.bpd
- ``npd``: A3-A9, A11.npd, A12.npd, A12.expression
- ``relationships``: A13, L8, L9, L10, L11
- ``care``: A14
- ``findings_empathy``: L1-L4 (empathy and mentalizing in the lab)
- ``findings_narcissism``: L5-L7 (narcissism in the general population)
- ``development``: A16-A18 (childhood, culture, biology)
- ``over_time``: A2.mindfulness, A9.confusion, A9.exhaustion, A15, A19 (trials and loved ones)
- ``pending``: L3.rf (mechanism not in the model yet)
- ``conflicts``: C1, C2
- ``common``: the sources and the helpers the modules share

Importing this package registers every experiment. Experiments with the same id keep
their registration order (``registry.experiments()`` breaks ties by it), so the modules
are imported in this order: ``bpd`` before ``npd`` (A11, A12) and before ``pending`` (A2),
``findings_empathy`` before ``pending`` (L3).
"""

from __future__ import annotations

from empathica.validation.experiments import (  # noqa: F401  (registers the experiments, in this order)
    bpd,
    care,
    conflicts,
    development,
    findings_empathy,
    findings_narcissism,
    npd,
    over_time,
    pending,
    relationships,
)
