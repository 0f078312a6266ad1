"""The Empathica model written the way a Mesa user would write it.

This is the comparison point of the benchmark: a researcher who does not use
Empathica reads ``docs/model.md`` and writes the model in Mesa 3, the Python
agent-based modelling framework. Each ``Person`` is a ``mesa.Agent`` carrying its
traits and state as attributes; each ``Dyad`` is a ``mesa.Agent`` that steps one
day at a time and plays out the day's episodes with ordinary Python logic, one
mechanism per method, in the order of ``docs/model.md``. Random numbers come from
the model's ``random.Random`` (Mesa's ``model.random``); the streams differ from
Empathica's, the distributions are the same. ``test_faithful.py`` checks that the
two give the same statistics within sampling error.

The mechanism constants and the profiles are read from Empathica's own
``ModelParams`` and profile files, so both implementations always model the same
thing.

    model = EmpathyModel([("bpd", "secure")], dyads=100, seed=1)
    for _ in range(365):
        model.step()
    model.summary()          # the same table as ``empathica simulate`` prints
"""

from __future__ import annotations

import math

import mesa
import pandas as pd

from empathica.model.kernel import SUM_COLUMNS
from empathica.model.params import ModelParams
from empathica.model.profiles import resolve_profile
from empathica.model.schema import HIDDEN_COLUMNS, NEED_TYPES, OBSERVABLE_COLUMNS
from empathica.model.traits import TRAIT_MAX, TRAIT_MIN, TRAIT_NAMES
from empathica.summary import summarize

PHYSICAL = NEED_TYPES.index("physical_pain")
ANGER = NEED_TYPES.index("anger")
GOOD_NEWS = NEED_TYPES.index("good_news")
NONE, GENUINE, STRATEGIC, DEFENSIVE = "none", "genuine", "strategic", "defensive"

#: Per-responder tallies a Dyad keeps: the additive sums of ``empathica.summary``.
TALLIES = SUM_COLUMNS

#: Columns of the optional episode log (the episode log of ``empathica simulate``, less its id).
LOG_COLUMNS = OBSERVABLE_COLUMNS[1:] + HIDDEN_COLUMNS + ("true_protest",)


def clip(x: float, lo: float, hi: float) -> float:
    return lo if x < lo else hi if x > hi else x


