"""Metrics of one run, computed from a RunTrace (timestamps on one clock, texts, protocol facts).

`compute_metrics(trace)` returns MetricValues; `RunRecorder.add_metrics` stores them. Each metric
is defined once (see registry.METRICS for names, units and which direction is better).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any, Sequence

from hrlab.lab.metrics.behaviour import (
    EXPECTATION_METRICS,
    AiLine,
    expectation_held,
    follow_up_grounding,
    lines_after,
    question_sources,
)
from hrlab.lab.metrics.dialogue import (
    language_consistency,
    pooled_wer,
    repeated_questions,
    resume_grounding,
    turn_wer,
)
from hrlab.lab.metrics.judge import RUBRIC, Judge, JudgeError, judge_scores
from hrlab.lab.metrics.registry import METRICS, MetricInfo, metric_info
from hrlab.lab.metrics.timing import (
    DEFAULT_MAX_REACTION_S,
    Segment,
    barge_in_reaction,
    false_cutoffs,
    speech_segments,
    times_to_next_line,
    voice_to_voice_latencies,
)

__all__ = [
    "AiLine", "CandidateSpeech", "EXPECTATION_METRICS", "METRICS", "MetricInfo", "MetricValues", "RUBRIC", "Judge",
    "JudgeError", "RunTrace", "Segment", "barge_in_reaction", "compute_metrics", "false_cutoffs", "judge_scores",
    "language_consistency", "metric_info", "pooled_wer", "resume_terms", "repeated_questions", "resume_grounding",
    "speech_segments", "turn_wer", "voice_to_voice_latencies",
]


@dataclass(frozen=True)
class CandidateSpeech:
    """One answer the candidate played: when (run clock), what, and what the agent's STT heard."""

    seq: int
    start: float
    end: float
    reference: str | None = None
    transcript: str | None = None
    pauses: tuple[Segment, ...] = ()  # scripted thinking pauses, on the run clock
    barge_in: bool = False  # started while the AI was speaking, on purpose
    expect: tuple[tuple[str, int | bool], ...] = ()  # the scenario turn's expectations (key, value): behaviour.py

    @property
    def segment(self) -> Segment:
        return Segment(self.start, self.end)


@dataclass(frozen=True)
class RunTrace:
    """Everything one run's metrics need; AI audio is what the candidate actually received."""

    language: str
    candidate: tuple[CandidateSpeech, ...] = ()
    ai_audio: tuple[Segment, ...] = ()
    ai_texts: tuple[str, ...] = ()
    questions: tuple[str, ...] = ()
    resume_terms: tuple[str, ...] = ()
    interview_complete: bool = False
    duration_s: float | None = None
    dialogue: tuple[tuple[str, str], ...] = ()  # (who, text) in order, for a judge
    resume_text: str = ""
    ai_lines: tuple[AiLine, ...] = ()
    expectations_unplayed: int = 0  # scripted expectations on turns the interview ended before

    def to_json(self) -> dict[str, Any]:
        """Plain JSON data; `from_json` reads it back (the run log keeps it to recompute metrics)."""
        return asdict(self)

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> RunTrace:
        """Rebuild a trace written by `to_json`."""
        candidate = tuple(
            CandidateSpeech(**{**c, "pauses": tuple(Segment(**p) for p in c.get("pauses", ())),
                               "expect": tuple((k, v) for k, v in c.get("expect", ()))})
            for c in data.get("candidate", ())
        )
        return cls(
            language=data["language"], candidate=candidate,
            ai_audio=tuple(Segment(**s) for s in data.get("ai_audio", ())),
            ai_texts=tuple(data.get("ai_texts", ())), questions=tuple(data.get("questions", ())),
            resume_terms=tuple(data.get("resume_terms", ())),
            interview_complete=bool(data.get("interview_complete", False)), duration_s=data.get("duration_s"),
            dialogue=tuple(tuple(pair) for pair in data.get("dialogue", ())),
            resume_text=data.get("resume_text", ""),
            ai_lines=tuple(AiLine(**line) for line in data.get("ai_lines", ())),
            expectations_unplayed=int(data.get("expectations_unplayed", 0)),
        )


