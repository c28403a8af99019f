"""How the interviewer reacts to a turn that does not answer the question yet, and how it probes one that does.

A request to repeat gets the question again (twice at most); a non-answer ("I'm ready", a bare "yes"
to an open question) is re-asked; off-topic talk gets a redirect that names the topic; a question to
the interviewer is deferred to the hiring team, and a request for a short break granted. Each of these
re-asks the current question once per question, so a candidate cannot stall the interview. An admitted
weakness is probed at once, quoting the candidate's clause; a terse answer is probed by the tools it named
when the LLM's follow-up is refused.
"""

from __future__ import annotations

import re
from collections import Counter

from hrlab.domain.prompting import PromptSet
from hrlab.domain.understanding import Understanding

# turn kind -> (the line that answers it, how many times per question)
_REACTIONS = {
    "repeat_request": ("repeat", 2),
    "non_answer": ("reask", 1),
    "off_topic": ("redirect", 1),
    "question_to_interviewer": ("defer", 1),
}
# A request for a short break is a question to the interviewer, but "a good question for the hiring team"
# is no reply to it: it gets the pause line.
_BY_REASON = {"question_to_interviewer:asks_for_a_break": ("pause", 1)}
_QUOTE_WORDS = 12  # the clause quoted back when a weakness is probed
# Sentence ends, and a contrast ("..., but my weakest area is ...") that opens the admission.
_CLAUSE = re.compile(r"[.!?;]+\s*|,?\s+(?:but|however|а вот|а|но|однако)\s+", re.IGNORECASE)


def reaction_line(understood: Understanding, *, prompts: PromptSet, question: str | None, topic: str,
                  used: Counter) -> tuple[str, str] | None:
    """(line name, text) that re-asks the current question in reply to this turn; None when it is an answer."""
    entry = _BY_REASON.get(understood.reason) or _REACTIONS.get(understood.kind)
    if entry is None or not question:
        return None
    line, limit = entry
    if used[line] >= limit:
        return None  # asked again already: take what was said as the answer
    used[line] += 1
    return line, prompts.text("lines", line, question=question, topic=topic)


def weakness_probe(understood: Understanding, *, prompts: PromptSet, answer: str) -> str | None:
    """A follow-up on the weakness the candidate admitted, quoting the words they said it in."""
    if understood.kind not in ("answer", "dont_know") or not understood.weaknesses:
        return None
    return prompts.text("lines", "probe_weakness", said=_words_around(answer, understood.weaknesses[0]))


def _words_around(answer: str, phrase: str) -> str:
    """The candidate's clause that names `phrase`, verbatim (a Russian phrase keeps its case that way)."""
    clauses = [c.strip(" ,") for c in _CLAUSE.split(answer) if c.strip(" ,")]
    clause = next((c for c in clauses if phrase.casefold() in c.casefold()), phrase)
    return " ".join(clause.split()[:_QUOTE_WORDS]).strip(" .,!?;:")


def terse_probe(understood: Understanding, *, prompts: PromptSet, topic: str) -> str | None:
    """A follow-up to a terse answer asking for an example: it names the tools the answer gave, else the topic.

    Only recognised names are said back: a terse answer is where STT mistakes show most, and reading a
    misheard phrase (or a word STT invented) back to the candidate is worse than naming the topic asked about.
    """
    if understood.kind != "answer" or not understood.terse:
        return None
    if understood.tools:
        return prompts.text("lines", "probe_terse", answer=", ".join(understood.tools[:3]))
    return prompts.text("lines", "probe_terse_topic", topic=topic)
