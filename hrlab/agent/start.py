"""When the interview starts: on `start_interview`, or once the candidate is evidently ready without it.

A LiveKit server delivers a data packet only to the participants in the room when it arrives. The
spec's page sends `start_interview` right after connecting, which is often before the agent has joined,
so the agent cannot rely on hearing it. It starts at the first of:
- the page's `start_interview` (handled by the conductor as any data message);
- `grace` seconds after the candidate is in the room with a published microphone (it may have sent
  `start_interview` before we were here; the grace lets one sent just after the microphone arrive);
- `wait` seconds after the candidate is in the room, microphone or not.
"""

from __future__ import annotations

import asyncio
import logging
from typing import TYPE_CHECKING

from livekit import rtc

if TYPE_CHECKING:
    from hrlab.agent.conductor import Conductor

log = logging.getLogger(__name__)


def has_microphone(participant: rtc.RemoteParticipant) -> bool:
    """Whether the participant publishes a microphone track now."""
    return any(pub.source == rtc.TrackSource.SOURCE_MICROPHONE for pub in participant.track_publications.values())


class StartWhenReady:
    """Starts the conductor's interview once the candidate is ready; see the module docstring."""

    def __init__(self, room: rtc.Room, participant: rtc.RemoteParticipant, conductor: Conductor, *,
                 grace: float, wait: float) -> None:
        self._room = room
        self._identity = participant.identity
        self._conductor = conductor
        self._grace = grace
        self._wait = wait
        self._timers: list[asyncio.TimerHandle] = []
        self._starting: asyncio.Task | None = None

    def arm(self) -> None:
        """Begin watching; call once the session runs and the candidate is present."""
        loop = asyncio.get_event_loop()
        self._timers.append(loop.call_later(self._wait, self._start, f"no microphone after {self._wait:.0f} s"))
        participant = self._room.remote_participants.get(self._identity)
        if participant is not None and has_microphone(participant):
            self._microphone_ready()
        else:
            self._room.on("track_published", self._on_track_published)

    def cancel(self) -> None:
        """Stop watching (the interview is over or started)."""
        for timer in self._timers:
            timer.cancel()
        self._timers.clear()
        self._room.off("track_published", self._on_track_published)

    def _on_track_published(self, publication: rtc.RemoteTrackPublication, participant: rtc.RemoteParticipant) -> None:
        if participant.identity == self._identity and publication.source == rtc.TrackSource.SOURCE_MICROPHONE:
            self._room.off("track_published", self._on_track_published)
            self._microphone_ready()

    def _microphone_ready(self) -> None:
        reason = f"candidate's microphone is live, no start_interview within {self._grace:.1f} s"
        self._timers.append(asyncio.get_event_loop().call_later(self._grace, self._start, reason))

    def _start(self, reason: str) -> None:
        if self._conductor.machine.state == "waiting":
            log.info("starting the interview: %s", reason, extra=self._conductor.extra)
            self._starting = asyncio.get_event_loop().create_task(self._conductor.start())
        self.cancel()
