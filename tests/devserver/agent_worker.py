"""An unmodified livekit-agents worker for the devserver tests: `python agent_worker.py start`.

Its job joins the room, announces itself on the data channel with the dispatch metadata, and
echoes `ping` messages until the room closes.
"""

from __future__ import annotations

import asyncio
import json
import os

from livekit import rtc
from livekit.agents import JobContext, WorkerOptions, cli

AGENT_NAME = os.environ.get("TEST_AGENT_NAME", "hrlab-test-agent")


async def entrypoint(ctx: JobContext) -> None:
    await ctx.connect()
    ctx.room.on("data_received", lambda p: _reply(ctx, p))
    hello = {"job": ctx.job.id, "metadata": ctx.job.metadata, "identity": ctx.room.local_participant.identity}
    await ctx.room.local_participant.publish_data(json.dumps(hello).encode(), topic="agent-hello")


def _reply(ctx: JobContext, packet: rtc.DataPacket) -> None:
    if packet.data == b"ping":
        asyncio.ensure_future(ctx.room.local_participant.publish_data(b"pong", topic="agent-hello"))


if __name__ == "__main__":
    cli.run_app(WorkerOptions(entrypoint_fnc=entrypoint, agent_name=AGENT_NAME, host="127.0.0.1", port=0,
                                # a busy 2-core CI box must not make the worker refuse jobs
                                load_threshold=float("inf")))
