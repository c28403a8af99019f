"""Play scenarios x variants x repeats through live LiveKit rooms and write every run to DuckDB.

A run that fails is a row with its error; the batch goes on. Ctrl-C stops the batch, marks the
runs in flight as interrupted and keeps every finished one; `resume=True` skips finished runs.
"""

from __future__ import annotations

import asyncio
import logging
import subprocess
import time
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Awaitable, Callable

from sqlalchemy import select

from hrlab.lab.answer_audio import AnswerAudio, answer_audio
from hrlab.lab.assessment_metrics import SESSION_EVENT
from hrlab.lab.candidate import CandidateLog, SimulatedCandidate
from hrlab.lab.hearing import SAMPLE_RATE, place_on_clock
from hrlab.lab.live_stack import LiveStack
from hrlab.lab.metrics.behaviour import line_grounding
from hrlab.lab.paths import default_synthesis_cache
from hrlab.lab.recording import write_stereo_wav
from hrlab.lab.scenario import Scenario
from hrlab.lab.store import RunLog, RunRecorder
from hrlab.lab.suite import run_config, run_config_hash
from hrlab.lab.synthesis import Synthesizer
from hrlab.lab.trace import AgentTurn, answer_turns, build_trace, to_candidate_clock
from hrlab.lab.variant import Variant
from hrlab.resume_import import import_resume_file
from hrlab.store import resumes
from hrlab.store.models import InterviewSession, InterviewTurn
from hrlab.store.sessions import open_or_reuse

log = logging.getLogger(__name__)

# The agent commits the outcome as the interview ends (the assessment is queued, not waited for); a
# candidate who dropped out is only given up after the agent's disconnect grace period (20 s).
AGENT_SETTLE_TIMEOUT_S = 60.0


@dataclass(frozen=True)
class RunSpec:
    """One run to do."""

    suite: str
    scenario: Scenario
    variant: Variant
    repeat: int

    @property
    def key(self) -> tuple[str, str, str, int]:
        return (self.suite, self.scenario.name, self.variant.name, self.repeat)


@dataclass
class BatchResult:
    """What a batch did: run ids by status."""

    ok: list[str] = field(default_factory=list)
    error: list[str] = field(default_factory=list)
    interrupted: list[str] = field(default_factory=list)
    skipped: int = 0


def git_commit() -> str | None:
    """The repo's current commit, when it is a git checkout."""
    try:
        out = subprocess.run(["git", "rev-parse", "--short=12", "HEAD"], capture_output=True, text=True, timeout=5)
    except OSError:
        return None
    return out.stdout.strip() or None


def prepare_answers(scenario: Scenario, *, synthesizer: Synthesizer | None, cache_dir: Path) -> dict[int, AnswerAudio]:
    """Every answer's audio, loaded (or synthesised and cached) before the room is joined."""
    return {
        turn.index: answer_audio(turn, language=scenario.language, synthesizer=synthesizer, cache_dir=cache_dir)
        for turn in scenario.turns if turn.action == "answer"
    }


def _import_resume(stack: LiveStack, scenario: Scenario) -> int:
    if scenario.resume.path is not None:
        from hrlab.lab.paths import resolve_repo_path

        result = import_resume_file(stack.database, resolve_repo_path(scenario.resume.path))
        if result.status != "parsed":
            raise ValueError(f"{scenario.file}: resume: {result.failure_reason}")
        return result.resume_id
    with stack.database.session(write=True) as session:
        return resumes.add_parsed(session, scenario.parsed_resume(), source_name=f"{scenario.name}.inline").id


def _open_session(stack: LiveStack, resume_id: int, variant: Variant) -> int:
    """Open the interview session ahead of the candidate, so the agent finds the variant on it."""
    settings = stack.settings
    with stack.database.session(write=True) as session:
        opened = open_or_reuse(session, resume_id, max_live=settings.max_live_sessions,
                               pending_window=timedelta(seconds=settings.token_ttl_seconds))
        session.get(InterviewSession, opened.session_id).variant = variant.name
        return opened.session_id


async def _agent_turns(stack: LiveStack, session_id: int, *, joined_at: datetime) -> tuple[list[AgentTurn], str]:
    """The agent's stored turns once it has closed the session (or after the settle timeout)."""
    deadline = time.monotonic() + AGENT_SETTLE_TIMEOUT_S
    status = "running"
    while time.monotonic() < deadline:
        with stack.database.session() as session:
            status = session.get(InterviewSession, session_id).status
        if status in ("completed", "ended"):
            break
        await asyncio.sleep(0.25)
    with stack.database.session() as session:
        rows = session.scalars(
            select(InterviewTurn).where(InterviewTurn.session_id == session_id).order_by(InterviewTurn.seq)
        ).all()
        turns = [
            AgentTurn(seq=row.seq, speaker=row.speaker, text=row.text,
                      start_s=to_candidate_clock(row.started_at, joined_at=joined_at),
                      end_s=to_candidate_clock(row.ended_at, joined_at=joined_at),
                      stt_ms=row.stt_ms, llm_ms=row.llm_ms, tts_ms=row.tts_ms, kind=row.kind)
            for row in rows
        ]
    return turns, status


def write_recording(path: Path, candidate_log: CandidateLog) -> Path:
    """A stereo WAV on the candidate's clock: left what it said, right what it heard."""
    said = place_on_clock([(t + len(pcm) / SAMPLE_RATE, pcm) for t, pcm in candidate_log.sent_audio])
    return write_stereo_wav(path, candidate=said, ai=candidate_log.heard.track())


def _seconds(ms: float | None) -> float | None:
    return None if ms is None else ms / 1000


