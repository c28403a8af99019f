"""Text streams, byte streams and RPC travel through the devserver between SDK participants."""

from __future__ import annotations

import asyncio

import pytest
from livekit import rtc

from tests.devserver.rtc_helpers import connect, wait_for

pytestmark = pytest.mark.livekit


async def test_text_and_byte_streams(devserver):
    alice = await connect(devserver.url, devserver.token("alice", "streams-1"))
    bob = await connect(devserver.url, devserver.token("bob", "streams-1"))
    texts: list[tuple[str, str]] = []
    blobs: list[bytes] = []

    async def read_text(reader: rtc.TextStreamReader, sender: str) -> None:
        texts.append((sender, await reader.read_all()))

    async def read_bytes(reader: rtc.ByteStreamReader, sender: str) -> None:
        blobs.append(b"".join([chunk async for chunk in reader]))

    tasks: set[asyncio.Task] = set()
    bob.register_text_stream_handler("chat", lambda r, who: tasks.add(asyncio.ensure_future(read_text(r, who))))
    bob.register_byte_stream_handler("files", lambda r, who: tasks.add(asyncio.ensure_future(read_bytes(r, who))))
    long_text = "Расскажите о своём опыте. " * 2000  # several chunks
    await alice.local_participant.send_text(long_text, topic="chat")
    writer = await alice.local_participant.stream_bytes("cv.bin", topic="files")
    payload = bytes(range(256)) * 600
    await writer.write(payload)
    await writer.aclose()
    await wait_for(lambda: texts and blobs)
    assert texts == [("alice", long_text)]
    assert blobs == [payload]
    await alice.disconnect()
    await bob.disconnect()


async def test_rpc_round_trip_and_errors(devserver):
    agent = await connect(devserver.url, devserver.token("agent", "rpc-1"))
    page = await connect(devserver.url, devserver.token("page", "rpc-1"))

    async def greet(data: rtc.RpcInvocationData) -> str:
        if data.payload == "fail":
            raise rtc.RpcError(1500, "asked to fail")
        return f"hello {data.caller_identity}: {data.payload}"

    agent.local_participant.register_rpc_method("greet", greet)
    await wait_for(lambda: "agent" in page.remote_participants)
    answer = await page.local_participant.perform_rpc(destination_identity="agent", method="greet", payload="hi")
    assert answer == "hello page: hi"
    with pytest.raises(rtc.RpcError) as failure:
        await page.local_participant.perform_rpc(destination_identity="agent", method="greet", payload="fail")
    assert failure.value.code == 1500
    with pytest.raises(rtc.RpcError) as unknown:
        await page.local_participant.perform_rpc(destination_identity="agent", method="nope", payload="")
    assert unknown.value.code == rtc.RpcError.ErrorCode.UNSUPPORTED_METHOD
    await agent.disconnect()
    await page.disconnect()
