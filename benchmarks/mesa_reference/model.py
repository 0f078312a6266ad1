"""The Empathica model written the way an experienced Mesa user would write it.

This is the comparison point of the benchmark: a researcher who does not use
Empathica reads ``docs/model.md`` and writes the model in Mesa 3, the Python
agent-based modelling framework. Each ``Person`` is a ``mesa.Agent`` carrying its
traits and state as attributes; each ``Dyad`` is a ``mesa.Agent`` that steps one
day at a time and plays out the day's episodes with ordinary Python logic, in the
order of ``docs/model.md``. Random numbers come from the model's ``random.Random``
(Mesa's ``model.random``); the streams differ from Empathica's, the distributions
are the same. ``tests/test_mesa_reference.py`` checks that the two give the same
statistics within sampling error.

Tuned for speed, so that the benchmark compares against a fair baseline (what an
experienced Mesa user would write), without changing the model:

* traits never change, so the quantities that depend on traits only (θ, the
  perception error at calm per need type, the set points, esteem sensitivity,
  baseline arousal, inertia) are computed once when a ``Person`` is created, and a
  dyad's episode-count table and reconciliation drive once when the ``Dyad`` is,
  instead of in every episode or day;
* the small per-episode helpers (perceive, resonate, choose a motive, tally, clip)
  are written out inline in ``Dyad.episode``: a Python call costs more than the
  line it holds;
* the mechanism constants are read from plain attributes (a pydantic field reads
  several times slower), bound to local variables in the hot loop.

The equations, their order and the sequence of random draws are those of the
one-method-per-mechanism version this replaced: for a given seed the output is the
same to the last bit, only about 1.5 times faster.

The mechanism constants and the profiles are read from Empathica's own
``ModelParams`` and profile files, so both implementations always model the same
thing.

    model = EmpathyModel([("bpd", "secure")], dyads=100, seed=1)
    for _ in range(365):
        model.step()
    model.summary()          # the same table as ``empathica simulate`` prints

    tallies, seconds = run_tallies([("bpd", "secure")], dyads=100, days=365, seed=1)
"""

from __future__ import annotations

import math
import time
from bisect import bisect_left, bisect_right
from dataclasses import dataclass
from types import SimpleNamespace

import mesa
import pandas as pd

from empathica.model.kernel import DAY_SUM_COLUMNS, SUM_COLUMNS
from empathica.model.params import ModelParams
from empathica.model.profiles import resolve_profile
from empathica.model.schema import HIDDEN_COLUMNS, NEED_TYPES, OBSERVABLE_COLUMNS
from empathica.model.traits import TRAIT_MAX, TRAIT_MIN, TRAIT_NAMES
from empathica.summary import summarize

PHYSICAL = NEED_TYPES.index("physical_pain")
ANGER = NEED_TYPES.index("anger")
GOOD_NEWS = NEED_TYPES.index("good_news")
LAST_NEED = len(NEED_TYPES) - 1
NONE, GENUINE, STRATEGIC, DEFENSIVE = "none", "genuine", "strategic", "defensive"

#: Per-responder tallies a Dyad keeps: the additive sums of ``empathica.summary``.
TALLIES = SUM_COLUMNS

#: Columns of the optional episode log (the episode log of ``empathica simulate``, less its id).
LOG_COLUMNS = OBSERVABLE_COLUMNS[1:] + HIDDEN_COLUMNS


def clip(x: float, lo: float, hi: float) -> float:
    """``x`` limited to [lo, hi]; written out inline in the hot loop, where a call costs more."""
    return lo if x < lo else hi if x > hi else x


