"""A room: its participants, who hears whom, and the updates everyone is told about."""

from __future__ import annotations

import asyncio
import logging
import time
from typing import Callable

from livekit.protocol import models, rtc
from livekit.protocol import room as room_pb

from hrlab.devserver.ids import new_sid
from hrlab.devserver.media import AudioFeed
from hrlab.devserver.participant import Participant

log = logging.getLogger(__name__)

DEFAULT_EMPTY_TIMEOUT = 300  # livekit-server: a room nobody joined closes after 5 minutes
DEFAULT_DEPARTURE_TIMEOUT = 20  # ... and 20 s after the last participant left


class RoomFullError(Exception):
    """The room already holds max_participants."""


class Room:
    """One room and its participants; all methods run on the server's event loop."""

    def __init__(
        self,
        name: str,
        *,
        empty_timeout: int = 0,
        departure_timeout: int = 0,
        max_participants: int = 0,
        metadata: str = "",
        on_empty: Callable[[Room], None] | None = None,
    ) -> None:
        self.name = name
        self.sid = new_sid("RM_")
        self.empty_timeout = empty_timeout or DEFAULT_EMPTY_TIMEOUT
        self.departure_timeout = departure_timeout or DEFAULT_DEPARTURE_TIMEOUT
        self.max_participants = max_participants
        self.metadata = metadata
        self.created_at = time.time()
        self.participants: dict[str, Participant] = {}
        self.feeds: dict[str, tuple[Participant, AudioFeed]] = {}
        self.closed = False
        self.config = room_pb.RoomConfiguration()  # what created the room (token roomConfig or CreateRoom)
        self._on_empty = on_empty
        self._had_participants = False

    def info(self) -> models.Room:
        """The Room message for JoinResponse and RoomService answers."""
        return models.Room(
            sid=self.sid,
            name=self.name,
            empty_timeout=self.empty_timeout,
            departure_timeout=self.departure_timeout,
            max_participants=self.max_participants,
            creation_time=int(self.created_at),
            creation_time_ms=int(self.created_at * 1000),
            metadata=self.metadata,
            num_participants=len(self.visible()),
            num_publishers=sum(1 for p in self.participants.values() if p.tracks),
        )

    def visible(self) -> list[Participant]:
        """Participants other clients may see (hidden ones are left out)."""
        return [p for p in self.participants.values() if not p.permission.hidden]

    def has_people(self) -> bool:
        """Whether anyone but agents is here (agents alone do not keep a room open, as in LiveKit)."""
        return any(p.kind != models.ParticipantInfo.Kind.AGENT for p in self.participants.values())

    def idle_timeout(self) -> int:
        """Seconds this room may stay empty before it closes."""
        return self.departure_timeout if self._had_participants else self.empty_timeout

    def check_capacity(self, identity: str) -> None:
        """Raise RoomFullError when a new identity would exceed max_participants."""
        if identity in self.participants or not self.max_participants:
            return
        if len(self.participants) >= self.max_participants:
            raise RoomFullError(f"room {self.name!r} is full ({self.max_participants} participants)")

    async def admit(self, participant: Participant) -> None:
        """Add a participant, replacing one with the same identity as livekit-server does."""
        self.check_capacity(participant.identity)
        old = self.participants.get(participant.identity)
        if old is not None:
            await self.remove(old, reason=models.DisconnectReason.DUPLICATE_IDENTITY, notify_self=True)
        self.participants[participant.identity] = participant
        self._had_participants = True

    def others(self, participant: Participant) -> list[Participant]:
        """Everyone in the room except `participant`."""
        return [p for p in self.participants.values() if p is not participant]

    def broadcast_update(self, participant: Participant, *, include_self: bool = False) -> None:
        """Tell the others (and optionally the participant) about its new state."""
        if participant.permission.hidden:
            return
        update = rtc.SignalResponse(update=rtc.ParticipantUpdate(participants=[participant.info()]))
        targets = self.participants.values() if include_self else self.others(participant)
        for other in targets:
            other.session.send(update)

    async def remove(self, participant: Participant, *, reason: int, notify_self: bool = False) -> None:
        """Take a participant out: unpublish its tracks, tell the others, close its session."""
        if self.participants.get(participant.identity) is participant:
            del self.participants[participant.identity]
        for track_sid in list(participant.tracks):
            self.unpublish(participant, track_sid, notify=False)
        participant.state = models.ParticipantInfo.State.DISCONNECTED
        participant.touch()
        self.broadcast_update(participant)
        await participant.session.close(reason=reason, notify=notify_self)
        if not self.has_people() and self._on_empty is not None:
            self._on_empty(self)

    def publish(self, participant: Participant, track: models.TrackInfo, feed: AudioFeed) -> None:
        """Record a published track, announce it and subscribe everyone who auto-subscribes."""
        participant.tracks[track.sid] = track
        participant.touch()
        self.feeds[track.sid] = (participant, feed)
        self.broadcast_update(participant)
        for other in self.others(participant):
            if other.auto_subscribe and other.permission.can_subscribe:
                other.session.subscribe(participant, track, feed)

    def unpublish(self, participant: Participant, track_sid: str, *, notify: bool = True) -> None:
        """Drop a published track from every subscriber."""
        track = participant.tracks.pop(track_sid, None)
        entry = self.feeds.pop(track_sid, None)
        if track is None:
            return
        for other in self.others(participant):
            other.session.unsubscribe(track_sid)
        if entry is not None:
            entry[1].close()
        participant.touch()
        if notify:
            participant.session.send(
                rtc.SignalResponse(track_unpublished=rtc.TrackUnpublishedResponse(track_sid=track_sid))
            )
            self.broadcast_update(participant)

    def subscribe_existing(self, participant: Participant) -> None:
        """Subscribe a newcomer to every track already published."""
        if not (participant.auto_subscribe and participant.permission.can_subscribe):
            return
        for publisher, feed in list(self.feeds.values()):
            track = publisher.tracks.get(feed.track_sid)
            if publisher is not participant and track is not None:
                participant.session.subscribe(publisher, track, feed)

    def find_track(self, track_sid: str) -> tuple[Participant, models.TrackInfo, AudioFeed] | None:
        """The publisher, info and feed of a published track."""
        entry = self.feeds.get(track_sid)
        if entry is None or track_sid not in entry[0].tracks:
            return None
        return entry[0], entry[0].tracks[track_sid], entry[1]

    async def close(self, *, reason: int = models.DisconnectReason.ROOM_DELETED) -> None:
        """Disconnect everyone and mark the room closed."""
        self.closed = True
        for participant in list(self.participants.values()):
            await self.remove(participant, reason=reason, notify_self=True)
        await asyncio.sleep(0)
