"""The fused kernel: days of a chunk of dyads in one compiled loop, composed of the mechanisms.

Every equation lives in its mechanism module (``context``, ``perception``,
``contagion``, ``motivation``, ``self_image``, ``response``, ``relationship``); this
loop only composes them in the order of an interaction episode (BRIEF), draws the
random numbers (``streams``: every draw addressed by dyad, day and index) and writes
what happened. The mechanisms are inlined by numba, so the composition runs as fast
as hand-written code: dyad outer and day inner, a dyad's state stays in registers,
and only the random numbers a day actually uses are drawn (a skipped draw changes
nothing else, because draws are addressed, not sequential).

``run_dyads`` advances the state of dyads ``lo..hi-1`` (arrays in and out) from
``first_day`` for ``n_days``: ``simulation`` runs a whole history in one call and
``step`` runs one day, with the same results.
"""

from __future__ import annotations

import numpy as np

from empathica.model import (
    adaptation,
    contagion,
    context,
    impressions,
    jit,
    loved_ones,
    motivation,
    perception,
    relationship,
    repair,
    response,
    self_image,
    strain,
    traits,
)
from empathica.model.context import GOOD_NEWS, PHYSICAL
from empathica.model.jit import compiled, mechanism
from empathica.model.loved_ones import (
    BOUND,
    CALM,
    CONSIST,
    CRIT,
    ENGAGE,
    NEUTRAL,
    POLICY_FIELDS,
    PROMPT,
    VALID,
)
from empathica.model.motivation import DEFENSIVE, GENUINE, STRATEGIC
from empathica.model.schema import CONTEXT_FLAGS
from empathica.model.streams import bits, field16, field32, normal, uniform
from empathica.model.traits import TRAIT_NAMES

# Draw layout of a dyad-day (indices of 64-bit words in its stream, ``streams``):
#   word 0:        32-bit fields: episode count | breakup (together) or reconciliation (apart)
#   words 1+3k..:  episode slot k, three words of four 16-bit fields each:
#                  side, need, intensity, intensity | audience, benefit, threat, boundary request |
#                  perspective prompt, promise, follow-through, boundary respected
#   word 10+k:     slot k's protest (a 53-bit uniform, drawn only after a rejection)
#   normal 16+4k+j: slot k's normals: perception, motive, warmth, the target's reading of care
#   word 28+k:     slot k's repair (drawn only after a rupture): attempt | acceptance
#   normal 31+s:   day 0 only: partner s's first reading of the other (acquaintance)
#   word 33:       an outside stressful event (drawn only while together)
W_DAY, W_SLOT, WORDS_PER_SLOT, W_PROTEST, Z_SLOT, Z_PER_SLOT = 0, 1, 3, 10, 16, 4
W_REPAIR, Z_ACQUAINT, W_EVENT = 28, 31, 33
assert (
    W_SLOT + WORDS_PER_SLOT * context.MAX_EPISODES <= W_PROTEST
    and W_PROTEST + context.MAX_EPISODES <= Z_SLOT
    and Z_SLOT + Z_PER_SLOT * context.MAX_EPISODES <= W_REPAIR
    and W_REPAIR + context.MAX_EPISODES <= Z_ACQUAINT
)

# Trait positions (TRAIT_NAMES order).
COG, CONT, CONC, REG, ANX, AVO, FRAG, ADM, IMP, SUPP = range(10)
assert TRAIT_NAMES[SUPP] == "expressive_suppression" and len(TRAIT_NAMES) == 10

#: Dynamic state of a dyad, as rows of two arrays: floats and integers. Relationship
#: states are directed: ``trust_a`` is partner a's trust in b, ``liking_a`` a's
#: liking of b, ``quality_a`` the slow part of a's satisfaction (``adaptation``).
STATE_FLOAT = (
    "affect_a",
    "affect_b",
    "arousal_a",
    "arousal_b",
    "self_esteem_a",
    "self_esteem_b",
    "trust_a",
    "trust_b",
    "satisfaction_a",
    "satisfaction_b",
    "liking_a",
    "liking_b",
    "quality_a",
    "quality_b",
    "confusion_a",
    "confusion_b",
    "exhaustion_a",
    "exhaustion_b",
)
STATE_INT = ("together", "days_apart")
AFF, ARO, EST, TRUST, SAT, IMPR, QUAL, CONF, EXH = 0, 2, 4, 6, 8, 10, 12, 14, 16
N_POLICY = len(POLICY_FIELDS)

