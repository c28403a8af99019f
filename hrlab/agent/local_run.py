"""Run one interview in-process: the real AgentSession and conductor, a scripted candidate, no LiveKit server."""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from hrlab.agent.candidate import Move, Reply, ScriptedCandidate
from hrlab.agent.components import Components
from hrlab.agent.conductor import Conductor, InterviewResult
from hrlab.agent.interviewer import Interviewer, build_session
from hrlab.agent.local_audio import AnswerMicrophone, BufferSpeaker
from hrlab.agent.messages import MemoryMessages
from hrlab.agent.options import InterviewOptions
from hrlab.agent.recorder import DatabaseRecorder
from hrlab.agent.turn_taking import turn_taking
from hrlab.domain.plan import InterviewMachine

log = logging.getLogger(__name__)


class LocalRunTimeout(TimeoutError):
    """The in-process interview did not finish in time."""


@dataclass
class LocalRun:
    """Everything one in-process interview left behind."""

    result: InterviewResult
    messages: MemoryMessages
    microphone: AnswerMicrophone
    speaker: BufferSpeaker
    conductor: Conductor


def default_timeout(moves: Sequence[Move], *, speed: float, options: InterviewOptions) -> float:
    """A generous wall-clock limit: the answers, a silence and a slow turn per move, plus the closing."""
    audio = sum(getattr(move, "answer").duration for move in moves if hasattr(move, "answer"))
    per_move = options.silence_timeout + options.llm_timeout + 20.0
    return 60.0 + (audio + per_move * (len(moves) + 2)) / max(speed, 1.0)


async def run_local_interview(
    *, machine: InterviewMachine, components: Components, moves: Sequence[Move], resume_id: int,
    options: InterviewOptions | None = None, recorder: DatabaseRecorder | None = None, speed: float = 1.0,
    timeout: float | None = None, metrics=None, clock: Callable[[], float] = time.time,
) -> LocalRun:
    """Play `moves` against the interviewer until the interview finishes; raises LocalRunTimeout."""
    options = options or InterviewOptions()
    sample_rate = next((m.answer.sample_rate for m in moves if isinstance(m, Reply)), 16000)
    microphone = AnswerMicrophone(sample_rate=sample_rate, speed=speed)
    speaker = BufferSpeaker(speed=speed)
    messages = MemoryMessages()
    hearing, turn_end, acknowledgements = turn_taking(components.turn, machine.prompts, options)
    session = build_session(stt=components.stt, tts=components.tts, vad=components.vad,
                            options=options.scaled(speed), turn_detector=turn_end, phrase_vad=components.phrase_vad)
    session.input.audio = microphone
    session.output.audio = speaker
    conductor = Conductor(machine=machine, completer=components.completer, sender=messages, options=options,
                          recorder=recorder, metrics=metrics, clock=clock,
                          log_extra={"resume_id": resume_id, "mode": "local"}, acknowledgements=acknowledgements)
    conductor.bind(session)
    candidate = ScriptedCandidate(moves, microphone=microphone, conductor=conductor, resume_id=resume_id,
                                  speed=speed)
    candidate.attach(session)
    limit = timeout if timeout is not None else default_timeout(moves, speed=speed, options=options)
    try:
        await session.start(Interviewer(conductor, hearing=hearing))
        conductor.session_started()
        candidate.press_start()
        try:
            result = await asyncio.wait_for(asyncio.shield(conductor.done), limit)
        except asyncio.TimeoutError:
            raise LocalRunTimeout(f"the in-process interview did not finish within {limit:.0f} s "
                                  f"(machine state {machine.state})") from None
    finally:
        await candidate.aclose()
        microphone.close()
        await session.aclose()
        await conductor.aclose()
    return LocalRun(result, messages, microphone, speaker, conductor)
