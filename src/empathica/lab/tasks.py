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
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from empathica.lab import manipulations
from empathica.lab.manipulations import Induction, induced_states
from empathica.model import contagion, motivation, perception, self_image, self_model, sociometer
from empathica.model.jit import clip, compiled
from empathica.model.params import ModelParams, constants, group_constants
from empathica.model.profiles import DEFAULT_SPREAD, Profile
from empathica.model.schema import NEED_TYPES
from empathica.model.self_model import ABILITIES, DESIRABILITY
from empathica.model.traits import POPULATION_SD, TRAIT_MAX, TRAIT_MIN, TRAIT_NAMES

PHYSICAL, SOCIAL = NEED_TYPES.index("physical_pain"), NEED_TYPES.index("social_pain")
GOOD_NEWS = NEED_TYPES.index("good_news")
#: Feelings shown in emotion-recognition stimuli (MET photos, eyes, scenes).
EMOTION_NEEDS = np.array([NEED_TYPES.index(n) for n in ("sadness", "fear", "anger", "good_news")])
#: Trust toward a lab target: an acquaintance, neither stranger nor partner.
LAB_TRUST = 0.5
#: Reliability of the RSQ-like concern ratings as an indicator of attachment anxiety
#: (calibrated with L9, see docs/validation.md: RSQ and attachment anxiety then correlate about .5).
CONCERN_RELIABILITY = 0.50
#: A response counts as correct when the perceived feeling is this close to the true one
#: (a forced choice among options about 0.4 apart on the -1..1 feeling scale).
CORRECT_WITHIN = 0.2
#: Minutes per item of a task (a photo, an eyes item, a question of a film): the pace at
#: which an induced state decays through the task.
ITEM_MINUTES = 0.3


class Sample:
    """Simulated participants: one array per trait, shape (n,), and each person's stable
    self-concept (``self_model``: one standard normal per trait, ``self_concept``)."""

    def __init__(
        self,
        traits: dict[str, np.ndarray],
        label: str = "",
        self_concept: dict[str, np.ndarray] | None = None,
    ):
        self.traits = traits
        self.label = label
        if self_concept is None:  # fixed by the traits themselves: the same people, the same self-concept
            data = np.ascontiguousarray(np.stack([np.asarray(traits[t], float) for t in TRAIT_NAMES]))
            rng = np.random.default_rng(zlib.crc32(data.tobytes()))
            self_concept = {t: rng.standard_normal(data.shape[1]) for t in TRAIT_NAMES}
        self.self_concept = self_concept

    def __getattr__(self, name: str) -> np.ndarray:
        try:
            return self.__dict__["traits"][name]
        except KeyError:
            raise AttributeError(name) from None

    @property
    def n(self) -> int:
        return len(self.traits[TRAIT_NAMES[0]])

    def with_traits(self, **values: float | np.ndarray) -> Sample:
        """The same people with some traits set (their self-concepts unchanged)."""
        new = dict(self.traits)
        for k, v in values.items():
            new[k] = np.broadcast_to(np.asarray(v, float), (self.n,)).copy()
        return Sample(new, self.label, self.self_concept)

    def take(self, index: np.ndarray) -> Sample:
        pick = lambda d: {k: v[index] for k, v in d.items()}  # noqa: E731
        return Sample(pick(self.traits), self.label, pick(self.self_concept))

    @staticmethod
    def concat(parts: list[Sample], label: str = "") -> Sample:
        join = lambda attr: {k: np.concatenate([getattr(p, attr)[k] for p in parts]) for k in TRAIT_NAMES}  # noqa: E731
        return Sample(join("traits"), label, join("self_concept"))


def draw_sample(profile: Profile, n: int, rng: np.random.Generator, spread: float = DEFAULT_SPREAD) -> Sample:
    """n participants around a profile's means (the simulator's rule: mean + spread * z, clipped)."""
    z = rng.standard_normal((len(TRAIT_NAMES), n))
    values = np.clip(profile.means()[:, None] + spread * z, TRAIT_MIN, TRAIT_MAX)
    concept = rng.standard_normal((len(TRAIT_NAMES), n))
    return Sample(
        {t: values[i] for i, t in enumerate(TRAIT_NAMES)},
        profile.name,
        {t: concept[i] for i, t in enumerate(TRAIT_NAMES)},
    )


