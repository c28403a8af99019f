"""The simulated candidate: a LiveKit participant (public `livekit` SDK) that plays a scenario.

It gets its token from the real interview API, joins the room, sends `start_interview`, and for
each scripted turn waits for the AI's next line that wants an answer (a question or a re-prompt:
repeat, re-ask, redirect, silence), then answers with recorded or synthesised
audio in real time (or stays silent, ends the interview, barges in, drops and rejoins). Everything
it sends, hears and receives is timestamped on one monotonic clock, starting when it first joins.
"""

from __future__ import annotations

import asyncio
import json
import logging
import time
from dataclasses import dataclass, field

import httpx
import numpy as np
from livekit import rtc

from hrlab.domain.protocol import TOPIC
from hrlab.lab.answer_audio import AnswerAudio
from hrlab.lab.hearing import Hearing
from hrlab.lab.scenario import CandidateTurn, Scenario

log = logging.getLogger(__name__)

SAMPLE_RATE = 16_000
FRAME_MS = 20
FRAME_SAMPLES = SAMPLE_RATE * FRAME_MS // 1000
# A short send queue keeps "speech ended" honest: the last frame leaves within ~60 ms of capture.
SOURCE_QUEUE_MS = 60


@dataclass(frozen=True)
class Event:
    """Something that happened, `t` seconds after the candidate first joined."""

    t: float
    kind: str  # message_in, message_out, speech_start, speech_end, joined, left, error
    detail: dict = field(default_factory=dict)


@dataclass(frozen=True)
class SpokenTurn:
    """One answer the candidate played: when, which scripted pauses, and what it said."""

    index: int
    start_s: float
    end_s: float
    pauses_s: tuple[tuple[float, float], ...]
    reference: str | None


@dataclass
class CandidateLog:
    """What the candidate did and heard during one interview."""

    room_name: str = ""
    events: list[Event] = field(default_factory=list)
    spoken: list[SpokenTurn] = field(default_factory=list)
    sent_audio: list[tuple[float, np.ndarray]] = field(default_factory=list)
    heard: Hearing = field(default_factory=Hearing)
    completed: bool = False

    def messages(self, direction: str = "message_in") -> list[Event]:
        """Protocol messages received (or sent, with direction='message_out'), in order."""
        return [e for e in self.events if e.kind == direction]