class Person(mesa.Agent):
    """One partner: fixed traits; a changing affect, arousal and self-esteem; and an own
    view of the partner: trust, satisfaction, liking and the slow relationship quality.

    The traits are attributes (``self.impulsivity``, ...); so are the named quantities
    of ``docs/model.md`` that depend on traits only (θ, set points, ...): traits do not
    change, so these are computed once, here, rather than in every episode.
    """

    def __init__(self, model: EmpathyModel, profile: str, traits: dict[str, float]):
        super().__init__(model)
        self.profile = profile
        for name, value in traits.items():
            setattr(self, name, value)
        per, con, si, rel = model.perception, model.contagion, model.self_image, model.relationship
        anxiety, regulation = self.attachment_anxiety, self.emotion_regulation

        # perception (A1, A3, A7): error SD of each need type at calm, and the threshold θ
        # above which arousal breaks mentalizing down
        self.perception_sd = tuple(
            max(
                per.noise_floor,
                per.noise * (1.0 - (wc * self.cognitive_empathy + wa * self.emotional_contagion)),
            )
            for wc, wa in zip(per.w_cognitive, per.w_affective, strict=True)
        )
        self.breakdown_threshold = per.breakdown_base + per.breakdown_regulation * regulation

        # contagion and regulation (A1, A10): baseline arousal and the share kept overnight
        self.baseline_arousal = con.baseline_arousal_base + con.baseline_arousal_dysreg * (1.0 - regulation)
        self.arousal_keep = clip(1.0 - con.recovery_base - con.recovery_regulation * regulation, 0.0, 1.0)

        # self-image (A5, A6, A12): set point and sensitivity to feedback
        self.esteem_set_point = (
            si.set_point_base
            + si.set_point_admiration * (self.admiration_need - 0.5)
            - si.set_point_anxiety * (anxiety - 0.5)
        )
        self.esteem_sensitivity = si.sensitivity_base + si.sensitivity_fragility * max(
            self.self_image_fragility, anxiety
        )

        # daily affect (A10, L11): Gottman inertia r, set point s, negativity threshold
        self.inertia = rel.inertia_base + rel.inertia_dysreg * (1.0 - regulation)
        self.affect_set_point = (
            rel.set_point_base
            - rel.set_point_anxiety * anxiety
            - rel.set_point_avoidance * self.attachment_avoidance
        )
        self.neg_threshold = rel.neg_threshold_base + rel.neg_threshold_anxiety * anxiety

        # slow wear (Karney & Bradbury): how much a unit of strain wears this partner
        ada = model.adaptation
        self.vulnerability = (
            ada.vulnerability_base
            + ada.vulnerability_anxiety * anxiety
            + ada.vulnerability_dysregulation * (1.0 - regulation)
        )

        # state; the view of the partner is set at acquaintance (``Dyad``)
        self.affect = self.affect_set_point
        self.arousal = self.baseline_arousal
        self.self_esteem = self.esteem_set_point
        self.trust = self.satisfaction = self.liking = self.quality = 0.0
        self.strain = self.repairs = self.met = 0.0  # today's ruptures, accepted repairs, needs met


