"""An unmodified livekit-agents worker for the devserver tests: `python agent_worker.py start`.

Its job joins the room, announces itself on the data channel with the dispatch metadata, and
echoes `ping` messages until the room closes. With metadata `say`, it also starts an
AgentSession (RoomIO) and says a 660 Hz tone through it.
"""

from __future__ import annotations

import asyncio
import json
import os

from livekit import rtc
import numpy as np
from livekit.agents import Agent, AgentSession, JobContext, WorkerOptions, cli

AGENT_NAME = os.environ.get("TEST_AGENT_NAME", "hrlab-test-agent")


async def entrypoint(ctx: JobContext) -> None:
    await ctx.connect()
    ctx.room.on("data_received", lambda p: _reply(ctx, p))
    if ctx.job.metadata == "say":
        session = AgentSession()
        await session.start(agent=Agent(instructions="devserver test"), room=ctx.room)
        await session.say("a tone", audio=_tone(660.0, 1.5), add_to_chat_ctx=False)
    hello = {"job": ctx.job.id, "metadata": ctx.job.metadata, "identity": ctx.room.local_participant.identity}
    await ctx.room.local_participant.publish_data(json.dumps(hello).encode(), topic="agent-hello")


async def _tone(freq: float, seconds: float):
    for i in range(int(seconds * 100)):
        t = (np.arange(480) + i * 480) / 48000
        samples = (np.sin(2 * np.pi * freq * t) * 9000).astype(np.int16)
        yield rtc.AudioFrame(samples.tobytes(), 48000, 1, 480)


def _reply(ctx: JobContext, packet: rtc.DataPacket) -> None:
    if packet.data == b"ping":
        asyncio.ensure_future(ctx.room.local_participant.publish_data(b"pong", topic="agent-hello"))


if __name__ == "__main__":
    cli.run_app(WorkerOptions(entrypoint_fnc=entrypoint, agent_name=AGENT_NAME, host="127.0.0.1", port=0,
                                # a busy 2-core CI box must not make the worker refuse jobs
                                load_threshold=float("inf")))
