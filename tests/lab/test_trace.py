"""Building a run trace from a hand-made candidate log and the agent's stored turns."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import numpy as np

from hrlab.lab.candidate import CandidateLog, Event, SpokenTurn
from hrlab.lab.hearing import SAMPLE_RATE
from hrlab.lab.scenario import load_scenario
from hrlab.lab.trace import AgentTurn, build_trace, heard_as, to_candidate_clock

SCENARIO = "scenarios/en_barge_in.toml"


def _tone(seconds: float) -> np.ndarray:
    t = np.arange(int(seconds * SAMPLE_RATE)) / SAMPLE_RATE
    return (8000 * np.sin(2 * np.pi * 440 * t)).astype(np.int16)


def test_clock_conversion():
    joined = datetime(2026, 1, 1, tzinfo=timezone.utc)
    assert to_candidate_clock(joined + timedelta(seconds=2.5), joined_at=joined) == 2.5
    assert to_candidate_clock(None, joined_at=joined) is None
    assert to_candidate_clock(datetime(2026, 1, 1, 0, 0, 1), joined_at=joined) == 1.0  # SQLite's naive UTC


def test_heard_as_collects_the_answer_span_only():
    spoken = SpokenTurn(1, 10.0, 14.0, (), "reference")
    turns = [AgentTurn(1, "candidate", "early", 2.0, 3.0), AgentTurn(2, "candidate", "first part", 10.2, 12.0),
             AgentTurn(3, "candidate", "second part", 15.5, 16.0), AgentTurn(4, "ai", "question", 11.0, 12.0),
             AgentTurn(5, "candidate", "much later", 30.0, 31.0)]
    assert heard_as(spoken, turns) == "first part second part"
    assert heard_as(SpokenTurn(2, 40.0, 41.0, (), None), turns) is None


def test_build_trace_uses_what_the_candidate_heard():
    scenario = load_scenario(SCENARIO)
    log = CandidateLog(room_name="interview_1_1")
    # The AI spoke at 1-3 s (heard), the candidate answered at 4-6 s, the AI replied at 6.8-8 s.
    log.heard.chunks = [(1.0 + (i + 1) * 0.02, chunk) for i, chunk in enumerate(np.split(_tone(2.0), 100))]
    log.heard.chunks += [(6.8 + (i + 1) * 0.02, chunk) for i, chunk in enumerate(np.split(_tone(1.2), 60))]
    log.spoken.append(SpokenTurn(0, 4.0, 6.0, ((4.5, 5.0),), "I'm a backend engineer"))
    log.events += [Event(0.5, "message_in", {"type": "question", "text": "Tell me about Python?"}),
                   Event(8.5, "message_in", {"type": "interview_complete", "summary": "done"})]
    log.completed = True
    agent_turns = [AgentTurn(1, "ai", "Hello. Tell me about Python?", 1.0, 3.0),
                   AgentTurn(2, "candidate", "I'm a backend engineer", 4.1, 6.0, stt_ms=300.0)]
    trace = build_trace(log, scenario=scenario, agent_turns=agent_turns)
    assert [round(s.start, 2) for s in trace.ai_audio] == [1.0, 6.8]
    (answer,) = trace.candidate
    assert answer.transcript == "I'm a backend engineer" and answer.barge_in is False
    assert [(p.start, p.end) for p in answer.pauses] == [(4.5, 5.0)]
    assert trace.questions == ("Tell me about Python?",)
    assert trace.interview_complete and trace.duration_s == 8.5
    assert "Python" in trace.resume_terms


def test_build_trace_carries_line_labels_heard_answers_and_expectations():
    scenario = load_scenario("scenarios/en_nonanswer.toml")
    log = CandidateLog(room_name="interview_1_1")
    log.spoken.append(SpokenTurn(0, 4.0, 5.0, (), "Hi, yes, I'm ready."))
    agent_turns = [AgentTurn(1, "ai", "Hello. Tell me about yourself.", 1.0, 3.0, kind="opening:script"),
                   AgentTurn(2, "candidate", "Hi, yes, I'm ready.", 4.1, 5.0),
                   AgentTurn(3, "ai", "All right. Tell me about yourself.", 6.0, 8.0, kind="reprompt:script:reask")]
    trace = build_trace(log, scenario=scenario, agent_turns=agent_turns)
    assert [(line.seq, line.kind, line.answer) for line in trace.ai_lines] == [
        (1, "opening:script", None), (3, "reprompt:script:reask", "Hi, yes, I'm ready.")]
    assert trace.candidate[0].expect == (("reask_after_nonanswer", True),)
    assert trace.expectations_unplayed == 2  # the bare "Yes." and the stop request were never played
