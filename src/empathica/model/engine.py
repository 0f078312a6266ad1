"""One day of a population of dyads: ``step(state, params, rng) -> (state, events)``.

The step is a pure function of its inputs. State and parameters are plain typed
containers of arrays (structure of arrays, shape ``(2, n_dyads)`` for per-agent
values, ``(n_dyads,)`` for per-dyad values). Random numbers come from counter-based
streams (``empathica.model.streams``) addressed by (dyad, day, draw index), so a dyad's
numbers never depend on other dyads: results are identical however the
population is chunked or distributed.

Order of one day (each mechanism is a module of its own):
1. number of episodes (Poisson, capped; avoidance lowers the rate; none while apart)
2. per episode slot: context -> target feels the need -> expressed cue (contagion)
   -> perception -> contagion of the responder -> motivation -> response
   -> the target's reading of it (relationship), self-image, trust
3. end of day: Gottman affect update, regulation, self-image drift, satisfaction,
   breakup and reconciliation.

This NumPy step is the readable reference of the model. ``empathica.model.kernel`` runs
the same equations in the same order as one compiled loop (the default engine of
``simulate``); ``tests/test_kernel.py`` checks that both give identical output, so a
change to a mechanism here must be made there too.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np

from empathica.model import contagion, motivation, perception, relationship, response, self_image, streams
from empathica.model.params import ModelParams
from empathica.model.schema import NEED_TYPES
from empathica.model.traits import TRAIT_MAX, TRAIT_MIN, TRAIT_NAMES, Traits

PHYSICAL = NEED_TYPES.index("physical_pain")
ANGER = NEED_TYPES.index("anger")
GOOD_NEWS = NEED_TYPES.index("good_news")

#: Draw indices of a dyad-day: uniforms 0..N_UNIFORM-1; normal i uses 2*(64+i) and 2*(64+i)+1.
U_PER_SLOT, Z_PER_SLOT, U_PER_DAY = 13, 4, 3
MAX_SLOTS = 3
N_UNIFORM = U_PER_DAY + MAX_SLOTS * U_PER_SLOT
N_NORMAL = MAX_SLOTS * Z_PER_SLOT
U_INDEX = np.arange(N_UNIFORM)
Z_INDEX = 64 + np.arange(N_NORMAL)


@dataclass(frozen=True)
class DyadState:
    """Dynamic state. Per agent (2, n): affect in [-1, 1], arousal and self_esteem in [0, 1];
    per dyad (n,): trust [0, 1], satisfaction [-1, 1], together, days_apart."""

    t: int
    affect: np.ndarray
    arousal: np.ndarray
    self_esteem: np.ndarray
    trust: np.ndarray
    satisfaction: np.ndarray
    together: np.ndarray
    days_apart: np.ndarray

    @property
    def n_dyads(self) -> int:
        return int(self.trust.shape[0])


@dataclass(frozen=True)
class Params:
    """Static inputs of a step: the agents' traits, the mechanism constants and the
    dyads' global ids (the addresses of their random streams)."""

    traits: Traits
    model: ModelParams
    dyads: np.ndarray


@dataclass(frozen=True)
class Events:
    """What happened in one day.

    ``episodes`` maps column name to a 1-d array over the day's episodes, ordered
    by dyad then slot; ``dyad`` there is the local index within the state.
    """

    episodes: dict[str, np.ndarray]
    breakup: np.ndarray
    reconciliation: np.ndarray


def initial_state(params: Params) -> DyadState:
    tr, m = params.traits, params.model
    n = tr.n_dyads
    affect = relationship.affect_set_point(tr.attachment_anxiety, tr.attachment_avoidance, m.relationship)
    return DyadState(
        t=0,
        affect=affect.copy(),
        arousal=contagion.baseline_arousal(tr.emotion_regulation, m.contagion),
        self_esteem=self_image.set_point(tr.admiration_need, tr.attachment_anxiety, m.self_image),
        trust=np.full(n, 0.6),
        satisfaction=np.full(n, 0.3),
        together=np.ones(n, dtype=bool),
        days_apart=np.zeros(n),
    )


def episode_counts(rate: np.ndarray, u: np.ndarray, cap: int) -> np.ndarray:
    """Poisson(rate) episode counts capped at ``cap``, by inverting the CDF at ``u``."""
    pmf = np.exp(-rate)
    cdf = pmf.copy()
    count = np.zeros(rate.shape, dtype=np.int64)
    for k in range(cap):
        count += u > cdf
        pmf = pmf * rate / (k + 1)
        cdf = cdf + pmf
    return count


def draw_traits(means: np.ndarray, spread: float, dyads: np.ndarray, rng: np.uint64) -> Traits:
    """Each agent's traits around its profile means (n_traits, 2, n): mean + spread * z,
    clipped to the open unit interval."""
    n_traits = means.shape[0]
    z = streams.normals(rng, dyads, streams.TRAIT_DAY, np.arange(2 * n_traits))
    values = np.clip(means + spread * z.reshape(n_traits, 2, -1), TRAIT_MIN, TRAIT_MAX)
    return Traits(**{name: values[i] for i, name in enumerate(TRAIT_NAMES)})


