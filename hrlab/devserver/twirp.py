"""Twirp RoomService and AgentDispatchService, authenticated like livekit-server's."""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass
from typing import Awaitable, Callable

from aiohttp import web
from google.protobuf import json_format
from google.protobuf.message import DecodeError, Message
from livekit import api
from livekit.protocol import agent_dispatch as dispatch_pb
from livekit.protocol import models
from livekit.protocol import room as room_pb

from hrlab.devserver.agents import AgentDispatcher
from hrlab.devserver.auth import AuthError, Credentials
from hrlab.devserver.rooms import RoomRegistry

log = logging.getLogger(__name__)


class TwirpError(Exception):
    """A Twirp error: `code` is Twirp's error code, `status` the HTTP status."""

    def __init__(self, code: str, message: str, status: int) -> None:
        super().__init__(message)
        self.code = code
        self.status = status


def _not_found(what: str) -> TwirpError:
    return TwirpError("not_found", f"{what} does not exist", 404)


@dataclass(frozen=True)
class Method:
    """One Twirp method: its request type, the grant check and the handler."""

    request_type: type[Message]
    authorize: Callable[[api.VideoGrants, Message], bool]
    handler: Callable[[Message], Awaitable[Message]]


def _can_create(grants: api.VideoGrants, _req) -> bool:
    return bool(grants.room_create)


def _can_list(grants: api.VideoGrants, _req) -> bool:
    return bool(grants.room_list)


def _admin_of(grants: api.VideoGrants, req) -> bool:
    return bool(grants.room_admin) and (not grants.room or grants.room == req.room)


