"""Virtual lab tasks: the model's mechanisms run through the instruments of the literature.

Each task takes a ``Sample`` of simulated participants (trait arrays drawn around a
profile) and returns per-participant scores, so that the model's numbers compare
with the numbers in papers: group differences as Hedges g, correlations as r.
A task only *reads* the model: every response comes from the mechanism functions of
``empathica.model.perception``, ``contagion``, ``motivation`` and ``self_image`` with the
default ``ModelParams`` (or the ones passed in). Scores carry the noise of a real
instrument: a finite number of items, rating noise, or the stated reliability of a
questionnaire, so an observed effect is smaller than the trait difference behind it.

Tasks (instrument mimicked -> claim ids):

* ``met``: Multifaceted Empathy Test (Dziobek et al. 2008): photos of people in
  emotionally charged situations; cognitive = share of feelings identified,
  emotional = how moved (concern) -> A1, A3, L1, L4, C2.
* ``decoding`` (Reading the Mind in the Eyes-like) and ``reasoning`` (Movie for the
  Assessment of Social Cognition-like) theory-of-mind tasks -> L1, L3.
* ``self_report``: IRI perspective taking, empathic concern, personal distress and
  ECR-R attachment anxiety / avoidance, trait + measurement error -> L2, L7, L10, C1, C2.
* ``empathic_accuracy``: videos of real physical and social pain; rate the target's
  pain and one's own feeling (Frontiers in Psychology 2024) -> A7, L6.
* ``state_empathy``: a vignette with or without a perspective-taking instruction
  (Hepper, Hart & Sedikides 2014) -> A8, L5.
* ``conditional_empathy``: does the participant respond to a need, crossing audience
  x benefit, and criticism (threat) -> A4, A5, A8.
* ``praise_deprivation``: self-esteem over a month with or without praise -> A6.
* ``rejection_sensitivity``: ambiguous reactions of a loved one after a request,
  under the arousal of asking (RSQ-like) -> L9.
"""

from __future__ import annotations

import zlib
from dataclasses import dataclass

import numpy as np

from empathica.model import contagion, motivation, perception, self_image
from empathica.model.jit import clip, compiled
from empathica.model.params import ModelParams, constants, group_constants
from empathica.model.profiles import DEFAULT_SPREAD, Profile
from empathica.model.schema import NEED_TYPES
from empathica.model.traits import POPULATION_SD, TRAIT_MAX, TRAIT_MIN, TRAIT_NAMES

PHYSICAL, SOCIAL = NEED_TYPES.index("physical_pain"), NEED_TYPES.index("social_pain")
GOOD_NEWS = NEED_TYPES.index("good_news")
#: Feelings shown in emotion-recognition stimuli (MET photos, eyes, scenes).
EMOTION_NEEDS = np.array([NEED_TYPES.index(n) for n in ("sadness", "fear", "anger", "good_news")])
#: Trust toward a lab target: an acquaintance, neither stranger nor partner.
LAB_TRUST = 0.5
#: Reliability of the RSQ-like concern ratings as an indicator of attachment anxiety
#: (calibrated with L9, see docs/validation.md: RSQ and attachment anxiety then correlate about .5).
CONCERN_RELIABILITY = 0.35
#: A response counts as correct when the perceived feeling is this close to the true one
#: (a forced choice among options about 0.4 apart on the -1..1 feeling scale).
CORRECT_WITHIN = 0.2


class Sample:
    """Simulated participants: one array per trait, shape (n,)."""

    def __init__(self, traits: dict[str, np.ndarray], label: str = ""):
        self.traits = traits
        self.label = label

    def __getattr__(self, name: str) -> np.ndarray:
        try:
            return self.__dict__["traits"][name]
        except KeyError:
            raise AttributeError(name) from None

    @property
    def n(self) -> int:
        return len(self.traits[TRAIT_NAMES[0]])

    def with_traits(self, **values: float | np.ndarray) -> Sample:
        new = dict(self.traits)
        for k, v in values.items():
            new[k] = np.broadcast_to(np.asarray(v, float), (self.n,)).copy()
        return Sample(new, self.label)

    def take(self, index: np.ndarray) -> Sample:
        return Sample({k: v[index] for k, v in self.traits.items()}, self.label)

    @staticmethod
    def concat(parts: list[Sample], label: str = "") -> Sample:
        return Sample({k: np.concatenate([p.traits[k] for p in parts]) for k in TRAIT_NAMES}, label)