@dataclass
class MetricValues:
    """Run-level values by name, and per-turn (seq, name, value) rows."""

    run: dict[str, float] = field(default_factory=dict)
    turns: list[tuple[int, str, float]] = field(default_factory=list)

    def turn_values(self, name: str) -> list[float]:
        return [value for _, metric, value in self.turns if metric == name]


def resume_terms(resume: Any) -> tuple[str, ...]:
    """The skills and roles of a parsed resume: what a grounded question mentions."""
    return tuple(getattr(resume, "skills", ())) + tuple(getattr(resume, "roles", ()))


def compute_metrics(trace: RunTrace, *, judge: Judge | None = None,
                    max_reaction_s: float = DEFAULT_MAX_REACTION_S) -> MetricValues:
    """Compute every metric the trace supports; a metric without data is left out, not zero."""
    values = MetricValues()
    _timing(trace, values, max_reaction_s=max_reaction_s)
    for turn in trace.candidate:
        _put_turn(values, turn.seq, "stt_wer", turn_wer(turn.reference, turn.transcript))
    _put(values, "stt_wer_run", pooled_wer([(t.reference, t.transcript) for t in trace.candidate]))
    _put(values, "questions_asked", len(trace.questions))
    _put(values, "repeated_questions", repeated_questions(trace.questions))
    _put(values, "resume_grounding", resume_grounding(trace.questions, trace.resume_terms))
    _put(values, "language_consistency", language_consistency(trace.ai_texts, trace.language))
    _put(values, "ended_properly", 1.0 if trace.interview_complete else 0.0)
    _put(values, "duration_s", trace.duration_s)
    _behaviour(trace, values)
    if judge is not None:
        values.run.update(judge_scores(judge, trace.dialogue, language=trace.language, resume_text=trace.resume_text))
    return values


def _timing(trace: RunTrace, values: MetricValues, *, max_reaction_s: float) -> None:
    answers: Sequence[CandidateSpeech] = sorted(trace.candidate, key=lambda t: t.start)
    latencies = voice_to_voice_latencies([t.segment for t in answers], trace.ai_audio)
    line_starts = [line.start for line in trace.ai_lines if line.start is not None]
    to_line = times_to_next_line([t.segment for t in answers], line_starts, trace.ai_audio)
    for turn, latency, line_wait in zip(answers, latencies, to_line):
        _put_turn(values, turn.seq, "latency_s", latency)
        _put_turn(values, turn.seq, "time_to_question_s", line_wait)
        _put_turn(values, turn.seq, "no_response", 1.0 if latency is None else 0.0)
        for cut in false_cutoffs(turn.pauses, turn.end, trace.ai_audio, line_starts):
            _put_turn(values, turn.seq, "false_cutoff", 1.0 if cut else 0.0)
        if turn.barge_in:
            reaction = barge_in_reaction(turn.start, trace.ai_audio)
            _put_turn(values, turn.seq, "barge_in_reaction_s", reaction)
            if reaction is not None:
                _put_turn(values, turn.seq, "barge_in_ignored", 1.0 if reaction > max_reaction_s else 0.0)


def _behaviour(trace: RunTrace, values: MetricValues) -> None:
    """Question sources, follow-up grounding and scripted expectations (see behaviour.py)."""
    for seq, source in question_sources(trace.ai_lines):
        _put_turn(values, seq, "llm_question_share", 1.0 if source == "llm" else 0.0)
        _put_turn(values, seq, "fallback_share", 1.0 if source == "fallback" else 0.0)
    for seq, grounded in follow_up_grounding(trace.ai_lines, language=trace.language):
        _put_turn(values, seq, "followup_grounding", 1.0 if grounded else 0.0)
    for speech in trace.candidate:
        following = lines_after(speech.start, trace.ai_lines)
        for key, value in speech.expect:
            held = expectation_held(key, value, following=following)
            _put_turn(values, speech.seq, EXPECTATION_METRICS[key], None if held is None else float(held))
    if any(speech.expect for speech in trace.candidate) or trace.expectations_unplayed:
        _put(values, "expectations_unplayed", trace.expectations_unplayed)


def _put(values: MetricValues, name: str, value: float | None) -> None:
    if value is not None:
        values.run[name] = float(value)


def _put_turn(values: MetricValues, seq: int, name: str, value: float | None) -> None:
    if value is not None:
        values.turns.append((seq, name, float(value)))
