"""The simulated candidate answers every AI line that wants an answer: questions and re-prompts, not the closing."""

from __future__ import annotations

import json

from livekit import rtc

from hrlab.lab.candidate import SimulatedCandidate
from hrlab.lab.scenario import CandidateTurn, load_scenario


def _packet(message: dict) -> rtc.DataPacket:
    return rtc.DataPacket(data=json.dumps(message).encode(), kind=rtc.DataPacketKind.KIND_RELIABLE,
                          participant=None, topic="interview")


def _candidate() -> SimulatedCandidate:
    scenario = load_scenario("scenarios/en_nonanswer.toml", check_files=False)
    candidate = SimulatedCandidate(api_url="http://127.0.0.1:1", resume_id=1, scenario=scenario, answers={},
                                   question_timeout_s=0.2)
    candidate._t0 = 0.0
    return candidate


def _says(candidate: SimulatedCandidate, *messages: dict) -> None:
    for message in messages:
        candidate._on_data(_packet(message))


async def test_a_reprompt_without_a_question_message_is_answered_like_a_question():
    candidate = _candidate()
    _says(candidate, {"type": "question", "text": "Tell me about yourself.", "questionNumber": 1},
          {"type": "ai_speaking_start"}, {"type": "ai_speaking_end"})
    assert await candidate._next_prompt() == 0  # the opening is speech 1: wait for it to start
    # "Hi, yes, I'm ready." -> the AI re-asks: a speech with no `question` before it
    _says(candidate, {"type": "ai_speaking_start"}, {"type": "ai_speaking_end"})
    assert await candidate._next_prompt() == 1  # the re-ask is speech 2
    _says(candidate, {"type": "question", "text": "What did you build?", "questionNumber": 2},
          {"type": "ai_speaking_start"}, {"type": "ai_speaking_end"})
    assert await candidate._next_prompt() == 2  # the question's own speech start is not a second prompt
    _says(candidate, {"type": "ai_speaking_start"}, {"type": "ai_speaking_end"},
          {"type": "interview_complete", "summary": "Ended at the candidate's request"})
    assert await candidate._next_prompt() == 3  # the closing looks like a re-prompt until interview_complete...
    assert await candidate._next_prompt() is None  # ...which ends the script
    assert candidate._complete.is_set()


async def test_nothing_more_from_the_ai_ends_the_wait():
    candidate = _candidate()
    assert await candidate._next_prompt() is None
    assert candidate.log.events[-1].kind == "error"


async def test_lines_the_ai_started_before_a_turn_acted_do_not_prompt_the_next_turn():
    candidate = _candidate()
    quiet = CandidateTurn(index=0, action="silence", delay_ms=0, silence_ms=100)
    # A question, then at once a re-ask over it (the agent raced itself): one turn answers both.
    _says(candidate, {"type": "question", "text": "What did you build?", "questionNumber": 2},
          {"type": "ai_speaking_start"}, {"type": "ai_speaking_start"}, {"type": "ai_speaking_end"},
          {"type": "ai_speaking_end"})
    assert await candidate._play(quiet)
    assert await candidate._next_prompt() is None  # nothing new was said: the next turn waits
    _says(candidate, {"type": "ai_speaking_start"}, {"type": "ai_speaking_end"})
    assert await candidate._next_prompt() == 2  # a line after the turn prompts the next one
