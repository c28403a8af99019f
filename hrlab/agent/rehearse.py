"""Rehearse an interview in-process: WAV answers in, the AI's audio to a buffer, the real models in between."""

from __future__ import annotations

import json
import time
import wave
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from hrlab.agent.assessment_queue import AssessmentQueue, QueueOptions
from hrlab.agent.candidate import Reply
from hrlab.agent.components import Components, components_for, resume_keyterms
from hrlab.agent.local_audio import read_answer
from hrlab.agent.local_run import LocalRun, run_local_interview
from hrlab.agent.options import InterviewOptions
from hrlab.agent.recorder import AssessmentRequest, DatabaseRecorder
from hrlab.domain.language import LANGUAGES
from hrlab.domain.plan import Budget, InterviewMachine, InterviewPlan
from hrlab.errors import InvalidInput
from hrlab.prompts import load_prompt_set
from hrlab.providers import ModelRegistry
from hrlab.store import interviews
from hrlab.store.db import Database
from hrlab.store.models import InterviewSession
from hrlab.store.resumes import as_parsed, get_resume


@dataclass(frozen=True)
class DialogueLine:
    """One line of the rehearsal, times in seconds from the start of the first AI audio."""

    speaker: str
    text: str
    start: float
    end: float | None
    kind: str | None = None
    question_number: int | None = None
    source: str | None = None
    label: str | None = None  # an AI line's kind:source:reaction (domain/turn_kinds.py)

    def to_json(self) -> dict:
        return {k: v for k, v in self.__dict__.items() if v is not None}


@dataclass(frozen=True)
class TurnLatency:
    """One answer's latencies in seconds: voice-to-voice and the framework's per-stage figures."""

    answer: str
    voice_to_voice: float | None  # end of the candidate's audio -> first AI audio sample played
    stt: float | None
    end_of_turn: float | None
    llm: float | None
    tts_first_audio: float | None

    def to_json(self) -> dict:
        return dict(self.__dict__)


@dataclass(frozen=True)
class RehearsalResult:
    """What a rehearsal produced; the files it wrote are `audio_path` and `transcript_path`."""

    session_id: int
    language: str
    end_reason: str
    dialogue: tuple[DialogueLine, ...]
    latencies: tuple[TurnLatency, ...]
    messages: tuple[dict, ...]
    assessment: dict
    audio_path: Path
    transcript_path: Path
    wall_seconds: float
    providers: dict

    def to_json(self) -> dict:
        """The JSON transcript written to `transcript_path`."""
        return {
            "sessionId": self.session_id, "language": self.language, "endReason": self.end_reason,
            "providers": self.providers, "wallSeconds": round(self.wall_seconds, 3),
            "dialogue": [line.to_json() for line in self.dialogue],
            "latencies": [item.to_json() for item in self.latencies],
            "messages": list(self.messages), "assessment": self.assessment,
        }


async def rehearse(
    *, database: Database, resume_id: int, answers: Sequence[Path], language: str | None = None,
    variant: str = "default", registry: ModelRegistry | None = None, speed: float = 1.0, out_dir: Path,
    options: InterviewOptions | None = None, components: Components | None = None,
    providers: dict[str, str] | None = None,
) -> RehearsalResult:
    """Interview the stored resume with recorded answers (one per question); writes WAV + JSON to out_dir.

    `providers` overrides the offline defaults per kind (components.py), unless `components` are given."""
    if not answers:
        raise InvalidInput("a rehearsal needs at least one answer WAV file")
    if not speed > 0:
        raise InvalidInput(f"speed must be positive, got {speed!r}")
    recorded = [read_answer(Path(path)) for path in answers]
    with database.session() as session:
        parsed = as_parsed(get_resume(session, resume_id))
    language = language or parsed.language
    if language not in LANGUAGES:
        raise InvalidInput(f"language must be one of {', '.join(LANGUAGES)}, got {language!r}")
    plan = InterviewPlan.from_resume(parsed, budget=Budget(max_questions=len(recorded)), language=language,
                                     resume_id=resume_id)
    machine = InterviewMachine(plan, load_prompt_set(variant, language))
    with database.session(write=True) as session:
        session_id = interviews.open_rehearsal(session, resume_id=resume_id, language=language, variant=variant,
                                               now=time.time())
    if components is None:
        components = components_for(registry or ModelRegistry(), language, providers=providers,
                                    keyterms=resume_keyterms(parsed), options=options)
    started = time.perf_counter()
    request = AssessmentRequest(llm=components.providers.get("llm", "none"), prompts=variant)
    recorder = DatabaseRecorder(database, session_id, assessment=request)
    run = await run_local_interview(
        machine=machine, components=components, moves=[Reply(answer) for answer in recorded],
        resume_id=resume_id, options=options, recorder=recorder, speed=speed,
    )
    assessment = await assess_now(database, session_id, components.completer, options=options)
    return _write_result(run, assessment, session_id=session_id, language=language, out_dir=Path(out_dir),
                         wall_seconds=time.perf_counter() - started, providers=components.providers)


