"""Claims: the clauses where a candidate says what they did, built or achieved."""

from __future__ import annotations

import re

from hrlab.domain.understanding.patterns import BY_LANGUAGE
from hrlab.domain.understanding.text import Turn, flatten

MAX_CLAIMS = 6
MAX_CLAIM_WORDS = 30
_SENTENCE_END = re.compile(r"(?<=[.!?;])\s+|\s+[\u2014\u2013]\s+")
# Unpunctuated speech runs on: a long sentence is cut where "and I" / "и мы" starts the next clause.
_CLAUSE_SPLIT = re.compile(r",?\s+(?=(?:and|so|then|but|и|а|но|потом|затем) (?:i|we|я|мы)\b)")


def _clauses(text: str) -> list[str]:
    clauses = []
    for sentence in _SENTENCE_END.split(text.strip()):
        if len(sentence.split()) > MAX_CLAIM_WORDS:
            clauses += _CLAUSE_SPLIT.split(sentence)
        else:
            clauses.append(sentence)
    return [c.strip(" ,;") for c in clauses if c.strip(" ,;")]


def _is_claim(clause: str, language: str) -> bool:
    tables = BY_LANGUAGE[language]
    # "Я почти не работал с ним" admits a gap; it is not a claim, so negated verbs are taken out first.
    flat = tables.negated_verb.sub(" ", flatten(clause))
    return len(flat.split()) >= 3 and bool(tables.claim.search(flat)) and not tables.not_claim.search(flat)


def find_claims(turn: Turn) -> tuple[str, ...]:
    """Clauses where the candidate says what they did, built or achieved (first person, past or present)."""
    claims = []
    for clause in _clauses(turn.raw):
        if _is_claim(clause, turn.language):
            claims.append(" ".join(clause.split()[:MAX_CLAIM_WORDS]))
    return tuple(claims[:MAX_CLAIMS])