def draw_sample(profile: Profile, n: int, rng: np.random.Generator, spread: float = DEFAULT_SPREAD) -> Sample:
    """n participants around a profile's means (the simulator's rule: mean + spread * z, clipped)."""
    z = rng.standard_normal((len(TRAIT_NAMES), n))
    values = np.clip(profile.means()[:, None] + spread * z, TRAIT_MIN, TRAIT_MAX)
    return Sample({t: values[i] for i, t in enumerate(TRAIT_NAMES)}, profile.name)


def _rating(x: np.ndarray, sd: float, rng: np.random.Generator) -> np.ndarray:
    return x + sd * rng.standard_normal(x.shape)


def _questionnaire(trait: np.ndarray, reliability: float, rng: np.random.Generator) -> np.ndarray:
    """Observed scale score: true trait + error, reliability relative to the population SD."""
    error_sd = POPULATION_SD * np.sqrt((1.0 - reliability) / reliability)
    return trait + error_sd * rng.standard_normal(trait.shape)


@dataclass(frozen=True)
class Stimuli:
    """A fixed test form: the same items for every participant."""

    need: np.ndarray
    feeling: np.ndarray

    @staticmethod
    def form(name: str, n_items: int, needs: np.ndarray, lo: float, hi: float) -> Stimuli:
        """The task's test form: fixed by the task name, identical for every group and seed."""
        rng = np.random.default_rng(zlib.crc32(name.encode()))
        need = rng.choice(needs, size=n_items)
        intensity = rng.uniform(lo, hi, n_items)
        return Stimuli(need, np.where(need == GOOD_NEWS, 1.0, -1.0) * intensity)


@compiled
def _view_items(cog, cont, anx, reg, conc, avo, need, feeling, z, at_rest, C):
    """Participants (columns) view the items (rows) one after another; see ``_view_series``."""
    k, n = z.shape
    out = np.empty((6, k, n))
    for j in range(n):
        arousal = contagion.baseline_arousal(reg[j], C.contagion)
        for i in range(k):
            perceived = perception.perceive(
                feeling[i], cog[j], cont[j], anx[j], reg[j], arousal, need[i], z[i, j], C.perception
            )
            new_affect, new_arousal = contagion.resonate(0.0, arousal, perceived, cont[j], C.contagion)
            new_arousal = clip(new_arousal, 0.0, 1.0)
            moved = motivation.genuine_drive(
                conc[j], anx[j], avo[j], new_arousal, abs(perceived), LAB_TRUST, C.motivation
            )
            out[0, i, j] = perceived
            out[1, i, j] = arousal
            out[2, i, j] = new_arousal - arousal
            out[3, i, j] = new_arousal
            out[4, i, j] = moved
            out[5, i, j] = abs(new_affect)
            if at_rest:
                arousal = contagion.baseline_arousal(reg[j], C.contagion)
            else:
                arousal = contagion.regulate(new_arousal, reg[j], C.contagion)
    return out


def _view_series(
    s: Sample,
    stimuli: Stimuli,
    rng: np.random.Generator,
    m: ModelParams,
    skill_need: int | None = None,
    at_rest: bool = False,
) -> dict[str, np.ndarray]:
    """Participants view the stimuli one after another.

    Per item: perceive the shown feeling at the current arousal (perception), catch
    it (contagion), be moved or not (the genuine drive of motivation, toward an
    acquaintance), then one recovery step of regulation before the next item.
    ``skill_need`` reads every item with the skill weights of that need type
    (reasoning about social interaction uses the mentalizing weights of social pain);
    ``at_rest`` presents every item after full recovery (brief single cues).
    Returns item-by-participant arrays.
    """
    k = len(stimuli.need)
    z = np.stack([rng.standard_normal(s.n) for _ in range(k)]) if k else np.empty((0, s.n))
    need = stimuli.need if skill_need is None else np.full(k, skill_need)
    out = _view_items(
        s.cognitive_empathy, s.emotional_contagion, s.attachment_anxiety, s.emotion_regulation,
        s.empathic_concern, s.attachment_avoidance, need.astype(np.int64), stimuli.feeling.astype(float), z,
        at_rest, constants(m),
    )  # fmt: skip
    return dict(zip(("perceived", "arousal_at", "gain", "arousal", "moved", "own"), out, strict=True))


