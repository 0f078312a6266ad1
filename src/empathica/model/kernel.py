"""The fused kernel: a chunk of dyads for all days in one compiled loop.

``engine.step`` is the readable reference: one NumPy expression per mechanism,
one day for the whole population at a time. This module runs the *same* model,
equation for equation and in the same order of floating-point operations, as one
numba loop per dyad over the days (dyad outer, day inner): a dyad's state stays in
registers, only the random numbers a day actually uses are drawn (draws are
addressed by (dyad, day, index), so skipping one changes nothing else), and the
episode log is written straight into preallocated column arrays in the reference
order (dyad, then day, then slot). ``tests/test_kernel.py`` checks that both give
the same episodes and trajectories.

Two sub-steps are computed with NumPy before the loop so that they round exactly
like the reference: the Poisson thresholds of the daily episode count (``exp``)
and the reconciliation pull (``** 1.5``), both fixed per dyad, and the fading of
longing with days apart (``exp`` of a whole number of days). The daily breakup
hazard uses the C library's ``exp``, which can differ from NumPy's vectorised
``exp`` in the last bit; a breakup decision could only differ if a uniform draw
fell within about 1e-17 of the hazard.

Mechanism constants come from a ``ModelParams`` at call time (``kernel_params``),
so a changed parameter reaches the kernel without recompiling.
"""

from __future__ import annotations

import hashlib
import math
from collections import namedtuple
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from numba import njit, prange

from empathica.model import motivation, relationship, schema, streams
from empathica.model import traits as traits_module
from empathica.model.motivation import DEFENSIVE, GENUINE, NONE, STRATEGIC
from empathica.model.params import ModelParams
from empathica.model.schema import CONTEXT_FLAGS, NEED_TYPES
from empathica.model.streams import TRAIT_DAY, draw, normal
from empathica.model.traits import TRAIT_MAX, TRAIT_MIN, TRAIT_NAMES

# Same draw layout as engine.step: uniforms 3 per day + 13 per slot; normal j of slot k
# is normal number 64 + 4k + j.
U_PER_DAY, U_PER_SLOT, Z_BASE, Z_PER_SLOT = 3, 13, 64, 4

# Trait positions (TRAIT_NAMES order).
COG, CONT, CONC, REG, ANX, AVO, FRAG, ADM, IMP, SUPP = range(10)
assert TRAIT_NAMES[SUPP] == "expressive_suppression" and len(TRAIT_NAMES) == 10

PHYSICAL = NEED_TYPES.index("physical_pain")
ANGER = NEED_TYPES.index("anger")
GOOD_NEWS = NEED_TYPES.index("good_news")

#: Episode columns by dtype (rows of one 2-d array each), in this order.
EP_FLOAT = (
    "intensity",
    "accuracy",
    "warmth",
    "true_target_feeling",
    "true_perceived_feeling",
    "true_actor_arousal_gain",
    "true_actor_arousal",
)
EP_BOOL = CONTEXT_FLAGS + (
    "responded",
    "committed",
    "followed_through",
    "followed_through_missing",
    "boundary_respected",
    "boundary_respected_missing",
    "true_protest",
)
EP_CODES = ("need", "true_motive", "true_actor_profile", "true_target_profile")
EP_INT64 = ("episode", "dyad", "actor", "target")
TR_FLOAT = (
    "affect_a",
    "affect_b",
    "arousal_a",
    "arousal_b",
    "self_esteem_a",
    "self_esteem_b",
    "trust",
    "satisfaction",
)
TR_INT32 = ("t", "breakups", "reconciliations")
#: Additive episode sums per (pair, actor side), as in ``summary.episode_sums``.
SUM_COLUMNS = (
    "episodes",
    "n_unpaid",
    "r_unpaid",
    "n_paid",
    "r_paid",
    "n_acc",
    "s_acc",
    "n_dist",
    "s_gain",
    "s_level",
    "n_fw",
    "s_fw",
    "n_fu",
    "s_fu",
)
#: Additive day sums per pair: dyad-days, together days, breakups, reconciliations.
DAY_SUM_COLUMNS = ("dyad_days", "together_days", "breakups", "reconciliations")


def _float_fields() -> list[tuple[str, str]]:
    out = []
    for group, info in ModelParams.model_fields.items():
        sub = info.default
        for name in type(sub).model_fields:
            if isinstance(getattr(sub, name), float):
                out.append((group, name))
    return out


_FIELDS = _float_fields()
#: All scalar mechanism constants, named ``group_field`` (e.g. ``perception_noise``).
KernelParams = namedtuple("KernelParams", [f"{g}_{f}" for g, f in _FIELDS])


def kernel_params(model: ModelParams) -> KernelParams:
    """The scalar constants of ``model`` as a flat tuple the compiled loop can read."""
    return KernelParams(*[float(getattr(getattr(model, g), f)) for g, f in _FIELDS])


