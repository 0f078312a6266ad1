"""Mechanism constants: one typed, validated container per mechanism.

Traits say *who* an agent is; these constants say *how* a mechanism turns traits
and context into behaviour. Each field documents the claim id (BRIEF.md) or
citation that fixes its role; numeric values are modelling choices, checked by
the virtual experiments of ``empathica validate``.
"""

from __future__ import annotations

from collections import namedtuple
from functools import lru_cache

import numpy as np
from pydantic import BaseModel, ConfigDict, Field


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class ContextParams(_Frozen):
    """How often each kind of situation occurs (BRIEF, 'An interaction episode')."""

    episode_rate: float = Field(1.2, gt=0, description="mean episodes per together dyad-day")
    max_episodes_per_day: int = Field(3, ge=1, le=3, description="cap on episodes per dyad-day")
    need_probs: tuple[float, float, float, float, float, float] = Field(
        (0.15, 0.25, 0.20, 0.12, 0.13, 0.15),
        description="probabilities of physical_pain, social_pain, sadness, fear, anger, good_news",
    )
    p_audience: float = Field(0.30, ge=0, le=1, description="someone else is watching (A4, A14)")
    p_benefit: float = Field(0.25, ge=0, le=1, description="responder stands to gain (A4)")
    p_threat_anger: float = Field(0.60, ge=0, le=1, description="anger need implies criticism (A5)")
    p_threat_other: float = Field(0.08, ge=0, le=1, description="other needs imply criticism (A5)")
    p_boundary: float = Field(0.15, ge=0, le=1, description="target asks for a boundary (A14)")
    p_prompt: float = Field(0.10, ge=0, le=1, description="perspective-taking prompt (A8, L5)")


class PerceptionParams(_Frozen):
    """Perceived feeling = cue + error (A1, A3, A7)."""

    noise: float = Field(0.45, gt=0, description="error SD of a perceiver with no skill")
    noise_floor: float = Field(0.04, ge=0, description="error SD of the most skilled perceiver")
    # Skill weights per need type (cognitive, affective). Physical pain is read more by
    # affective resonance, social pain more by mentalizing: this yields A7 (NPD more
    # accurate for social than physical pain) from A3 (cognitive kept, affective reduced).
    w_cognitive: tuple[float, float, float, float, float, float] = (
        0.30,
        0.70,
        0.55,
        0.55,
        0.55,
        0.55,
    )
    w_affective: tuple[float, float, float, float, float, float] = (
        0.55,
        0.25,
        0.35,
        0.35,
        0.35,
        0.35,
    )
    breakdown_base: float = Field(0.40, description="arousal threshold at zero regulation (A1, A10)")
    breakdown_regulation: float = Field(0.45, description="threshold gain per unit regulation")
    breakdown_gain: float = Field(1.2, ge=0, description="extra error SD per unit arousal excess")
    rejection_bias: float = Field(0.9, ge=0, description="anxious misreading under arousal (A13, L9)")


class ContagionParams(_Frozen):
    """Arousal and affect move toward the perceived feeling (A1, A10, A12)."""

    arousal_gain: float = Field(0.70, ge=0, description="arousal rise per unit contagion x |feeling|")
    affect_gain: float = Field(0.45, ge=0, description="affect pull toward the perceived feeling")
    own_need_gain: float = Field(0.35, ge=0, description="target's own arousal from having the need")
    baseline_arousal_base: float = Field(0.15, description="baseline arousal at full regulation")
    baseline_arousal_dysreg: float = Field(0.25, description="added baseline per unit dysregulation")
    recovery_base: float = Field(0.20, description="daily return to baseline at zero regulation")
    recovery_regulation: float = Field(0.60, description="added daily return per unit regulation")
    suppression_damping: float = Field(0.5, ge=0, le=1, description="expressed cue shrinks (A12)")