class Dyad(mesa.Agent):
    """A relationship: two Persons (each with an own view of the other), together or apart."""

    def __init__(self, model: EmpathyModel, a: Person, b: Person, pair: int):
        super().__init__(model)
        self.partners = (a, b)
        self.pair = pair
        imp, rel0 = model.impressions, model.relationship
        for me, other in ((a, b), (b, a)):  # acquaintance: me reads what the other shows
            shown = (
                imp.warmth_base
                + imp.warmth_concern * (other.empathic_concern - 0.5)
                + imp.charm * max(0.0, other.admiration_need - 0.5)
                - imp.reserve * (other.attachment_avoidance - 0.5)
            )
            me.liking = clip(shown + imp.first_noise * self.random.gauss(0.0, 1.0), 0.0, 1.0)
            me.trust = clip(
                rel0.initial_trust
                + imp.trust_impression * (me.liking - 0.5)
                - imp.trust_anxiety * me.attachment_anxiety
                - imp.trust_avoidance * me.attachment_avoidance,
                0.0,
                1.0,
            )
            me.quality = imp.satisfaction_impression * (me.liking - 0.5)
            me.satisfaction = clip(rel0.initial_satisfaction + me.quality, -1.0, 1.0)
        self.together = True
        self.days_apart = 0
        rel, ctx = model.relationship, model.context
        self.rate = ctx.episode_rate * (
            1.0 - rel.distancing * 0.5 * (a.attachment_avoidance + b.attachment_avoidance)
        )
        # Episodes per day: Poisson(rate) capped at the daily maximum, drawn by inversion;
        # episode_cdf[k] is P(N <= k), so the count is the first k with u <= episode_cdf[k].
        pmf = math.exp(-self.rate)
        cdf = pmf
        table = []
        for k in range(ctx.max_episodes_per_day):
            table.append(cdf)
            pmf = pmf * self.rate / (k + 1)
            cdf += pmf
        self.episode_cdf = tuple(table)
        # reconciliation (A13, L8): the anxious one's pull, the avoidant one's block
        pull = max(a.attachment_anxiety, b.attachment_anxiety) ** 1.5
        block = 1.0 - rel.reconcile_avoidance * max(a.attachment_avoidance, b.attachment_avoidance)
        self.reconcile_drive = rel.reconcile_rate * pull * block
        self.tallies = ([0.0] * len(TALLIES), [0.0] * len(TALLIES))  # per responder side
        self.breakups = 0
        self.reconciliations = 0
        self.together_days = 0

    def step(self) -> None:
        impulsive = 0.0
        if self.together:
            n = bisect_left(self.episode_cdf, self.random.random())  # Poisson(rate), capped
            for _ in range(n):
                pressure = self.episode()
                if pressure > impulsive:
                    impulsive = pressure
            self.model.episodes_today += n
        self.end_of_day(impulsive)

    def episode(self) -> float:
        """One need met or not; returns the impulsive-breakup pressure it created."""
        m = self.model
        ctx, per, con, mot = m.context, m.perception, m.contagion, m.motivation
        resp, rel = m.response, m.relationship
        rnd = m.random
        random, gauss = rnd.random, rnd.gauss
        side = 1 if random() < 0.5 else 0
        actor, target = self.partners[side], self.partners[1 - side]

        # context; the need is the first k with u < need_cdf[k]
        need = bisect_right(m.need_cdf, random())
        if need > LAST_NEED:
            need = LAST_NEED
        intensity = 0.5 * (random() + random())
        audience = random() < ctx.p_audience
        benefit = random() < ctx.p_benefit
        threat = random() < (ctx.p_threat_anger if need == ANGER else ctx.p_threat_other)
        boundary = random() < ctx.p_boundary
        prompt = random() < ctx.p_prompt
        feeling = intensity if need == GOOD_NEWS else -intensity

        # the target feels the need and shows it (A1, A12)
        g = con.own_need_gain
        t_affect = target.affect + g * (feeling - target.affect)
        t_arousal = target.arousal + g * abs(feeling) * (1.0 - target.arousal)
        cue = feeling * (1.0 - con.suppression_damping * target.expressive_suppression)

        # the actor perceives (A1, A3, A7, A13) and resonates (A1, A10)
        arousal = actor.arousal
        excess = arousal - actor.breakdown_threshold
        if excess <= 0.0:
            excess = 0.0
        sd = actor.perception_sd[need] + per.breakdown_gain * excess
        bias = -per.rejection_bias * actor.attachment_anxiety * excess * (1.0 - min(1.0, abs(cue)))
        perceived = cue + bias + sd * gauss(0.0, 1.0)
        perceived = -1.0 if perceived < -1.0 else 1.0 if perceived > 1.0 else perceived
        c = actor.emotional_contagion
        a_arousal = arousal + con.arousal_gain * c * abs(perceived) * (1.0 - 0.5 * arousal)
        a_affect = actor.affect + con.affect_gain * c * (perceived - actor.affect)

        # motives compete (A4, A5, A8, A11)
        concern = actor.empathic_concern
        if prompt:
            scope = mot.prompt_physical_factor if need == PHYSICAL else 1.0
            concern += mot.prompt_gain * scope * max(0.0, mot.prompt_reference - concern)
        commitment = clip(actor.trust + rel.investment * actor.satisfaction, 0.0, 1.0)
        bond = mot.bond_base + (1.0 - mot.bond_base) * commitment
        dis = m.distress
        theta = dis.threshold_base + dis.threshold_regulation * actor.emotion_regulation
        flooded = min(1.0, max(0.0, (a_arousal - theta) / dis.width))
        other_oriented = concern * (1.0 - dis.crowd_out * flooded)
        genuine = (
            (other_oriented + mot.attachment_gain * actor.attachment_anxiety * a_arousal)
            * abs(perceived)
            * bond
            * (1.0 - mot.avoidance_damping * actor.attachment_avoidance)
        )
        strategic = actor.admiration_need**2 * (mot.audience_weight * audience + mot.benefit_weight * benefit)
        deficit = actor.esteem_set_point - actor.self_esteem
        if deficit <= 0.0:
            deficit = 0.0
        defensive = threat * actor.self_image_fragility**2 * (1.0 + 2.0 * deficit)
        noise = mot.noise * (1.0 + mot.impulsive_noise * actor.impulsivity * a_arousal) * gauss(0.0, 1.0)
        approach = (strategic if strategic > genuine else genuine) + noise
        if defensive > 0 and mot.defense_weight * defensive > approach:
            motive = DEFENSIVE
        elif approach > mot.threshold:
            motive = GENUINE if genuine >= strategic else STRATEGIC
        else:
            motive = NONE

        # the response (A9, A11, A14)
        responded = motive == GENUINE or motive == STRATEGIC
        accuracy = warmth = None
        committed = followed = False
        if responded:
            w = resp.projection * actor.impulsivity * a_arousal
            aim = (1.0 - w) * perceived + w * a_affect
            accuracy = 1.0 - abs(aim - feeling)
            accuracy = 0.0 if accuracy < 0.0 else 1.0 if accuracy > 1.0 else accuracy
            if motive == GENUINE:
                warmth = resp.warmth_genuine_base + resp.warmth_genuine_concern * concern
                p_commit = resp.commit_genuine_base + resp.commit_genuine_need * intensity
                p_follow = resp.follow_genuine - resp.follow_dysregulation * actor.impulsivity * a_arousal
            else:
                warmth = resp.warmth_strategic_base + resp.warmth_strategic_audience * audience
                p_commit = resp.commit_strategic
                p_follow = resp.follow_strategic_watched if audience else resp.follow_strategic_unwatched
            warmth += resp.warmth_noise * gauss(0.0, 1.0)
            warmth = 0.0 if warmth < 0.0 else 1.0 if warmth > 1.0 else warmth
            committed = random() < p_commit
            followed = committed and random() < p_follow
        respected = True
        if boundary:
            self_interest = actor.admiration_need * max(0.0, 1.0 - concern)
            if motive == GENUINE:
                self_interest *= 0.5
            p_respect = (
                resp.boundary_base
                - resp.boundary_protest * actor.attachment_anxiety * a_arousal
                - resp.boundary_self_interest * self_interest * (1.0 - audience)
            )
            respected = random() < p_respect

        # the target reads it (A10, A13)
        excess = t_arousal - target.breakdown_threshold
        if excess <= 0.0:
            excess = 0.0
        shown = 0.5 * (warmth + accuracy) if responded else 0.5 * (1.0 - intensity)
        soc = m.sociometer
        expected = min(1.0, max(-1.0, soc.expectation_gain * (soc.reference - target.self_esteem)))
        expectation = soc.reading_bias * expected * (1.0 - abs(2.0 * shown - 1.0))
        care = shown - target.attachment_anxiety * excess - expectation + rel.care_noise * gauss(0.0, 1.0)
        care = 0.0 if care < 0.0 else 1.0 if care > 1.0 else care
        if responded:
            t_affect += rel.validation_gain * care
        else:
            t_affect -= rel.unmet_cost * intensity
        t_esteem = target.self_esteem + target.esteem_sensitivity * (care - 0.5)
        t_esteem = 0.0 if t_esteem < 0.0 else 1.0 if t_esteem > 1.0 else t_esteem
        protest = False
        if care < rel.rejection_level:
            protest = random() < clip(target.attachment_anxiety * (rel.protest_base + t_arousal), 0, 1)
        pressure = 0.0
        if protest:
            pressure = rel.breakup_impulsive * target.impulsivity * target.attachment_anxiety
            t_arousal += rel.protest_arousal * (1.0 - t_arousal)
            a_arousal += rel.protest_arousal * (1.0 - a_arousal)
            actor.satisfaction -= rel.protest_cost
            target.satisfaction -= rel.protest_cost
            actor.strain += 1.0

        # the actor's self-image (A5, A6): criticism hurts unless defended; watched care pays
        a_esteem = actor.self_esteem
        if threat and motive != DEFENSIVE:
            a_esteem = clip(a_esteem - actor.esteem_sensitivity * 0.5 * intensity, 0.0, 1.0)
        if responded and audience:
            a_esteem += m.self_image.supply_gain * actor.admiration_need * (1.0 - a_esteem)

        # write back, affect clipped to [-1, 1], arousal and the target's trust to [0, 1]
        target.affect = -1.0 if t_affect < -1.0 else 1.0 if t_affect > 1.0 else t_affect
        target.arousal = 0.0 if t_arousal < 0.0 else 1.0 if t_arousal > 1.0 else t_arousal
        target.self_esteem = t_esteem
        actor.affect = -1.0 if a_affect < -1.0 else 1.0 if a_affect > 1.0 else a_affect
        actor.arousal = a_arousal = 0.0 if a_arousal < 0.0 else 1.0 if a_arousal > 1.0 else a_arousal
        actor.self_esteem = a_esteem
        trust = target.trust + rel.trust_rate * (care - target.trust)
        if committed and not followed:
            trust -= rel.broken_promise
        if not respected:
            trust -= rel.boundary_violation
        target.trust = 0.0 if trust < 0.0 else 1.0 if trust > 1.0 else trust
        imp = m.impressions
        rate = imp.rate_down if care < target.liking else imp.rate_up
        target.liking += rate * (care - target.liking)
        if responded and care > 0.5:
            target.met += 1.0

        # rupture and repair: the actor may try to repair, the target may accept
        rupture = (committed and not followed) or not respected or protest
        attempted = accepted = False
        if rupture:
            target.strain += 1.0
            rp = m.repair
            flood = max(0.0, a_arousal - actor.breakdown_threshold)
            lack = max(0.0, actor.esteem_set_point - actor.self_esteem)
            defence = actor.self_image_fragility**2 * (1.0 + 2.0 * lack)
            p_attempt = (
                rp.attempt_base
                + rp.attempt_concern * concern
                + rp.attempt_anxiety * actor.attachment_anxiety
                - rp.attempt_admiration * actor.admiration_need
                - rp.attempt_defensive * defence
                - rp.attempt_flooding * flood
            )
            attempted = random() < clip(p_attempt, 0.0, 1.0)
            if attempted:
                flood = max(0.0, target.arousal - target.breakdown_threshold)
                p_accept = (
                    rp.accept_base
                    + rp.accept_satisfaction * target.satisfaction
                    + rp.accept_impression * (target.liking - 0.5)
                    - rp.accept_flooding * flood
                )
                accepted = random() < clip(p_accept, 0.0, 1.0)
            if accepted:
                target.trust += rp.trust_gain * (1.0 - target.trust)
                target.satisfaction = min(1.0, target.satisfaction + rp.satisfaction_gain)
                target.arousal *= 1.0 - rp.calming
                actor.repairs += 1.0
                target.repairs += 1.0

        # tallies of the responder's side (the columns of TALLIES)
        t = self.tallies[side]
        t[0] += 1
        if audience or benefit:
            t[3] += 1
            t[4] += responded
        else:
            t[1] += 1
            t[2] += responded
        if responded:
            t[5] += 1
            t[6] += accuracy
        if need != GOOD_NEWS:
            t[7] += 1
            t[8] += a_arousal - arousal
            t[9] += a_arousal
        if committed:
            k = 10 if audience else 12
            t[k] += 1
            t[k + 1] += followed
        if m.log_episodes:
            m.episode_log.append(
                (m.steps, self.unique_id, actor.unique_id, target.unique_id, NEED_TYPES[need], intensity,
                 audience, benefit, threat, boundary, prompt, responded, accuracy, warmth, committed,
                 followed if committed else None, respected if boundary else None, motive, actor.profile,
                 target.profile, feeling, perceived, a_arousal - arousal, a_arousal, protest, care,
                 target.trust, rupture, attempted, accepted)
            )  # fmt: skip
        return pressure

    def end_of_day(self, impulsive: float) -> None:
        """Gottman affect dynamics, regulation, self-image drift, satisfaction, breakup."""
        m = self.model
        rel, si = m.relationship, m.self_image
        together = self.together
        a, b = self.partners
        for me, partner_affect in ((a, b.affect), (b, a.affect)):
            pull = 0.0
            if together:
                if partner_affect < me.neg_threshold:
                    pull -= rel.neg_influence
                if partner_affect > rel.pos_threshold:
                    pull += rel.pos_influence * (1.0 - me.attachment_avoidance)
            r = me.inertia
            affect = r * me.affect + (1.0 - r) * me.affect_set_point + pull
            me.affect = -1.0 if affect < -1.0 else 1.0 if affect > 1.0 else affect
            base = me.baseline_arousal
            arousal = base + (me.arousal - base) * me.arousal_keep
            if not together:  # longing
                arousal += rel.longing * me.attachment_anxiety * (1.0 - arousal)
            me.arousal = arousal
            esteem = me.self_esteem
            esteem = esteem + si.relax * (me.esteem_set_point - esteem) - si.supply_drain * me.admiration_need
            me.self_esteem = 0.0 if esteem < 0.0 else 1.0 if esteem > 1.0 else esteem
        if together:
            ada = m.adaptation
            outside = ada.event_strain if self.random.random() < ada.p_event else 0.0
            w = rel.own_affect_weight
            for me, other in ((a, b), (b, a)):
                adaptive = ada.adaptation_repair * me.repairs + ada.adaptation_care * me.met
                quality = me.quality + ada.rate * (adaptive - me.vulnerability * (me.strain + outside))
                me.quality = clip(quality, -1.0, 1.0)
                target = (
                    me.quality + w * me.affect + (1.0 - w) * other.affect + (me.trust - rel.trust_reference)
                )
                me.satisfaction = clip(
                    me.satisfaction + rel.satisfaction_rate * (target - me.satisfaction), -1.0, 1.0
                )
            chronic = rel.breakup_base + rel.breakup_dissatisfied / (
                1.0 + math.exp(-(rel.breakup_threshold - min(a.satisfaction, b.satisfaction)) / 0.05)
            )
            if self.random.random() < 1.0 - (1.0 - chronic) * (1.0 - impulsive):
                self.together = False
                self.breakups += 1
                self.model.together_count -= 1
        else:
            fade = math.exp(-self.days_apart / rel.reconcile_decay_days)
            trust = 0.5 * (a.trust + b.trust)
            if self.random.random() < self.reconcile_drive * fade * (0.3 + 0.7 * trust):
                self.together = True
                self.reconciliations += 1
                self.model.together_count += 1
                for me in (a, b):
                    me.satisfaction = max(me.satisfaction, rel.reconcile_satisfaction)
        for me in (a, b):
            me.strain = me.repairs = me.met = 0.0
        self.days_apart = 0 if self.together else self.days_apart + 1
        self.together_days += self.together