class Person(mesa.Agent):
    """One partner: fixed traits and a changing affect, arousal and self-esteem."""

    def __init__(self, model: EmpathyModel, profile: str, traits: dict[str, float]):
        super().__init__(model)
        self.profile = profile
        for name, value in traits.items():
            setattr(self, name, value)
        rel = model.params.relationship
        self.affect = (
            rel.set_point_base
            - rel.set_point_anxiety * self.attachment_anxiety
            - rel.set_point_avoidance * self.attachment_avoidance
        )
        self.arousal = self.baseline_arousal()
        self.self_esteem = self.esteem_set_point()

    # --- self-image (A5, A6, A12)
    def esteem_set_point(self) -> float:
        p = self.model.params.self_image
        return (
            p.set_point_base
            + p.set_point_admiration * (self.admiration_need - 0.5)
            - p.set_point_anxiety * (self.attachment_anxiety - 0.5)
        )

    def esteem_sensitivity(self) -> float:
        p = self.model.params.self_image
        return p.sensitivity_base + p.sensitivity_fragility * max(
            self.self_image_fragility, self.attachment_anxiety
        )

    # --- contagion and regulation (A1, A10, A12)
    def baseline_arousal(self) -> float:
        p = self.model.params.contagion
        return p.baseline_arousal_base + p.baseline_arousal_dysreg * (1.0 - self.emotion_regulation)

    def show(self, feeling: float) -> float:
        """The feeling as it shows on the outside (suppressors show less)."""
        return feeling * (1.0 - self.model.params.contagion.suppression_damping * self.expressive_suppression)

    def feel_own_need(self, feeling: float) -> tuple[float, float]:
        g = self.model.params.contagion.own_need_gain
        affect = self.affect + g * (feeling - self.affect)
        return affect, self.arousal + g * abs(feeling) * (1.0 - self.arousal)

    def resonate(self, perceived: float) -> tuple[float, float]:
        p = self.model.params.contagion
        c = self.emotional_contagion
        arousal = self.arousal + p.arousal_gain * c * abs(perceived) * (1.0 - 0.5 * self.arousal)
        affect = self.affect + p.affect_gain * c * (perceived - self.affect)
        return affect, arousal

    # --- perception (A1, A3, A7, A13)
    def breakdown_threshold(self) -> float:
        p = self.model.params.perception
        return p.breakdown_base + p.breakdown_regulation * self.emotion_regulation

    def perceive(self, cue: float, need: int) -> float:
        p = self.model.params.perception
        skill = p.w_cognitive[need] * self.cognitive_empathy + p.w_affective[need] * self.emotional_contagion
        excess = max(0.0, self.arousal - self.breakdown_threshold())
        sd = max(p.noise_floor, p.noise * (1.0 - skill)) + p.breakdown_gain * excess
        bias = -p.rejection_bias * self.attachment_anxiety * excess * (1.0 - min(1.0, abs(cue)))
        return clip(cue + bias + sd * self.random.gauss(0.0, 1.0), -1.0, 1.0)

    # --- motivation (A4, A5, A8, A11)
    def effective_concern(self, prompt: bool, physical: bool) -> float:
        p = self.model.params.motivation
        if not prompt:
            return self.empathic_concern
        scope = p.prompt_physical_factor if physical else 1.0
        return self.empathic_concern + p.prompt_gain * scope * max(
            0.0, p.prompt_reference - self.empathic_concern
        )

    def choose_motive(
        self, concern: float, arousal: float, perceived: float, trust: float, audience, benefit, threat
    ) -> str:
        p = self.model.params.motivation
        bond = p.bond_base + (1.0 - p.bond_base) * trust
        genuine = (
            (concern + p.attachment_gain * self.attachment_anxiety * arousal)
            * abs(perceived)
            * bond
            * (1.0 - p.avoidance_damping * self.attachment_avoidance)
        )
        strategic = self.admiration_need**2 * (p.audience_weight * audience + p.benefit_weight * benefit)
        deficit = max(0.0, self.esteem_set_point() - self.self_esteem)
        defensive = threat * self.self_image_fragility**2 * (1.0 + 2.0 * deficit)
        noise = p.noise * (1.0 + p.impulsive_noise * self.impulsivity * arousal) * self.random.gauss(0.0, 1.0)
        approach = max(genuine, strategic) + noise
        if defensive > 0 and p.defense_weight * defensive > approach:
            return DEFENSIVE
        if approach > p.threshold:
            return GENUINE if genuine >= strategic else STRATEGIC
        return NONE