class MotivationParams(_Frozen):
    """Genuine, strategic and defensive motives compete (A4, A5, A8, A11, A14)."""

    prompt_gain: float = Field(1.0, ge=0, description="share of the gap to the reference a prompt closes")
    prompt_reference: float = Field(
        0.55, ge=0, le=1, description="concern a prompt lifts toward: a typical person's (A8, L5)"
    )
    prompt_physical_factor: float = Field(0.5, ge=0, le=1, description="prompt works less off social")
    attachment_gain: float = Field(0.5, ge=0, description="attachment need adds to care (A11)")
    avoidance_damping: float = Field(0.5, ge=0, le=1, description="avoidance distances care (A13)")
    bond_base: float = Field(0.5, ge=0, le=1, description="care weight with zero trust")
    audience_weight: float = Field(0.8, ge=0, description="admiration x audience -> strategic (A4)")
    benefit_weight: float = Field(0.8, ge=0, description="admiration x benefit -> strategic (A4)")
    defense_weight: float = Field(1.5, ge=0, description="fragility^2 x threat -> defensive (A5)")
    threshold: float = Field(0.10, description="drive needed to respond")
    noise: float = Field(0.05, gt=0, description="decision noise SD")
    impulsive_noise: float = Field(2.5, ge=0, description="noise gain from impulsivity x arousal (A11)")


class ResponseParams(_Frozen):
    """What a response looks like and whether it is kept up (A9, A14)."""

    projection: float = Field(0.6, ge=0, le=1, description="flooded responders answer own feeling")
    warmth_genuine_base: float = Field(0.45)
    warmth_genuine_concern: float = Field(0.55)
    warmth_strategic_base: float = Field(0.45, description="polished display (A14 'superficial')")
    warmth_strategic_audience: float = Field(0.30)
    warmth_noise: float = Field(0.08, ge=0)
    commit_genuine_base: float = Field(0.20)
    commit_genuine_need: float = Field(0.50)
    commit_strategic: float = Field(0.55, description="promises are cheap when they pay (A9)")
    follow_genuine: float = Field(0.92, description="genuine care follows through (A14)")
    follow_dysregulation: float = Field(0.45, description="lost to impulsivity x arousal (A11)")
    follow_strategic_watched: float = Field(0.85, description="kept when someone watches (A9)")
    follow_strategic_unwatched: float = Field(0.25, description="dropped when nobody does (A9)")
    boundary_base: float = Field(0.94, description="boundary respected by default (A14)")
    boundary_protest: float = Field(0.6, description="anxious protest under arousal (A13)")
    boundary_self_interest: float = Field(0.65, description="unwatched self-interest (A14)")


class SelfImageParams(_Frozen):
    """Self-esteem moved by feedback around a set point (A5, A6, A12)."""

    set_point_base: float = Field(0.55)
    set_point_admiration: float = Field(0.40, description="inflated set point (A6, A12)")
    set_point_anxiety: float = Field(0.20, description="insecure self-view (A12)")
    sensitivity_base: float = Field(0.04)
    sensitivity_fragility: float = Field(0.30, description="swings with feedback (A12)")
    relax: float = Field(0.10, description="daily return toward the set point")
    supply_drain: float = Field(0.03, description="daily loss without validation (A6)")
    supply_gain: float = Field(0.25, description="praise from a watched response (A6)")