@compiled
def _views(traits, concept, insight, desirability, adm, anx, reference, C):
    out = np.empty(traits.shape)
    for j in range(traits.shape[1]):
        esteem = self_image.set_point(adm[j], anx[j], C.self_image)
        for i in range(traits.shape[0]):
            out[i, j] = self_model.self_view(
                traits[i, j], insight[i], concept[i, j], desirability[i], esteem, reference, C.self_model
            )
    return out


def own_views(s: Sample, m: ModelParams | None = None) -> dict[str, np.ndarray]:
    """How each participant sees their own traits at their usual self-esteem (``self_model``)."""
    m = m or ModelParams()
    sm = m.self_model
    insight = np.array(
        [sm.insight_ability if t in ABILITIES else sm.insight_disposition for t in TRAIT_NAMES]
    )
    desirability = np.array([DESIRABILITY[t] for t in TRAIT_NAMES])
    traits = np.stack([np.asarray(s.traits[t], float) for t in TRAIT_NAMES])
    concept = np.stack([s.self_concept[t] for t in TRAIT_NAMES])
    out = _views(
        traits, concept, insight, desirability, s.admiration_need, s.attachment_anxiety,
        m.sociometer.reference, constants(m),
    )  # fmt: skip
    return {t: out[i] for i, t in enumerate(TRAIT_NAMES)}


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
def _view_items(
    cog, cont, anx, reg, conc, avo, adm, need, feeling, z, at_rest, ind, delay, item_minutes, views, C
):
    """Participants (columns) view the items (rows) one after another; see ``_view_series``."""
    k, n = z.shape
    out = np.empty((7, k, n))
    for j in range(n):
        rest = contagion.baseline_arousal(reg[j], C.contagion)
        point = self_image.set_point(adm[j], anx[j], C.self_image)
        arousal, _, prompt = manipulations.state_at(ind, j, delay, rest, point)
        for i in range(k):
            perceived = perception.perceive(
                feeling[i], cog[j], cont[j], anx[j], reg[j], arousal, need[i], z[i, j], C.perception
            )
            new_affect, new_arousal = contagion.resonate(0.0, arousal, perceived, cont[j], C.contagion)
            new_arousal = clip(new_arousal, 0.0, 1.0)
            concern = motivation.effective_concern(conc[j], prompt, need[i] == PHYSICAL, C.motivation)
            moved = motivation.genuine_drive(
                concern, anx[j], avo[j], new_arousal, reg[j], abs(perceived), LAB_TRUST, C.motivation,
                C.distress,
            )  # fmt: skip
            believed = self_model.believed_error_sd(
                views[0, j], views[1, j], arousal, reg[j], need[i], C.self_model, C.perception
            )
            out[0, i, j] = perceived
            out[1, i, j] = arousal
            out[2, i, j] = new_arousal - arousal
            out[3, i, j] = new_arousal
            out[4, i, j] = moved
            out[5, i, j] = abs(new_affect)
            out[6, i, j] = self_model.confidence(believed, CORRECT_WITHIN)
            tonic, _, prompt = manipulations.state_at(ind, j, delay + (i + 1) * item_minutes, rest, point)
            arousal = tonic if at_rest else contagion.recover(new_arousal, tonic, reg[j], C.contagion)
    return out


def _view_series(
    s: Sample,
    stimuli: Stimuli,
    rng: np.random.Generator,
    m: ModelParams,
    skill_need: int | None = None,
    at_rest: bool = False,
    induce: Sequence[Induction] = (),
    delay: float = 0.0,
    item_minutes: float = ITEM_MINUTES,
) -> dict[str, np.ndarray]:
    """Participants view the stimuli one after another.

    Per item: perceive the shown feeling at the current arousal (perception), catch
    it (contagion), be moved or not (the genuine drive of motivation, toward an
    acquaintance), say how sure one is of the reading (self_model), then one recovery
    step before the next item, toward the tonic arousal an induced state still holds
    (``induce``: states induced ``delay`` minutes before the first item; each item takes
    ``item_minutes``). ``skill_need`` reads every item with the skill weights of that
    need type (reasoning about social interaction uses the mentalizing weights of
    social pain); ``at_rest`` presents every item after full recovery of the phasic
    response (brief single cues). Returns item-by-participant arrays.
    """
    k = len(stimuli.need)
    z = np.stack([rng.standard_normal(s.n) for _ in range(k)]) if k else np.empty((0, s.n))
    need = stimuli.need if skill_need is None else np.full(k, skill_need)
    views = np.stack([own_views(s, m)[t] for t in ("cognitive_empathy", "emotional_contagion")])
    out = _view_items(
        s.cognitive_empathy, s.emotional_contagion, s.attachment_anxiety, s.emotion_regulation,
        s.empathic_concern, s.attachment_avoidance, s.admiration_need, need.astype(np.int64),
        stimuli.feeling.astype(float), z, at_rest, induced_states(s, induce, m), float(delay),
        float(item_minutes), views, constants(m),
    )  # fmt: skip
    names = ("perceived", "arousal_at", "gain", "arousal", "moved", "own", "confidence")
    return dict(zip(names, out, strict=True))