#: Episode columns by dtype (rows of one 2-d array each: float32, bool, int16 codes, int64), in this order.
EP_FLOAT = (
    "intensity",
    "accuracy",
    "warmth",
    "true_target_feeling",
    "true_perceived_feeling",
    "true_actor_arousal_gain",
    "true_actor_arousal",
    "true_felt_care",
    "true_target_trust",
)
EP_BOOL = CONTEXT_FLAGS + (
    "responded",
    "committed",
    "followed_through",
    "followed_through_missing",
    "boundary_respected",
    "boundary_respected_missing",
    "true_protest",
    "true_rupture",
    "true_repair_attempted",
    "true_repair_accepted",
)
EP_CODES = ("need", "true_motive", "true_actor_profile", "true_target_profile")
EP_INT64 = ("episode", "dyad", "actor", "target")
TR_FLOAT = STATE_FLOAT
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


@mechanism
def _w(key, gid, day, index):
    return bits(key, gid, day, np.uint64(index))


@mechanism
def _z(key, gid, day, index):
    return normal(key, gid, day, np.uint64(index))


@mechanism
def _start(tr, s, C):
    """(affect, arousal, self-esteem) of agent ``s`` (traits ``tr[s]``) when a relationship starts."""
    return (
        relationship.affect_set_point(tr[s, ANX], tr[s, AVO], C.relationship),
        contagion.baseline_arousal(tr[s, REG], C.contagion),
        self_image.set_point(tr[s, ADM], tr[s, ANX], C.self_image),
    )


@mechanism
def _acquaint(tr, s, key, gid, C):
    """(impression, trust, satisfaction, quality) of agent ``s``'s view of the other at
    acquaintance: the first reading of what the other shows (``impressions``)."""
    o = 1 - s
    imp, rel = C.impressions, C.relationship
    shown = impressions.shown_warmth(tr[o, CONC], tr[o, ADM], tr[o, AVO], imp)
    liking = impressions.first_impression(shown, _z(key, gid, np.uint64(0), Z_ACQUAINT + s), imp)
    quality = impressions.initial_quality(liking, imp)
    return (
        liking,
        impressions.initial_trust(liking, tr[s, ANX], tr[s, AVO], imp, rel),
        impressions.initial_satisfaction(quality, rel),
        quality,
    )


@compiled(nogil=True)
def initial_state(tr_all, key, dyad_ids, C):
    """State arrays (STATE_FLOAT rows, STATE_INT rows) of dyads at the start of a
    relationship, from their traits (n_traits, 2, n) and their global ids."""
    n = tr_all.shape[2]
    sf = np.empty((len(STATE_FLOAT), n))
    si = np.empty((len(STATE_INT), n), dtype=np.int64)
    tr = np.empty((2, 10))
    for d in range(n):
        for s in range(2):
            for i in range(10):
                tr[s, i] = tr_all[i, s, d]
        for s in range(2):
            sf[AFF + s, d], sf[ARO + s, d], sf[EST + s, d] = _start(tr, s, C)
            sf[IMPR + s, d], sf[TRUST + s, d], sf[SAT + s, d], sf[QUAL + s, d] = _acquaint(
                tr, s, key, np.uint64(dyad_ids[d]), C
            )
            sf[CONF + s, d] = 0.0
            sf[EXH + s, d] = 0.0
        si[0, d] = 1
        si[1, d] = 0
    return sf, si