class RelationshipParams(_Frozen):
    """Gottman-style dyadic affect, trust, satisfaction, breakup and reconciliation (A10, A13, L11)."""

    inertia_base: float = Field(0.5, description="Gottman inertia r at full regulation (L11)")
    inertia_dysreg: float = Field(0.35, description="added inertia per unit dysregulation")
    set_point_base: float = Field(
        0.425, description="uninfluenced set point a/(1-r) (L11); +0.15 at anxiety = avoidance = 0.5"
    )
    set_point_anxiety: float = Field(0.45, description="more negative with anxiety (L11)")
    set_point_avoidance: float = Field(0.10)
    neg_threshold_base: float = Field(-0.35, description="partner negativity that influences (L11)")
    neg_threshold_anxiety: float = Field(0.30, description="anxious react to milder negativity")
    neg_influence: float = Field(
        0.10, ge=0, description="pull of partner negativity below the threshold: a constant (L11)"
    )
    pos_threshold: float = Field(0.20, description="partner positivity that influences")
    pos_influence: float = Field(
        0.05, ge=0, description="lift of partner positivity above the threshold: a constant (L11)"
    )
    validation_gain: float = Field(0.25, description="met need lifts the target's affect (A10)")
    unmet_cost: float = Field(0.15, description="unmet need lowers the target's affect")
    care_noise: float = Field(0.10, description="noise in reading the partner's care")
    rejection_level: float = Field(0.30, description="perceived care below this reads as rejection")
    protest_base: float = Field(0.2, description="protest probability factor (A13)")
    protest_cost: float = Field(0.10, description="satisfaction lost per protest")
    protest_arousal: float = Field(0.15, description="arousal added to both by a protest")
    trust_rate: float = Field(0.06, description="trust learning rate from needs met/unmet")
    broken_promise: float = Field(0.05, description="trust lost per broken promise (A9)")
    boundary_violation: float = Field(0.08, description="trust lost per ignored boundary")
    satisfaction_rate: float = Field(0.15, description="daily satisfaction learning rate")
    trust_reference: float = Field(0.45, description="trust that neither adds nor costs satisfaction")
    distancing: float = Field(0.4, description="avoidance lowers the episode rate (A13)")
    breakup_base: float = Field(0.0002, description="daily breakup hazard, happy dyad")
    breakup_dissatisfied: float = Field(0.003, description="added hazard when dissatisfied (L8)")
    breakup_threshold: float = Field(-0.20, description="satisfaction below which hazard rises")
    breakup_impulsive: float = Field(0.07, description="protest -> impulsive breakup (A13, L8)")
    reconcile_rate: float = Field(0.50, description="daily reconciliation factor (A13, L8)")
    reconcile_decay_days: float = Field(40.0, gt=0, description="longing fades with days apart")
    reconcile_avoidance: float = Field(1.0, ge=0, le=1, description="avoidance blocks return (A13)")
    longing: float = Field(0.06, description="apart: anxious arousal rises per day (A13)")
    initial_trust: float = Field(
        0.6, ge=0, le=1, description="trust when a relationship starts, secure partner, neutral impression"
    )
    initial_satisfaction: float = Field(
        0.3, ge=-1, le=1, description="satisfaction when it starts, neutral impression"
    )
    reconcile_satisfaction: float = Field(0.1, description="satisfaction at least this after reuniting")
    own_affect_weight: float = Field(
        0.5, ge=0, le=1, description="weight of one's own affect (vs the partner's) in one's satisfaction"
    )
    investment: float = Field(
        0.3, ge=0, description="commitment gained per unit of one's own satisfaction (Rusbult 1980)"
    )


class ImpressionParams(_Frozen):
    """First impressions and their revision (A9, A14; sources in ``impressions``)."""

    warmth_base: float = Field(0.55, ge=0, le=1, description="warmth shown at acquaintance, average traits")
    warmth_concern: float = Field(
        0.15, description="warmth shown per unit concern above 0.5 (weakly visible at first sight)"
    )
    charm: float = Field(
        0.50, ge=0, description="strategic warmth per unit admiration need above 0.5 (Back et al. 2010)"
    )
    reserve: float = Field(0.20, ge=0, description="warmth withheld per unit avoidance above 0.5")
    first_noise: float = Field(0.10, ge=0, description="SD of the first reading of the other's warmth")
    rate_up: float = Field(0.04, ge=0, le=1, description="impression learning rate, better than expected")
    rate_down: float = Field(
        0.08, ge=0, le=1, description="impression learning rate, worse than expected (negativity bias)"
    )
    trust_impression: float = Field(0.40, ge=0, description="initial trust per unit impression above 0.5")
    trust_anxiety: float = Field(0.15, ge=0, description="initial trust lost per unit attachment anxiety")
    trust_avoidance: float = Field(0.25, ge=0, description="initial trust lost per unit avoidance")
    satisfaction_impression: float = Field(
        0.50, ge=0, description="initial satisfaction per unit impression above 0.5"
    )


class RepairParams(_Frozen):
    """Repair attempts after a rupture and their reception (Gottman 1999; sources in ``repair``)."""

    attempt_base: float = Field(0.25, description="repair probability at zero concern, anxiety, admiration")
    attempt_concern: float = Field(0.50, ge=0, description="added per unit empathic concern")
    attempt_anxiety: float = Field(0.30, ge=0, description="added per unit attachment anxiety (reassurance)")
    attempt_admiration: float = Field(0.25, ge=0, description="lost per unit admiration need (no apology)")
    attempt_defensive: float = Field(0.30, ge=0, description="lost per unit defensiveness of the moment")
    attempt_flooding: float = Field(0.60, ge=0, description="lost per unit arousal beyond regulation")
    accept_base: float = Field(0.55, description="acceptance at neutral satisfaction, trust 0.5, liking 0.5")
    accept_satisfaction: float = Field(
        0.40, ge=0, description="per unit satisfaction (positive sentiment override)"
    )
    accept_impression: float = Field(0.40, ge=0, description="per unit liking of the repairer above 0.5")
    accept_flooding: float = Field(0.60, ge=0, description="lost per unit arousal beyond regulation")
    trust_gain: float = Field(0.06, ge=0, description="trust regained by an accepted repair")
    satisfaction_gain: float = Field(0.05, ge=0, description="satisfaction regained by an accepted repair")
    calming: float = Field(0.30, ge=0, le=1, description="share of arousal an accepted repair calms")