def met(
    s: Sample,
    rng: np.random.Generator,
    m: ModelParams | None = None,
    n_items: int = 40,
    at_rest: bool = False,
) -> dict[str, np.ndarray]:
    """Multifaceted-Empathy-Test-like task.

    Stimuli: photos of people in emotionally charged situations (sadness, fear, anger,
    joy; intensity 0.4-0.9). Scores per participant: ``cognitive`` share of feelings
    identified; ``emotional`` mean rating of how moved (concern for the person);
    ``arousal_gain`` mean arousal rise per photo (the interoceptive "insula" response);
    ``scr`` the same phasic rise as a skin-conductance response would record it (with
    measurement noise): the model has one arousal variable, so the two agree by
    construction. ``at_rest`` shows each photo after full recovery (no arousal carried
    over: a control condition).
    """
    m = m or ModelParams()
    stim = Stimuli.form("met", n_items, EMOTION_NEEDS, 0.4, 0.9)
    v = _view_series(s, stim, rng, m, at_rest=at_rest)
    correct = np.abs(v["perceived"] - stim.feeling[:, None]) < CORRECT_WITHIN
    return {
        "cognitive": correct.mean(axis=0),
        "emotional": _rating(v["moved"], 0.10, rng).mean(axis=0),
        "arousal_gain": v["gain"].mean(axis=0),
        "scr": _rating(v["gain"], 0.10, rng).mean(axis=0),
        "item_error": np.abs(v["perceived"] - stim.feeling[:, None]),
        "item_arousal": v["arousal_at"],
    }


def decoding(
    s: Sample, rng: np.random.Generator, m: ModelParams | None = None, n_items: int = 36
) -> np.ndarray:
    """Emotion decoding (eyes-test-like): subtle expressions (intensity 0.15-0.5), each
    shown briefly with neutral material in between, so every item is read at rest.
    Share identified."""
    m = m or ModelParams()
    stim = Stimuli.form("decoding", n_items, EMOTION_NEEDS, 0.15, 0.5)
    v = _view_series(s, stim, rng, m, at_rest=True)
    return (np.abs(v["perceived"] - stim.feeling[:, None]) < CORRECT_WITHIN).mean(axis=0)


def subtle_cues(
    s: Sample, rng: np.random.Generator, m: ModelParams | None = None, n_items: int = 48
) -> np.ndarray:
    """Detection of subtle cues: faint expressions of every kind of need (intensity
    0.05-0.25), each shown briefly after rest. Share whose valence (distress or joy)
    is read correctly."""
    m = m or ModelParams()
    stim = Stimuli.form("subtle", n_items, np.arange(len(NEED_TYPES)), 0.05, 0.25)
    v = _view_series(s, stim, rng, m, at_rest=True)
    return (np.sign(v["perceived"]) == np.sign(stim.feeling[:, None])).mean(axis=0)


def reasoning(
    s: Sample, rng: np.random.Generator, m: ModelParams | None = None, n_items: int = 45
) -> np.ndarray:
    """Mental-state reasoning (MASC-like): a film of a social gathering with everyday
    emotions (intensity 0.2-0.6) watched in one go, so arousal carries over; each
    question asks what a character feels or intends. Items are read with the
    mentalizing weights of social situations (those of social pain). Share correct."""
    m = m or ModelParams()
    stim = Stimuli.form("reasoning", n_items, EMOTION_NEEDS, 0.2, 0.6)
    v = _view_series(s, stim, rng, m, skill_need=SOCIAL)
    return (np.abs(v["perceived"] - stim.feeling[:, None]) < CORRECT_WITHIN).mean(axis=0)