class EmpathyModel(mesa.Model):
    """Dyads of each pairing of profiles, one step per day."""

    def __init__(
        self,
        pairs,
        dyads: int = 100,
        seed: int | None = None,
        spread: float = 0.15,
        params: ModelParams | None = None,
        log_episodes: bool = False,
    ):
        super().__init__(seed=seed)
        self.params = params or ModelParams()
        # The mechanism constants as plain attributes, one namespace per mechanism
        # (``self.relationship.trust_rate``): the hot loop reads them several times per
        # episode, and a plain attribute reads faster than a field of a pydantic model.
        for name in ModelParams.model_fields:
            setattr(self, name, SimpleNamespace(**dict(getattr(self.params, name))))
        self.log_episodes = log_episodes
        self.episode_log: list[tuple] = []  # one tuple per episode (LOG_COLUMNS) if log_episodes
        probs = self.context.need_probs
        total = sum(probs)
        self.need_cdf = [sum(probs[: i + 1]) / total for i in range(len(probs))]
        self.pair_profiles = [tuple(resolve_profile(name) for name in pair) for pair in pairs]
        self.episodes_today = 0
        self.together_count = dyads * len(self.pair_profiles)
        for pair, profiles in enumerate(self.pair_profiles):
            for _ in range(dyads):
                a, b = (Person(self, prof.name, self.draw_traits(prof, spread)) for prof in profiles)
                Dyad(self, a, b, pair)
        self.datacollector = mesa.DataCollector(
            model_reporters={"episodes": "episodes_today", "together": "together_count"}
        )

    def draw_traits(self, profile, spread: float) -> dict[str, float]:
        gauss = self.random.gauss
        return {
            name: clip(profile.traits[name].value + spread * gauss(0.0, 1.0), TRAIT_MIN, TRAIT_MAX)
            for name in TRAIT_NAMES
        }

    def step(self) -> None:
        self.episodes_today = 0
        self.agents_by_type[Dyad].do("step")
        self.datacollector.collect(self)

    @property
    def n_episodes(self) -> int:
        return int(sum(d.tallies[0][0] + d.tallies[1][0] for d in self.agents_by_type[Dyad]))

    @property
    def n_dyads(self) -> int:
        return len(self.agents_by_type[Dyad])

    def dyad_table(self) -> pd.DataFrame:
        """One row per dyad and responder side: the tallies, breakups, reconciliations, days."""
        rows = []
        for d in self.agents_by_type[Dyad]:
            pa, pb = (p.profile for p in d.partners)
            pair = f"{pa}:{pb}" if pa <= pb else f"{pb}:{pa}"
            for side in (0, 1):
                rows.append(
                    {
                        "dyad": d.unique_id,
                        "pair": pair,
                        "side": side,
                        "responder": d.partners[side].profile,
                        **dict(zip(TALLIES, d.tallies[side], strict=True)),
                        "breakups": d.breakups,
                        "reconciliations": d.reconciliations,
                        "together_days": d.together_days,
                        "dyad_days": self.steps,
                    }
                )
        return pd.DataFrame(rows)

    def episodes(self) -> pd.DataFrame:
        """The episode log as a DataFrame (needs ``log_episodes=True``)."""
        return pd.DataFrame(self.episode_log, columns=list(LOG_COLUMNS))

    def sums(self) -> tuple[pd.DataFrame, pd.DataFrame]:
        """The additive sums of ``empathica.summary``: per pairing and responder (the
        ``TALLIES``), and per pairing (``DAY_SUM_COLUMNS``: dyad-days, days together,
        breakups, reconciliations)."""
        t = self.dyad_table()
        ep = t.groupby(["pair", "responder"], sort=True)[list(TALLIES)].sum().reset_index()
        ep = ep[ep["episodes"] > 0]
        per_dyad = t[t["side"] == 0]
        tr = per_dyad.groupby("pair")[list(DAY_SUM_COLUMNS)].sum().reset_index()
        return ep, tr

    def pair_order(self) -> list[str]:
        order = []
        for profiles in self.pair_profiles:
            a, b = (p.name for p in profiles)
            order.append(f"{a}:{b}" if a <= b else f"{b}:{a}")
        return order

    def summary(self) -> pd.DataFrame:
        """The same summary table as ``empathica simulate`` prints."""
        ep, tr = self.sums()
        return summarize(ep, tr, pair_order=self.pair_order())