class Dyad(mesa.Agent):
    """A relationship: two Persons, trust, satisfaction, together or apart."""

    def __init__(self, model: EmpathyModel, a: Person, b: Person, pair: int):
        super().__init__(model)
        self.partners = (a, b)
        self.pair = pair
        self.trust = 0.6
        self.satisfaction = 0.3
        self.together = True
        self.days_apart = 0
        rel, ctx = model.params.relationship, model.params.context
        self.rate = ctx.episode_rate * (
            1.0 - rel.distancing * 0.5 * (a.attachment_avoidance + b.attachment_avoidance)
        )
        self.tallies = ([0.0] * len(TALLIES), [0.0] * len(TALLIES))  # per responder side
        self.breakups = 0
        self.reconciliations = 0
        self.together_days = 0

    def n_episodes(self) -> int:
        """Poisson(rate) capped at the daily maximum, by inversion."""
        cap = self.model.params.context.max_episodes_per_day
        u = self.random.random()
        pmf = math.exp(-self.rate)
        cdf = pmf
        for k in range(cap):
            if u <= cdf:
                return k
            pmf = pmf * self.rate / (k + 1)
            cdf += pmf
        return cap

    def step(self) -> None:
        impulsive = 0.0
        if self.together:
            for _ in range(self.n_episodes()):
                impulsive = max(impulsive, self.episode())
        self.end_of_day(impulsive)

    def episode(self) -> float:
        """One need met or not; returns the impulsive-breakup pressure it created."""
        m = self.model
        ctx, rel, resp, si = m.params.context, m.params.relationship, m.params.response, m.params.self_image
        rnd = self.random
        side = 1 if rnd.random() < 0.5 else 0
        actor, target = self.partners[side], self.partners[1 - side]

        # context
        u = rnd.random()
        need = min(sum(1 for c in m.need_cdf if c <= u), len(NEED_TYPES) - 1)
        intensity = 0.5 * (rnd.random() + rnd.random())
        audience = rnd.random() < ctx.p_audience
        benefit = rnd.random() < ctx.p_benefit
        threat = rnd.random() < (ctx.p_threat_anger if need == ANGER else ctx.p_threat_other)
        boundary = rnd.random() < ctx.p_boundary
        prompt = rnd.random() < ctx.p_prompt
        feeling = intensity if need == GOOD_NEWS else -intensity

        # the target feels the need and shows it; the actor perceives and resonates
        t_affect, t_arousal = target.feel_own_need(feeling)
        cue = target.show(feeling)
        perceived = actor.perceive(cue, need)
        aroused_before = actor.arousal
        a_affect, a_arousal = actor.resonate(perceived)

        # motives compete
        concern = actor.effective_concern(prompt, need == PHYSICAL)
        motive = actor.choose_motive(concern, a_arousal, perceived, self.trust, audience, benefit, threat)

        # the response
        responded = motive in (GENUINE, STRATEGIC)
        accuracy = warmth = None
        committed = followed = False
        if responded:
            w = resp.projection * actor.impulsivity * a_arousal
            aim = (1.0 - w) * perceived + w * a_affect
            accuracy = clip(1.0 - abs(aim - feeling), 0.0, 1.0)
            if motive == GENUINE:
                warmth = resp.warmth_genuine_base + resp.warmth_genuine_concern * concern
                p_commit = resp.commit_genuine_base + resp.commit_genuine_need * intensity
                p_follow = resp.follow_genuine - resp.follow_dysregulation * actor.impulsivity * a_arousal
            else:
                warmth = resp.warmth_strategic_base + resp.warmth_strategic_audience * audience
                p_commit = resp.commit_strategic
                p_follow = resp.follow_strategic_watched if audience else resp.follow_strategic_unwatched
            warmth = clip(warmth + resp.warmth_noise * rnd.gauss(0.0, 1.0), 0.0, 1.0)
            committed = rnd.random() < p_commit
            followed = committed and rnd.random() < p_follow
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
            respected = rnd.random() < p_respect

        # the target reads it
        excess = max(0.0, t_arousal - target.breakdown_threshold())
        shown = 0.5 * (warmth + accuracy) if responded else 0.5 * (1.0 - intensity)
        care = clip(shown - target.attachment_anxiety * excess + rel.care_noise * rnd.gauss(0.0, 1.0), 0, 1)
        if responded:
            t_affect += rel.validation_gain * care
        else:
            t_affect -= rel.unmet_cost * intensity
        target_esteem = clip(target.self_esteem + target.esteem_sensitivity() * (care - 0.5), 0.0, 1.0)
        protest = False
        if care < rel.rejection_level:
            protest = rnd.random() < clip(target.attachment_anxiety * (rel.protest_base + t_arousal), 0, 1)
        pressure = 0.0
        if protest:
            pressure = rel.breakup_impulsive * target.impulsivity * target.attachment_anxiety
            t_arousal += rel.protest_arousal * (1.0 - t_arousal)
            a_arousal += rel.protest_arousal * (1.0 - a_arousal)
            self.satisfaction -= rel.protest_cost

        # the actor's self-image: criticism hurts unless defended; watched care pays
        a_esteem = actor.self_esteem
        if threat and motive != DEFENSIVE:
            a_esteem = clip(a_esteem - actor.esteem_sensitivity() * 0.5 * intensity, 0.0, 1.0)
        if responded and audience:
            a_esteem += si.supply_gain * actor.admiration_need * (1.0 - a_esteem)

        # write back
        target.affect, target.arousal, target.self_esteem = (
            clip(t_affect, -1.0, 1.0),
            clip(t_arousal, 0.0, 1.0),
            target_esteem,
        )
        actor.affect, actor.arousal, actor.self_esteem = (
            clip(a_affect, -1.0, 1.0),
            clip(a_arousal, 0.0, 1.0),
            a_esteem,
        )
        trust = self.trust + rel.trust_rate * (care - self.trust)
        if committed and not followed:
            trust -= rel.broken_promise
        if not respected:
            trust -= rel.boundary_violation
        self.trust = clip(trust, 0.0, 1.0)

        self.tally(side, need, audience, benefit, responded, accuracy, actor.arousal - aroused_before,
                   actor.arousal, committed, followed)  # fmt: skip
        m.episodes_today += 1
        if m.log_episodes:
            m.episode_log.append(
                (m.steps, self.unique_id, actor.unique_id, target.unique_id, NEED_TYPES[need], intensity,
                 audience, benefit, threat, boundary, prompt, responded, accuracy, warmth, committed,
                 followed if committed else None, respected if boundary else None, motive, actor.profile,
                 target.profile, feeling, perceived, actor.arousal - aroused_before, actor.arousal, protest)
            )  # fmt: skip
        return pressure

    def tally(self, side, need, audience, benefit, responded, accuracy, gain, arousal, committed, followed):
        t = self.tallies[side]
        paid = audience or benefit
        t[0] += 1
        if paid:
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
            t[8] += gain
            t[9] += arousal
        if committed:
            k = 10 if audience else 12
            t[k] += 1
            t[k + 1] += followed

    def end_of_day(self, impulsive: float) -> None:
        """Gottman affect dynamics, regulation, self-image drift, satisfaction, breakup."""
        p = self.model.params
        rel, con, si = p.relationship, p.contagion, p.self_image
        a, b = self.partners
        old = (a.affect, b.affect)
        for me, partner_affect in ((a, old[1]), (b, old[0])):
            r = rel.inertia_base + rel.inertia_dysreg * (1.0 - me.emotion_regulation)
            s = (
                rel.set_point_base
                - rel.set_point_anxiety * me.attachment_anxiety
                - rel.set_point_avoidance * me.attachment_avoidance
            )
            pull = 0.0
            if self.together:
                t_neg = rel.neg_threshold_base + rel.neg_threshold_anxiety * me.attachment_anxiety
                if partner_affect < t_neg:
                    pull += rel.neg_slope * partner_affect
                if partner_affect > rel.pos_threshold:
                    pull += rel.pos_slope * (1.0 - me.attachment_avoidance) * partner_affect
            me.affect = clip(r * me.affect + (1.0 - r) * s + pull, -1.0, 1.0)
            base = me.baseline_arousal()
            keep = clip(1.0 - con.recovery_base - con.recovery_regulation * me.emotion_regulation, 0.0, 1.0)
            me.arousal = base + (me.arousal - base) * keep
            if not self.together:  # longing
                me.arousal += rel.longing * me.attachment_anxiety * (1.0 - me.arousal)
            me.self_esteem = clip(
                me.self_esteem
                + si.relax * (me.esteem_set_point() - me.self_esteem)
                - si.supply_drain * me.admiration_need,
                0.0,
                1.0,
            )
        if self.together:
            target = 0.5 * (a.affect + b.affect) + (self.trust - rel.trust_reference)
            self.satisfaction = clip(
                self.satisfaction + rel.satisfaction_rate * (target - self.satisfaction), -1.0, 1.0
            )
            chronic = rel.breakup_base + rel.breakup_dissatisfied / (
                1.0 + math.exp(-(rel.breakup_threshold - self.satisfaction) / 0.05)
            )
            if self.random.random() < 1.0 - (1.0 - chronic) * (1.0 - impulsive):
                self.together = False
                self.breakups += 1
                self.model.together_count -= 1
        else:
            pull = max(a.attachment_anxiety, b.attachment_anxiety) ** 1.5
            block = 1.0 - rel.reconcile_avoidance * max(a.attachment_avoidance, b.attachment_avoidance)
            fade = math.exp(-self.days_apart / rel.reconcile_decay_days)
            if self.random.random() < rel.reconcile_rate * pull * block * fade * (0.3 + 0.7 * self.trust):
                self.together = True
                self.reconciliations += 1
                self.model.together_count += 1
                self.satisfaction = max(self.satisfaction, 0.1)
        self.days_apart = 0 if self.together else self.days_apart + 1
        self.together_days += self.together


