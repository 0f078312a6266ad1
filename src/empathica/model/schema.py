"""Column contracts shared by the simulator's episode log and a hand-kept diary.

The observable columns are exactly what a person could write down about an
interaction (claim A14's practical test needs nothing more). Hidden ground truth
that only a simulation knows is kept in columns prefixed ``true_``; the
recognizer never reads them.
"""

from __future__ import annotations

#: Kinds of need an episode can carry (BRIEF, "An interaction episode").
NEED_TYPES: tuple[str, ...] = (
    "physical_pain",
    "social_pain",
    "sadness",
    "fear",
    "anger",
    "good_news",
)

#: Motives that can drive (or block) a response; see ``empathica.model.motivation``.
MOTIVES: tuple[str, ...] = ("none", "genuine", "strategic", "defensive")

#: Observable episode columns, in order: the diary format.
OBSERVABLE_COLUMNS: tuple[str, ...] = (
    "episode",
    "t",
    "dyad",
    "actor",
    "target",
    "need",
    "intensity",
    "audience",
    "benefit",
    "threat",
    "boundary_asked",
    "perspective_prompt",
    "responded",
    "accuracy",
    "warmth",
    "committed",
    "followed_through",
    "boundary_respected",
)

#: Context columns a diary keeper records about the situation (booleans).
CONTEXT_FLAGS: tuple[str, ...] = (
    "audience",
    "benefit",
    "threat",
    "boundary_asked",
    "perspective_prompt",
)

#: Hidden ground-truth columns the simulator adds (never read by the recognizer).
HIDDEN_COLUMNS: tuple[str, ...] = (
    "true_motive",
    "true_actor_profile",
    "true_target_profile",
    "true_target_feeling",
    "true_perceived_feeling",
    "true_actor_arousal_gain",
    "true_actor_arousal",
    "true_protest",
    "true_felt_care",
    "true_target_trust",
    "true_rupture",
    "true_repair_attempted",
    "true_repair_accepted",
)

#: Meaning of each observable column, used by docs and the diary template.
COLUMN_HELP: dict[str, str] = {
    "episode": "unique id of the episode (integer)",
    "t": "day of the episode: an integer day number or a date (YYYY-MM-DD)",
    "dyad": "which relationship the episode belongs to (integer or name)",
    "actor": "who could respond to the need (integer id or name)",
    "target": "who had the need (integer id or name)",
    "need": "kind of need: " + ", ".join(NEED_TYPES),
    "intensity": "how strong the need was, from 0 (barely) to 1 (overwhelming)",
    "audience": "was anyone else watching or going to hear about it? (true/false)",
    "benefit": "did the actor stand to gain something by responding? (true/false)",
    "threat": "did the need imply criticism of the actor? (true/false)",
    "boundary_asked": "did the target ask for a boundary (space, no contact, a limit)? (true/false)",
    "perspective_prompt": "was the actor prompted to take the target's perspective? (true/false)",
    "responded": "did the actor respond to the need at all? (true/false)",
    "accuracy": "how well the response fitted what the target actually felt, 0-1; empty if no response",
    "warmth": "how warm the response was, 0-1; empty if no response",
    "committed": "did the actor promise concrete help? (true/false)",
    "followed_through": "was the promise kept? (true/false); empty if nothing was promised",
    "boundary_respected": "was the boundary respected? (true/false); empty if none was asked",
}