def _record_candidate(recorder: RunRecorder, candidate_log: CandidateLog, audio_path: Path) -> None:
    """The candidate's timeline (protocol messages, its own speech, joins) and the recording."""
    for event in candidate_log.events:
        if event.kind in ("message_in", "message_out"):
            direction = "received" if event.kind == "message_in" else "sent"
            recorder.add_event(t_s=event.t, direction=direction, type=str(event.detail.get("type")),
                               payload=event.detail)
        else:
            recorder.add_event(t_s=event.t, direction="local", type=event.kind, payload=event.detail)
    recorder.add_audio(audio_path)


def _record_turns(recorder: RunRecorder, spec: RunSpec, candidate_log: CandidateLog, turns: list[AgentTurn]) -> None:
    """Turns (the AI's as the agent stored them, the candidate's as scripted and as heard) and metrics."""
    trace = build_trace(candidate_log, scenario=spec.scenario, agent_turns=turns)
    rows = [dict(who="ai", text=line.text, start_s=turn.start_s, end_s=turn.end_s, llm_s=_seconds(turn.llm_ms),
                 tts_s=_seconds(turn.tts_ms), kind=line.kind, line=line)
            for turn, line in zip([t for t in turns if t.speaker == "ai"], trace.ai_lines)]
    for speech in trace.candidate:
        heard_stt = [t.stt_ms for t in answer_turns(speech.start, speech.end, turns) if t.stt_ms is not None]
        rows.append(dict(who="candidate", text=speech.transcript, reference=speech.reference, start_s=speech.start,
                         end_s=speech.end, stt_s=_seconds(max(heard_stt)) if heard_stt else None, speech=speech))
    rows.sort(key=lambda row: row["start_s"] if row["start_s"] is not None else float("inf"))
    speeches, lines = [], []
    for seq, row in enumerate(rows, start=1):
        speech, line = row.pop("speech", None), row.pop("line", None)
        if speech is not None:  # per-turn metrics are keyed by the turn's seq in the run log
            speeches.append(replace(speech, seq=seq))
        if line is not None:
            lines.append(replace(line, seq=seq))
            row["grounded"] = line_grounding(line, language=spec.scenario.language)
        recorder.add_turn(seq=seq, **row)
    trace = replace(trace, candidate=tuple(speeches), ai_lines=tuple(lines))
    recorder.add_trace(trace)


async def run_live(spec: RunSpec, *, stack: LiveStack, runlog: RunLog, voices, out_dir: Path) -> tuple[str, str]:
    """Play one run in a live room and log it; returns (run_id, status). Never raises for a failed run."""
    recorder = runlog.start_run(
        suite=spec.suite, scenario=spec.scenario.name, variant=spec.variant.name, repeat=spec.repeat,
        git_commit=git_commit(), config_hash=run_config_hash(spec.scenario, spec.variant), transport="livekit",
        language=spec.scenario.language, config=run_config(spec.scenario, spec.variant),
    )
    try:
        await asyncio.to_thread(stack.ensure_worker)
        synthesizer = voices.for_language(spec.scenario.language) if voices else None
        answers = await asyncio.to_thread(prepare_answers, spec.scenario, synthesizer=synthesizer,
                                          cache_dir=default_synthesis_cache())
        resume_id = _import_resume(stack, spec.scenario)
        session_id = _open_session(stack, resume_id, spec.variant)
        recorder.add_event(t_s=0.0, direction="local", type=SESSION_EVENT, payload={"sessionId": session_id})
        candidate = SimulatedCandidate(api_url=stack.api_url, resume_id=resume_id, scenario=spec.scenario,
                                       answers=answers, auth_headers=stack.invite_headers(resume_id))
        await stack.join_turn()
        joined_at = datetime.now(timezone.utc)
        try:
            await asyncio.wait_for(candidate.run(), spec.scenario.timeout_s)
        finally:  # what the candidate saw is kept even when the run fails
            audio = write_recording(out_dir / "audio" / f"{recorder.run_id}.wav", candidate.log)
            _record_candidate(recorder, candidate.log, audio)
        turns, status = await _agent_turns(stack, session_id, joined_at=joined_at)
        _record_turns(recorder, spec, candidate.log, turns)
        if status not in ("completed", "ended"):
            raise RuntimeError(f"the agent left session {session_id} in status {status!r}")
        await asyncio.to_thread(recorder.finish_ok)  # one DuckDB transaction; keep other rooms' audio flowing
        return recorder.run_id, "ok"
    except asyncio.CancelledError:
        recorder.finish_interrupted()
        raise
    except Exception as error:  # a failed run is data, never a crashed batch
        log.exception("run %s failed", recorder.run_id)
        recorder.finish_error(error)
        return recorder.run_id, "error"


async def run_batch(specs: list[RunSpec], *, run_one: Callable[[RunSpec], Awaitable[tuple[str, str]]],
                    runlog: RunLog, concurrency: int = 1, resume: bool = False,
                    progress: Callable[[str, str], None] | None = None) -> BatchResult:
    """Run specs N at a time with `run_one` (live or in-process); `progress(run_id, status)` as each ends."""
    result = BatchResult()
    if resume:
        done = set().union(*(runlog.finished_keys(s) for s in {spec.suite for spec in specs}))
        result.skipped = sum(spec.key in done for spec in specs)
        specs = [spec for spec in specs if spec.key not in done]
    gate = asyncio.Semaphore(max(1, concurrency))

    async def one(spec: RunSpec) -> None:
        async with gate:
            try:
                run_id, status = await run_one(spec)
            except asyncio.CancelledError:
                result.interrupted.append(spec.scenario.name)
                raise
            getattr(result, status).append(run_id)
            if progress:
                progress(run_id, status)

    await asyncio.gather(*(one(spec) for spec in specs))
    return result
