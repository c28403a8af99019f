"""aiortc peer connections set up the way LiveKit clients expect, and SDP/ICE helpers."""

from __future__ import annotations

import json
import logging

from aiortc import RTCConfiguration, RTCPeerConnection, RTCRtpSender, RTCRtpTransceiver
from aiortc.sdp import SessionDescription, candidate_from_sdp

from hrlab.devserver.ice import is_loopback

log = logging.getLogger(__name__)


def new_peer_connection() -> RTCPeerConnection:
    """A peer connection with no STUN/TURN servers: candidates are local only."""
    pc = RTCPeerConnection(RTCConfiguration(iceServers=[]))
    _start_late_media_when_connected(pc)
    return pc


def _start_late_media_when_connected(pc: RTCPeerConnection) -> None:
    """Start the senders and receivers that a renegotiation during the DTLS handshake left stopped.

    aiortc starts a transceiver's sender/receiver after each setRemoteDescription, but only if DTLS is
    `new` (it then handshakes) or already `connected`; while another task is still handshaking it skips
    the transceiver and never comes back to it. A listener whose subscriber offer gained a track in that
    window (it joined just before a publish) got the track but no RTP at all: the "deaf agent". pion,
    under livekit-server, applies descriptions one after the other and starts such senders once the
    transport is up; running aiortc's own (idempotent) start step again once connected does the same.
    """
    start_transports = pc._RTCPeerConnection__connect  # private, aiortc pinned: a rename fails here, at once

    async def on_state() -> None:
        if pc.connectionState != "connected":
            return
        try:
            await start_transports()
        except Exception as exc:  # a connection closed meanwhile; a handler must not raise into pyee
            log.info("starting late media failed: %r", exc)

    pc.on("connectionstatechange", on_state)


async def add_remote_candidate(pc: RTCPeerConnection, candidate_init: str) -> bool:
    """Add a trickled candidate (JSON RTCIceCandidateInit); non-loopback ones are dropped."""
    try:
        init = json.loads(candidate_init)
    except json.JSONDecodeError:
        log.warning("ignored a trickle candidate that is not JSON: %.80s", candidate_init)
        return False
    line = str(init.get("candidate") or "")
    if not line:
        return False
    try:
        candidate = candidate_from_sdp(line.removeprefix("candidate:"))
    except (ValueError, IndexError):
        log.warning("ignored a malformed ICE candidate: %.80s", line)
        return False
    if not is_loopback(candidate.ip):
        log.debug("dropped non-loopback candidate %s (the devserver talks to loopback only)", candidate.ip)
        return False
    candidate.sdpMid = init.get("sdpMid")
    candidate.sdpMLineIndex = init.get("sdpMLineIndex")
    await pc.addIceCandidate(candidate)
    return True


class TrickleBuffer:
    """Trickled candidates that came before the remote description, added once it is set."""

    def __init__(self) -> None:
        self._pending: list[str] = []

    async def add(self, pc: RTCPeerConnection, candidate_init: str) -> None:
        if pc.remoteDescription is None:
            self._pending.append(candidate_init)
        else:
            await add_remote_candidate(pc, candidate_init)

    async def flush(self, pc: RTCPeerConnection) -> None:
        """Call right after setting the remote description."""
        pending, self._pending = self._pending, []
        for candidate_init in pending:
            await add_remote_candidate(pc, candidate_init)


def loopback_candidates_only(sdp: str) -> str:
    """Drop the remote SDP's candidate lines that are not on loopback (never send elsewhere)."""
    kept = []
    for line in sdp.splitlines():
        if line.startswith("a=candidate:"):
            parts = line.split()
            if len(parts) > 4 and not is_loopback(parts[4]):
                continue
        kept.append(line)
    return "\r\n".join(kept) + "\r\n"


def use_opus_only(transceiver: RTCRtpTransceiver) -> None:
    """Offer only Opus on a forwarding transceiver: frames are forwarded encoded."""
    codecs = [c for c in RTCRtpSender.getCapabilities("audio").codecs if c.mimeType.lower() == "audio/opus"]
    transceiver.setCodecPreferences(codecs)


def media_directions(sdp: str) -> dict[str, str]:
    """Map each m-line's mid to the direction the remote side declared (`inactive` if rejected)."""
    directions = {}
    for media in SessionDescription.parse(sdp).media:
        mid = media.rtp.muxId
        if mid is not None:
            directions[mid] = "inactive" if media.port == 0 else (media.direction or "sendrecv")
    return directions
