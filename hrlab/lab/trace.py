"""Turn one live run's raw material (the candidate's log, the agent's stored turns) into a RunTrace."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timezone

from hrlab.lab.candidate import CandidateLog, SpokenTurn
from hrlab.lab.metrics import CandidateSpeech, RunTrace, Segment, resume_terms
from hrlab.lab.metrics.behaviour import ai_lines
from hrlab.lab.scenario import Scenario

# The agent's transcript of an answer may end a little after the audio did (endpointing delay).
MATCH_SLACK_S = 3.0


@dataclass(frozen=True)
class AgentTurn:
    """One turn as the agent stored it, on the candidate's clock (seconds since it joined)."""

    seq: int
    speaker: str
    text: str
    start_s: float | None
    end_s: float | None
    stt_ms: float | None = None
    llm_ms: float | None = None
    tts_ms: float | None = None
    kind: str | None = None  # an AI line's label (hrlab/domain/turn_kinds.py)


def to_candidate_clock(moment: datetime | None, *, joined_at: datetime) -> float | None:
    """A stored wall-clock time as seconds on the candidate's clock (naive times are UTC, as SQLite gives them)."""
    if moment is None:
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=timezone.utc)
    return (moment - joined_at).total_seconds()


def answer_turns(start_s: float, end_s: float, agent_turns: list[AgentTurn]) -> list[AgentTurn]:
    """The agent's candidate turns that began inside an answer's span (with the endpointing slack)."""
    return [turn for turn in agent_turns
            if turn.speaker == "candidate" and turn.start_s is not None
            and start_s - MATCH_SLACK_S <= turn.start_s <= end_s + MATCH_SLACK_S]


def heard_as(spoken: SpokenTurn, agent_turns: list[AgentTurn]) -> str | None:
    """What the agent's speech-to-text made of one answer."""
    texts = [turn.text for turn in answer_turns(spoken.start_s, spoken.end_s, agent_turns)]
    return " ".join(texts) if texts else None


def build_trace(log: CandidateLog, *, scenario: Scenario, agent_turns: list[AgentTurn]) -> RunTrace:
    """Everything the metrics need from one run; AI audio is what the candidate actually heard."""
    barge_ins = {turn.index for turn in scenario.turns if turn.barge_in_after_ms is not None}
    expects = {turn.index: turn.expect for turn in scenario.turns if turn.expect}
    candidate = tuple(
        CandidateSpeech(
            seq=spoken.index, start=spoken.start_s, end=spoken.end_s, reference=spoken.reference,
            transcript=heard_as(spoken, agent_turns),
            pauses=tuple(Segment(a, b) for a, b in spoken.pauses_s), barge_in=spoken.index in barge_ins,
            expect=expects.get(spoken.index, ()),
        )
        for spoken in log.spoken
    )
    played = {spoken.index for spoken in log.spoken}
    questions = tuple(e.detail.get("text", "") for e in log.messages() if e.detail.get("type") == "question")
    ai_texts = tuple(t.text for t in agent_turns if t.speaker == "ai")
    resume = scenario.parsed_resume()
    return RunTrace(
        language=scenario.language,
        candidate=candidate,
        ai_audio=tuple(log.heard.ai_segments()),
        ai_texts=ai_texts,
        questions=questions,
        resume_terms=resume_terms(resume),
        interview_complete=log.completed,
        duration_s=log.events[-1].t if log.events else None,
        dialogue=tuple((t.speaker, t.text) for t in agent_turns),
        resume_text=resume.raw_text,
        ai_lines=ai_lines((t.seq, t.speaker, t.text, t.start_s, t.kind) for t in agent_turns),
        expectations_unplayed=sum(len(expect) for index, expect in expects.items() if index not in played),
    )