def met(
    s: Sample,
    rng: np.random.Generator,
    m: ModelParams | None = None,
    n_items: int = 40,
    at_rest: bool = False,
    induce: Sequence[Induction] = (),
    delay: float = 0.0,
) -> dict[str, np.ndarray]:
    """Multifaceted-Empathy-Test-like task.

    Stimuli: photos of people in emotionally charged situations (sadness, fear, anger,
    joy; intensity 0.4-0.9). Scores per participant: ``cognitive`` share of feelings
    identified; ``emotional`` mean rating of how moved (concern for the person);
    ``arousal_gain`` mean arousal rise per photo (the interoceptive "insula" response);
    ``scr`` the same phasic rise as a skin-conductance response would record it (with
    measurement noise): the model has one arousal variable, so the two agree by
    construction. ``at_rest`` shows each photo after full recovery (no arousal carried
    over: a control condition). ``induce``: states induced ``delay`` minutes before the task.
    """
    m = m or ModelParams()
    stim = Stimuli.form("met", n_items, EMOTION_NEEDS, 0.4, 0.9)
    v = _view_series(s, stim, rng, m, at_rest=at_rest, induce=induce, delay=delay)
    correct = np.abs(v["perceived"] - stim.feeling[:, None]) < CORRECT_WITHIN
    return {
        "cognitive": correct.mean(axis=0),
        "emotional": _rating(v["moved"], 0.10, rng).mean(axis=0),
        "arousal_gain": v["gain"].mean(axis=0),
        "scr": _rating(v["gain"], 0.10, rng).mean(axis=0),
        "item_error": np.abs(v["perceived"] - stim.feeling[:, None]),
        "item_arousal": v["arousal_at"],
    }


def eyes(
    s: Sample,
    rng: np.random.Generator,
    m: ModelParams | None = None,
    n_items: int = 36,
    induce: Sequence[Induction] = (),
    delay: float = 0.0,
) -> dict[str, np.ndarray]:
    """Emotion decoding (Reading-the-Mind-in-the-Eyes-like) with confidence ratings.

    Subtle expressions (intensity 0.15-0.5), each shown briefly with neutral material in
    between, so every item is read at the tonic arousal of the moment. Per participant:
    ``correct`` share identified; ``confidence`` mean rated confidence (``self_model``:
    the participant's own estimate of being right); ``overconfidence`` confidence minus
    share correct; ``discrimination`` mean confidence on correct minus incorrect items
    (metacognitive sensitivity; 0 when the participant has no such items)."""
    m = m or ModelParams()
    stim = Stimuli.form("decoding", n_items, EMOTION_NEEDS, 0.15, 0.5)
    v = _view_series(s, stim, rng, m, at_rest=True, induce=induce, delay=delay)
    correct = np.abs(v["perceived"] - stim.feeling[:, None]) < CORRECT_WITHIN
    conf = np.clip(_rating(v["confidence"], 0.05, rng), 0.0, 1.0)
    n_right = correct.sum(axis=0)
    n_wrong = n_items - n_right
    on_right = np.where(n_right > 0, (conf * correct).sum(axis=0) / np.maximum(n_right, 1), np.nan)
    on_wrong = np.where(n_wrong > 0, (conf * ~correct).sum(axis=0) / np.maximum(n_wrong, 1), np.nan)
    disc = np.nan_to_num(on_right - on_wrong)
    share = correct.mean(axis=0)
    return {
        "correct": share,
        "confidence": conf.mean(axis=0),
        "overconfidence": conf.mean(axis=0) - share,
        "discrimination": disc,
    }