class AdaptationParams(_Frozen):
    """Slow wear: vulnerability, stress and adaptation (Karney & Bradbury 1995; ``adaptation``)."""

    rate: float = Field(0.002, ge=0, description="daily change of relationship quality per unit net strain")
    vulnerability_base: float = Field(0.5, ge=0, description="vulnerability of a secure, regulated partner")
    vulnerability_anxiety: float = Field(1.0, ge=0, description="added per unit attachment anxiety")
    vulnerability_dysregulation: float = Field(0.5, ge=0, description="added per unit dysregulation")
    p_event: float = Field(
        0.02, ge=0, le=1, description="daily probability of an outside stressful event for the couple"
    )
    event_strain: float = Field(1.0, ge=0, description="strain of an outside event, in ruptures")
    adaptation_repair: float = Field(1.0, ge=0, description="quality gained per accepted repair, in ruptures")
    adaptation_care: float = Field(
        0.10, ge=0, description="quality gained per need met with warmth, in ruptures"
    )


class StrainParams(_Frozen):
    """Partner strain: confusion and exhaustion (A9, A19; sources in ``strain``)."""

    confusion_rate: float = Field(
        0.05, ge=0, le=1, description="share of a voiced need's surprise (|care - trust|) kept in confusion"
    )
    load_rate: float = Field(0.05, ge=0, le=1, description="exhaustion gained per rupture or protest faced")
    recovery: float = Field(
        0.02, ge=0, le=0.5, description="daily share of exhaustion drained (times 1 + care and repairs)"
    )


class PlasticityParams(_Frozen):
    """Slow trait change under practice (A2, A15; sources in ``plasticity``)."""

    ceiling: float = Field(0.90, gt=0.5, le=0.99, description="where practice pushes a trait up")
    floor: float = Field(0.10, ge=0.01, lt=0.5, description="where practice pushes a trait down")
    forgetting: float = Field(0.005, ge=0, le=0.5, description="weekly share of a gain over baseline lost")
    experience_rate: float = Field(
        0.02, ge=0, description="concern learnt per practised session and unit accuracy above the reference"
    )
    accuracy_reference: float = Field(
        0.5, ge=0, le=1, description="accuracy of a response below which it teaches nothing"
    )


class TherapyParams(_Frozen):
    """Attendance and drop-out (A15; sources in ``interventions``)."""

    alliance: float = Field(0.40, ge=0, description="attendance gained per unit collaboration above 0.5")
    resistance: float = Field(0.60, ge=0, description="attendance lost per unit resistance above 0.5")


class LovedOnesParams(_Frozen):
    """How a loved one's strategy acts (A19; strategies are data, ``data/loved_ones.toml``)."""

    calm_effect: float = Field(
        0.30, ge=0, le=1, description="share of the target's arousal a fully calm response takes away"
    )


class DistressParams(_Frozen):
    """Personal distress crowds out empathic concern (Batson 1987; Eisenberg 2000; A1, A10, C2)."""

    threshold_base: float = Field(
        0.40, description="arousal at which distress begins, zero regulation (default: the breakdown point)"
    )
    threshold_regulation: float = Field(0.45, description="added threshold per unit regulation")
    width: float = Field(0.30, gt=0, description="arousal above the threshold that means full distress")
    crowd_out: float = Field(0.70, ge=0, le=1, description="share of concern lost at full distress")


class SociometerParams(_Frozen):
    """Self-esteem as a gauge of relational value (Leary et al. 1995; A12, A13, L9)."""

    reference: float = Field(
        0.55, ge=0, le=1, description="self-esteem at which neither rejection nor acceptance is expected"
    )
    expectation_gain: float = Field(1.5, ge=0, description="expected rejection per unit esteem below it")
    reading_bias: float = Field(0.30, ge=0, description="shift of ambiguous care toward the expectation")


