"""The `/rtc` signal websocket and `/rtc/validate`, as livekit-server serves them."""

from __future__ import annotations

import asyncio
import logging
import time

from aiohttp import WSMsgType, web
from livekit import api
from livekit.protocol import models, rtc

from hrlab.devserver.auth import AuthError, Credentials
from hrlab.devserver.grants import permission_from_grants
from hrlab.devserver.participant import Participant, participant_kind
from hrlab.devserver.room import Room, RoomFullError
from hrlab.devserver.rooms import RoomRegistry
from hrlab.devserver.session import PING_INTERVAL, PING_TIMEOUT, SignalSession

log = logging.getLogger(__name__)

SERVER_VERSION = "1.9.0"
SERVER_PROTOCOL = 16


def _token(request: web.Request) -> str | None:
    header = request.headers.get("Authorization", "")
    if header.startswith("Bearer "):
        return header.removeprefix("Bearer ").strip()
    return request.query.get("access_token")


def _flag(request: web.Request, name: str, default: bool) -> bool:
    value = request.query.get(name)
    return default if value is None else value.lower() in ("1", "true", "yes")


class RtcEndpoint:
    """Admits participants into rooms over the signal websocket."""

    def __init__(self, credentials: Credentials, registry: RoomRegistry) -> None:
        self.credentials = credentials
        self.registry = registry

    async def validate(self, request: web.Request) -> web.Response:
        """Say whether a connection with these parameters would be admitted, and if not why."""
        try:
            claims = self.credentials.verify_join(_token(request), room=request.query.get("room"))
            room = self.registry.rooms.get(claims.video.room)
            if room is not None:
                room.check_capacity(claims.identity)
        except AuthError as exc:
            return web.Response(status=exc.status, text=exc.reason)
        except RoomFullError as exc:
            return web.Response(status=403, text=str(exc))
        return web.Response(text="success")

    async def not_found(self, request: web.Request) -> web.Response:
        """`/rtc/v1` (single peer connection) is not served: clients fall back to `/rtc`."""
        return web.Response(status=404, text="single peer connection mode is not supported; use /rtc")

    async def connect(self, request: web.Request) -> web.StreamResponse:
        """Verify the token, open the websocket and run the participant's session."""
        try:
            claims = self.credentials.verify_join(_token(request), room=request.query.get("room"))
        except AuthError as exc:
            return web.Response(status=exc.status, text=exc.reason)
        if _flag(request, "reconnect", False):
            # no session survives a dropped websocket here, so ask the client for a full rejoin
            return web.Response(status=404, text="participant session not found; join again")
        room = await self.registry.get_or_create(claims.video.room, claims.room_config)
        try:
            room.check_capacity(claims.identity)
        except RoomFullError as exc:
            return web.Response(status=403, text=str(exc))
        ws = web.WebSocketResponse(max_msg_size=16 * 1024 * 1024)
        await ws.prepare(request)
        session = SignalSession(ws, room)
        participant = self._participant(request, claims, session)
        try:
            await self._join(room, participant)
            await self._serve(ws, session)
        finally:
            if room.participants.get(participant.identity) is participant:
                await room.remove(participant, reason=models.DisconnectReason.SIGNAL_CLOSE)
            await session.close(reason=models.DisconnectReason.SIGNAL_CLOSE)
        return ws

    def _participant(self, request: web.Request, claims: api.Claims, session: SignalSession) -> Participant:
        participant = Participant(
            identity=claims.identity,
            name=claims.name or "",
            metadata=claims.metadata or "",
            attributes=dict(claims.attributes or {}),
            kind=participant_kind(claims.kind),
            permission=permission_from_grants(claims.video),
            session=session,
            auto_subscribe=_flag(request, "auto_subscribe", True),
            client_protocol=int(request.query.get("protocol", "0") or 0),
        )
        session.participant = participant
        return participant

    async def _join(self, room: Room, participant: Participant) -> None:
        await room.admit(participant)
        self.registry.joined(room)
        participant.session.send(rtc.SignalResponse(join=self._join_response(room, participant)))
        participant.session.negotiate()
        room.broadcast_update(participant)
        room.subscribe_existing(participant)

    def _join_response(self, room: Room, participant: Participant) -> rtc.JoinResponse:
        return rtc.JoinResponse(
            room=room.info(),
            participant=participant.info(),
            other_participants=[p.info() for p in room.visible() if p is not participant],
            server_version=SERVER_VERSION,
            subscriber_primary=True,
            # As livekit-server: a publisher negotiates its connection at once (livekit-client does; the Rust
            # SDK ignores it and negotiates on first use, after a 150 ms debounce).
            fast_publish=participant.permission.can_publish,
            ping_interval=PING_INTERVAL,
            ping_timeout=PING_TIMEOUT,
            server_info=models.ServerInfo(
                edition=models.ServerInfo.Edition.Standard, version=SERVER_VERSION,
                protocol=SERVER_PROTOCOL, node_id="hrlab-devserver",
            ),
        )

    async def _serve(self, ws: web.WebSocketResponse, session: SignalSession) -> None:
        watchdog = asyncio.ensure_future(self._watch_pings(ws, session))
        try:
            async for message in ws:
                if message.type == WSMsgType.BINARY:
                    await self._handle_safely(session, message.data)
                elif message.type == WSMsgType.ERROR:
                    break
                if session.closed:
                    break
        finally:
            watchdog.cancel()

    async def _handle_safely(self, session: SignalSession, raw: bytes) -> None:
        try:
            await session.handle(raw)
        except Exception:  # one bad request must not end the participant's session
            log.exception("signal request from %s failed", session.participant.identity)

    async def _watch_pings(self, ws: web.WebSocketResponse, session: SignalSession) -> None:
        while not ws.closed:
            await asyncio.sleep(PING_INTERVAL)
            if time.monotonic() - session.last_ping > PING_TIMEOUT:
                log.info("%s stopped pinging; disconnecting", session.participant.identity)
                await ws.close()
                return