class SimulatedCandidate:
    """Plays one scenario against the interview API and a LiveKit room."""

    def __init__(self, *, api_url: str, resume_id: int, scenario: Scenario, answers: dict[int, AnswerAudio],
                 auth_headers: dict[str, str] | None = None, question_timeout_s: float = 90.0):
        self.api_url = api_url.rstrip("/")
        self.resume_id = resume_id
        self.scenario = scenario
        self.answers = answers
        self.auth_headers = auth_headers or {}
        self.question_timeout_s = question_timeout_s
        self.log = CandidateLog()
        self._t0 = 0.0
        self._inbox: asyncio.Queue[tuple[dict, int]] = asyncio.Queue()
        self._room: rtc.Room | None = None
        self._source: rtc.AudioSource | None = None
        # Counts of ai_speaking_start/end messages; `_changed` wakes whoever waits on them.
        self._starts = 0
        self._ends = 0
        self._changed = asyncio.Event()
        self._complete = asyncio.Event()
        self._answered_speech = 0  # the last AI speech (by count) a turn was played after

    def now(self) -> float:
        return time.monotonic() - self._t0

    async def run(self) -> CandidateLog:
        """Hold the whole interview; returns the log even when the interview ends early."""
        self._t0 = time.monotonic()
        try:
            await self._join()
            for turn in self.scenario.turns:
                if not await self._play(turn):
                    break
            if self._room is not None:
                await self._wait(self._complete.wait(), self.question_timeout_s)
        finally:
            await self._leave()
        self.log.completed = self._complete.is_set()
        return self.log

    # --- joining and leaving ------------------------------------------------------------------

    async def _token(self) -> dict:
        async with httpx.AsyncClient(base_url=self.api_url, timeout=10) as http:
            response = await http.post(f"/api/interview/{self.resume_id}/token", headers=self.auth_headers)
        if response.status_code != 200:
            raise RuntimeError(f"token request failed: {response.status_code} {response.text}")
        return response.json()

    async def _join(self) -> None:
        grant = await self._token()
        self.log.room_name = grant["roomName"]
        room = rtc.Room()
        room.on("data_received", self._on_data)
        room.on("track_subscribed", self._on_track)
        await room.connect(grant["serverUrl"], grant["token"])
        self._room = room
        self._record("joined", room=grant["roomName"])
        self._source = rtc.AudioSource(SAMPLE_RATE, 1, queue_size_ms=SOURCE_QUEUE_MS)
        track = rtc.LocalAudioTrack.create_audio_track("microphone", self._source)
        options = rtc.TrackPublishOptions(source=rtc.TrackSource.SOURCE_MICROPHONE)
        await room.local_participant.publish_track(track, options)
        # Like the spec's page: start_interview at once, without waiting for the interviewer to be here.
        await self._send({"type": "start_interview", "resumeId": self.resume_id})

    async def _leave(self) -> None:
        if self._room is not None:
            await self._room.disconnect()
            self._room = None
            self._record("left")
        if self._source is not None:
            await self._source.aclose()
            self._source = None
        await self.log.heard.close()

    # --- what comes in ------------------------------------------------------------------------

    def _on_data(self, packet: rtc.DataPacket) -> None:
        try:
            message = json.loads(packet.data.decode("utf-8"))
        except (UnicodeDecodeError, json.JSONDecodeError):
            self._record("error", reason="undecodable data message", topic=packet.topic)
            return
        if not isinstance(message, dict):
            return
        self._record("message_in", **message)
        kind = message.get("type")
        self._starts += kind == "ai_speaking_start"
        self._ends += kind == "ai_speaking_end"
        if kind == "interview_complete":
            self._complete.set()
        self._changed.set()
        # With each message, how many AI speeches had started when it came (see `_play`).
        self._inbox.put_nowait((message, self._starts))

    def _on_track(self, track: rtc.Track, _publication, participant: rtc.RemoteParticipant) -> None:
        if track.kind == rtc.TrackKind.KIND_AUDIO:
            self.log.heard.listen(track, clock=self.now, who=participant.identity)

    # --- what goes out ------------------------------------------------------------------------

    async def _send(self, message: dict) -> None:
        await self._room.local_participant.publish_data(json.dumps(message), reliable=True, topic=TOPIC)
        self._record("message_out", **message)

    async def _play(self, turn: CandidateTurn) -> bool:
        """Act out one turn; False when the interview is over."""
        starts_before = await self._next_prompt()
        if starts_before is None:
            return False
        # `question` comes before its audio: wait for that audio to start, then (unless barging in) end.
        await self._until(lambda: self._starts > starts_before)
        if turn.barge_in_after_ms is not None:
            await asyncio.sleep(turn.barge_in_after_ms / 1000)
        else:
            await self._until(lambda: self._ends >= self._starts)
            await asyncio.sleep(turn.delay_ms / 1000)
        if self._complete.is_set():
            return False  # that line was the closing: nothing more to answer
        # Whatever the AI has started saying by now is what this turn answers; only a later line prompts the next.
        self._answered_speech = max(self._answered_speech, self._starts)
        if turn.action == "answer":
            await self._speak(turn)
        elif turn.action == "silence":
            await asyncio.sleep(turn.silence_ms / 1000)
        elif turn.action == "end_interview":
            await self._send({"type": "end_interview", "resumeId": self.resume_id})
        elif turn.action == "drop":
            await self._drop(turn)
        return not self._complete.is_set()

    async def _next_prompt(self) -> int | None:
        """Wait for the next AI line that wants an answer: a `question`, or a speech with no `question` before it
        (a re-prompt: repeat, re-ask, redirect, silence). Returns the AI speech count before that line starts,
        or None when the interview is over. A closing is followed by `interview_complete`, checked in `_play`."""
        while True:
            item = await self._wait(self._inbox.get(), self.question_timeout_s)
            if item is None or item[0].get("type") == "interview_complete":
                return None
            kind, starts = item[0].get("type"), item[1]
            if kind == "question":
                self._answered_speech = starts + 1  # its audio is the next speech
                return starts
            if kind == "ai_speaking_start" and starts > self._answered_speech:
                self._answered_speech = starts
                return starts - 1

    async def _speak(self, turn: CandidateTurn) -> None:
        audio = self.answers[turn.index]
        start = self.now()
        self._record("speech_start", turn=turn.index)
        for offset in range(0, len(audio.pcm), FRAME_SAMPLES):
            chunk = audio.pcm[offset:offset + FRAME_SAMPLES]
            if len(chunk) < FRAME_SAMPLES:
                chunk = np.pad(chunk, (0, FRAME_SAMPLES - len(chunk)))
            self.log.sent_audio.append((self.now(), chunk))
            frame = rtc.AudioFrame(chunk.tobytes(), SAMPLE_RATE, 1, FRAME_SAMPLES)
            await self._source.capture_frame(frame)
        await self._source.wait_for_playout()
        end = self.now()
        self._record("speech_end", turn=turn.index)
        self.log.spoken.append(SpokenTurn(turn.index, start, end, audio.pauses_at(start), turn.reference_text))

    async def _drop(self, turn: CandidateTurn) -> None:
        """Vanish from the room; rejoin with a fresh token for the same room after the pause."""
        await self._room.disconnect()
        self._room = None
        self._record("left", dropped=True)
        if turn.rejoin_after_ms is None:
            return
        await asyncio.sleep(turn.rejoin_after_ms / 1000)
        await self._join()

    # --- helpers ------------------------------------------------------------------------------

    async def _until(self, condition) -> None:
        deadline = time.monotonic() + self.question_timeout_s
        while not condition() and not self._complete.is_set():
            self._changed.clear()
            if await self._wait(self._changed.wait(), max(0.0, deadline - time.monotonic())) is None:
                return

    def _record(self, kind: str, **detail) -> None:
        self.log.events.append(Event(self.now(), kind, detail))

    async def _wait(self, awaitable, timeout: float):
        try:
            return await asyncio.wait_for(awaitable, timeout)
        except asyncio.TimeoutError:
            self._record("error", reason=f"waited {timeout:.0f} s with nothing from the AI")
            return None