class SelfModelParams(_Frozen):
    """The agent's view of itself: what it reports, and how sure it is of its readings."""

    insight_ability: float = Field(
        0.45, ge=0, le=1, description="r of self-view with an ability (cognitive empathy): weak (Ickes 1993)"
    )
    insight_disposition: float = Field(
        0.75, ge=0, le=1, description="r of self-view with a felt disposition (Vazire 2010)"
    )
    enhancement: float = Field(
        0.30, ge=0, description="self-view shift on a desirable trait per unit self-esteem above reference"
    )
    awareness_regulation: float = Field(
        1.0, ge=0, le=1, description="share of arousal's cost to precision noticed, per unit regulation"
    )


class StatesParams(_Frozen):
    """Induced states decay with their own half-lives: minutes in a session, hours in life.

    Order of the tuples: stress, exclusion, praise, criticism, perspective prompt
    (``states.KINDS``). Sources in ``states``."""

    half_life_minutes: tuple[float, float, float, float, float] = (20.0, 15.0, 30.0, 30.0, 60.0)
    half_life_hours: tuple[float, float, float, float, float] = (6.0, 24.0, 12.0, 24.0, 12.0)
    anxiety_slowing: float = Field(
        1.0, ge=0, description="recovery from exclusion and criticism slows by (1 + this x anxiety)"
    )


class ModelParams(_Frozen):
    """All mechanism constants of the model."""

    context: ContextParams = ContextParams()
    perception: PerceptionParams = PerceptionParams()
    contagion: ContagionParams = ContagionParams()
    motivation: MotivationParams = MotivationParams()
    response: ResponseParams = ResponseParams()
    self_image: SelfImageParams = SelfImageParams()
    relationship: RelationshipParams = RelationshipParams()
    impressions: ImpressionParams = ImpressionParams()
    repair: RepairParams = RepairParams()
    adaptation: AdaptationParams = AdaptationParams()
    strain: StrainParams = StrainParams()
    loved_ones: LovedOnesParams = LovedOnesParams()
    plasticity: PlasticityParams = PlasticityParams()
    therapy: TherapyParams = TherapyParams()
    distress: DistressParams = DistressParams()
    sociometer: SociometerParams = SociometerParams()
    self_model: SelfModelParams = SelfModelParams()
    states: StatesParams = StatesParams()


# ------------------------------------------------------------------ compiled form

#: Constants derived from the fields, added to a group's compiled form: name -> function.
_DERIVED = {
    "context": {
        # Cumulative need probabilities (normalised): the need is the first k with u < cdf[k].
        "need_cdf": lambda c: tuple(float(x) for x in np.cumsum(c.need_probs) / np.sum(c.need_probs)),
    },
}


def _tuple_type(group: str, model: type[BaseModel]):
    fields = list(model.model_fields) + list(_DERIVED.get(group, {}))
    return namedtuple(model.__name__.removesuffix("Params") + "Constants", fields)


def _plain(value):
    if isinstance(value, bool):
        raise TypeError("a mechanism constant cannot be a bool")
    if isinstance(value, int):
        return int(value)
    if isinstance(value, float):
        return float(value)
    return tuple(float(x) for x in value)


_GROUPS = {name: info.annotation for name, info in ModelParams.model_fields.items()}
_TYPES = {name: _tuple_type(name, cls) for name, cls in _GROUPS.items()}
# Module attributes, so the types pickle by name (numba's on-disk cache keys contain them).
globals().update({t.__name__: t for t in _TYPES.values()})
#: The compiled form of ``ModelParams``: one named tuple of plain numbers per mechanism.
Constants = namedtuple("Constants", list(_GROUPS))


_GROUP_OF = {cls: name for name, cls in _GROUPS.items()}


@lru_cache(maxsize=256)
def group_constants(sub: BaseModel):
    """One mechanism's constants (e.g. ``ModelParams().perception``) as the named tuple its
    compiled functions read: the same names as the pydantic fields, plus the derived ones."""
    name = _GROUP_OF[type(sub)]
    values = [_plain(getattr(sub, f)) for f in type(sub).model_fields]
    values += [f(sub) for f in _DERIVED.get(name, {}).values()]
    return _TYPES[name](*values)


def constants(model: ModelParams) -> Constants:
    """``model`` as named tuples the compiled mechanisms read (``p.noise``, ``p.need_cdf``...)."""
    return Constants(**{name: group_constants(getattr(model, name)) for name in _GROUPS})
