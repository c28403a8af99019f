"""Agent workers (`/agent` websocket) and agent dispatch: rooms get their jobs, workers join rooms."""

from __future__ import annotations

import asyncio
import datetime
import logging
import time
from dataclasses import dataclass, field

from aiohttp import WSMsgType, web
from google.protobuf.message import DecodeError
from livekit import api
from livekit.protocol import agent as agent_pb
from livekit.protocol import agent_dispatch as dispatch_pb
from livekit.protocol import models

from hrlab.devserver.auth import AuthError, Credentials
from hrlab.devserver.ids import new_sid
from hrlab.devserver.room import Room
from hrlab.devserver.rooms import RoomRegistry

log = logging.getLogger(__name__)

AVAILABILITY_TIMEOUT = 10.0
DISPATCH_RETRY_S = 2.0  # while no worker takes a dispatch, offer it again this often
AGENT_TOKEN_TTL = datetime.timedelta(hours=6)
SERVER_INFO = models.ServerInfo(edition=models.ServerInfo.Edition.Standard, version="1.9.0", protocol=16)


@dataclass
class Worker:
    """A registered agent worker."""

    ws: web.WebSocketResponse
    agent_name: str
    job_type: int
    permission: models.ParticipantPermission
    id: str = field(default_factory=lambda: new_sid("AW_"))
    status: int = agent_pb.WorkerStatus.WS_AVAILABLE
    jobs: set[str] = field(default_factory=set)
    availability: dict[str, asyncio.Future] = field(default_factory=dict)

    async def send(self, message: agent_pb.ServerMessage) -> None:
        if not self.ws.closed:
            await self.ws.send_bytes(message.SerializeToString())


