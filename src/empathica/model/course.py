"""Two time scales in one engine: days of interaction and weeks of slow trait change.

``live`` follows dyads for weeks. Each week the fused kernel runs the seven days
(episodes, affect, trust, strain: the fast states) with the traits as they are, then
the slow traits move (``plasticity``) with what the week held: the therapy sessions
the patient (partner ``a``) attended (``interventions``: adherence, drop-out) and the
accuracy of the responses the patient actually gave in the relationship. The fast
states carry over from week to week, so the relationship lives on while the person
changes. Every draw is addressed (kernel: dyad, day; therapy: dyad, week, index), so
results do not depend on how people are grouped.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from empathica.model import chunks, interventions, kernel, plasticity
from empathica.model.interventions import Therapy
from empathica.model.kernel import SUM_COLUMNS
from empathica.model.params import ModelParams, constants
from empathica.model.streams import check_seed, stream_key, uniforms
from empathica.model.traits import TRAIT_MAX, TRAIT_MIN, TRAIT_NAMES

#: Longest course: ten years of weeks.
MAX_WEEKS = 520
#: Dyad ids of a course are below this (the kernel keeps weekly sums per id).
MAX_ID = 1 << 20
_N_ACC, _S_ACC = SUM_COLUMNS.index("n_acc"), SUM_COLUMNS.index("s_acc")
_CONC, _ADM, _AVO = map(TRAIT_NAMES.index, ("empathic_concern", "admiration_need", "attachment_avoidance"))
#: Index block of the therapy draws of a person-week: attendance of each session, then drop-out.
_DROPOUT_DRAW = 63


@dataclass(frozen=True)
class Course:
    """What ``live`` returns. ``weekly``: one row per dyad and week (the patient's sessions,
    whether still in therapy, the couple's state at the end of the week); ``traits``: the
    traits (n_traits, 2, n) at each week asked for in ``keep`` (0: before the first week)."""

    weekly: pd.DataFrame
    traits: dict[int, np.ndarray]
    dropped_week: np.ndarray  # week each patient left therapy, -1 if never


def _therapy_key(seed: int) -> np.uint64:
    return np.random.SeedSequence([check_seed(seed), 0x7E4A]).generate_state(1, np.uint64)[0]


def live(
    traits: np.ndarray,
    weeks: int,
    seed: int = 0,
    therapy: Therapy | None = None,
    policy: np.ndarray | None = None,
    model: ModelParams | None = None,
    keep: tuple[int, ...] = (),
    ids: np.ndarray | None = None,
) -> Course:
    """Follow dyads with traits (n_traits, 2, n) for ``weeks`` weeks; partner ``a`` follows
    ``therapy`` (none: no change of traits) and each partner the loved-one ``policy``
    (``loved_ones.policies``; none: neutral)."""
    if not 1 <= int(weeks) <= MAX_WEEKS:
        raise ValueError(f"a course lasts 1 to {MAX_WEEKS} weeks")
    model = model or ModelParams()
    tr = np.array(traits, dtype=np.float64, copy=True)
    n = tr.shape[2]
    ids = np.arange(n, dtype=np.int64) if ids is None else np.asarray(ids, dtype=np.int64)
    if ids.shape != (n,) or (n and (ids.min() < 0 or ids.max() >= MAX_ID)):
        raise ValueError(f"ids must be {n} dyad ids from 0 to {MAX_ID - 1}")
    # The kernel sums per "pairing" gid // dyads_per_pair: one pairing per id gives per-dyad sums.
    slots = int(ids.max()) + 1 if n else 0
    key = stream_key(seed)
    tkey = _therapy_key(seed)
    baseline = tr.copy()
    state = kernel.initial_state(tr, key, ids, constants(model))
    kept = {0: tr.copy()} if 0 in keep else {}
    active = np.ones(n, dtype=bool) if therapy is not None and therapy.schedule else np.zeros(n, bool)
    dropped_week = np.full(n, -1)
    collaboration = np.full(n, therapy.collaboration if therapy else 0.5)
    resist = interventions.resistance(tr[_ADM, 0], tr[_AVO, 0])
    rows = []
    for week in range(int(weeks)):
        su = chunks.setup(
            key, ids, np.zeros((1, len(TRAIT_NAMES))), np.zeros((slots, 2)), 1, 0.0, model,
            traits_=tr, policy=policy,
        )  # fmt: skip
        out = chunks.run_chunk(
            su, 7, keep_episodes=False, keep_trajectories=False, n_pairs=slots, first_day=7 * week,
            state=state,
        )  # fmt: skip
        state = out.state
        patient = out.sums[2 * ids]  # rows 2 * pairing + side: side a of each dyad
        responses = patient[:, _N_ACC]
        accuracy = np.where(responses > 0, patient[:, _S_ACC] / np.maximum(responses, 1), np.nan)
        sessions = np.zeros(n)
        if therapy is not None:
            sessions = _therapy_week(
                therapy, week, tr, tkey, ids, active, collaboration, resist, accuracy, model
            )
            leaving = _dropouts(therapy, week, tkey, ids, active, collaboration, resist, model)
            dropped_week[leaving] = week
            active &= ~leaving
        tr = np.clip(plasticity.forgotten(tr, baseline, model.plasticity), TRAIT_MIN, TRAIT_MAX)
        sf, si = state
        rows.append(
            pd.DataFrame(
                {
                    "dyad": ids,
                    "week": week + 1,
                    "sessions": sessions,
                    "in_therapy": active.copy(),
                    "together": si[0] != 0,
                    "breakups": out.day_sums[ids, 2].astype(int),
                    **{name: sf[i].copy() for i, name in enumerate(kernel.STATE_FLOAT)},
                }
            )
        )
        if week + 1 in keep:
            kept[week + 1] = tr.copy()
    return Course(pd.concat(rows, ignore_index=True), kept, dropped_week)


def _therapy_week(therapy, week, tr, tkey, ids, active, collaboration, resist, accuracy, model) -> np.ndarray:
    """Sessions attended this week by each patient; moves the patients' traits (in place)."""
    total = np.zeros(len(ids))
    experiential = np.zeros(len(ids))
    index = 0
    for item in therapy.schedule:
        comp = interventions.components()[item.component]
        if not item.active(week):
            index += item.per_week
            continue
        p = interventions.attend_probability(item.adherence, collaboration, resist, model.therapy)
        u = uniforms(tkey, ids, week, range(index, index + item.per_week))  # (per_week, n)
        index += item.per_week
        attended = ((u < p[None, :]).sum(axis=0) * active).astype(float)
        dose = attended * item.dose
        for trait, rate in comp.targets.items():
            i = TRAIT_NAMES.index(trait)
            tr[i, 0] = np.clip(
                plasticity.practiced(tr[i, 0], rate, dose, model.plasticity), TRAIT_MIN, TRAIT_MAX
            )
        collaboration += comp.insight * attended
        np.minimum(collaboration, 1.0, out=collaboration)
        total += attended
        if comp.experiential:
            experiential += dose
    tr[_CONC, 0] = np.clip(
        plasticity.experienced(tr[_CONC, 0], experiential, accuracy, 1.0 - resist, model.plasticity),
        TRAIT_MIN,
        TRAIT_MAX,
    )
    return total


def _dropouts(therapy, week, tkey, ids, active, collaboration, resist, model) -> np.ndarray:
    """Patients who leave therapy this week (only while some component is given)."""
    items = [s for s in therapy.schedule if s.active(week)]
    if not items:
        return np.zeros(len(ids), dtype=bool)
    item = items[0]
    p_attend = interventions.attend_probability(item.adherence, collaboration, resist, model.therapy)
    p = interventions.dropout_probability(max(s.dropout for s in items), resist, p_attend)
    u = uniforms(tkey, ids, week, [_DROPOUT_DRAW])[0]
    return active & (u < p)