@dataclass
class Tallies:
    """What a run of the model keeps: the summary sums, and the size of the run."""

    episode_sums: pd.DataFrame  # per pairing and responder: TALLIES
    day_sums: pd.DataFrame  # per pairing: DAY_SUM_COLUMNS
    pair_order: list[str]
    n_episodes: int
    n_dyads: int
    days: int
    build_seconds: float  # model construction (drawing the traits, creating the agents)

    @property
    def summary(self) -> pd.DataFrame:
        """The same summary table as ``EmpathyModel.summary`` and ``empathica simulate``."""
        return summarize(self.episode_sums, self.day_sums, pair_order=self.pair_order)


def run_tallies(pairs, dyads: int, days: int, seed: int | None = None, **options) -> tuple[Tallies, float]:
    """Build an ``EmpathyModel`` and step it exactly ``days`` days.

    ``dyads`` is per pairing, as for ``EmpathyModel``; ``options`` go to it too
    (``spread``, ``params``, ``log_episodes``). Returns the tallies and the seconds
    the ``days`` steps took, model construction excluded (``Tallies.build_seconds``).
    Agent-episodes per second are ``2 * tallies.n_episodes / seconds``: every episode
    involves two agents.
    """
    if int(days) != days or days < 0:
        raise ValueError(f"days must be a non-negative integer, got {days}")
    start = time.perf_counter()
    model = EmpathyModel(pairs, dyads=dyads, seed=seed, **options)
    build = time.perf_counter() - start
    start = time.perf_counter()
    for _ in range(int(days)):
        model.step()
    seconds = time.perf_counter() - start
    ep, tr = model.sums()
    tallies = Tallies(ep, tr, model.pair_order(), model.n_episodes, model.n_dyads, model.steps, build)
    return tallies, seconds