def self_report(s: Sample, rng: np.random.Generator, reliability: float = 0.75) -> dict[str, np.ndarray]:
    """IRI-like and ECR-R-like scale scores: trait + error with the scale's reliability.

    IRI perspective taking ~ cognitive_empathy, empathic concern ~ empathic_concern,
    personal distress ~ emotional_contagion (reliability 0.75, typical IRI alphas);
    ECR-R anxiety and avoidance (reliability 0.90).
    """
    return {
        "perspective_taking": _questionnaire(s.cognitive_empathy, reliability, rng),
        "empathic_concern": _questionnaire(s.empathic_concern, reliability, rng),
        "personal_distress": _questionnaire(s.emotional_contagion, reliability, rng),
        "attachment_anxiety": _questionnaire(s.attachment_anxiety, 0.90, rng),
        "attachment_avoidance": _questionnaire(s.attachment_avoidance, 0.90, rng),
    }


def empathic_accuracy(
    s: Sample, rng: np.random.Generator, m: ModelParams | None = None, videos_per_type: int = 3
) -> dict[str, np.ndarray]:
    """Videos of people describing real physical or social pain (intensity 0.5-0.9).

    After each video the participant rates the target's pain (the perceived intensity)
    and their own emotional response (how far their own affect moved: affective
    empathy). Accuracy = 1 - |rated - true intensity|; the self-other gap = rating for
    the other - rating for oneself. Scores per participant and pain type.
    """
    m = m or ModelParams()
    k = 2 * videos_per_type
    need = np.array([PHYSICAL, SOCIAL] * videos_per_type)
    intensity = np.random.default_rng(zlib.crc32(b"empathic_accuracy")).uniform(0.5, 0.9, k)
    stim = Stimuli(need, -intensity)
    v = _view_series(s, stim, rng, m)
    other = _rating(np.abs(v["perceived"]), 0.05, rng)
    own = _rating(v["own"], 0.05, rng)
    acc = 1.0 - np.abs(other - intensity[:, None])
    phys, soc = need == PHYSICAL, need == SOCIAL
    return {
        "accuracy_physical": acc[phys].mean(axis=0),
        "accuracy_social": acc[soc].mean(axis=0),
        "affective": own.mean(axis=0),
        "affective_physical": own[phys].mean(axis=0),
        "affective_social": own[soc].mean(axis=0),
        "self_other_gap": (other - own).mean(axis=0),
    }


@compiled
def _drives(cog, cont, anx, reg, conc, need, intensity, prompt, boost, z, C):
    n = cog.shape[0]
    perceived = np.empty(n)
    aroused = np.empty(n)
    concern = np.empty(n)
    feeling_sign = 1.0 if need == GOOD_NEWS else -1.0
    for j in range(n):
        arousal = contagion.baseline_arousal(reg[j], C.contagion)
        arousal = arousal + boost * (1.0 - arousal)
        perceived[j] = perception.perceive(
            feeling_sign * intensity[j], cog[j], cont[j], anx[j], reg[j], arousal, need, z[j], C.perception
        )
        _, arousal = contagion.resonate(0.0, arousal, perceived[j], cont[j], C.contagion)
        aroused[j] = clip(arousal, 0.0, 1.0)
        concern[j] = motivation.effective_concern(conc[j], prompt, need == PHYSICAL, C.motivation)
    return perceived, aroused, concern