async def assess_now(database: Database, session_id: int, completer, *, options: InterviewOptions | None) -> dict:
    """Run a finished rehearsal's queued assessment here, with the rehearsal's own model; its ai_feedback."""
    timeout = (options or InterviewOptions()).assessment_timeout
    queue = AssessmentQueue(database, lambda _llm: completer, options=QueueOptions(timeout=timeout))
    await queue.run_pending(session_id=session_id)
    with database.session() as session:
        return json.loads(session.get(InterviewSession, session_id).ai_feedback or "{}")


def _write_result(run: LocalRun, assessment: dict, *, session_id: int, language: str, out_dir: Path,
                  wall_seconds: float, providers: dict) -> RehearsalResult:
    out_dir.mkdir(parents=True, exist_ok=True)
    audio_path, transcript_path = out_dir / "interviewer.wav", out_dir / "transcript.json"
    pcm, rate = run.speaker.audio()
    with wave.open(str(audio_path), "wb") as wav:
        wav.setnchannels(1)
        wav.setsampwidth(2)
        wav.setframerate(rate)
        wav.writeframes(pcm)
    result = RehearsalResult(
        session_id=session_id, language=language, end_reason=run.result.end_reason, dialogue=dialogue(run),
        latencies=turn_latencies(run), messages=tuple(item.to_json() for item in run.messages.sent),
        assessment=assessment, audio_path=audio_path, transcript_path=transcript_path,
        wall_seconds=wall_seconds, providers=dict(providers),
    )
    transcript_path.write_text(json.dumps(result.to_json(), ensure_ascii=False, indent=2), encoding="utf-8")
    return result


def dialogue(run: LocalRun) -> tuple[DialogueLine, ...]:
    """AI lines and candidate answers in time order, relative to the first AI audio."""
    spoken = run.conductor.spoken
    origin = min([line.first_audio_at or line.requested_at for line in spoken] or [0.0])
    lines = [DialogueLine("ai", line.say.text, (line.first_audio_at or line.requested_at) - origin,
                          None if line.ended_at is None else line.ended_at - origin, kind=line.say.kind,
                          question_number=line.say.question_number, source=line.say.source,
                          label=line.say.label) for line in spoken]
    lines += [DialogueLine("candidate", turn.text, turn.started_at - origin,
                           None if turn.ended_at is None else turn.ended_at - origin) for turn in run.result.answers]
    return tuple(sorted(lines, key=lambda line: line.start))


def turn_latencies(run: LocalRun) -> tuple[TurnLatency, ...]:
    """Per answer: end of its audio to the next AI audio, with the stage figures of that turn."""
    out = []
    answers = list(run.result.answers)
    for played in run.microphone.played:
        if played.ended_at is None:
            continue
        reply = next((line for line in run.conductor.spoken
                      if line.first_audio_at is not None and line.first_audio_at > played.ended_at), None)
        heard = next((turn for turn in answers if turn.ended_at is not None and turn.ended_at >= played.started_at
                      - 0.5), None)
        report = {}
        if heard is not None:
            report = run.conductor.answer_reports[run.conductor.answers.index(heard)]
            answers.remove(heard)
        out.append(TurnLatency(
            answer=played.source,
            voice_to_voice=None if reply is None else reply.first_audio_at - played.ended_at,
            stt=None if heard is None or heard.stt_ms is None else heard.stt_ms / 1000.0,
            end_of_turn=report.get("end_of_turn_delay"),
            llm=None if reply is None or reply.llm_ms is None else reply.llm_ms / 1000.0,
            tts_first_audio=None if reply is None or reply.tts_ms is None else reply.tts_ms / 1000.0,
        ))
    return tuple(out)


def summary_text(result: RehearsalResult) -> str:
    """A readable summary for the CLI: the dialogue with times, latencies per answer, where files went."""
    lines = [f"Rehearsal of interview session {result.session_id} ({result.language}): {result.end_reason}, "
             f"{result.wall_seconds:.0f} s wall"]
    for line in result.dialogue:
        who = "AI" if line.speaker == "ai" else "Candidate"
        tag = f" [{line.kind}{', ' + line.source if line.source and line.kind == 'question' else ''}]" \
            if line.speaker == "ai" else ""
        lines.append(f"  {line.start:7.2f}s {who}{tag}: {line.text}")
    lines.append("Latency per answer (s): voice-to-voice | STT | end of turn | LLM | TTS first audio")
    for item in result.latencies:
        cells = [item.voice_to_voice, item.stt, item.end_of_turn, item.llm, item.tts_first_audio]
        figures = " | ".join("-" if v is None else f"{v:.2f}" for v in cells)
        lines.append(f"  {figures}  ({Path(item.answer).name})")
    lines.append(f"Assessment: {result.assessment.get('recommendation')} ({result.assessment.get('source')})")
    lines.append(f"Files: {result.audio_path}, {result.transcript_path}")
    return "\n".join(lines)