def need_cdf(model: ModelParams) -> np.ndarray:
    probs = model.context.need_probs
    return np.cumsum(probs) / np.sum(probs)


def episode_thresholds(rate: np.ndarray, cap: int) -> np.ndarray:
    """(n, cap) CDF values of Poisson(rate): the count is how many of them the uniform
    exceeds. The same operations as ``engine.episode_counts``."""
    pmf = np.exp(-rate)
    cdf = pmf.copy()
    out = np.empty((rate.shape[0], cap))
    for k in range(cap):
        out[:, k] = cdf
        pmf = pmf * rate / (k + 1)
        cdf = cdf + pmf
    return out


def dyad_constants(traits: np.ndarray, model: ModelParams, days: int):
    """Per-dyad Poisson thresholds, reconciliation pull and the fade-by-days-apart table,
    computed with NumPy exactly as the reference computes them."""
    rp, ctx = model.relationship, model.context
    avo, anx = traits[AVO], traits[ANX]
    rate = relationship.episode_rate(avo[0], avo[1], ctx.episode_rate, rp)
    thr = episode_thresholds(rate, ctx.max_episodes_per_day)
    pull = np.maximum(anx[0], anx[1]) ** 1.5
    days_apart = np.arange(days + 2, dtype=np.float64)
    fade = np.exp(-days_apart / rp.reconcile_decay_days)
    return thr, pull, fade


@njit(inline="always")
def _clip(x, lo, hi):
    if x < lo:
        return lo
    if x > hi:
        return hi
    return x


@njit(inline="always")
def _u(key, gid, day, index):
    return draw(key, gid, day, np.uint64(index))


@njit(inline="always")
def _z(key, gid, day, index):
    return normal(key, gid, day, np.uint64(index))


def _sources_fingerprint() -> str:
    """Hash of what the kernel compiles in from elsewhere: other modules' code and
    constants, and the layout of ``KernelParams``.

    numba's cache notices changes to this file only; the hash is a closure variable of
    the compiled functions, and closure variables are part of numba's cache key, so a
    change to the random streams or to a code table recompiles the kernel."""
    h = hashlib.sha256()
    for module in (streams, motivation, schema, traits_module):
        h.update(Path(module.__file__).read_bytes())
    # The compiled code reads the constants by position: their names and order too.
    h.update(",".join(KernelParams._fields).encode())
    return h.hexdigest()


