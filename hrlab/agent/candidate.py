"""A scripted candidate for in-process interviews: reacts to the AI's speech by playing recorded answers."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Union

from livekit.agents import AgentSession
from livekit.agents.voice.events import AgentStateChangedEvent

from hrlab.agent.conductor import Conductor
from hrlab.agent.local_audio import Answer, AnswerMicrophone
from hrlab.domain.protocol import EndInterview, StartInterview


@dataclass(frozen=True)
class Reply:
    """Answer after the AI finishes the line, following a short pause (seconds of script time)."""

    answer: Answer
    pause: float = 0.3


@dataclass(frozen=True)
class Silence:
    """Say nothing to this line."""


@dataclass(frozen=True)
class BargeIn:
    """Start answering `after` seconds into the AI's line, talking over it."""

    answer: Answer
    after: float = 0.5


@dataclass(frozen=True)
class PressEnd:
    """Press the page's end button `after` seconds into the AI's line."""

    after: float = 0.5


@dataclass(frozen=True)
class SendPayload:
    """Send raw bytes as a data message `after` seconds into the next line; takes no turn of its own."""

    payload: bytes
    after: float = 0.1
    topic: str | None = "interview"


Move = Union[Reply, Silence, BargeIn, PressEnd, SendPayload]


class ScriptedCandidate:
    """Takes one move per line that invites an answer (opening, question, re-prompt); closings take none."""

    def __init__(self, moves: Sequence[Move], *, microphone: AnswerMicrophone, conductor: Conductor,
                 resume_id: int, speed: float = 1.0) -> None:
        self.moves = list(moves)
        self.microphone = microphone
        self.conductor = conductor
        self.resume_id = resume_id
        self.speed = speed
        self._waiting_reply: Reply | None = None
        self._hearing_acknowledgement = False
        self._tasks: set[asyncio.Task[None]] = set()

    def attach(self, session: AgentSession) -> None:
        """Follow the AI's speaking state."""
        session.on("agent_state_changed", self._on_agent_state)

    def press_start(self) -> None:
        """Send the page's start_interview message."""
        self.conductor.on_payload(StartInterview(self.resume_id).encode(), "interview")

    def _on_agent_state(self, ev: AgentStateChangedEvent) -> None:
        # "Mm-hm." is not a line to answer, as the page knows: it gets no ai_speaking_start for it.
        if ev.new_state == "speaking" and self.conductor.acknowledging():
            self._hearing_acknowledgement = True
        elif ev.old_state == "speaking" and self._hearing_acknowledgement:
            self._hearing_acknowledgement = False
        elif ev.new_state == "speaking":
            self._on_line_started()
        elif ev.old_state == "speaking" and self._waiting_reply is not None:
            reply, self._waiting_reply = self._waiting_reply, None
            self._later(reply.pause, lambda: self.microphone.play(reply.answer))

    def _on_line_started(self) -> None:
        line = self.conductor.latest_line
        if line is None or line.say.kind == "closing" or not self.moves:
            return
        while self.moves and isinstance(self.moves[0], SendPayload):
            extra = self.moves.pop(0)
            self._later(extra.after, lambda extra=extra: self.conductor.on_payload(extra.payload, extra.topic))
        if not self.moves:
            return
        move = self.moves.pop(0)
        if isinstance(move, Reply):
            self._waiting_reply = move
        elif isinstance(move, BargeIn):
            self._later(move.after, lambda: self.microphone.play(move.answer))
        elif isinstance(move, PressEnd):
            self._later(move.after, lambda: self.conductor.on_payload(EndInterview(self.resume_id).encode(), None))

    def _later(self, delay: float, action) -> None:
        async def run() -> None:
            await asyncio.sleep(delay / self.speed)
            action()

        task = asyncio.get_event_loop().create_task(run())
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def aclose(self) -> None:
        """Cancel pending moves."""
        for task in list(self._tasks):
            task.cancel()
        await asyncio.gather(*self._tasks, return_exceptions=True)
