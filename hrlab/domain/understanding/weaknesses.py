"""What a candidate admits is weak or missing, named by its area or, when one is named, by the tool."""

from __future__ import annotations

import re

from hrlab.domain.understanding.patterns import BY_LANGUAGE
from hrlab.domain.understanding.text import Turn, unique
from hrlab.domain.understanding.tools import tool_spans

MAX_WEAKNESS_WORDS = 4
# Hedges, articles and prepositions around the area ("I think my ... really") are not part of its name.
_LEAD_INS = re.compile(r"^(?:(?:id say|i would say|i think|i guess|honestly|probably|maybe|well|so|наверное|"
                       r"честно говоря|пожалуй|думаю|мне кажется|ну|моя|мое|мой|my|the|a|an|this|that|"
                       r"with|in|на|в|с|со)(?: |$))+")
_TRAILING = re.compile(r"(?: (?:sorry|really|much|at all|too|either|yet|так|пока|особо|вообще|совсем|"
                       r"извините|честно|почти|практически|я))+$")
# "Never worked with it" names no area: the pronoun points back to the question.
_PRONOUNS = frozenset(
    "it that this them him her my our ним ней ними этим этом этого него нее ее его им мое моя мой мои наш".split())


def _weakness_phrase(raw: str) -> str | None:
    phrase = _TRAILING.sub("", _LEAD_INS.sub("", " ".join(raw.split()))).strip(" -—")
    if not phrase or phrase in _PRONOUNS or len(phrase.split()) > MAX_WEAKNESS_WORDS:
        return None
    tools = tool_spans(phrase)
    return tools[0][2] if tools else phrase


def find_weaknesses(turn: Turn) -> tuple[str, ...]:
    """What the candidate admits is weak or missing ("machine learning", a tool name when one is named)."""
    found = []
    for pattern in BY_LANGUAGE[turn.language].weaknesses:
        for match in pattern.finditer(turn.lower):
            phrase = _weakness_phrase(match.group("x"))
            if phrase:
                found.append(phrase)
    return unique(found)