def _compile(fingerprint: str) -> None:
    """Define the compiled functions (cached on disk by numba, keyed on ``fingerprint``).

    They are module globals, so that one calling another does not make the callee a
    closure variable (a dispatcher would not give a stable cache key)."""
    global draw_traits, run_dyads, _run_counts_parallel

    @njit(cache=True, nogil=True)
    def draw_traits(
        key: np.uint64,
        dyad_ids: np.ndarray,
        table: np.ndarray,
        pair_codes: np.ndarray,
        dyads_per_pair: int,
        spread: float,
    ) -> np.ndarray:
        """Traits (n_traits, 2, n) as ``engine.draw_traits``: profile mean + spread * z, clipped."""
        assert len(fingerprint) > 0  # makes the fingerprint part of numba's cache key
        n_traits = table.shape[1]
        out = np.empty((n_traits, 2, dyad_ids.shape[0]))
        day = np.uint64(TRAIT_DAY)
        for d in range(dyad_ids.shape[0]):
            gid = dyad_ids[d]
            for s in range(2):
                code = pair_codes[gid // dyads_per_pair, s]
                for i in range(n_traits):
                    z = normal(key, np.uint64(gid), day, np.uint64(2 * i + s))
                    out[i, s, d] = _clip(table[code, i] + spread * z, TRAIT_MIN, TRAIT_MAX)
        return out

    @njit(cache=True, nogil=True)
    def run_dyads(
        lo,
        hi,
        key,
        dyad_ids,
        traits,
        thr,
        pull,
        fade,
        K,
        need_cdf,
        w_cog,
        w_aff,
        days,
        record_every,
        pair_codes,
        dyads_per_pair,
        keep_ep,
        row0,
        ep_offset,
        EF,
        EB,
        ECODES,
        EI64,
        ET,
        keep_traj,
        TF,
        TI,
        TB,
        TD,
        TP,
        keep_sums,
        sums,
        dsums,
        keep_state,
        st_aff,
        st_aro,
        st_est,
        st_trust,
        st_sat,
        st_tog,
        st_apart,
    ):
        """Simulate local dyads ``lo..hi-1`` for ``days`` days.

        Episode rows are written from ``row0`` on while at least ``days * cap`` rows of
        room remain before a dyad starts; returns ``(next dyad, next row)`` so the caller
        can grow the buffers and continue if a chunk ever needs more than estimated.
        """
        assert len(fingerprint) > 0  # makes the fingerprint part of numba's cache key
        cap = thr.shape[1]
        n_rec = TF.shape[1] // max(1, traits.shape[2]) if keep_traj else 0
        n_need = need_cdf.shape[0]
        capacity = EF.shape[1]
        tr = np.empty((2, 10))
        theta = np.empty(2)
        e_point = np.empty(2)
        e_sens = np.empty(2)
        base_ar = np.empty(2)
        keep_ar = np.empty(2)
        inertia = np.empty(2)
        a_set = np.empty(2)
        t_neg = np.empty(2)
        pos_slope = np.empty(2)
        aff = np.empty(2)
        aro = np.empty(2)
        est = np.empty(2)
        break_bound = abs(K.relationship_breakup_base) + abs(K.relationship_breakup_dissatisfied) + 1e-9
        row = row0
        for d in range(lo, hi):
            if keep_ep and row + days * cap > capacity:
                return d, row
            gid_int = dyad_ids[d]
            gid = np.uint64(gid_int)
            pair = gid_int // dyads_per_pair
            code0 = pair_codes[pair, 0]
            code1 = pair_codes[pair, 1]
            for s in range(2):
                for i in range(10):
                    tr[s, i] = traits[i, s, d]
                reg = tr[s, REG]
                anx = tr[s, ANX]
                avo = tr[s, AVO]
                adm = tr[s, ADM]
                theta[s] = K.perception_breakdown_base + K.perception_breakdown_regulation * reg
                e_point[s] = (
                    K.self_image_set_point_base
                    + K.self_image_set_point_admiration * (adm - 0.5)
                    - K.self_image_set_point_anxiety * (anx - 0.5)
                )
                e_sens[s] = K.self_image_sensitivity_base + K.self_image_sensitivity_fragility * max(
                    tr[s, FRAG], anx
                )
                base_ar[s] = K.contagion_baseline_arousal_base + K.contagion_baseline_arousal_dysreg * (
                    1.0 - reg
                )
                keep_ar[s] = _clip(
                    1.0 - K.contagion_recovery_base - K.contagion_recovery_regulation * reg, 0.0, 1.0
                )
                inertia[s] = K.relationship_inertia_base + K.relationship_inertia_dysreg * (1.0 - reg)
                a_set[s] = (
                    K.relationship_set_point_base
                    - K.relationship_set_point_anxiety * anx
                    - K.relationship_set_point_avoidance * avo
                )
                t_neg[s] = K.relationship_neg_threshold_base + K.relationship_neg_threshold_anxiety * anx
                pos_slope[s] = K.relationship_pos_slope * (1.0 - avo)
                aff[s] = a_set[s]
                aro[s] = base_ar[s]
                est[s] = e_point[s]
            trust = 0.6
            sat = 0.3
            together = True
            apart = 0
            block = 1.0 - K.relationship_reconcile_avoidance * max(tr[0, AVO], tr[1, AVO])
            breakups = 0
            recons = 0
            rec = 0
            for day in range(days):
                dday = np.uint64(day)
                impulsive = 0.0
                n_ep = 0
                if together:
                    u0 = _u(key, gid, dday, 0)
                    for k in range(cap):
                        n_ep += u0 > thr[d, k]
                for k in range(n_ep):
                    ub = U_PER_DAY + k * U_PER_SLOT
                    zb = Z_BASE + k * Z_PER_SLOT
                    # The normals do not depend on the state: drawn first, they are computed
                    # while the mechanisms wait on each other (instruction-level parallelism).
                    z_perceive = _z(key, gid, dday, zb)
                    z_motive = _z(key, gid, dday, zb + 1)
                    z_care = _z(key, gid, dday, zb + 3)
                    a = 1 if _u(key, gid, dday, ub) < 0.5 else 0
                    b = 1 - a
                    # --- context of the episode
                    u1 = _u(key, gid, dday, ub + 1)
                    need = 0
                    for i in range(n_need):
                        need += need_cdf[i] <= u1
                    need = min(need, n_need - 1)
                    intensity = 0.5 * (_u(key, gid, dday, ub + 2) + _u(key, gid, dday, ub + 3))
                    audience = _u(key, gid, dday, ub + 4) < K.context_p_audience
                    benefit = _u(key, gid, dday, ub + 5) < K.context_p_benefit
                    p_threat = K.context_p_threat_anger if need == ANGER else K.context_p_threat_other
                    threat = _u(key, gid, dday, ub + 6) < p_threat
                    boundary = _u(key, gid, dday, ub + 7) < K.context_p_boundary
                    prompt = _u(key, gid, dday, ub + 8) < K.context_p_prompt
                    true_feeling = (1.0 if need == GOOD_NEWS else -1.0) * intensity
                    f_aud = 1.0 if audience else 0.0
                    f_ben = 1.0 if benefit else 0.0
                    # --- the target feels the need and shows it
                    t_arousal = aro[b] + K.contagion_own_need_gain * abs(true_feeling) * (1.0 - aro[b])
                    t_affect = aff[b] + K.contagion_own_need_gain * (true_feeling - aff[b])
                    cue = true_feeling * (1.0 - K.contagion_suppression_damping * tr[b, SUPP])
                    # --- the actor perceives and catches the feeling
                    a_arousal0 = aro[a]
                    skill = w_cog[need] * tr[a, COG] + w_aff[need] * tr[a, CONT]
                    excess = max(0.0, a_arousal0 - theta[a])
                    sd = (
                        max(K.perception_noise_floor, K.perception_noise * (1.0 - skill))
                        + K.perception_breakdown_gain * excess
                    )
                    ambiguity = 1.0 - min(1.0, abs(cue))
                    bias = -K.perception_rejection_bias * tr[a, ANX] * excess * ambiguity
                    perceived = _clip(cue + bias + sd * z_perceive, -1.0, 1.0)
                    a_arousal = a_arousal0 + K.contagion_arousal_gain * tr[a, CONT] * abs(perceived) * (
                        1.0 - 0.5 * a_arousal0
                    )
                    a_affect = aff[a] + K.contagion_affect_gain * tr[a, CONT] * (perceived - aff[a])
                    # --- motives compete
                    concern = tr[a, CONC]
                    scope = K.motivation_prompt_physical_factor if need == PHYSICAL else 1.0
                    shortfall = max(0.0, K.motivation_prompt_reference - concern)
                    lift = K.motivation_prompt_gain * scope * shortfall
                    concern_eff = concern + lift if prompt else concern
                    bond = K.motivation_bond_base + (1.0 - K.motivation_bond_base) * trust
                    care_drive = concern_eff + K.motivation_attachment_gain * tr[a, ANX] * a_arousal
                    distance = 1.0 - K.motivation_avoidance_damping * tr[a, AVO]
                    genuine = care_drive * abs(perceived) * bond * distance
                    strategic = (
                        tr[a, ADM]
                        * tr[a, ADM]
                        * (K.motivation_audience_weight * f_aud + K.motivation_benefit_weight * f_ben)
                    )
                    deficit = max(0.0, e_point[a] - est[a])
                    frag = tr[a, FRAG]
                    defensive = (1.0 if threat else 0.0) * (frag * frag) * (1.0 + 2.0 * deficit)
                    noise = (
                        K.motivation_noise
                        * (1.0 + K.motivation_impulsive_noise * tr[a, IMP] * a_arousal)
                        * z_motive
                    )
                    approach = max(genuine, strategic) + noise
                    withdraw = (K.motivation_defense_weight * defensive > approach) and (defensive > 0)
                    if withdraw:
                        motive = DEFENSIVE
                    elif approach > K.motivation_threshold:
                        motive = GENUINE if genuine >= strategic else STRATEGIC
                    else:
                        motive = NONE
                    # --- the response and what becomes of it
                    is_genuine = motive == GENUINE
                    responded = is_genuine or motive == STRATEGIC
                    imp_aro = K.response_projection * tr[a, IMP] * a_arousal
                    accuracy = np.nan
                    warmth = np.nan
                    committed = False
                    followed = False
                    if responded:
                        aim = (1.0 - imp_aro) * perceived + imp_aro * a_affect
                        accuracy = _clip(1.0 - abs(aim - true_feeling), 0.0, 1.0)
                        if is_genuine:
                            warmth = K.response_warmth_genuine_base + (
                                K.response_warmth_genuine_concern * concern_eff
                            )
                            p_commit = K.response_commit_genuine_base + (
                                K.response_commit_genuine_need * intensity
                            )
                        else:
                            warmth = K.response_warmth_strategic_base + (
                                K.response_warmth_strategic_audience * f_aud
                            )
                            p_commit = K.response_commit_strategic
                        z_warmth = _z(key, gid, dday, zb + 2)
                        warmth = _clip(warmth + K.response_warmth_noise * z_warmth, 0.0, 1.0)
                        committed = _u(key, gid, dday, ub + 9) < p_commit
                        if committed:
                            if is_genuine:
                                p_follow = (
                                    K.response_follow_genuine
                                    - K.response_follow_dysregulation * tr[a, IMP] * a_arousal
                                )
                            elif audience:
                                p_follow = K.response_follow_strategic_watched
                            else:
                                p_follow = K.response_follow_strategic_unwatched
                            followed = _u(key, gid, dday, ub + 10) < p_follow
                    respected = False
                    if boundary:
                        self_interest = tr[a, ADM] * max(0.0, 1.0 - concern_eff)
                        if is_genuine:
                            self_interest = 0.5 * self_interest
                        p_boundary = (
                            K.response_boundary_base
                            - K.response_boundary_protest * tr[a, ANX] * a_arousal
                            - K.response_boundary_self_interest * self_interest * (1.0 - f_aud)
                        )
                        respected = _u(key, gid, dday, ub + 11) < p_boundary
                    # --- the target reads the response
                    t_excess = max(0.0, t_arousal - theta[b])
                    if responded:
                        shown = 0.5 * (warmth + accuracy)
                    else:
                        shown = 0.5 * (1.0 - intensity)
                    care = _clip(shown - tr[b, ANX] * t_excess + K.relationship_care_noise * z_care, 0.0, 1.0)
                    if responded:
                        t_affect = t_affect + K.relationship_validation_gain * care
                    else:
                        t_affect = t_affect - K.relationship_unmet_cost * intensity
                    t_esteem = _clip(est[b] + e_sens[b] * (care - 0.5), 0.0, 1.0)
                    protest = False
                    if care < K.relationship_rejection_level:
                        p_protest = _clip(tr[b, ANX] * (K.relationship_protest_base + t_arousal), 0.0, 1.0)
                        protest = _u(key, gid, dday, ub + 12) < p_protest
                    if protest:
                        impulsive = max(impulsive, K.relationship_breakup_impulsive * tr[b, IMP] * tr[b, ANX])
                        t_arousal = t_arousal + K.relationship_protest_arousal * (1.0 - t_arousal)
                        a_arousal = a_arousal + K.relationship_protest_arousal * (1.0 - a_arousal)
                    # --- the actor's self-image
                    a_esteem = est[a]
                    if threat and motive != DEFENSIVE:
                        a_esteem = a_esteem + e_sens[a] * (-0.5 * intensity)
                    a_esteem = _clip(a_esteem, 0.0, 1.0)
                    if responded and audience:
                        a_esteem = a_esteem + K.self_image_supply_gain * tr[a, ADM] * (1.0 - a_esteem)
                    # --- write back
                    aff[b] = _clip(t_affect, -1.0, 1.0)
                    aro[b] = _clip(t_arousal, 0.0, 1.0)
                    est[b] = t_esteem
                    aff[a] = _clip(a_affect, -1.0, 1.0)
                    aro[a] = _clip(a_arousal, 0.0, 1.0)
                    est[a] = a_esteem
                    trust = trust + K.relationship_trust_rate * (care - trust)
                    if committed and not followed:
                        trust = trust - K.relationship_broken_promise
                    if boundary and not respected:
                        trust = trust - K.relationship_boundary_violation
                    trust = _clip(trust, 0.0, 1.0)
                    if protest:
                        sat = sat - K.relationship_protest_cost
                    a_level = _clip(a_arousal, 0.0, 1.0)  # as written back to the state
                    gain = a_level - a_arousal0
                    if keep_ep:
                        EI64[0, row] = ep_offset + row
                        EI64[1, row] = gid_int
                        EI64[2, row] = 2 * gid_int + a
                        EI64[3, row] = 2 * gid_int + b
                        ET[row] = day
                        ECODES[0, row] = need
                        ECODES[1, row] = motive
                        ECODES[2, row] = code1 if a == 1 else code0
                        ECODES[3, row] = code0 if a == 1 else code1
                        EF[0, row] = intensity
                        EF[1, row] = accuracy
                        EF[2, row] = warmth
                        EF[3, row] = true_feeling
                        EF[4, row] = perceived
                        EF[5, row] = gain
                        EF[6, row] = a_level
                        EB[0, row] = audience
                        EB[1, row] = benefit
                        EB[2, row] = threat
                        EB[3, row] = boundary
                        EB[4, row] = prompt
                        EB[5, row] = responded
                        EB[6, row] = committed
                        EB[7, row] = followed and committed
                        EB[8, row] = not committed
                        EB[9, row] = respected and boundary
                        EB[10, row] = not boundary
                        EB[11, row] = protest
                        row += 1
                    if keep_sums:  # branch-free: these conditions are coin flips
                        g = 2 * pair + a
                        paid = 1.0 if (audience or benefit) else 0.0
                        f_resp = 1.0 if responded else 0.0
                        f_dist = 0.0 if need == GOOD_NEWS else 1.0
                        f_com = 1.0 if committed else 0.0
                        f_kept = 1.0 if followed else 0.0
                        sums[g, 0] += 1.0
                        sums[g, 1] += 1.0 - paid
                        sums[g, 2] += f_resp * (1.0 - paid)
                        sums[g, 3] += paid
                        sums[g, 4] += f_resp * paid
                        sums[g, 5] += f_resp
                        sums[g, 6] += accuracy if responded else 0.0
                        sums[g, 7] += f_dist
                        sums[g, 8] += gain * f_dist
                        sums[g, 9] += a_level * f_dist
                        sums[g, 10] += f_com * f_aud
                        sums[g, 11] += f_com * f_aud * f_kept
                        sums[g, 12] += f_com * (1.0 - f_aud)
                        sums[g, 13] += f_com * (1.0 - f_aud) * f_kept
                # --- end of day
                old0 = aff[0]
                old1 = aff[1]
                for s in range(2):
                    own = old0 if s == 0 else old1
                    partner = old1 if s == 0 else old0
                    pull_s = 0.0
                    if together:
                        neg = K.relationship_neg_slope * partner if partner < t_neg[s] else 0.0
                        pos = pos_slope[s] * partner if partner > K.relationship_pos_threshold else 0.0
                        pull_s = neg + pos
                    r = inertia[s]
                    aff[s] = _clip(r * own + (1.0 - r) * a_set[s] + pull_s, -1.0, 1.0)
                    ar = base_ar[s] + (aro[s] - base_ar[s]) * keep_ar[s]
                    if not together:
                        ar = ar + K.relationship_longing * tr[s, ANX] * (1.0 - ar)
                    aro[s] = ar
                    est[s] = _clip(
                        est[s]
                        + K.self_image_relax * (e_point[s] - est[s])
                        - K.self_image_supply_drain * tr[s, ADM],
                        0.0,
                        1.0,
                    )
                broke = False
                reconciled = False
                if together:
                    target = 0.5 * (aff[0] + aff[1]) + (trust - K.relationship_trust_reference)
                    sat = _clip(sat + K.relationship_satisfaction_rate * (target - sat), -1.0, 1.0)
                    u_break = _u(key, gid, dday, 1)
                    # The hazard is at most base + dissatisfied + impulsive (the logistic is at
                    # most 1): a draw clearly above that bound decides without the exp.
                    if u_break < break_bound + impulsive:
                        chronic = K.relationship_breakup_base + K.relationship_breakup_dissatisfied / (
                            1.0 + math.exp(-(K.relationship_breakup_threshold - sat) / 0.05)
                        )
                        p_break = 1.0 - (1.0 - chronic) * (1.0 - impulsive)
                        broke = u_break < p_break
                else:
                    p_rec = (
                        K.relationship_reconcile_rate * pull[d] * block * fade[apart] * (0.3 + 0.7 * trust)
                    )
                    reconciled = _u(key, gid, dday, 2) < p_rec
                together = (together and not broke) or reconciled
                if reconciled:
                    sat = max(sat, 0.1)
                apart = 0 if together else apart + 1
                breakups += broke
                recons += reconciled
                if keep_sums:
                    dsums[pair, 0] += 1.0
                    dsums[pair, 1] += together
                    dsums[pair, 2] += broke
                    dsums[pair, 3] += reconciled
                if keep_traj and ((day + 1) % record_every == 0 or day == days - 1):
                    j = d * n_rec + rec
                    TF[0, j] = aff[0]
                    TF[1, j] = aff[1]
                    TF[2, j] = aro[0]
                    TF[3, j] = aro[1]
                    TF[4, j] = est[0]
                    TF[5, j] = est[1]
                    TF[6, j] = trust
                    TF[7, j] = sat
                    TI[0, j] = day
                    TI[1, j] = breakups
                    TI[2, j] = recons
                    TB[j] = together
                    TD[j] = gid_int
                    TP[0, j] = code0
                    TP[1, j] = code1
                    rec += 1
                    breakups = 0
                    recons = 0
            if keep_state:
                for s in range(2):
                    st_aff[s, d] = aff[s]
                    st_aro[s, d] = aro[s]
                    st_est[s, d] = est[s]
                st_trust[d] = trust
                st_sat[d] = sat
                st_tog[d] = together
                st_apart[d] = apart
        return hi, row

    @njit(cache=True, nogil=True, parallel=True)
    def _run_counts_parallel(
        n_blocks, key, dyad_ids, traits, thr, pull, fade, K, need_cdf, w_cog, w_aff, days, pair_codes,
        dyads_per_pair, sums, dsums, st_aff, st_aro, st_est, st_trust, st_sat, st_tog, st_apart,
    ):  # fmt: skip
        assert len(fingerprint) > 0  # makes the fingerprint part of numba's cache key
        n = dyad_ids.shape[0]
        ef = np.empty((len(EP_FLOAT), 0))
        eb = np.empty((len(EP_BOOL), 0), dtype=np.bool_)
        ecodes = np.empty((len(EP_CODES), 0), dtype=np.int16)
        ei64 = np.empty((len(EP_INT64), 0), dtype=np.int64)
        et = np.empty(0, dtype=np.int32)
        tf = np.empty((len(TR_FLOAT), 0), dtype=np.float32)
        ti = np.empty((len(TR_INT32), 0), dtype=np.int32)
        tb = np.empty(0, dtype=np.bool_)
        td = np.empty(0, dtype=np.int64)
        tp = np.empty((2, 0), dtype=np.int16)
        for blk in prange(n_blocks):
            lo = blk * n // n_blocks
            hi = (blk + 1) * n // n_blocks
            run_dyads(
                lo, hi, key, dyad_ids, traits, thr, pull, fade, K, need_cdf, w_cog, w_aff, days, 1,
                pair_codes, dyads_per_pair, False, 0, 0, ef, eb, ecodes, ei64, et, False, tf, ti, tb, td, tp,
                True, sums[blk], dsums[blk], True, st_aff, st_aro, st_est, st_trust, st_sat, st_tog, st_apart,
            )  # fmt: skip


_compile(_sources_fingerprint())


# ---------------------------------------------------------------------------------------------
# Python side: buffers, capacity, and the per-chunk entry points used by ``simulation``.


@dataclass
class ChunkArrays:
    """Kernel output of one chunk: episode and trajectory columns as 2-d arrays by dtype
    (rows named by ``EP_*`` / ``TR_*``), already trimmed to the rows written."""

    n_episodes: int
    ef: np.ndarray
    eb: np.ndarray
    ecodes: np.ndarray
    ei64: np.ndarray
    et: np.ndarray
    tf: np.ndarray | None
    ti: np.ndarray | None
    tb: np.ndarray | None
    td: np.ndarray | None
    tp: np.ndarray | None
    sums: np.ndarray | None = None  # (2 * n_pairs, len(SUM_COLUMNS)) if asked for


def record_days(days: int, record_every: int) -> int:
    return sum(1 for day in range(days) if (day + 1) % record_every == 0 or day == days - 1)


def expected_episodes(thr: np.ndarray, days: int) -> float:
    """Mean number of episodes if the dyads stayed together every day."""
    # E[count] = sum_k P(u > cdf_k) = sum_k (1 - cdf_k)
    return float(days * np.sum(1.0 - thr))


def _empty_states(n: int):
    return (
        np.empty((2, n)),
        np.empty((2, n)),
        np.empty((2, n)),
        np.empty(n),
        np.empty(n),
        np.empty(n, dtype=np.bool_),
        np.empty(n, dtype=np.int32),
    )


def _episode_buffers(capacity: int):
    return (
        np.empty((len(EP_FLOAT), capacity)),
        np.empty((len(EP_BOOL), capacity), dtype=np.bool_),
        np.empty((len(EP_CODES), capacity), dtype=np.int16),
        np.empty((len(EP_INT64), capacity), dtype=np.int64),
        np.empty(capacity, dtype=np.int32),
    )


@dataclass(frozen=True)
class Setup:
    """Everything the kernel reads for one chunk of dyads."""

    key: np.uint64
    dyad_ids: np.ndarray
    traits: np.ndarray
    thr: np.ndarray
    pull: np.ndarray
    fade: np.ndarray
    K: KernelParams
    need_cdf: np.ndarray
    w_cog: np.ndarray
    w_aff: np.ndarray
    pair_codes: np.ndarray
    dyads_per_pair: int


def setup(
    key: np.uint64,
    dyad_ids: np.ndarray,
    table: np.ndarray,
    pair_codes: np.ndarray,
    dyads_per_pair: int,
    spread: float,
    model: ModelParams,
    days: int,
) -> Setup:
    """Draw the chunk's traits and compute its per-dyad constants.

    ``table`` is (n_profiles, n_traits) of trait means; ``pair_codes`` (n_pairs, 2) of
    profile codes; dyad ``i`` pairs ``pair_codes[i // dyads_per_pair]``."""
    dyad_ids = np.ascontiguousarray(dyad_ids, dtype=np.int64)
    pair_codes = np.ascontiguousarray(pair_codes, dtype=np.int64)
    table = np.ascontiguousarray(table, dtype=np.float64)
    traits = draw_traits(np.uint64(key), dyad_ids, table, pair_codes, int(dyads_per_pair), float(spread))
    thr, pull, fade = dyad_constants(traits, model, days)
    p = model.perception
    return Setup(
        np.uint64(key),
        dyad_ids,
        traits,
        thr,
        pull,
        fade,
        kernel_params(model),
        need_cdf(model),
        np.asarray(p.w_cognitive, dtype=np.float64),
        np.asarray(p.w_affective, dtype=np.float64),
        pair_codes,
        int(dyads_per_pair),
    )


def run_chunk(
    su: Setup,
    days: int,
    record_every: int = 1,
    keep_episodes: bool = True,
    keep_trajectories: bool = True,
    episode_offset: int = 0,
    n_pairs: int = 0,
) -> ChunkArrays:
    """Run one chunk and return its episode and trajectory columns; with ``n_pairs``
    (the number of pairings in the run) also the summary's episode sums."""
    n = su.dyad_ids.shape[0]
    cap = su.thr.shape[1]
    n_rec = record_days(days, record_every) if keep_trajectories else 0
    tf = np.empty((len(TR_FLOAT), n * n_rec), dtype=np.float32)
    ti = np.empty((len(TR_INT32), n * n_rec), dtype=np.int32)
    tb = np.empty(n * n_rec, dtype=np.bool_)
    td = np.empty(n * n_rec, dtype=np.int64)
    tp = np.empty((2, n * n_rec), dtype=np.int16)
    keep_sums = n_pairs > 0
    sums = np.zeros((2 * n_pairs, len(SUM_COLUMNS)))
    dsums = np.zeros((n_pairs, len(DAY_SUM_COLUMNS)))
    states = _empty_states(0)
    if keep_episodes:
        capacity = int(1.02 * expected_episodes(su.thr, days)) + days * cap + 64
    else:
        capacity = 0
    parts = []
    start, row0, offset = 0, 0, int(episode_offset)
    while True:
        bufs = _episode_buffers(capacity)
        stop, rows = run_dyads(
            start, n, su.key, su.dyad_ids, su.traits, su.thr, su.pull, su.fade, su.K, su.need_cdf,
            su.w_cog, su.w_aff, int(days), int(record_every), su.pair_codes, su.dyads_per_pair,
            keep_episodes, row0, offset, *bufs, keep_trajectories, tf, ti, tb, td, tp,
            keep_sums, sums, dsums, False, *states,
        )  # fmt: skip
        parts.append(tuple(x[..., :rows] for x in bufs))
        if stop >= n:
            break
        # Rare: more episodes than estimated. Continue in a fresh buffer sized for the rest.
        offset += rows
        start = stop
        rest = su.thr[start:]
        capacity = int(1.1 * expected_episodes(rest, days)) + days * cap + 64
    if len(parts) == 1:
        ef, eb, ecodes, ei64, et = parts[0]
    else:
        ef, eb, ecodes, ei64, et = (np.concatenate(cols, axis=-1) for cols in zip(*parts, strict=True))
    if not keep_trajectories:
        tf = ti = tb = td = tp = None
    return ChunkArrays(
        int(et.shape[0]), ef, eb, ecodes, ei64, et, tf, ti, tb, td, tp, sums if keep_sums else None
    )


@dataclass
class Counts:
    """Additive sums of a counts-only run (no episode log kept) and the final state."""

    sums: np.ndarray  # (n_pairs * 2, len(SUM_COLUMNS)): row 2 * pair + actor side
    day_sums: np.ndarray  # (n_pairs, len(DAY_SUM_COLUMNS))
    affect: np.ndarray
    arousal: np.ndarray
    self_esteem: np.ndarray
    trust: np.ndarray
    satisfaction: np.ndarray
    together: np.ndarray
    days_apart: np.ndarray

    @property
    def n_episodes(self) -> int:
        return int(round(self.sums[:, 0].sum()))


def run_counts(su: Setup, days: int, n_pairs: int, blocks: int = 64) -> Counts:
    """Run one chunk keeping only additive sums and the final state; uses numba's
    threads (``numba.set_num_threads``) over blocks of dyads."""
    n = su.dyad_ids.shape[0]
    blocks = max(1, min(int(blocks), n))
    sums = np.zeros((blocks, 2 * n_pairs, len(SUM_COLUMNS)))
    dsums = np.zeros((blocks, n_pairs, len(DAY_SUM_COLUMNS)))
    states = _empty_states(n)
    _run_counts_parallel(
        blocks, su.key, su.dyad_ids, su.traits, su.thr, su.pull, su.fade, su.K, su.need_cdf, su.w_cog,
        su.w_aff, int(days), su.pair_codes, su.dyads_per_pair, sums, dsums, *states,
    )  # fmt: skip
    return Counts(sums.sum(axis=0), dsums.sum(axis=0), *states)


def state_bytes_per_agent(n_traits: int = len(TRAIT_NAMES), cap: int = 3) -> float:
    """Bytes the kernel holds per agent: traits and state (float64), per-dyad state and
    constants (trust, satisfaction, together, days apart, Poisson thresholds, pull),
    halved per agent."""
    per_agent = 8 * n_traits + 3 * 8
    per_dyad = 8 + 8 + 1 + 4 + 8 * cap + 8
    return per_agent + per_dyad / 2
