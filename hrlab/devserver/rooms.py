"""The set of open rooms: created on demand or by the RoomService, closed when idle."""

from __future__ import annotations

import asyncio
import logging
from typing import Awaitable, Callable

from livekit.protocol import room as room_pb

from hrlab.devserver.room import Room

log = logging.getLogger(__name__)

RoomHook = Callable[[Room], Awaitable[None]]


class RoomRegistry:
    """Open rooms by name, with idle timers; `on_created`/`on_closed` hooks for agent dispatch."""

    def __init__(self) -> None:
        self.rooms: dict[str, Room] = {}
        self._idle_timers: dict[str, asyncio.TimerHandle] = {}
        self.on_created: list[RoomHook] = []
        self.on_closed: list[RoomHook] = []
        self._tasks: set[asyncio.Task] = set()

    async def get_or_create(self, name: str, config: room_pb.RoomConfiguration | None = None) -> Room:
        """The open room called `name`, creating it (with `config`) if needed."""
        room = self.rooms.get(name)
        if room is not None:
            return room
        return await self.create(name, config=config)

    async def create(self, name: str, *, config: room_pb.RoomConfiguration | None = None) -> Room:
        """Create a room (or return the open one) and run the creation hooks."""
        if name in self.rooms:
            return self.rooms[name]
        config = config or room_pb.RoomConfiguration()
        room = Room(
            name,
            empty_timeout=config.empty_timeout,
            departure_timeout=config.departure_timeout,
            max_participants=config.max_participants,
            metadata=config.metadata,
            on_empty=self._room_empty,
        )
        room.config = config
        self.rooms[name] = room
        self._arm_idle_timer(room)
        for hook in self.on_created:
            await hook(room)
        return room

    def joined(self, room: Room) -> None:
        """A participant joined: the room is no longer idle (agents alone do not count)."""
        if not room.has_people():
            return
        timer = self._idle_timers.pop(room.name, None)
        if timer is not None:
            timer.cancel()

    def _room_empty(self, room: Room) -> None:
        if not room.closed and self.rooms.get(room.name) is room:
            self._arm_idle_timer(room)

    def _arm_idle_timer(self, room: Room) -> None:
        old = self._idle_timers.pop(room.name, None)
        if old is not None:
            old.cancel()
        loop = asyncio.get_running_loop()
        self._idle_timers[room.name] = loop.call_later(room.idle_timeout(), self._close_if_idle, room)

    def _close_if_idle(self, room: Room) -> None:
        self._idle_timers.pop(room.name, None)
        if not room.has_people() and self.rooms.get(room.name) is room:
            log.info("room %s closes after being empty %d s", room.name, room.idle_timeout())
            task = asyncio.ensure_future(self.delete(room.name))
            self._tasks.add(task)
            task.add_done_callback(self._tasks.discard)

    async def delete(self, name: str) -> bool:
        """Close a room and disconnect everyone in it; False if there was no such room."""
        room = self.rooms.pop(name, None)
        if room is None:
            return False
        timer = self._idle_timers.pop(name, None)
        if timer is not None:
            timer.cancel()
        await room.close()
        for hook in self.on_closed:
            await hook(room)
        return True

    async def close_all(self) -> None:
        """Close every room (server shutdown)."""
        for name in list(self.rooms):
            await self.delete(name)