class TwirpServices:
    """Serves `/twirp/livekit.<Service>/<Method>` with protobuf or JSON bodies."""

    def __init__(self, credentials: Credentials, registry: RoomRegistry, dispatcher: AgentDispatcher) -> None:
        self.credentials = credentials
        self.registry = registry
        self.dispatcher = dispatcher
        self.methods: dict[tuple[str, str], Method] = {
            ("RoomService", "CreateRoom"): Method(room_pb.CreateRoomRequest, _can_create, self.create_room),
            ("RoomService", "ListRooms"): Method(room_pb.ListRoomsRequest, _can_list, self.list_rooms),
            ("RoomService", "DeleteRoom"): Method(room_pb.DeleteRoomRequest, _can_create, self.delete_room),
            ("RoomService", "ListParticipants"): Method(
                room_pb.ListParticipantsRequest, _admin_of, self.list_participants),
            ("RoomService", "GetParticipant"): Method(room_pb.RoomParticipantIdentity, _admin_of, self.get_participant),
            ("RoomService", "RemoveParticipant"): Method(
                room_pb.RoomParticipantIdentity, _admin_of, self.remove_participant),
            ("AgentDispatchService", "CreateDispatch"): Method(
                dispatch_pb.CreateAgentDispatchRequest, _admin_of, self.create_dispatch),
            ("AgentDispatchService", "ListDispatch"): Method(
                dispatch_pb.ListAgentDispatchRequest, _admin_of, self.list_dispatch),
            ("AgentDispatchService", "DeleteDispatch"): Method(
                dispatch_pb.DeleteAgentDispatchRequest, _admin_of, self.delete_dispatch),
        }

    async def handle(self, request: web.Request) -> web.Response:
        """Decode, authorise and answer one Twirp call."""
        use_json = request.content_type == "application/json"
        try:
            method = self._method(request)
            body = await request.read()
            message = self._decode(method.request_type, body, use_json=use_json)
            self._authorize(request, method, message)
            answer = await method.handler(message)
        except TwirpError as exc:
            return web.json_response({"code": exc.code, "msg": str(exc)}, status=exc.status)
        if use_json:
            text = json_format.MessageToJson(answer, preserving_proto_field_name=False)
            return web.Response(text=text, content_type="application/json")
        return web.Response(body=answer.SerializeToString(), content_type="application/protobuf")

    def _method(self, request: web.Request) -> Method:
        service = request.match_info["service"].removeprefix("livekit.")
        method = self.methods.get((service, request.match_info["method"]))
        if method is None:
            raise TwirpError("bad_route", f"no method {service}/{request.match_info['method']}", 404)
        return method

    def _decode(self, request_type: type[Message], body: bytes, *, use_json: bool) -> Message:
        message = request_type()
        try:
            if use_json:
                json_format.Parse(body.decode() or "{}", message, ignore_unknown_fields=True)
            else:
                message.ParseFromString(body)
        except (DecodeError, json_format.ParseError, json.JSONDecodeError, UnicodeDecodeError) as exc:
            raise TwirpError("malformed", f"cannot decode {request_type.__name__}: {exc}", 400) from None
        return message

    def _authorize(self, request: web.Request, method: Method, message: Message) -> None:
        try:
            claims = self.credentials.bearer(request.headers.get("Authorization"))
        except AuthError as exc:
            raise TwirpError("unauthenticated", exc.reason, 401) from None
        if claims.video is None or not method.authorize(claims.video, message):
            raise TwirpError("permission_denied", "permissions denied: the token lacks the grant for this call", 403)

    # --- RoomService --------------------------------------------------------------------------

    async def create_room(self, req: room_pb.CreateRoomRequest) -> models.Room:
        if not req.name:
            raise TwirpError("invalid_argument", "room name is required", 400)
        config = room_pb.RoomConfiguration(
            name=req.name, empty_timeout=req.empty_timeout, departure_timeout=req.departure_timeout,
            max_participants=req.max_participants, metadata=req.metadata, agents=list(req.agents),
        )
        room = await self.registry.create(req.name, config=config)
        return room.info()

    async def list_rooms(self, req: room_pb.ListRoomsRequest) -> room_pb.ListRoomsResponse:
        names = set(req.names)
        rooms = [r.info() for r in self.registry.rooms.values() if not names or r.name in names]
        return room_pb.ListRoomsResponse(rooms=rooms)

    async def delete_room(self, req: room_pb.DeleteRoomRequest) -> room_pb.DeleteRoomResponse:
        if not await self.registry.delete(req.room):
            raise _not_found(f"room {req.room!r}")
        return room_pb.DeleteRoomResponse()

    def _room(self, name: str):
        room = self.registry.rooms.get(name)
        if room is None:
            raise _not_found(f"room {name!r}")
        return room

    async def list_participants(self, req: room_pb.ListParticipantsRequest) -> room_pb.ListParticipantsResponse:
        return room_pb.ListParticipantsResponse(participants=[p.info() for p in self._room(req.room).visible()])

    async def get_participant(self, req: room_pb.RoomParticipantIdentity) -> models.ParticipantInfo:
        participant = self._room(req.room).participants.get(req.identity)
        if participant is None:
            raise _not_found(f"participant {req.identity!r}")
        return participant.info()

    async def remove_participant(self, req: room_pb.RoomParticipantIdentity) -> room_pb.RemoveParticipantResponse:
        room = self._room(req.room)
        participant = room.participants.get(req.identity)
        if participant is None:
            raise _not_found(f"participant {req.identity!r}")
        await room.remove(participant, reason=models.DisconnectReason.PARTICIPANT_REMOVED, notify_self=True)
        return room_pb.RemoveParticipantResponse()

    # --- AgentDispatchService -----------------------------------------------------------------

    async def create_dispatch(self, req: dispatch_pb.CreateAgentDispatchRequest) -> dispatch_pb.AgentDispatch:
        if not req.room or not req.agent_name:
            raise TwirpError("invalid_argument", "room and agent_name are required", 400)
        room = await self.registry.get_or_create(req.room)
        return await self.dispatcher.create_dispatch(
            room, agent_name=req.agent_name, metadata=req.metadata, attributes=dict(req.attributes))

    async def list_dispatch(self, req: dispatch_pb.ListAgentDispatchRequest) -> dispatch_pb.ListAgentDispatchResponse:
        return dispatch_pb.ListAgentDispatchResponse(
            agent_dispatches=self.dispatcher.list_dispatches(req.room, req.dispatch_id))

    async def delete_dispatch(self, req: dispatch_pb.DeleteAgentDispatchRequest) -> dispatch_pb.AgentDispatch:
        dispatch = await self.dispatcher.delete_dispatch(req.room, req.dispatch_id)
        if dispatch is None:
            raise _not_found(f"dispatch {req.dispatch_id!r}")
        return dispatch
