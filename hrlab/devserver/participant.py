"""A participant's state as the room sees it, and its ParticipantInfo."""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from livekit.protocol import models

from hrlab.devserver.ids import new_sid

if TYPE_CHECKING:
    from hrlab.devserver.session import SignalSession

_KINDS = {
    "": models.ParticipantInfo.Kind.STANDARD,
    "standard": models.ParticipantInfo.Kind.STANDARD,
    "ingress": models.ParticipantInfo.Kind.INGRESS,
    "egress": models.ParticipantInfo.Kind.EGRESS,
    "sip": models.ParticipantInfo.Kind.SIP,
    "agent": models.ParticipantInfo.Kind.AGENT,
}


def participant_kind(name: str) -> int:
    """The ParticipantInfo.Kind for a token's `kind` claim."""
    return _KINDS.get((name or "").lower(), models.ParticipantInfo.Kind.STANDARD)


@dataclass
class Participant:
    """One connected participant: identity, permission, published tracks, and its signal session."""

    identity: str
    name: str
    metadata: str
    attributes: dict[str, str]
    kind: int
    permission: models.ParticipantPermission
    session: SignalSession
    auto_subscribe: bool = True
    client_protocol: int = 0
    sid: str = field(default_factory=lambda: new_sid("PA_"))
    joined_at_ms: int = field(default_factory=lambda: int(time.time() * 1000))
    state: int = models.ParticipantInfo.State.JOINED
    version: int = 1
    tracks: dict[str, models.TrackInfo] = field(default_factory=dict)

    def touch(self) -> None:
        """Mark a change so clients apply the next update."""
        self.version += 1

    def info(self) -> models.ParticipantInfo:
        """The ParticipantInfo sent to clients and returned by the RoomService."""
        return models.ParticipantInfo(
            sid=self.sid,
            identity=self.identity,
            name=self.name,
            state=self.state,
            tracks=list(self.tracks.values()),
            metadata=self.metadata,
            attributes=self.attributes,
            joined_at=self.joined_at_ms // 1000,
            joined_at_ms=self.joined_at_ms,
            version=self.version,
            permission=self.permission,
            is_publisher=bool(self.tracks),
            kind=self.kind,
            client_protocol=self.client_protocol,
        )
