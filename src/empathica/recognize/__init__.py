"""Recognize: patterns of genuine care vs strategic empathy in an interaction record.

``read_diary(path)`` reads and checks a diary (``diary``); ``recognize(episodes)``
applies the article's practical test (A14) per actor with honest uncertainty
(``recognizer``). Everything reported is a pattern in recorded behaviour, never a
diagnosis.
"""

from empathica.recognize.diary import DiaryError, diary_template, read_diary, validate_episodes
from empathica.recognize.recognizer import (
    RecognitionResult,
    UnknownActorError,
    recognize,
    synthetic_diary,
)

__all__ = [
    "DiaryError",
    "RecognitionResult",
    "UnknownActorError",
    "diary_template",
    "read_diary",
    "recognize",
    "synthetic_diary",
    "validate_episodes",
]