def step(state: DyadState, params: Params, rng: np.uint64) -> tuple[DyadState, Events]:
    """Advance every dyad by one day. ``rng`` is the run's stream key
    (``streams.stream_key(seed)``)."""
    tr, m = params.traits, params.model
    ctx = m.context
    n = state.n_dyads
    idx = np.arange(n)
    U = streams.uniforms(rng, params.dyads, state.t, U_INDEX)
    Z = streams.normals(rng, params.dyads, state.t, Z_INDEX)

    affect, arousal, esteem = state.affect.copy(), state.arousal.copy(), state.self_esteem.copy()
    trust, satisfaction = state.trust.copy(), state.satisfaction.copy()
    together = state.together

    rate = relationship.episode_rate(
        tr.attachment_avoidance[0], tr.attachment_avoidance[1], ctx.episode_rate, m.relationship
    )
    n_episodes = np.where(together, episode_counts(rate, U[0], ctx.max_episodes_per_day), 0)
    esteem_point = self_image.set_point(tr.admiration_need, tr.attachment_anxiety, m.self_image)
    esteem_sens = self_image.sensitivity(tr.self_image_fragility, tr.attachment_anxiety, m.self_image)
    need_cdf = np.cumsum(ctx.need_probs) / np.sum(ctx.need_probs)
    impulsive = np.zeros(n)
    slots: list[dict[str, np.ndarray]] = []

    for k in range(ctx.max_episodes_per_day):
        u = U[U_PER_DAY + k * U_PER_SLOT : U_PER_DAY + (k + 1) * U_PER_SLOT]
        z = Z[k * Z_PER_SLOT : (k + 1) * Z_PER_SLOT]
        active = n_episodes > k
        a = (u[0] < 0.5).astype(np.intp)  # actor side; the target is the other partner
        b = 1 - a

        def of(x: np.ndarray, side: np.ndarray = a) -> np.ndarray:
            return x[side, idx]

        # --- context of the episode
        need = np.minimum(np.searchsorted(need_cdf, u[1], side="right"), len(NEED_TYPES) - 1)
        intensity = 0.5 * (u[2] + u[3])
        audience = u[4] < ctx.p_audience
        benefit = u[5] < ctx.p_benefit
        threat = u[6] < np.where(need == ANGER, ctx.p_threat_anger, ctx.p_threat_other)
        boundary = u[7] < ctx.p_boundary
        prompt = u[8] < ctx.p_prompt
        true_feeling = np.where(need == GOOD_NEWS, 1.0, -1.0) * intensity

        # --- the target feels the need and shows it (A12 expression)
        t_affect, t_arousal = contagion.feel_own_need(
            of(affect, b), of(arousal, b), true_feeling, m.contagion
        )
        cue = contagion.expressed_cue(true_feeling, of(tr.expressive_suppression, b), m.contagion)

        # --- the actor perceives (A1, A3, A7) and catches the feeling (A1, A10)
        a_arousal0 = of(arousal)
        perceived = perception.perceive(
            cue,
            of(tr.cognitive_empathy),
            of(tr.emotional_contagion),
            of(tr.attachment_anxiety),
            of(tr.emotion_regulation),
            a_arousal0,
            need,
            z[0],
            m.perception,
        )
        a_affect, a_arousal = contagion.resonate(
            of(affect), a_arousal0, perceived, of(tr.emotional_contagion), m.contagion
        )

        # --- motives compete (A4, A5, A8, A11)
        concern_eff = motivation.effective_concern(
            of(tr.empathic_concern), prompt, need == PHYSICAL, m.motivation
        )
        genuine = motivation.genuine_drive(
            concern_eff,
            of(tr.attachment_anxiety),
            of(tr.attachment_avoidance),
            a_arousal,
            np.abs(perceived),
            trust,
            m.motivation,
        )
        strategic = motivation.strategic_drive(of(tr.admiration_need), audience, benefit, m.motivation)
        defensive = self_image.defensiveness(
            threat, of(tr.self_image_fragility), of(esteem), of(esteem_point)
        )
        motive = motivation.choose_motive(
            genuine, strategic, defensive, of(tr.impulsivity), a_arousal, z[1], m.motivation
        )

        # --- the response and what becomes of it (A9, A14)
        r = response.respond(
            motive,
            perceived,
            true_feeling,
            a_affect,
            intensity,
            concern_eff,
            of(tr.impulsivity),
            a_arousal,
            of(tr.attachment_anxiety),
            of(tr.admiration_need),
            audience,
            boundary,
            u[9],
            u[10],
            u[11],
            z[2],
            m.response,
        )

        # --- the target reads the response (A10, A13)
        t_excess = np.maximum(
            0.0, t_arousal - perception.breakdown_threshold(of(tr.emotion_regulation, b), m.perception)
        )
        care = relationship.perceived_care(
            r.responded,
            r.warmth,
            r.accuracy,
            intensity,
            t_excess,
            of(tr.attachment_anxiety, b),
            z[3],
            m.relationship,
        )
        rp = m.relationship
        t_affect = (
            t_affect + rp.validation_gain * care * r.responded - rp.unmet_cost * intensity * ~r.responded
        )
        t_esteem = self_image.take_feedback(of(esteem, b), care - 0.5, of(esteem_sens, b))
        rejected = care < rp.rejection_level
        protest = active & (
            u[12] < relationship.protest_probability(rejected, of(tr.attachment_anxiety, b), t_arousal, rp)
        )
        impulsive = np.maximum(
            impulsive, protest * rp.breakup_impulsive * of(tr.impulsivity, b) * of(tr.attachment_anxiety, b)
        )
        t_arousal = t_arousal + protest * rp.protest_arousal * (1.0 - t_arousal)
        a_arousal = a_arousal + protest * rp.protest_arousal * (1.0 - a_arousal)

        # --- the actor's self-image: criticism hurts unless defended; watched care pays (A5, A6)
        a_esteem = of(esteem)
        hurt = threat & (motive != motivation.DEFENSIVE)
        a_esteem = self_image.take_feedback(a_esteem, -0.5 * intensity * hurt, of(esteem_sens))
        a_esteem = self_image.take_supply(
            a_esteem, of(tr.admiration_need), r.responded & audience, m.self_image
        )

        # --- write back, only where an episode happened
        def put(x: np.ndarray, side: np.ndarray, value: np.ndarray, active=active) -> None:
            x[side, idx] = np.where(active, value, x[side, idx])

        put(affect, b, np.clip(t_affect, -1.0, 1.0))
        put(arousal, b, np.clip(t_arousal, 0.0, 1.0))
        put(esteem, b, t_esteem)
        put(affect, a, np.clip(a_affect, -1.0, 1.0))
        put(arousal, a, np.clip(a_arousal, 0.0, 1.0))
        put(esteem, a, a_esteem)
        new_trust = relationship.update_trust(trust, care, r.followed_through, r.boundary_respected, rp)
        trust = np.where(active, new_trust, trust)
        satisfaction = np.where(active, satisfaction - protest * rp.protest_cost, satisfaction)

        slots.append(
            {
                "active": active,
                "slot": np.full(n, k, dtype=np.int8),
                "actor_side": a.astype(np.int8),
                "need": need.astype(np.int8),
                "intensity": intensity,
                "audience": audience,
                "benefit": benefit,
                "threat": threat,
                "boundary_asked": boundary,
                "perspective_prompt": prompt,
                "responded": r.responded,
                "accuracy": r.accuracy,
                "warmth": r.warmth,
                "committed": r.committed,
                "followed_through": r.followed_through,
                "boundary_respected": r.boundary_respected,
                "motive": motive,
                "target_feeling": true_feeling,
                "perceived_feeling": perceived,
                "actor_arousal_gain": np.clip(a_arousal, 0.0, 1.0) - a_arousal0,
                "actor_arousal": np.clip(a_arousal, 0.0, 1.0),
                "protest": protest,
            }
        )

    # --- end of day (L11 affect dynamics, A10 regulation, A6 drift, A13 stability)
    rp = m.relationship
    affect = relationship.daily_affect(
        affect,
        affect[::-1],
        together,
        tr.emotion_regulation,
        tr.attachment_anxiety,
        tr.attachment_avoidance,
        rp,
    )
    arousal = contagion.regulate(arousal, tr.emotion_regulation, m.contagion)
    arousal = arousal + ~together * rp.longing * tr.attachment_anxiety * (1.0 - arousal)
    esteem = self_image.daily(esteem, esteem_point, tr.admiration_need, m.self_image)
    satisfaction = np.where(
        together,
        relationship.daily_satisfaction(satisfaction, affect[0], affect[1], trust, rp),
        satisfaction,
    )
    breakup = together & (U[1] < relationship.breakup_probability(satisfaction, impulsive, rp))
    reconcile = ~together & (
        U[2]
        < relationship.reconciliation_probability(
            tr.attachment_anxiety[0],
            tr.attachment_anxiety[1],
            tr.attachment_avoidance[0],
            tr.attachment_avoidance[1],
            trust,
            state.days_apart,
            rp,
        )
    )
    new_together = (together & ~breakup) | reconcile
    satisfaction = np.where(reconcile, np.maximum(satisfaction, 0.1), satisfaction)

    new_state = replace(
        state,
        t=state.t + 1,
        affect=affect,
        arousal=arousal,
        self_esteem=esteem,
        trust=trust,
        satisfaction=satisfaction,
        together=new_together,
        days_apart=np.where(new_together, 0.0, state.days_apart + 1.0),
    )
    return new_state, Events(_gather(slots, idx), breakup, reconcile)


def _gather(slots: list[dict[str, np.ndarray]], idx: np.ndarray) -> dict[str, np.ndarray]:
    """Stack per-slot columns and keep the active episodes, ordered by dyad then slot."""
    mask = np.stack([s["active"] for s in slots], axis=1)  # (n, K)
    out = {"dyad": np.broadcast_to(idx[:, None], mask.shape)[mask]}
    for name in slots[0]:
        if name != "active":
            out[name] = np.stack([s[name] for s in slots], axis=1)[mask]
    return out
