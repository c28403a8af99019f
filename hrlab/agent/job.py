"""One interview job in a LiveKit room: read the dispatch, load the resume, join, run the conductor."""

from __future__ import annotations

import asyncio
import json
import logging
import threading
import time
from dataclasses import dataclass

from livekit import rtc
from livekit.agents import JobContext
from livekit.agents.voice.room_io import AudioInputOptions, RoomOptions

from hrlab.agent.components import components_for, resume_keyterms
from hrlab.agent.conductor import Conductor
from hrlab.agent.interviewer import Interviewer, build_session
from hrlab.agent.messages import RoomMessages
from hrlab.agent.observability import AgentMetrics
from hrlab.agent.options import InterviewOptions
from hrlab.agent.recorder import AssessmentRequest, DatabaseRecorder
from hrlab.agent.start import StartWhenReady
from hrlab.agent.turn_taking import turn_taking
from hrlab.agent.variants import VariantResolver, prompts_only
from hrlab.domain.plan import Budget, InterviewMachine, InterviewPlan
from hrlab.errors import HrlabError, InvalidInput
from hrlab.prompts import load_prompt_set
from hrlab.providers import ModelRegistry
from hrlab.providers.whisper_stt import SAMPLE_RATE
from hrlab.store import interviews
from hrlab.store.db import Database

log = logging.getLogger(__name__)

# Jobs run in threads of one worker process. Two of them connecting at the same instant have crashed the
# whole worker (livekit FFI panic: "timed out waiting for ReadyForRoomEventRequest after ConnectCallback"),
# ending every interview it held; a server may dispatch two jobs at once, so connects take turns.
_CONNECTING = threading.Lock()


# The candidate's audio as every listener here takes it (Silero VAD, Smart Turn, Whisper: 16 kHz), so RoomIO's
# one resampler is the only one; and without RoomIO's automatic gain control, an AudioProcessingModule call
# per 10 ms frame: the browser's getUserMedia applies its own by default, and Whisper normalises its input.
CANDIDATE_AUDIO = AudioInputOptions(sample_rate=SAMPLE_RATE, auto_gain_control=False)


@dataclass(frozen=True)
class Dispatch:
    """What the API's token asked for: `{"sessionId", "resumeId", "language"}` in the dispatch metadata."""

    session_id: int
    resume_id: int
    language: str | None

    @classmethod
    def parse(cls, metadata: str) -> Dispatch:
        """Read the dispatch metadata JSON; InvalidInput names what is missing or wrong."""
        try:
            body = json.loads(metadata or "")
        except json.JSONDecodeError as exc:
            raise InvalidInput(f"dispatch metadata is not JSON: {exc.msg}") from None
        if not isinstance(body, dict):
            raise InvalidInput("dispatch metadata must be a JSON object")
        ids = {}
        for key in ("sessionId", "resumeId"):
            value = body.get(key)
            if isinstance(value, str) and value.isdigit():
                value = int(value)
            if isinstance(value, bool) or not isinstance(value, int) or value < 1:
                raise InvalidInput(f"dispatch metadata needs a positive integer {key}, got {value!r}")
            ids[key] = value
        language = body.get("language")
        if language is not None and language not in ("en", "ru"):
            raise InvalidInput(f"dispatch metadata language must be 'en' or 'ru', got {language!r}")
        return cls(ids["sessionId"], ids["resumeId"], language)


@dataclass
class JobServices:
    """What every job of one worker process shares."""

    database: Database
    registry: ModelRegistry
    metrics: AgentMetrics
    options: InterviewOptions
    budget: Budget | None = None
    providers: dict | None = None
    resolve_variant: VariantResolver = prompts_only