def decoding(
    s: Sample, rng: np.random.Generator, m: ModelParams | None = None, n_items: int = 36
) -> np.ndarray:
    """Share identified in the eyes-like decoding task (``eyes`` without the ratings)."""
    return eyes(s, rng, m, n_items)["correct"]


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
    s: Sample,
    rng: np.random.Generator,
    m: ModelParams | None = None,
    n_items: int = 45,
    induce: Sequence[Induction] = (),
    delay: float = 0.0,
) -> np.ndarray:
    """Mental-state reasoning (MASC-like): a film of a social gathering with everyday
    emotions (intensity 0.2-0.6) watched in one go, so arousal carries over; each
    question asks what a character feels or intends. Items are read with the
    mentalizing weights of social situations (those of social pain). Share correct."""
    m = m or ModelParams()
    stim = Stimuli.form("reasoning", n_items, EMOTION_NEEDS, 0.2, 0.6)
    v = _view_series(s, stim, rng, m, skill_need=SOCIAL, induce=induce, delay=delay)
    return (np.abs(v["perceived"] - stim.feeling[:, None]) < CORRECT_WITHIN).mean(axis=0)


def self_report(
    s: Sample, rng: np.random.Generator, reliability: float = 0.75, m: ModelParams | None = None
) -> dict[str, np.ndarray]:
    """Questionnaire scores, answered from the participant's view of itself (``self_model``)
    plus item error with the scale's reliability.

    IRI perspective taking ~ the self-view of cognitive_empathy, empathic concern ~ of
    empathic_concern, personal distress ~ of emotional_contagion (reliability 0.75,
    typical IRI alphas); ECR-R anxiety and avoidance (0.90); an NPI-like admiration
    scale ~ of admiration_need (0.85); Rosenberg-like self-esteem: the usual self-esteem
    (``self_image.set_point``) as the participant sees it (0.88). A self-report is thus as
    valid as the participant's insight and as biased as their self-esteem.
    """
    m = m or ModelParams()
    view = own_views(s, m)
    esteem = _set_points(s.admiration_need, s.attachment_anxiety, group_constants(m.self_image))
    return {
        "perspective_taking": _questionnaire(view["cognitive_empathy"], reliability, rng),
        "empathic_concern": _questionnaire(view["empathic_concern"], reliability, rng),
        "personal_distress": _questionnaire(view["emotional_contagion"], reliability, rng),
        "attachment_anxiety": _questionnaire(view["attachment_anxiety"], 0.90, rng),
        "attachment_avoidance": _questionnaire(view["attachment_avoidance"], 0.90, rng),
        "admiration": _questionnaire(view["admiration_need"], 0.85, rng),
        "self_esteem": _questionnaire(esteem, 0.88, rng),
    }


@compiled
def _set_points(adm, anx, p):
    out = np.empty(adm.shape[0])
    for j in range(out.shape[0]):
        out[j] = self_image.set_point(adm[j], anx[j], p)
    return out


