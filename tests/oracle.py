"""A test oracle: the days of one dyad replayed in plain Python from the mechanism functions.

The fused kernel composes the mechanisms in one compiled loop; this replay composes
the same mechanism functions (called one by one from Python, with the same
addressed random draws) in the order the theory gives (BRIEF, "An interaction
episode"). Equal outputs mean the kernel runs exactly what the mechanisms say:
nothing misread, skipped or reordered. It is deliberately simple and slow.
"""

from __future__ import annotations

import math

import numpy as np

from empathica.model import (
    adaptation,
    contagion,
    context,
    impressions,
    kernel,
    loved_ones,
    motivation,
    perception,
    relationship,
    repair,
    response,
    self_image,
    strain,
)
from empathica.model import streams as st
from empathica.model.jit import clip
from empathica.model.motivation import DEFENSIVE, GENUINE, STRATEGIC
from empathica.model.params import ModelParams, constants

COG, CONT, CONC, REG, ANX, AVO, FRAG, ADM, IMP, SUPP = range(10)


def replay(
    key, gid: int, traits: np.ndarray, days: int, model: ModelParams, policy: np.ndarray | None = None
) -> tuple[list[dict], list[dict]]:
    """Episodes and daily states of dyad ``gid`` with traits (n_traits, 2) and loved-one
    policies (n_policy, 2; neutral if None)."""
    C = constants(model)
    ctx, per, con, mot, res, sel, rel = (
        C.context,
        C.perception,
        C.contagion,
        C.motivation,
        C.response,
        C.self_image,
        C.relationship,
    )
    gid_u = np.uint64(gid)

    def word(day, index):
        return np.uint64(st.bits(key, gid_u, np.uint64(day), np.uint64(index)))

    def z(day, index):
        return st.normal(key, gid_u, np.uint64(day), np.uint64(index))

    f16, f32 = st.field16, st.field32

    tr = traits.T  # (2, n_traits)
    pol = (np.array([loved_ones.NEUTRAL] * 2) if policy is None else policy.T).tolist()
    CRIT, BOUND, PROMPT, VALID, CONSIST, ENGAGE, CALM = range(7)
    confusion, exhaustion = [0.0, 0.0], [0.0, 0.0]
    aff = [relationship.affect_set_point(tr[s, ANX], tr[s, AVO], rel) for s in range(2)]
    aro = [contagion.baseline_arousal(tr[s, REG], con) for s in range(2)]
    point = [self_image.set_point(tr[s, ADM], tr[s, ANX], sel) for s in range(2)]
    sens = [self_image.sensitivity(tr[s, FRAG], tr[s, ANX], sel) for s in range(2)]
    est = list(point)
    vuln = [adaptation.vulnerability(tr[s, ANX], tr[s, REG], C.adaptation) for s in range(2)]
    liking, trust, sat, quality = [0.0, 0.0], [0.0, 0.0], [0.0, 0.0], [0.0, 0.0]
    for s in range(2):  # acquaintance: s reads what the other shows
        o = 1 - s
        shown = impressions.shown_warmth(tr[o, CONC], tr[o, ADM], tr[o, AVO], C.impressions)
        liking[s] = impressions.first_impression(shown, z(0, kernel.Z_ACQUAINT + s), C.impressions)
        trust[s] = impressions.initial_trust(liking[s], tr[s, ANX], tr[s, AVO], C.impressions, rel)
        quality[s] = impressions.initial_quality(liking[s], C.impressions)
        sat[s] = impressions.initial_satisfaction(quality[s], rel)
    together, apart = True, 0
    thresholds = context.episode_thresholds(
        relationship.episode_rate(tr[0, AVO], tr[1, AVO], ctx.episode_rate, rel), ctx.max_episodes_per_day
    )
    episodes, states = [], []
    for day in range(days):
        impulsive = 0.0
        load, repairs, met = [0.0, 0.0], [0.0, 0.0], [0.0, 0.0]
        w_day = word(day, kernel.W_DAY)
        n_ep = context.episode_count(f32(w_day, 0), thresholds) if together else 0
        for k in range(n_ep):
            zb = kernel.Z_SLOT + kernel.Z_PER_SLOT * k
            w1, w2, w3 = (word(day, kernel.W_SLOT + kernel.WORDS_PER_SLOT * k + i) for i in range(3))
            a = 1 if f16(w1, 0) < 0.5 else 0
            b = 1 - a
            need = context.need_type(f16(w1, 1), ctx)
            intensity = context.intensity(f16(w1, 2), f16(w1, 3))
            audience = f16(w2, 0) < ctx.p_audience
            benefit = f16(w2, 1) < ctx.p_benefit
            threat = f16(w2, 2) < loved_ones.voiced(context.threat_probability(need, ctx), pol[b][CRIT])
            boundary = f16(w2, 3) < loved_ones.voiced(ctx.p_boundary, pol[b][BOUND])
            prompt = f16(w3, 0) < loved_ones.prompted(ctx.p_prompt, pol[b][PROMPT])
            feeling = context.true_feeling(need, intensity)
            t_affect, t_arousal = contagion.feel_own_need(aff[b], aro[b], feeling, con)
            cue = contagion.expressed_cue(feeling, tr[b, SUPP], con)
            arousal0 = aro[a]
            perceived = perception.perceive(
                cue, tr[a, COG], tr[a, CONT], tr[a, ANX], tr[a, REG], arousal0, need, z(day, zb), per
            )
            a_affect, a_arousal = contagion.resonate(aff[a], arousal0, perceived, tr[a, CONT], con)
            concern = motivation.effective_concern(tr[a, CONC], float(prompt), need == context.PHYSICAL, mot)
            genuine = (
                motivation.genuine_drive(
                    concern,
                    tr[a, ANX],
                    tr[a, AVO],
                    a_arousal,
                    tr[a, REG],
                    abs(perceived),
                    relationship.commitment(trust[a], sat[a], rel),
                    mot,
                    C.distress,
                )
                * pol[a][ENGAGE]
            )
            strategic = motivation.strategic_drive(tr[a, ADM], audience, benefit, mot)
            defensive = self_image.defensiveness(threat, tr[a, FRAG], est[a], point[a])
            motive = motivation.choose_motive(
                genuine, strategic, defensive, tr[a, IMP], a_arousal, z(day, zb + 1), mot
            )
            is_genuine = motive == GENUINE
            responded = is_genuine or motive == STRATEGIC
            accuracy = warmth = math.nan
            committed = followed = respected = False
            if responded:
                accuracy = response.accuracy(perceived, a_affect, feeling, tr[a, IMP], a_arousal, res)
                warmth = loved_ones.validated_warmth(
                    response.warmth(is_genuine, concern, audience, z(day, zb + 2), res), pol[a][VALID]
                )
                committed = f16(w3, 1) < response.commit_probability(is_genuine, intensity, res)
                if committed:
                    p_follow = loved_ones.steady_follow(
                        response.follow_probability(is_genuine, audience, tr[a, IMP], a_arousal, res),
                        pol[a][CONSIST],
                    )
                    followed = f16(w3, 2) < p_follow
            if boundary:
                p = response.boundary_probability(
                    is_genuine, tr[a, ADM], concern, tr[a, ANX], a_arousal, audience, res
                )
                respected = f16(w3, 3) < p
            excess = perception.arousal_excess(t_arousal, tr[b, REG], per)
            care = relationship.perceived_care(
                responded,
                warmth,
                accuracy,
                intensity,
                excess,
                tr[b, ANX],
                est[b],
                z(day, zb + 3),
                rel,
                C.sociometer,
            )
            t_affect = relationship.validated_affect(t_affect, responded, care, intensity, rel)
            if responded:
                t_arousal = loved_ones.soothed(t_arousal, pol[a][CALM], C.loved_ones)
            confusion[b] = strain.confusion(confusion[b], care, trust[b], C.strain)
            t_esteem = self_image.take_feedback(est[b], care - 0.5, sens[b])
            protest = False
            if care < rel.rejection_level:
                protest = st.uniform(key, gid_u, np.uint64(day), np.uint64(kernel.W_PROTEST + k)) < (
                    relationship.protest_probability(tr[b, ANX], t_arousal, rel)
                )
            if protest:
                impulsive = max(impulsive, relationship.impulsive_breakup(tr[b, IMP], tr[b, ANX], rel))
                t_arousal = relationship.protest_arousal(t_arousal, rel)
                a_arousal = relationship.protest_arousal(a_arousal, rel)
            hurt = threat and motive != DEFENSIVE
            a_esteem = self_image.take_feedback(est[a], -0.5 * intensity if hurt else 0.0, sens[a])
            if responded and audience:
                a_esteem = self_image.take_supply(a_esteem, tr[a, ADM], sel)
            aff[b], aro[b], est[b] = clip(t_affect, -1.0, 1.0), clip(t_arousal, 0.0, 1.0), t_esteem
            aff[a], aro[a], est[a] = clip(a_affect, -1.0, 1.0), clip(a_arousal, 0.0, 1.0), a_esteem
            broken, violated = committed and not followed, boundary and not respected
            trust[b] = relationship.update_trust(trust[b], care, broken, violated, rel)
            liking[b] = impressions.revise(liking[b], care, C.impressions)
            if responded and care > 0.5:
                met[b] += 1.0
            if protest:
                sat = [x - rel.protest_cost for x in sat]
                load[a] += 1.0
            rupture = broken or violated or protest
            attempted = accepted = False
            if rupture:
                load[b] += 1.0
                w4 = word(day, kernel.W_REPAIR + k)
                attempted = f16(w4, 0) < repair.attempt_probability(
                    concern,
                    tr[a, ANX],
                    tr[a, ADM],
                    self_image.defensiveness(True, tr[a, FRAG], est[a], point[a]),
                    perception.arousal_excess(aro[a], tr[a, REG], per),
                    C.repair,
                )
                if attempted:
                    accepted = f16(w4, 1) < repair.accept_probability(
                        sat[b], liking[b], perception.arousal_excess(aro[b], tr[b, REG], per), C.repair
                    )
                if accepted:
                    trust[b] = repair.repaired_trust(trust[b], C.repair)
                    sat[b] = repair.repaired_satisfaction(sat[b], C.repair)
                    aro[b] = repair.calmed(aro[b], C.repair)
                    repairs = [x + 1.0 for x in repairs]
            episodes.append(
                dict(
                    t=day,
                    actor=2 * gid + a,
                    need=need,
                    intensity=intensity,
                    audience=audience,
                    benefit=benefit,
                    threat=threat,
                    boundary_asked=boundary,
                    perspective_prompt=prompt,
                    responded=responded,
                    accuracy=accuracy,
                    warmth=warmth,
                    committed=committed,
                    followed=followed if committed else None,
                    respected=respected if boundary else None,
                    motive=motive,
                    feeling=feeling,
                    perceived=perceived,
                    arousal=aro[a],
                    gain=aro[a] - arousal0,
                    protest=protest,
                    felt_care=care,
                    target_trust=trust[b],
                    rupture=rupture,
                    repair_attempted=attempted,
                    repair_accepted=accepted,
                )
            )
        old = list(aff)
        for s in range(2):
            aff[s] = relationship.daily_affect(
                old[s], old[1 - s], together, tr[s, REG], tr[s, ANX], tr[s, AVO], rel
            )
            aro[s] = contagion.regulate(aro[s], tr[s, REG], con)
            if not together:
                aro[s] = relationship.longing(aro[s], tr[s, ANX], rel)
            est[s] = self_image.daily(est[s], point[s], tr[s, ADM], sel)
        broke = reconciled = False
        if together:
            event = f16(word(day, kernel.W_EVENT), 0) < C.adaptation.p_event
            for s in range(2):
                quality[s] = adaptation.daily_quality(
                    quality[s], vuln[s], load[s], event, repairs[s], met[s], C.adaptation
                )
                sat[s] = relationship.daily_satisfaction(
                    sat[s], quality[s], aff[s], aff[1 - s], trust[s], rel
                )
                exhaustion[s] = strain.exhaustion(exhaustion[s], load[s], met[s], repairs[s], C.strain)
            broke = f32(w_day, 1) < relationship.breakup_probability(min(sat), impulsive, rel)
        else:
            p = relationship.reconciliation_probability(
                tr[0, ANX], tr[1, ANX], tr[0, AVO], tr[1, AVO], 0.5 * (trust[0] + trust[1]), apart, rel
            )
            reconciled = f32(w_day, 1) < p
            exhaustion = [strain.exhaustion(x, 0.0, 0.0, 0.0, C.strain) for x in exhaustion]
        together = (together and not broke) or reconciled
        if reconciled:
            sat = [max(x, rel.reconcile_satisfaction) for x in sat]
        apart = 0 if together else apart + 1
        states.append(
            dict(
                t=day,
                affect_a=aff[0],
                affect_b=aff[1],
                arousal_a=aro[0],
                arousal_b=aro[1],
                self_esteem_a=est[0],
                self_esteem_b=est[1],
                trust_a=trust[0],
                trust_b=trust[1],
                satisfaction_a=sat[0],
                satisfaction_b=sat[1],
                liking_a=liking[0],
                liking_b=liking[1],
                quality_a=quality[0],
                quality_b=quality[1],
                confusion_a=confusion[0],
                confusion_b=confusion[1],
                exhaustion_a=exhaustion[0],
                exhaustion_b=exhaustion[1],
                together=together,
                breakups=int(broke),
                reconciliations=int(reconciled),
            )
        )
    return episodes, states
