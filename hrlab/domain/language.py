"""A light Russian/English detector for short utterances: script and stopword counts, no models."""

from __future__ import annotations

import re
from typing import Literal

Language = Literal["ru", "en"]
LANGUAGES: tuple[Language, ...] = ("ru", "en")

_WORD = re.compile(r"[^\W\d_]+(?:['’-][^\W\d_]+)*", re.UNICODE)
_CYRILLIC = re.compile(r"[\u0400-\u04ff]")
_LATIN = re.compile(r"[a-zA-Z]")

# Function words carry the language of a sentence; Latin content words in Russian speech are
# usually tech names (Python, Kubernetes), so they count for less than English function words.
_RU_STOPWORDS = frozenset(
    "и в во не что он на я с со как а то все она так его но да ты к у же вы за бы по только ее её мне"
    " было вот от меня еще ещё нет о об из ему теперь когда даже ну вдруг ли если уже или ни быть был"
    " была были него до вас нибудь опять уж вам ведь там потом себя ничего ей может они тут где есть"
    " надо ней для мы тебя их чем сам чтобы без будто чего раз тоже себе под будет ж тогда кто этот"
    " того потому этого какой какие каким какая каких совсем ним здесь этом один почти мой тем"
    " чтоб нее сейчас куда зачем всех никогда можно при наконец два об другой хоть после над больше"
    " тот через эти нас про всего них какая много разве три эту моя впрочем хорошо свою этой перед"
    " иногда лучше чуть том нельзя такой им более всегда конечно всю между ваш ваши вашем вашей"
    " расскажите опишите почему сколько".split()
)
_EN_STOPWORDS = frozenset(
    "the a an and or but if of to in on at by for with about as into from up down over under is are"
    " was were be been being am do does did have has had having i me my we our you your he him his she"
    " her it its they them their what which who whom this that these those how why when where there"
    " here can could would should will shall may might must not no so than too very just also then"
    " tell describe explain please did you any some".split()
)

_STOPWORD_WEIGHT = 2.0
_LATIN_CONTENT_WEIGHT = 0.5


def language_scores(text: str) -> dict[Language, float]:
    """Score how Russian and how English a text looks (0 for no evidence)."""
    scores: dict[Language, float] = {"ru": 0.0, "en": 0.0}
    for word in _WORD.findall(text):
        lower = word.lower()
        if _CYRILLIC.search(word):
            scores["ru"] += 1.0 + (_STOPWORD_WEIGHT if lower in _RU_STOPWORDS else 0.0)
        elif _LATIN.search(word):
            if lower in _EN_STOPWORDS:
                scores["en"] += 1.0 + _STOPWORD_WEIGHT
            else:
                scores["en"] += _LATIN_CONTENT_WEIGHT
    return scores


def detect_language(text: str) -> Language | None:
    """Return "ru" or "en" for the dominant language, or None when the text has no words to judge."""
    scores = language_scores(text)
    if scores["ru"] == scores["en"]:
        return None
    return "ru" if scores["ru"] > scores["en"] else "en"


def check_language(value: object) -> Language:
    """Validate a language code; raise ValueError naming the allowed ones."""
    if value not in LANGUAGES:
        raise ValueError(f"language must be one of {', '.join(LANGUAGES)}, got {value!r}")
    return value  # type: ignore[return-value]