def empathic_accuracy(
    s: Sample,
    rng: np.random.Generator,
    m: ModelParams | None = None,
    videos_per_type: int = 3,
    induce: Sequence[Induction] = (),
    delay: float = 0.0,
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
    v = _view_series(s, stim, rng, m, induce=induce, delay=delay, item_minutes=3.0)
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
def _drives(cog, cont, anx, reg, conc, adm, need, intensity, z, ind, elapsed, C):
    """One need of one target met by each participant at ``elapsed`` after the inductions."""
    n = cog.shape[0]
    perceived = np.empty(n)
    aroused = np.empty(n)
    concern = np.empty(n)
    esteem = np.empty(n)
    feeling_sign = 1.0 if need == GOOD_NEWS else -1.0
    for j in range(n):
        rest = contagion.baseline_arousal(reg[j], C.contagion)
        point = self_image.set_point(adm[j], anx[j], C.self_image)
        arousal, esteem[j], prompt = manipulations.state_at(ind, j, elapsed, rest, point)
        perceived[j] = perception.perceive(
            feeling_sign * intensity[j], cog[j], cont[j], anx[j], reg[j], arousal, need, z[j], C.perception
        )
        _, arousal = contagion.resonate(0.0, arousal, perceived[j], cont[j], C.contagion)
        aroused[j] = clip(arousal, 0.0, 1.0)
        concern[j] = motivation.effective_concern(conc[j], prompt, need == PHYSICAL, C.motivation)
    return perceived, aroused, concern, esteem


def _episode_drives(
    s: Sample, rng: np.random.Generator, m: ModelParams, need: int, intensity: np.ndarray, ind, elapsed
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """One need of one target: perceived feeling, arousal after catching it, effective
    concern and self-esteem, with the states induced ``elapsed`` minutes before."""
    return _drives(
        s.cognitive_empathy, s.emotional_contagion, s.attachment_anxiety, s.emotion_regulation,
        s.empathic_concern, s.admiration_need, int(need), np.asarray(intensity, float),
        rng.standard_normal(s.n), ind, float(elapsed), constants(m),
    )  # fmt: skip


def _with_prompt(induce: Sequence[Induction], prompt: bool) -> tuple[Induction, ...]:
    """The inductions, plus a perspective-taking instruction given just before (``prompt``)."""
    return (*induce, Induction("prompt", 1.0)) if prompt else tuple(induce)


@compiled
def _moved(concern, anx, avo, arousal, reg, perceived, C):
    out = np.empty(concern.shape[0])
    for j in range(out.shape[0]):
        out[j] = motivation.genuine_drive(
            concern[j], anx[j], avo[j], arousal[j], reg[j], abs(perceived[j]), LAB_TRUST, C.motivation,
            C.distress,
        )  # fmt: skip
    return out


def state_empathy(
    s: Sample,
    rng: np.random.Generator,
    prompt: bool,
    need: int = SOCIAL,
    m: ModelParams | None = None,
    n_items: int = 6,
    induce: Sequence[Induction] = (),
    delay: float = 0.0,
) -> np.ndarray:
    """Self-reported empathy (how moved: sympathetic, compassionate, tender) after a
    vignette of someone in need, read with or without the instruction to imagine the
    person's perspective (given just before; a ``prompt`` induction). Mean of
    ``n_items`` rating items."""
    m = m or ModelParams()
    intensity = np.full(s.n, 0.7)
    ind = induced_states(s, _with_prompt(induce, prompt), m)
    perceived, arousal, concern, _ = _episode_drives(s, rng, m, need, intensity, ind, delay)
    moved = _moved(
        concern, s.attachment_anxiety, s.attachment_avoidance, arousal, s.emotion_regulation, perceived,
        constants(m),
    )  # fmt: skip
    return _rating(np.repeat(moved[None], n_items, axis=0), 0.10, rng).mean(axis=0)


#: Minutes per trial of the conditional-empathy task.
TRIAL_MINUTES = 0.5


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
    induce: Sequence[Induction] = (),
    delay: float = 0.0,
) -> dict[str, np.ndarray]:
    """Per participant, ``trials`` needs of an acquaintance (``intensity`` range) in one
    condition: does the participant respond? Motives compete as in the engine
    (motivation.choose_motive); ``threat`` means the need implies criticism of the
    participant. States induced before the task (``induce``, ``delay`` minutes before the
    first trial) persist through it; shorthands: ``arousal_boost`` is a stress induction of
    that strength, ``esteem_drop`` a setback that has lowered self-esteem by that much
    (recovering like criticism), ``prompt`` a perspective-taking instruction.
    Returns response rate and the share of trials with each motive."""
    m = m or ModelParams()
    C = constants(m)
    induce = _with_prompt(induce, prompt)
    if arousal_boost:
        induce = (*induce, Induction("stress", arousal_boost))
    if esteem_drop:
        induce = (*induce, Induction("criticism", 0.0))
    ind = induced_states(s, induce, m)
    ind[manipulations.D_ESTEEM] -= esteem_drop
    counts = np.zeros((4, s.n))
    for trial in range(trials):
        level = rng.uniform(intensity[0], intensity[1], s.n)
        elapsed = delay + trial * TRIAL_MINUTES
        perceived, arousal, concern, esteem = _episode_drives(s, rng, m, need, level, ind, elapsed)
        counts += _motives(
            s.empathic_concern, s.attachment_anxiety, s.attachment_avoidance, s.admiration_need,
            s.self_image_fragility, s.impulsivity, s.emotion_regulation, perceived, arousal, concern,
            esteem, audience, benefit, threat, rng.standard_normal(s.n), C,
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
    conc, anx, avo, adm, frag, imp, reg, perceived, arousal, concern, esteem, audience, benefit, threat, z, C
):
    """One trial: which motive wins, per participant (a one-hot count over the four motives)."""
    counts = np.zeros((4, conc.shape[0]))
    for j in range(conc.shape[0]):
        point = self_image.set_point(adm[j], anx[j], C.self_image)
        genuine = motivation.genuine_drive(
            concern[j], anx[j], avo[j], arousal[j], reg[j], abs(perceived[j]), LAB_TRUST, C.motivation,
            C.distress,
        )  # fmt: skip
        strategic = motivation.strategic_drive(adm[j], audience, benefit, C.motivation)
        defensive = self_image.defensiveness(threat, frag[j], esteem[j], point)
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
    s: Sample,
    rng: np.random.Generator,
    m: ModelParams | None = None,
    n_items: int = 18,
    induce: Sequence[Induction] = (),
    delay: float = 0.0,
) -> np.ndarray:
    """RSQ-like: 18 situations in which the participant asks a loved one for something.

    Per item, as in the RSQ, score = concern x expectancy of rejection. Concern: how
    anxious the participant would be about the answer, a self-report of attachment
    anxiety (``own_views``) with reliability ``CONCERN_RELIABILITY`` plus item noise (the
    RSQ is a distinct scale: its overlap with attachment anxiety is partial).
    Expectancy: the participant makes the request (an own need of intensity 0.4-0.9,
    which arouses: contagion.feel_own_need) and reads an ambiguous reaction (a cue
    between -0.2 and 0.2) through perception.perceive, whose anxious rejection bias acts
    under arousal, and through the sociometer: the lower the participant's self-esteem
    at that moment, the more the ambiguous reaction is read as rejection
    (``sociometer.rejection_reading``; an induced exclusion or praise moves it). The
    items follow one another (``RSQ_ITEM_MINUTES`` apart), so
    arousal carries over. Expectancy = 0.5 + (shown - read) / 2: how much more rejecting
    the reaction is read than it was, around an even chance."""
    m = m or ModelParams()
    n = s.n
    anxious = _questionnaire(own_views(s, m)["attachment_anxiety"], CONCERN_RELIABILITY, rng)
    draws = np.empty((n_items, 4, n))  # own need, cue, perception noise, concern rating
    for i in range(n_items):
        draws[i, 0] = -rng.uniform(0.4, 0.9, n)
        draws[i, 1] = rng.uniform(-0.2, 0.2, n)
        draws[i, 2] = rng.standard_normal(n)
        draws[i, 3] = np.clip(_rating(anxious, 0.15, rng), 0.0, 1.0)
    return _rejection_items(
        s.cognitive_empathy, s.emotional_contagion, s.attachment_anxiety, s.emotion_regulation,
        s.admiration_need, draws, induced_states(s, induce, m), float(delay), constants(m),
    )  # fmt: skip