async def run_interview_job(ctx: JobContext, services: JobServices) -> None:
    """The job entrypoint: one interview from dispatch to the stored outcome."""
    begun = time.perf_counter()
    extra = {"job_id": ctx.job.id, "room": ctx.job.room.name}
    try:
        dispatch = Dispatch.parse(ctx.job.metadata)
        target = await asyncio.to_thread(_load, services.database, dispatch)
    except HrlabError as exc:
        log.error("interview job refused: %s", exc.message, extra=extra)
        ctx.shutdown(reason=f"refused: {exc.message}")
        return
    extra.update(session_id=target.session_id, resume_id=target.resume_id)
    language = dispatch.language or target.language
    try:
        variant = services.resolve_variant(target.variant, language)
        machine = _machine(target, language=language, budget=variant.budget or services.budget, prompts=variant.prompts)
    except HrlabError as exc:
        log.error("interview job refused: variant %r: %s", target.variant, exc.message, extra=extra)
        ctx.shutdown(reason=f"refused: {exc.message}")
        return
    options = variant.interview_options(services.options)
    providers = {**(services.providers or {}), **(variant.providers or {})}
    components = await asyncio.to_thread(components_for, services.registry, language, providers=providers,
                                         keyterms=resume_keyterms(target.resume), options=options)
    await _connect_in_turn(ctx)
    log.info("joined room", extra={**extra, "connect_s": round(time.perf_counter() - begun, 3)})
    messages = RoomMessages(ctx.room)
    assessing = components.providers.get("assessment", components.providers["llm"])
    recorder = DatabaseRecorder(services.database, target.session_id,
                                assessment=AssessmentRequest(llm=assessing, prompts=variant.prompts))
    hearing, turn_end, acknowledgements = turn_taking(components.turn, machine.prompts, options)
    conductor = Conductor(machine=machine, completer=components.completer, sender=messages,
                          options=options, recorder=recorder, metrics=services.metrics, log_extra=extra,
                          acknowledgements=acknowledgements)
    stop_listening = messages.listen(conductor.on_payload)
    session = build_session(stt=components.stt, tts=components.tts, vad=components.vad, options=options,
                            turn_detector=turn_end, phrase_vad=components.phrase_vad)
    conductor.bind(session)
    await session.start(Interviewer(conductor, hearing=hearing), room=ctx.room,
                        room_options=RoomOptions(close_on_disconnect=False, text_input=False,
                                                 audio_input=CANDIDATE_AUDIO))
    conductor.session_started()
    participant = await ctx.wait_for_participant()
    services.metrics.connect_seconds.observe(time.perf_counter() - begun)
    log.info("candidate present", extra={**extra, "identity": participant.identity})
    _follow_candidate(ctx.room, participant.identity, conductor)
    starter = StartWhenReady(ctx.room, participant, conductor, grace=options.start_grace, wait=options.start_wait)
    starter.arm()
    ctx.add_shutdown_callback(lambda reason: _abandon(conductor, reason))
    result = await conductor.done
    starter.cancel()
    stop_listening()
    log.info("interview stored", extra={**extra, "end_reason": result.end_reason, "status": result.status})
    await conductor.aclose()
    await session.aclose()
    ctx.shutdown(reason=f"interview {result.end_reason}")


async def _connect_in_turn(ctx: JobContext) -> None:
    """Join the room, one job of this process at a time (see _CONNECTING)."""
    while not _CONNECTING.acquire(blocking=False):  # polled, so a job cancelled while waiting holds nothing
        await asyncio.sleep(0.05)
    try:
        await ctx.connect()
    finally:
        _CONNECTING.release()


def _load(database: Database, dispatch: Dispatch) -> interviews.InterviewTarget:
    with database.session() as session:
        return interviews.load_target(session, session_id=dispatch.session_id, resume_id=dispatch.resume_id)


def _machine(target: interviews.InterviewTarget, *, language: str, budget: Budget | None,
             prompts: str) -> InterviewMachine:
    plan = InterviewPlan.from_resume(target.resume, budget=budget, language=language, resume_id=target.resume_id)
    return InterviewMachine(plan, load_prompt_set(prompts, language))


def _follow_candidate(room: rtc.Room, identity: str, conductor: Conductor) -> None:
    def left(participant: rtc.RemoteParticipant) -> None:
        if participant.identity == identity:
            conductor.candidate_left()

    def joined(participant: rtc.RemoteParticipant) -> None:
        if participant.identity == identity:
            conductor.candidate_returned()

    room.on("participant_disconnected", left)
    room.on("participant_connected", joined)



async def _abandon(conductor: Conductor, reason: str) -> None:
    """The job is shutting down (room closed, worker stopping): store what happened so far."""
    if conductor.done.done():
        return
    log.warning("job shutting down mid-interview (%s)", reason, extra=conductor.extra)
    conductor.options = InterviewOptions(**{**conductor.options.__dict__, "disconnect_grace": 0.0})
    conductor.candidate_left()
    try:
        await asyncio.wait_for(asyncio.shield(conductor.done), 30.0)
    except asyncio.TimeoutError:
        log.error("could not store the interview before shutdown", extra=conductor.extra)
