"""Data packets between participants: stamped with the sender, sent to the chosen identities."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from google.protobuf.message import DecodeError
from livekit.protocol import models

if TYPE_CHECKING:
    from hrlab.devserver.participant import Participant
    from hrlab.devserver.room import Room

log = logging.getLogger(__name__)

RELIABLE = "_reliable"
LOSSY = "_lossy"


def parse_packet(raw: bytes, *, sender: str) -> models.DataPacket | None:
    """Decode a DataPacket; a malformed one is logged and dropped."""
    packet = models.DataPacket()
    try:
        packet.ParseFromString(raw)
    except DecodeError:
        log.warning("dropped a malformed data packet from %s (%d bytes)", sender, len(raw))
        return None
    return packet


def stamp(packet: models.DataPacket, sender: Participant) -> None:
    """Write the sender's identity and sid into the packet, whatever the client put there."""
    packet.participant_identity = sender.identity
    packet.participant_sid = sender.sid
    if packet.HasField("user"):
        packet.user.participant_identity = sender.identity
        packet.user.participant_sid = sender.sid


def recipients(room: Room, sender: Participant, packet: models.DataPacket) -> list[Participant]:
    """Who receives the packet: the destination identities if any were named, else everyone else."""
    wanted = set(packet.destination_identities)
    if packet.HasField("user"):
        wanted.update(packet.user.destination_identities)
        sids = set(packet.user.destination_sids)
        wanted.update(p.identity for p in room.participants.values() if p.sid in sids)
    others = room.others(sender)
    if not wanted:
        return others
    return [p for p in others if p.identity in wanted]


def route(room: Room, sender: Participant, raw: bytes, *, channel: str) -> int:
    """Forward one packet from `sender`; returns how many participants it went to."""
    if not sender.permission.can_publish_data:
        log.info("dropped data from %s: no canPublishData grant", sender.identity)
        return 0
    packet = parse_packet(raw, sender=sender.identity)
    if packet is None:
        return 0
    stamp(packet, sender)
    payload = packet.SerializeToString()
    targets = recipients(room, sender, packet)
    for target in targets:
        target.session.send_data(payload, channel=channel)
    return len(targets)