#: Minutes per situation of the RSQ-like questionnaire.
RSQ_ITEM_MINUTES = 0.5


@compiled
def _rejection_items(cog, cont, anx, reg, adm, draws, ind, delay, C):
    n_items, _, n = draws.shape
    total = np.zeros(n)
    for j in range(n):
        rest = contagion.baseline_arousal(reg[j], C.contagion)
        point = self_image.set_point(adm[j], anx[j], C.self_image)
        arousal, esteem, _ = manipulations.state_at(ind, j, delay, rest, point)
        for i in range(n_items):
            _, arousal = contagion.feel_own_need(0.0, arousal, draws[i, 0, j], C.contagion)
            cue = draws[i, 1, j]
            perceived = perception.perceive(
                cue, cog[j], cont[j], anx[j], reg[j], arousal, SOCIAL, draws[i, 2, j], C.perception
            )
            # the sociometer's shift, from the 0-1 care scale to the -1..1 feeling scale
            ambiguity = sociometer.care_ambiguity(0.5 + 0.5 * cue)
            perceived = perceived - 2.0 * sociometer.rejection_reading(ambiguity, esteem, C.sociometer)
            expectancy = clip(0.5 + 0.5 * (cue - perceived), 0.0, 1.0)
            total[j] += draws[i, 3, j] * expectancy
            _, arousal = contagion.resonate(0.0, arousal, perceived, cont[j], C.contagion)
            tonic, esteem, _ = manipulations.state_at(ind, j, delay + (i + 1) * RSQ_ITEM_MINUTES, rest, point)
            arousal = contagion.recover(clip(arousal, 0.0, 1.0), tonic, reg[j], C.contagion)
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