class EmpathyModel(mesa.Model):
    """Dyads of each pairing of profiles, one step per day."""

    def __init__(
        self,
        pairs,
        dyads: int = 100,
        seed: int | None = None,
        spread: float = 0.10,
        params: ModelParams | None = None,
        log_episodes: bool = False,
    ):
        super().__init__(seed=seed)
        self.params = params or ModelParams()
        self.log_episodes = log_episodes
        self.episode_log: list[tuple] = []  # one tuple per episode (LOG_COLUMNS) if log_episodes
        probs = self.params.context.need_probs
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

    def summary(self) -> pd.DataFrame:
        """The same summary table as ``empathica simulate`` prints."""
        t = self.dyad_table()
        ep = t.groupby(["pair", "responder"], sort=True)[list(TALLIES)].sum().reset_index()
        ep = ep[ep["episodes"] > 0]
        per_dyad = t[t["side"] == 0]
        tr = per_dyad.groupby("pair")[["dyad_days", "together_days", "breakups", "reconciliations"]].sum()
        pair_order = []
        for profiles in self.pair_profiles:
            a, b = (p.name for p in profiles)
            pair_order.append(f"{a}:{b}" if a <= b else f"{b}:{a}")
        return summarize(ep, tr.reset_index(), pair_order=pair_order)
