"""The path from one transcript to an `Understanding`: read, find tools, classify, ask the learned opinion and the
judge, extract."""

from __future__ import annotations

from collections.abc import Sequence

from hrlab.domain.language import check_language
from hrlab.domain.understanding.claims import find_claims
from hrlab.domain.understanding.classify import DEFAULT_REASON, classify, vetoes_end_request
from hrlab.domain.understanding.learned import THRESHOLDS, default_scorer
from hrlab.domain.understanding.model import TURN_KINDS, TurnJudge, TurnKind, Understanding
from hrlab.domain.understanding.quantities import find_numbers
from hrlab.domain.understanding.text import Turn, read_turn
from hrlab.domain.understanding.tools import find_tools
from hrlab.domain.understanding.weaknesses import find_weaknesses

TERSE_MAX_WORDS = 4
LEARNED_REASON = "end_request:learned"
LEARNED_MAX_WORDS = 25  # end requests the rules do not place are short; a longer unplaced turn is an answer


def understand(text: str, *, language: str, question: str = "", topic_terms: Sequence[str] = (),
               judge: TurnJudge | None = None) -> Understanding:
    """Classify one candidate turn and extract the claims, tools, numbers and weaknesses it names."""
    lang = check_language(language)
    turn = read_turn(text or "", language=lang, question=question or "", topic_terms=topic_terms)
    tools = find_tools(turn)
    kind, reason = classify(turn, tools)
    if learned_may_judge(turn, reason) and learned_end_request(turn):
        kind, reason = "end_request", LEARNED_REASON
    if judge is not None and reason == DEFAULT_REASON:
        kind, reason = _ask_judge(judge, turn, kind, reason)
    terse = kind == "answer" and turn.spoken_words <= TERSE_MAX_WORDS
    return Understanding(kind=kind, terse=terse, claims=find_claims(turn), tools=tools, numbers=find_numbers(turn),
                         weaknesses=find_weaknesses(turn), reason=reason)


def learned_may_judge(turn: Turn, reason: str) -> bool:
    """Whether the learned opinion is asked: no rule placed the turn, it is short, and no rule vetoes an end."""
    return reason == DEFAULT_REASON and turn.spoken_words <= LEARNED_MAX_WORDS and not vetoes_end_request(turn)


def learned_end_request(turn: Turn) -> bool:
    """The learned second opinion: whether the scorer is confident the turn asks to end."""
    scorer = default_scorer(turn.language)
    return scorer is not None and scorer.log_odds(turn.raw) > THRESHOLDS[turn.language]


def _ask_judge(judge: TurnJudge, turn: Turn, kind: TurnKind, reason: str) -> tuple[TurnKind, str]:
    verdict = judge(turn.raw, language=turn.language, question=turn.question)
    if verdict in TURN_KINDS:
        return verdict, f"judge:{verdict}"
    return kind, reason  # no opinion, or one we cannot use: the rules stand
