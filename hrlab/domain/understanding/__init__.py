"""Turn understanding: what kind of turn a candidate's transcript is, and what a follow-up can use.

`understand()` (in `pipeline`) reads one final transcript (Russian or English, often unpunctuated STT
output) into the views the rules match (`text.read_turn`), finds the tools it names (`tools`), and
asks `classify` for its kind. The rules there run in a fixed order, most consequential first: a
request to end, a request to repeat or clarify, noise (Whisper's hallucinated "Thank you for
watching", "can you hear me", "one second"), a question to the interviewer, "I don't know", a
non-answer made only of greetings, "yes" and fillers, an off-topic monologue; anything else is an
answer, and only then are the learned end-request opinion (`learned`: naive Bayes over word and character
n-grams, trained on first use from the labelled set; asked for short turns the rules did not veto as a
story, a habit or work that ends) and a `judge` asked. Each rule is a table of patterns per language
(`patterns_en`, `patterns_ru`, with the tables both share in `patterns`) with guards against
embedded phrases ("I finished the project", "повторить успех"): a phrase must be the whole point
of the turn, not a clause inside a story, a quote or a general condition ("if a meeting drags on, I
suggest we end it"). Last, `claims`, `quantities` and `weaknesses` extract
what a follow-up question can use, and the result is an `Understanding`.

Decisions worth knowing:
- "Never worked with that" / "никогда не работал с этим" on its own is `dont_know` (nothing to
  probe, the weakness is recorded); with more content it is an `answer` that carries a weakness.
- A bare "yes"/"no"/"да"/"нет" is a terse `answer` to a yes/no question, and a `non_answer` to an
  open one ("tell me about...") or to "are you ready?".
- Off-topic is conservative: a long turn with leisure cues, no work cues, no tool and almost no
  words in common with the question or topic; when in doubt the turn is an answer.
- Rules decide where they fired; the learned opinion and a `judge` (e.g. an LLM) are asked only when
  none did, so an end request found by the rules can never be overruled. The learned opinion can only
  add end requests, above a high threshold: the rules miss new wordings of a request to end on every
  blind set, and a missed "I have to go" costs the candidate more than most mistakes.
"""

from __future__ import annotations

from hrlab.domain.understanding.classify import DEFAULT_REASON
from hrlab.domain.understanding.model import TURN_KINDS, TurnJudge, TurnKind, Understanding
from hrlab.domain.understanding.pipeline import understand

__all__ = ["DEFAULT_REASON", "TURN_KINDS", "TurnJudge", "TurnKind", "Understanding", "understand"]
