"""Data messages between the interviewer and the candidate's page: over a LiveKit room or in-process."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol

from hrlab.domain.protocol import TOPIC, ServerMessage

if TYPE_CHECKING:
    from livekit import rtc

log = logging.getLogger(__name__)

PayloadHandler = Callable[[bytes, str | None], None]


class MessageSender(Protocol):
    """Where the interviewer's messages go."""

    async def send(self, message: ServerMessage) -> None: ...


@dataclass(frozen=True)
class SentMessage:
    """One message the interviewer sent, with the wall-clock time it was sent."""

    at: float
    message: ServerMessage

    def to_json(self) -> dict:
        return {"at": self.at, **self.message.to_json()}


class MemoryMessages:
    """In-process transport: keeps every sent message in order (rehearsals, tests)."""

    def __init__(self, *, clock: Callable[[], float] = time.time) -> None:
        self.sent: list[SentMessage] = []
        self._clock = clock

    async def send(self, message: ServerMessage) -> None:
        """Record the message."""
        self.sent.append(SentMessage(self._clock(), message))

    def types(self) -> list[str]:
        """The `type` of every sent message, in order."""
        return [item.message.type for item in self.sent]


class RoomMessages:
    """LiveKit transport: reliable data packets on topic "interview"; receives with any topic."""

    def __init__(self, room: rtc.Room, *, clock: Callable[[], float] = time.time) -> None:
        self._room = room
        self._clock = clock
        self.sent_count = 0
        self.failed_count = 0

    async def send(self, message: ServerMessage) -> None:
        """Publish the message; a failure is logged, never raised (the interview goes on)."""
        try:
            await self._room.local_participant.publish_data(message.encode(), reliable=True, topic=TOPIC)
            self.sent_count += 1
        except Exception as exc:  # noqa: BLE001 - a lost message must not end the interview
            self.failed_count += 1
            log.warning("could not publish %s: %s", message.type, exc, extra={"message_type": message.type})

    def listen(self, handler: PayloadHandler) -> Callable[[], None]:
        """Call `handler(payload, topic)` for each packet from another participant; returns an unsubscribe."""

        def on_data(packet: rtc.DataPacket) -> None:
            if packet.participant is None:
                return  # sent by a server SDK, not by the candidate's page
            handler(bytes(packet.data), packet.topic or None)

        self._room.on("data_received", on_data)
        return lambda: self._room.off("data_received", on_data)