@compiled(nogil=True)
def run_dyads(
    lo, hi, key, dyad_ids, tr_all, pol_all, table, spread, C, first_day, n_days, record_every, pair_codes,
    dyads_per_pair, sf, si, keep_ep, row0, ep_offset, EF, EB, ECODES, EI64, ET, keep_traj, TF, TI, TB,
    TD, TP, keep_sums, sums, dsums,
):  # fmt: skip
    """Advance local dyads ``lo..hi-1`` by ``n_days`` days from ``first_day``.

    Traits come from ``tr_all`` (n_traits, 2, n) or, when it is empty, are drawn per dyad
    around the profile means of ``table`` (``traits.agent_trait``); each partner's
    loved-one policy from ``pol_all`` (N_POLICY, 2, n), neutral when it is empty
    (``loved_ones``); the state comes from
    and goes back to ``sf``, ``si`` or, when they are empty, starts a relationship and is
    not kept. So a run needs no per-dyad arrays beyond what it writes.

    Episode rows are written from ``row0`` on while at least ``n_days * cap`` rows of
    room remain before a dyad starts; returns ``(next dyad, next row)`` so the caller
    can grow the buffers and continue if a chunk ever needs more than estimated.
    """
    ctx, per, con, mot, res, sel, rel = (
        C.context, C.perception, C.contagion, C.motivation, C.response, C.self_image, C.relationship,
    )  # fmt: skip
    dis, soc, imp, rep, ada = C.distress, C.sociometer, C.impressions, C.repair, C.adaptation
    stn, lov = C.strain, C.loved_ones
    cap = ctx.max_episodes_per_day
    last_day = first_day + n_days - 1
    n_rec = TF.shape[1] // max(1, dyad_ids.shape[0]) if keep_traj else 0
    given_traits = tr_all.shape[2] > 0
    given_policy = pol_all.shape[2] > 0
    kept_state = sf.shape[1] > 0
    capacity = EF.shape[1]
    tr = np.empty((2, 10))
    pol = np.empty((2, N_POLICY))
    e_point = np.empty(2)
    e_sens = np.empty(2)
    aff = np.empty(2)
    aro = np.empty(2)
    est = np.empty(2)
    trust = np.empty(2)  # trust[s]: s's trust in the other; likewise sat, liking, quality
    sat = np.empty(2)
    liking = np.empty(2)
    quality = np.empty(2)
    confused = np.empty(2)
    exhausted = np.empty(2)
    vuln = np.empty(2)
    load = np.zeros(2)  # today's ruptures suffered and protests faced; repairs accepted; needs met warmly
    repairs = np.zeros(2)
    met = np.zeros(2)
    row = row0
    for d in range(lo, hi):
        if keep_ep and row + n_days * cap > capacity:
            return d, row
        gid_int = dyad_ids[d]
        gid = np.uint64(gid_int)
        pair = gid_int // dyads_per_pair
        code0 = pair_codes[pair, 0]
        code1 = pair_codes[pair, 1]
        for s in range(2):
            code = code0 if s == 0 else code1
            for i in range(10):
                tr[s, i] = (
                    tr_all[i, s, d]
                    if given_traits
                    else traits.agent_trait(key, gid, i, s, table[code, i], spread)
                )
            for j in range(N_POLICY):
                pol[s, j] = pol_all[j, s, d] if given_policy else NEUTRAL[j]
            e_point[s] = self_image.set_point(tr[s, ADM], tr[s, ANX], sel)
            e_sens[s] = self_image.sensitivity(tr[s, FRAG], tr[s, ANX], sel)
            vuln[s] = adaptation.vulnerability(tr[s, ANX], tr[s, REG], ada)
        for s in range(2):
            if kept_state:
                aff[s], aro[s], est[s] = sf[AFF + s, d], sf[ARO + s, d], sf[EST + s, d]
                trust[s], sat[s] = sf[TRUST + s, d], sf[SAT + s, d]
                liking[s], quality[s] = sf[IMPR + s, d], sf[QUAL + s, d]
                confused[s], exhausted[s] = sf[CONF + s, d], sf[EXH + s, d]
            else:
                aff[s], aro[s], est[s] = _start(tr, s, C)
                liking[s], trust[s], sat[s], quality[s] = _acquaint(tr, s, key, gid, C)
                confused[s], exhausted[s] = 0.0, 0.0
        if kept_state:
            together, apart = si[0, d] != 0, si[1, d]
        else:
            together, apart = True, 0
        rate = relationship.episode_rate(tr[0, AVO], tr[1, AVO], ctx.episode_rate, rel)
        thresholds = context.episode_thresholds(rate, cap)
        breakups = 0
        recons = 0
        rec = 0
        for day in range(first_day, first_day + n_days):
            dday = np.uint64(day)
            impulsive = 0.0
            for s in range(2):
                load[s] = 0.0
                repairs[s] = 0.0
                met[s] = 0.0
            w_day = _w(key, gid, dday, W_DAY)
            n_ep = context.episode_count(field32(w_day, 0), thresholds) if together else 0
            for k in range(n_ep):
                zb = Z_SLOT + k * Z_PER_SLOT
                # The normals do not depend on the state: drawn first, they are computed
                # while the mechanisms wait on each other (instruction-level parallelism).
                z_perceive = _z(key, gid, dday, zb)
                z_motive = _z(key, gid, dday, zb + 1)
                z_care = _z(key, gid, dday, zb + 3)
                w_who = _w(key, gid, dday, W_SLOT + WORDS_PER_SLOT * k)
                w_context = _w(key, gid, dday, W_SLOT + WORDS_PER_SLOT * k + 1)
                w_response = _w(key, gid, dday, W_SLOT + WORDS_PER_SLOT * k + 2)
                a = 1 if field16(w_who, 0) < 0.5 else 0  # the responder; b has the need
                b = 1 - a
                # --- the situation (context)
                need = context.need_type(field16(w_who, 1), ctx)
                intensity = context.intensity(field16(w_who, 2), field16(w_who, 3))
                audience = field16(w_context, 0) < ctx.p_audience
                benefit = field16(w_context, 1) < ctx.p_benefit
                # the target's policy: how often criticism, boundaries, prompts are voiced (A19)
                threat = field16(w_context, 2) < loved_ones.voiced(
                    context.threat_probability(need, ctx), pol[b, CRIT]
                )
                boundary = field16(w_context, 3) < loved_ones.voiced(ctx.p_boundary, pol[b, BOUND])
                prompt = field16(w_response, 0) < loved_ones.prompted(ctx.p_prompt, pol[b, PROMPT])
                true_feeling = context.true_feeling(need, intensity)
                # --- the target feels the need and shows it (A12)
                t_affect, t_arousal = contagion.feel_own_need(aff[b], aro[b], true_feeling, con)
                cue = contagion.expressed_cue(true_feeling, tr[b, SUPP], con)
                # --- the responder perceives (A1, A3, A7) and catches the feeling (A1, A10)
                a_arousal0 = aro[a]
                perceived = perception.perceive(
                    cue,
                    tr[a, COG],
                    tr[a, CONT],
                    tr[a, ANX],
                    tr[a, REG],
                    a_arousal0,
                    need,
                    z_perceive,
                    per,
                )
                a_affect, a_arousal = contagion.resonate(aff[a], a_arousal0, perceived, tr[a, CONT], con)
                # --- motives compete (A4, A5, A8, A11)
                concern_eff = motivation.effective_concern(
                    tr[a, CONC], 1.0 if prompt else 0.0, need == PHYSICAL, mot
                )
                genuine = (
                    motivation.genuine_drive(
                        concern_eff,
                        tr[a, ANX],
                        tr[a, AVO],
                        a_arousal,
                        tr[a, REG],
                        abs(perceived),
                        relationship.commitment(trust[a], sat[a], rel),
                        mot,
                        dis,
                    )
                    * pol[a, ENGAGE]
                )
                strategic = motivation.strategic_drive(tr[a, ADM], audience, benefit, mot)
                defensive = self_image.defensiveness(threat, tr[a, FRAG], est[a], e_point[a])
                motive = motivation.choose_motive(
                    genuine, strategic, defensive, tr[a, IMP], a_arousal, z_motive, mot
                )
                # --- the response and what becomes of it (A9, A14)
                is_genuine = motive == GENUINE
                responded = is_genuine or motive == STRATEGIC
                accuracy = np.nan
                warmth = np.nan
                committed = False
                followed = False
                if responded:
                    accuracy = response.accuracy(
                        perceived, a_affect, true_feeling, tr[a, IMP], a_arousal, res
                    )
                    warmth = loved_ones.validated_warmth(
                        response.warmth(is_genuine, concern_eff, audience, _z(key, gid, dday, zb + 2), res),
                        pol[a, VALID],
                    )
                    p_commit = response.commit_probability(is_genuine, intensity, res)
                    committed = field16(w_response, 1) < p_commit
                    if committed:
                        p_follow = loved_ones.steady_follow(
                            response.follow_probability(is_genuine, audience, tr[a, IMP], a_arousal, res),
                            pol[a, CONSIST],
                        )
                        followed = field16(w_response, 2) < p_follow
                respected = False
                if boundary:
                    p_respect = response.boundary_probability(
                        is_genuine, tr[a, ADM], concern_eff, tr[a, ANX], a_arousal, audience, res
                    )
                    respected = field16(w_response, 3) < p_respect
                # --- the target reads the response (A10, A13)
                t_excess = perception.arousal_excess(t_arousal, tr[b, REG], per)
                care = relationship.perceived_care(
                    responded, warmth, accuracy, intensity, t_excess, tr[b, ANX], est[b], z_care, rel, soc
                )
                t_affect = relationship.validated_affect(t_affect, responded, care, intensity, rel)
                if responded:
                    t_arousal = loved_ones.soothed(t_arousal, pol[a, CALM], lov)
                confused[b] = strain.confusion(confused[b], care, trust[b], stn)
                t_esteem = self_image.take_feedback(est[b], care - 0.5, e_sens[b])
                protest = False
                if care < rel.rejection_level:
                    p_protest = relationship.protest_probability(tr[b, ANX], t_arousal, rel)
                    protest = uniform(key, gid, dday, np.uint64(W_PROTEST + k)) < p_protest
                if protest:
                    impulsive = max(impulsive, relationship.impulsive_breakup(tr[b, IMP], tr[b, ANX], rel))
                    t_arousal = relationship.protest_arousal(t_arousal, rel)
                    a_arousal = relationship.protest_arousal(a_arousal, rel)
                # --- the responder's self-image: criticism hurts unless defended (A5);
                # watched care pays (A6)
                hurt = threat and motive != DEFENSIVE
                a_esteem = self_image.take_feedback(est[a], -0.5 * intensity if hurt else 0.0, e_sens[a])
                if responded and audience:
                    a_esteem = self_image.take_supply(a_esteem, tr[a, ADM], sel)
                # --- write back; the target's own trust in and liking of the responder move
                aff[b] = jit.clip(t_affect, -1.0, 1.0)
                aro[b] = jit.clip(t_arousal, 0.0, 1.0)
                est[b] = t_esteem
                aff[a] = jit.clip(a_affect, -1.0, 1.0)
                aro[a] = jit.clip(a_arousal, 0.0, 1.0)
                est[a] = a_esteem
                broken = committed and not followed
                violated = boundary and not respected
                trust[b] = relationship.update_trust(trust[b], care, broken, violated, rel)
                liking[b] = impressions.revise(liking[b], care, imp)
                if responded and care > 0.5:
                    met[b] += 1.0
                if protest:
                    sat[0] = sat[0] - rel.protest_cost
                    sat[1] = sat[1] - rel.protest_cost
                    load[a] += 1.0
                # --- rupture and repair: the responder may repair, the target may accept
                rupture = broken or violated or protest
                attempted = False
                accepted = False
                if rupture:
                    load[b] += 1.0
                    w_repair = _w(key, gid, dday, W_REPAIR + k)
                    p_attempt = repair.attempt_probability(
                        concern_eff,
                        tr[a, ANX],
                        tr[a, ADM],
                        self_image.defensiveness(True, tr[a, FRAG], est[a], e_point[a]),
                        perception.arousal_excess(aro[a], tr[a, REG], per),
                        rep,
                    )
                    attempted = field16(w_repair, 0) < p_attempt
                    if attempted:
                        p_accept = repair.accept_probability(
                            sat[b], liking[b], perception.arousal_excess(aro[b], tr[b, REG], per), rep
                        )
                        accepted = field16(w_repair, 1) < p_accept
                    if accepted:
                        trust[b] = repair.repaired_trust(trust[b], rep)
                        sat[b] = repair.repaired_satisfaction(sat[b], rep)
                        aro[b] = repair.calmed(aro[b], rep)
                        repairs[0] += 1.0
                        repairs[1] += 1.0
                a_level = aro[a]  # as written back to the state
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
                    EF[7, row] = care
                    EF[8, row] = trust[b]
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
                    EB[12, row] = rupture
                    EB[13, row] = attempted
                    EB[14, row] = accepted
                    row += 1
                if keep_sums:  # branch-free: these conditions are coin flips
                    g = 2 * pair + a
                    paid = 1.0 if (audience or benefit) else 0.0
                    f_resp = 1.0 if responded else 0.0
                    f_dist = 0.0 if need == GOOD_NEWS else 1.0
                    f_aud = 1.0 if audience else 0.0
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
            # --- end of day: affect dynamics (L11), regulation (A10), self-image drift (A6)
            old0 = aff[0]
            old1 = aff[1]
            aff[0] = relationship.daily_affect(old0, old1, together, tr[0, REG], tr[0, ANX], tr[0, AVO], rel)
            aff[1] = relationship.daily_affect(old1, old0, together, tr[1, REG], tr[1, ANX], tr[1, AVO], rel)
            for s in range(2):
                aro[s] = contagion.regulate(aro[s], tr[s, REG], con)
                if not together:
                    aro[s] = relationship.longing(aro[s], tr[s, ANX], rel)
                est[s] = self_image.daily(est[s], e_point[s], tr[s, ADM], sel)
            # --- slow wear (adaptation), satisfaction, breakup and reconciliation (A13, L8)
            broke = False
            reconciled = False
            if together:
                event = field16(_w(key, gid, dday, W_EVENT), 0) < ada.p_event
                for s in range(2):
                    quality[s] = adaptation.daily_quality(
                        quality[s], vuln[s], load[s], event, repairs[s], met[s], ada
                    )
                    sat[s] = relationship.daily_satisfaction(
                        sat[s], quality[s], aff[s], aff[1 - s], trust[s], rel
                    )
                    exhausted[s] = strain.exhaustion(exhausted[s], load[s], met[s], repairs[s], stn)
                u_break = field32(w_day, 1)
                if u_break < relationship.breakup_bound(impulsive, rel):
                    broke = u_break < relationship.breakup_probability(min(sat[0], sat[1]), impulsive, rel)
            else:
                p_rec = relationship.reconciliation_probability(
                    tr[0, ANX], tr[1, ANX], tr[0, AVO], tr[1, AVO], 0.5 * (trust[0] + trust[1]), apart, rel
                )
                reconciled = field32(w_day, 1) < p_rec
                for s in range(2):
                    exhausted[s] = strain.exhaustion(exhausted[s], 0.0, 0.0, 0.0, stn)
            together = (together and not broke) or reconciled
            if reconciled:
                for s in range(2):
                    sat[s] = max(sat[s], rel.reconcile_satisfaction)
            apart = 0 if together else apart + 1
            breakups += broke
            recons += reconciled
            if keep_sums:
                dsums[pair, 0] += 1.0
                dsums[pair, 1] += together
                dsums[pair, 2] += broke
                dsums[pair, 3] += reconciled
            if keep_traj and ((day + 1) % record_every == 0 or day == last_day):
                j = d * n_rec + rec
                TF[0, j] = aff[0]
                TF[1, j] = aff[1]
                TF[2, j] = aro[0]
                TF[3, j] = aro[1]
                TF[4, j] = est[0]
                TF[5, j] = est[1]
                for s in range(2):
                    TF[TRUST + s, j] = trust[s]
                    TF[SAT + s, j] = sat[s]
                    TF[IMPR + s, j] = liking[s]
                    TF[QUAL + s, j] = quality[s]
                    TF[CONF + s, j] = confused[s]
                    TF[EXH + s, j] = exhausted[s]
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
        if kept_state:
            for s in range(2):
                sf[AFF + s, d] = aff[s]
                sf[ARO + s, d] = aro[s]
                sf[EST + s, d] = est[s]
                sf[TRUST + s, d] = trust[s]
                sf[SAT + s, d] = sat[s]
                sf[IMPR + s, d] = liking[s]
                sf[QUAL + s, d] = quality[s]
                sf[CONF + s, d] = confused[s]
                sf[EXH + s, d] = exhausted[s]
            si[0, d] = 1 if together else 0
            si[1, d] = apart
    return hi, row
