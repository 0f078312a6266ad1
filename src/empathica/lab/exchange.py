"""The repeated exchange task: a multi-round trust game between a participant and a partner.

As in King-Casas et al. (2008, Science; 10 rounds), the partner is the investor and the
participant the trustee. Every round is an episode of the model, read through its
mechanisms, with nothing written for the game except who does what:

1. the investor sends the share of the endowment their commitment to the trustee holds
   (``relationship.commitment``: own trust and satisfaction);
2. the trustee reads the investment as care (``relationship.perceived_care``: anxious and
   sociometer readings under arousal); it moves the trustee's trust and liking
   (``relationship.update_trust``, ``impressions.revise``), and an investment read as
   rejection arouses (``contagion.feel_own_need``);
3. the trustee returns the share their drives give: care for the investor's exposure
   (``motivation.genuine_drive``, with the investment as the need and the trustee's own
   commitment as the bond) plus what returning pays (``motivation.strategic_drive``
   with a benefit: future investments);
4. the investor reads the return as care, with the same mechanisms, on the scale of the
   payback: ``MULTIPLIER * returned / 2`` (break-even reads 0.5, neither care nor
   neglect; twice the stake back or more reads 1); a return read as
   rejection is a rupture, after which the trustee may try to repair ("coaxing") and the
   investor may accept (``repair``: concern, anxiety, admiration need, defensiveness
   and flooding on one side, satisfaction, liking and flooding on the other);
5. arousal recovers toward rest between rounds (``contagion.recover``).

First impressions and initial trust come from ``impressions``, as when a couple meets.
The shares are per round, 0-1: ``invested`` is the investor's, ``returned`` the trustee's.
"""

from __future__ import annotations

import numpy as np

from empathica.model import contagion, impressions, motivation, perception, relationship, repair, self_image
from empathica.model.jit import clip, compiled
from empathica.model.params import ModelParams, constants

COG, CONT, CONC, REG, ANX, AVO, FRAG, ADM, IMP, SUPP = range(10)
TRUSTEE, INVESTOR = 0, 1
#: What the trustee receives per unit sent (King-Casas et al. 2008: tripled).
MULTIPLIER = 3.0


def trust_game(
    traits: np.ndarray, rng: np.random.Generator, rounds: int = 10, m: ModelParams | None = None
) -> dict[str, np.ndarray]:
    """Play ``rounds`` rounds for each pair of ``traits`` (n_traits, 2, n): side 0 is the
    trustee (the participant), side 1 the investor (the partner).

    Returns ``invested`` and ``returned`` (rounds, n) shares and, per pair, the number of
    ``ruptures``, ``repair_attempts`` and ``repairs_accepted``."""
    m = m or ModelParams()
    n = traits.shape[2]
    normals = rng.standard_normal((rounds + 1, 2, n))  # row 0: first impressions
    uniforms = rng.random((rounds, 2, n))
    invested, returned, counts = _play(np.ascontiguousarray(traits, float), normals, uniforms, constants(m))
    return {
        "invested": invested,
        "returned": returned,
        "ruptures": counts[0],
        "repair_attempts": counts[1],
        "repairs_accepted": counts[2],
    }


@compiled
def _reads(care_shown, arousal, tr, s, esteem, z, C):
    """How cared for side ``s`` feels by a share ``care_shown`` (0-1) of the other."""
    excess = perception.arousal_excess(arousal, tr[s, REG], C.perception)
    return relationship.perceived_care(
        True, care_shown, care_shown, 0.0, excess, tr[s, ANX], esteem, z, C.relationship, C.sociometer
    )


@compiled
def _play(traits, normals, uniforms, C):
    rounds, _, n = uniforms.shape
    rel, imp, rep, con = C.relationship, C.impressions, C.repair, C.contagion
    invested = np.empty((rounds, n))
    returned = np.empty((rounds, n))
    counts = np.zeros((3, n))
    tr = np.empty((2, 10))
    state = np.empty((6, 2))
    trust, sat, liking, aro, est, rest = state[0], state[1], state[2], state[3], state[4], state[5]
    for j in range(n):
        for s in range(2):
            for i in range(10):
                tr[s, i] = traits[i, s, j]
        for s in range(2):
            o = 1 - s
            shown = impressions.shown_warmth(tr[o, CONC], tr[o, ADM], tr[o, AVO], imp)
            liking[s] = impressions.first_impression(shown, normals[0, s, j], imp)
            trust[s] = impressions.initial_trust(liking[s], tr[s, ANX], tr[s, AVO], imp, rel)
            sat[s] = impressions.initial_satisfaction(impressions.initial_quality(liking[s], imp), rel)
            rest[s] = contagion.baseline_arousal(tr[s, REG], con)
            aro[s] = rest[s]
            est[s] = self_image.set_point(tr[s, ADM], tr[s, ANX], C.self_image)
        T, Iv = TRUSTEE, INVESTOR
        for k in range(rounds):
            # 1-2: the investor sends; the trustee reads it
            sent = relationship.commitment(trust[Iv], sat[Iv], rel)
            felt = _reads(sent, aro[T], tr, T, est[T], normals[k + 1, T, j], C)
            trust[T] = relationship.update_trust(trust[T], felt, False, False, rel)
            liking[T] = impressions.revise(liking[T], felt, imp)
            if felt < rel.rejection_level:
                _, aro[T] = contagion.feel_own_need(0.0, aro[T], felt - 1.0, con)
            # 3: the trustee returns what their drives give
            bond = relationship.commitment(trust[T], sat[T], rel)
            genuine = motivation.genuine_drive(
                tr[T, CONC], tr[T, ANX], tr[T, AVO], aro[T], tr[T, REG], sent, bond, C.motivation, C.distress
            )
            back = clip(genuine + motivation.strategic_drive(tr[T, ADM], False, True, C.motivation), 0.0, 1.0)
            # 4: the investor reads the return; a rupture may be repaired
            payback = min(1.0, 0.5 * MULTIPLIER * back)
            felt = _reads(payback, aro[Iv], tr, Iv, est[Iv], normals[k + 1, Iv, j], C)
            trust[Iv] = relationship.update_trust(trust[Iv], felt, False, False, rel)
            liking[Iv] = impressions.revise(liking[Iv], felt, imp)
            if felt < rel.rejection_level:
                counts[0, j] += 1
                _, aro[Iv] = contagion.feel_own_need(0.0, aro[Iv], felt - 1.0, con)
                p_attempt = repair.attempt_probability(
                    tr[T, CONC],
                    tr[T, ANX],
                    tr[T, ADM],
                    self_image.defensiveness(True, tr[T, FRAG], est[T], est[T]),  # esteem at its set point
                    perception.arousal_excess(aro[T], tr[T, REG], C.perception),
                    rep,
                )
                if uniforms[k, 0, j] < p_attempt:
                    counts[1, j] += 1
                    excess = perception.arousal_excess(aro[Iv], tr[Iv, REG], C.perception)
                    if uniforms[k, 1, j] < repair.accept_probability(sat[Iv], liking[Iv], excess, rep):
                        counts[2, j] += 1
                        trust[Iv] = repair.repaired_trust(trust[Iv], rep)
                        sat[Iv] = repair.repaired_satisfaction(sat[Iv], rep)
                        aro[Iv] = repair.calmed(aro[Iv], rep)
            invested[k, j] = sent
            returned[k, j] = back
            for s in range(2):  # 5: a pause between rounds
                aro[s] = contagion.recover(clip(aro[s], 0.0, 1.0), rest[s], tr[s, REG], con)
    return invested, returned, counts