def _episode_drives(
    s: Sample,
    rng: np.random.Generator,
    m: ModelParams,
    need: int,
    intensity: np.ndarray,
    prompt: float,
    arousal_boost: float = 0.0,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """One need of one target: perceived feeling, arousal after catching it, effective concern.
    ``arousal_boost`` raises the responder's arousal beforehand (an arousal induction)."""
    return _drives(
        s.cognitive_empathy, s.emotional_contagion, s.attachment_anxiety, s.emotion_regulation,
        s.empathic_concern, int(need), np.asarray(intensity, float), bool(prompt), float(arousal_boost),
        rng.standard_normal(s.n), constants(m),
    )  # fmt: skip


@compiled
def _moved(concern, anx, avo, arousal, perceived, C):
    out = np.empty(concern.shape[0])
    for j in range(out.shape[0]):
        out[j] = motivation.genuine_drive(
            concern[j], anx[j], avo[j], arousal[j], abs(perceived[j]), LAB_TRUST, C
        )
    return out


def state_empathy(
    s: Sample,
    rng: np.random.Generator,
    prompt: bool,
    need: int = SOCIAL,
    m: ModelParams | None = None,
    n_items: int = 6,
) -> np.ndarray:
    """Self-reported empathy (how moved: sympathetic, compassionate, tender) after a
    vignette of someone in need, read with or without the instruction to imagine the
    person's perspective. Mean of ``n_items`` rating items."""
    m = m or ModelParams()
    intensity = np.full(s.n, 0.7)
    perceived, arousal, concern = _episode_drives(s, rng, m, need, intensity, float(prompt))
    moved = _moved(
        concern,
        s.attachment_anxiety,
        s.attachment_avoidance,
        arousal,
        perceived,
        group_constants(m.motivation),
    )
    return _rating(np.repeat(moved[None], n_items, axis=0), 0.10, rng).mean(axis=0)


def conditional_empathy(
    s: Sample,
    rng: np.random.Generator,
    audience: bool,
    benefit: bool,
    threat: bool = False,
    prompt: bool = False,
    need: int = SOCIAL,
    esteem_drop: float = 0.0,
    arousal_boost: float = 0.0,
    intensity: tuple[float, float] = (0.3, 0.9),
    m: ModelParams | None = None,
    trials: int = 12,
) -> dict[str, np.ndarray]:
    """Per participant, ``trials`` needs of an acquaintance (``intensity`` range) in one
    condition: does the participant respond? Motives compete as in the engine
    (motivation.choose_motive); ``threat`` means the need implies criticism of the
    participant; ``esteem_drop`` lowers self-esteem below the set point first (a setback);
    ``arousal_boost`` induces arousal first (share of the way from resting level to 1).
    Returns response rate and the share of trials with each motive."""
    m = m or ModelParams()
    C = constants(m)
    counts = np.zeros((4, s.n))
    for _ in range(trials):
        level = rng.uniform(intensity[0], intensity[1], s.n)
        perceived, arousal, concern = _episode_drives(s, rng, m, need, level, float(prompt), arousal_boost)
        counts += _motives(
            s.empathic_concern, s.attachment_anxiety, s.attachment_avoidance, s.admiration_need,
            s.self_image_fragility, s.impulsivity, perceived, arousal, concern, audience, benefit, threat,
            float(esteem_drop), rng.standard_normal(s.n), C,
        )  # fmt: skip
    share = counts / trials
    return {
        "responded": share[motivation.GENUINE] + share[motivation.STRATEGIC],
        "genuine": share[motivation.GENUINE],
        "strategic": share[motivation.STRATEGIC],
        "defensive": share[motivation.DEFENSIVE],
    }


@compiled
def _motives(
    conc, anx, avo, adm, frag, imp, perceived, arousal, concern, audience, benefit, threat, drop, z, C
):
    """One trial: which motive wins, per participant (a one-hot count over the four motives)."""
    counts = np.zeros((4, conc.shape[0]))
    for j in range(conc.shape[0]):
        point = self_image.set_point(adm[j], anx[j], C.self_image)
        esteem = clip(point - drop, 0.0, 1.0)
        genuine = motivation.genuine_drive(
            concern[j], anx[j], avo[j], arousal[j], abs(perceived[j]), LAB_TRUST, C.motivation
        )
        strategic = motivation.strategic_drive(adm[j], audience, benefit, C.motivation)
        defensive = self_image.defensiveness(threat, frag[j], esteem, point)
        motive = motivation.choose_motive(
            genuine, strategic, defensive, imp[j], arousal[j], z[j], C.motivation
        )
        counts[motive, j] = 1.0
    return counts


def praise_deprivation(s: Sample, days: int = 30, m: ModelParams | None = None) -> dict[str, np.ndarray]:
    """Self-esteem after ``days`` with one watched, praised response a day vs none.

    Starts at the set point; each day: praise (self_image.take_supply) in the praise
    condition, then the daily drift (self_image.daily)."""
    m = m or ModelParams()
    praised, deprived, point = _praise(
        s.admiration_need, s.attachment_anxiety, int(days), group_constants(m.self_image)
    )
    return {"praised": praised, "deprived": deprived, "set_point": point}


@compiled
def _praise(adm, anx, days, p):
    n = adm.shape[0]
    praised = np.empty(n)
    deprived = np.empty(n)
    point = np.empty(n)
    for j in range(n):
        point[j] = self_image.set_point(adm[j], anx[j], p)
        with_praise = point[j]
        without = point[j]
        for _ in range(days):
            with_praise = self_image.daily(
                self_image.take_supply(with_praise, adm[j], p), point[j], adm[j], p
            )
            without = self_image.daily(without, point[j], adm[j], p)
        praised[j] = with_praise
        deprived[j] = without
    return praised, deprived, point


def rejection_sensitivity(
    s: Sample, rng: np.random.Generator, m: ModelParams | None = None, n_items: int = 18
) -> np.ndarray:
    """RSQ-like: 18 situations in which the participant asks a loved one for something.

    Per item, as in the RSQ, score = concern x expectancy of rejection. Concern: how
    anxious the participant would be about the answer, an indicator of attachment
    anxiety with reliability ``CONCERN_RELIABILITY`` plus item noise (the RSQ is a
    distinct scale: its overlap with attachment anxiety is partial). Expectancy: the
    participant makes the request (an own need of intensity 0.4-0.9, which arouses:
    contagion.feel_own_need) and reads an ambiguous reaction
    (a cue between -0.2 and 0.2) through perception.perceive, whose anxious rejection
    bias acts under arousal; the items follow one another, so arousal carries over.
    Expectancy = 0.5 + (shown - perceived) / 2: how much more rejecting the reaction
    is read than it was, around an even chance."""
    m = m or ModelParams()
    n = s.n
    anxious = _questionnaire(s.attachment_anxiety, CONCERN_RELIABILITY, rng)
    draws = np.empty((n_items, 4, n))  # own need, cue, perception noise, concern rating
    for i in range(n_items):
        draws[i, 0] = -rng.uniform(0.4, 0.9, n)
        draws[i, 1] = rng.uniform(-0.2, 0.2, n)
        draws[i, 2] = rng.standard_normal(n)
        draws[i, 3] = np.clip(_rating(anxious, 0.15, rng), 0.0, 1.0)
    return _rejection_items(
        s.cognitive_empathy, s.emotional_contagion, s.attachment_anxiety, s.emotion_regulation, draws,
        constants(m),
    )  # fmt: skip


@compiled
def _rejection_items(cog, cont, anx, reg, draws, C):
    n_items, _, n = draws.shape
    total = np.zeros(n)
    for j in range(n):
        arousal = contagion.baseline_arousal(reg[j], C.contagion)
        for i in range(n_items):
            _, arousal = contagion.feel_own_need(0.0, arousal, draws[i, 0, j], C.contagion)
            cue = draws[i, 1, j]
            perceived = perception.perceive(
                cue, cog[j], cont[j], anx[j], reg[j], arousal, SOCIAL, draws[i, 2, j], C.perception
            )
            expectancy = clip(0.5 + 0.5 * (cue - perceived), 0.0, 1.0)
            total[j] += draws[i, 3, j] * expectancy
            _, arousal = contagion.resonate(0.0, arousal, perceived, cont[j], C.contagion)
            arousal = contagion.regulate(clip(arousal, 0.0, 1.0), reg[j], C.contagion)
    return total / n_items


def expression(s: Sample, m: ModelParams | None = None) -> np.ndarray:
    """Share of a felt need that shows on the outside (contagion.expressed_cue of a unit feeling)."""
    m = m or ModelParams()
    return _expressed(s.expressive_suppression, group_constants(m.contagion))


@compiled
def _expressed(suppression, p):
    out = np.empty(suppression.shape[0])
    for j in range(out.shape[0]):
        out[j] = contagion.expressed_cue(1.0, suppression[j], p)
    return out