class AgentDispatcher:
    """Keeps dispatches per room, offers their jobs to workers, tells workers when rooms close."""

    def __init__(self, credentials: Credentials, registry: RoomRegistry) -> None:
        self.credentials = credentials
        self.registry = registry
        self.workers: dict[str, Worker] = {}
        self.dispatches: dict[str, dict[str, dispatch_pb.AgentDispatch]] = {}  # room -> id -> dispatch
        self._job_worker: dict[str, str] = {}
        self._assigning: set[str] = set()
        self._tasks: set[asyncio.Task] = set()
        registry.on_created.append(self._room_created)
        registry.on_closed.append(self._room_closed)

    # --- dispatches ---------------------------------------------------------------------------

    async def create_dispatch(
        self, room: Room, *, agent_name: str, metadata: str = "", attributes: dict[str, str] | None = None
    ) -> dispatch_pb.AgentDispatch:
        """Record a dispatch for `room` and offer its job to a worker registered under `agent_name`."""
        dispatch = dispatch_pb.AgentDispatch(
            id=new_sid("AD_"), agent_name=agent_name, room=room.name, metadata=metadata,
            attributes=attributes or {}, state=dispatch_pb.AgentDispatchState(created_at=time.time_ns()),
        )
        self.dispatches.setdefault(room.name, {})[dispatch.id] = dispatch
        self._spawn(self._assign(room, dispatch))
        return dispatch

    def list_dispatches(self, room_name: str, dispatch_id: str = "") -> list[dispatch_pb.AgentDispatch]:
        """Dispatches of a room (one of them when `dispatch_id` is given)."""
        found = self.dispatches.get(room_name, {})
        return [d for d in found.values() if not dispatch_id or d.id == dispatch_id]

    async def delete_dispatch(self, room_name: str, dispatch_id: str) -> dispatch_pb.AgentDispatch | None:
        """Remove a dispatch and end its jobs."""
        dispatch = self.dispatches.get(room_name, {}).pop(dispatch_id, None)
        if dispatch is not None:
            dispatch.state.deleted_at = time.time_ns()
            await self._terminate_jobs(dispatch)
        return dispatch

    async def _room_created(self, room: Room) -> None:
        for wanted in room.config.agents:
            await self.create_dispatch(
                room, agent_name=wanted.agent_name, metadata=wanted.metadata, attributes=dict(wanted.attributes)
            )
        # automatic dispatch: workers registered without an agent name get every new room that
        # names no agents (only those registered by then, a simplification of livekit-server)
        if not room.config.agents and any(not w.agent_name for w in self.workers.values()):
            await self.create_dispatch(room, agent_name="")

    async def _room_closed(self, room: Room) -> None:
        for dispatch in self.dispatches.pop(room.name, {}).values():
            await self._terminate_jobs(dispatch)

    async def _terminate_jobs(self, dispatch: dispatch_pb.AgentDispatch) -> None:
        for job in dispatch.state.jobs:
            worker = self.workers.get(self._job_worker.pop(job.id, ""))
            if worker is not None and job.id in worker.jobs:
                worker.jobs.discard(job.id)
                await worker.send(agent_pb.ServerMessage(termination=agent_pb.JobTermination(job_id=job.id)))

    # --- jobs ---------------------------------------------------------------------------------

    def _candidates(self, agent_name: str) -> list[Worker]:
        return [w for w in self.workers.values()
                if w.agent_name == agent_name and w.job_type == agent_pb.JobType.JT_ROOM
                and w.status == agent_pb.WorkerStatus.WS_AVAILABLE and not w.ws.closed]

    async def _assign(self, room: Room, dispatch: dispatch_pb.AgentDispatch) -> bool:
        """Offer the dispatch's job to matching workers until one accepts; False if none did."""
        if dispatch.id in self._assigning:
            return True
        self._assigning.add(dispatch.id)
        try:
            return await self._offer(room, dispatch)
        finally:
            self._assigning.discard(dispatch.id)

    async def _offer(self, room: Room, dispatch: dispatch_pb.AgentDispatch) -> bool:
        if any(j.state.status in (agent_pb.JobStatus.JS_PENDING, agent_pb.JobStatus.JS_RUNNING)
               for j in dispatch.state.jobs):
            return True
        for worker in self._candidates(dispatch.agent_name):
            job = self._new_job(room, dispatch)
            answer = await self._ask(worker, job)
            log.info("worker %s %s job %s", worker.id, "took" if answer and answer.available else "declined", job.id)
            if answer is not None and answer.available:
                await self._hand_over(worker, room, dispatch, job, answer)
                return True
        log.info("no worker took agent %r for room %s yet; waiting for one", dispatch.agent_name, room.name)
        # A worker may decline for load it will shed without ever reporting itself full: ask again later.
        self._spawn(self._retry_later(room, dispatch))
        return False

    async def _retry_later(self, room: Room, dispatch: dispatch_pb.AgentDispatch) -> None:
        await asyncio.sleep(DISPATCH_RETRY_S)
        if self.registry.rooms.get(room.name) is room and dispatch.id in self.dispatches.get(room.name, {}):
            await self._assign(room, dispatch)

    def _new_job(self, room: Room, dispatch: dispatch_pb.AgentDispatch) -> agent_pb.Job:
        return agent_pb.Job(
            id=new_sid("AJ_"), dispatch_id=dispatch.id, type=agent_pb.JobType.JT_ROOM, room=room.info(),
            metadata=dispatch.metadata, agent_name=dispatch.agent_name, attributes=dict(dispatch.attributes),
            state=agent_pb.JobState(status=agent_pb.JobStatus.JS_PENDING, updated_at=time.time_ns()),
        )

    async def _ask(self, worker: Worker, job: agent_pb.Job) -> agent_pb.AvailabilityResponse | None:
        answer: asyncio.Future = asyncio.get_running_loop().create_future()
        worker.availability[job.id] = answer
        try:
            await worker.send(agent_pb.ServerMessage(availability=agent_pb.AvailabilityRequest(job=job)))
            return await asyncio.wait_for(answer, AVAILABILITY_TIMEOUT)
        except (asyncio.TimeoutError, ConnectionError):
            return None
        finally:
            worker.availability.pop(job.id, None)

    async def _hand_over(self, worker: Worker, room: Room, dispatch, job: agent_pb.Job, answer) -> None:
        identity = answer.participant_identity or f"agent-{job.id}"
        job.state.participant_identity = identity
        job.state.worker_id = worker.id
        dispatch.state.jobs.append(job)
        worker.jobs.add(job.id)
        self._job_worker[job.id] = worker.id
        token = self._agent_token(worker, room, identity, answer)
        await worker.send(agent_pb.ServerMessage(assignment=agent_pb.JobAssignment(job=job, token=token)))

    def _agent_token(self, worker: Worker, room: Room, identity: str, answer) -> str:
        perm = worker.permission
        sources = [models.TrackSource.Name(s).lower() for s in perm.can_publish_sources]
        grants = api.VideoGrants(
            room_join=True, room=room.name, agent=True, can_update_own_metadata=True,
            can_publish=perm.can_publish, can_subscribe=perm.can_subscribe,
            can_publish_data=perm.can_publish_data, can_publish_sources=sources or None, hidden=perm.hidden,
        )
        token = api.AccessToken(self.credentials.api_key, self.credentials.api_secret)
        token = token.with_identity(identity).with_name(answer.participant_name).with_kind("agent")
        token = token.with_metadata(answer.participant_metadata).with_attributes(dict(answer.participant_attributes))
        return token.with_grants(grants).with_ttl(AGENT_TOKEN_TTL).to_jwt()

    async def _retry_pending(self, worker: Worker) -> None:
        for room_name, dispatches in list(self.dispatches.items()):
            room = self.registry.rooms.get(room_name)
            for dispatch in list(dispatches.values()):
                if room is not None and dispatch.agent_name == worker.agent_name:
                    await self._assign(room, dispatch)

    def _spawn(self, coro) -> None:
        task = asyncio.ensure_future(coro)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    # --- worker websocket ---------------------------------------------------------------------

    async def worker_endpoint(self, request: web.Request) -> web.StreamResponse:
        """The `/agent` websocket: register, then availability, job updates and pings."""
        try:
            claims = self.credentials.bearer(request.headers.get("Authorization"))
        except AuthError as exc:
            return web.Response(status=exc.status, text=exc.reason)
        if claims.video is None or not claims.video.agent:
            return web.Response(status=401, text="permissions denied: token has no agent grant")
        ws = web.WebSocketResponse(max_msg_size=16 * 1024 * 1024)
        await ws.prepare(request)
        worker = await self._register(ws)
        if worker is None:
            return ws
        try:
            async for message in ws:
                if message.type == WSMsgType.BINARY:
                    await self._on_worker_message(worker, message.data)
        finally:
            self._forget(worker)
        return ws

    async def _register(self, ws: web.WebSocketResponse) -> Worker | None:
        first = await ws.receive()
        request = agent_pb.WorkerMessage()
        try:
            request.ParseFromString(first.data if first.type == WSMsgType.BINARY else b"")
        except DecodeError:
            pass
        if not request.HasField("register"):
            await ws.close(message=b"expected register as the first message")
            return None
        reg = request.register
        worker = Worker(ws=ws, agent_name=reg.agent_name, job_type=reg.type, permission=reg.allowed_permissions)
        self.workers[worker.id] = worker
        await worker.send(agent_pb.ServerMessage(register=agent_pb.RegisterWorkerResponse(
            worker_id=worker.id, server_info=SERVER_INFO)))
        log.info("agent worker %s registered as %r", worker.id, worker.agent_name)
        self._spawn(self._retry_pending(worker))
        return worker

    def _forget(self, worker: Worker) -> None:
        self.workers.pop(worker.id, None)
        for job_id in worker.jobs:
            self._job_worker.pop(job_id, None)
            self._set_job_status(job_id, agent_pb.JobStatus.JS_FAILED, "worker disconnected")
        log.info("agent worker %s went away", worker.id)

    async def _on_worker_message(self, worker: Worker, raw: bytes) -> None:
        message = agent_pb.WorkerMessage()
        try:
            message.ParseFromString(raw)
        except DecodeError:
            log.warning("ignored a malformed message from worker %s", worker.id)
            return
        kind = message.WhichOneof("message")
        if kind == "availability":
            answer = worker.availability.get(message.availability.job_id)
            if answer is not None and not answer.done():
                answer.set_result(message.availability)
        elif kind == "update_job":
            update = message.update_job
            self._set_job_status(update.job_id, update.status, update.error)
        elif kind == "update_worker":
            was_full = worker.status != agent_pb.WorkerStatus.WS_AVAILABLE
            worker.status = message.update_worker.status
            if was_full and worker.status == agent_pb.WorkerStatus.WS_AVAILABLE:
                self._spawn(self._retry_pending(worker))
        elif kind == "ping":
            await worker.send(agent_pb.ServerMessage(pong=agent_pb.WorkerPong(
                last_timestamp=message.ping.timestamp, timestamp=int(time.time() * 1000))))

    def _set_job_status(self, job_id: str, status: int, error: str) -> None:
        for dispatches in self.dispatches.values():
            for dispatch in dispatches.values():
                for job in dispatch.state.jobs:
                    if job.id == job_id:
                        job.state.status = status
                        job.state.error = error
                        job.state.updated_at = time.time_ns()
                        if status == agent_pb.JobStatus.JS_RUNNING and not job.state.started_at:
                            job.state.started_at = time.time_ns()
                        if status >= agent_pb.JobStatus.JS_SUCCESS:
                            job.state.ended_at = time.time_ns()
