"""Join a room and stay until killed: `python hold_connection.py URL TOKEN` (prints `joined`)."""

from __future__ import annotations

import asyncio
import sys

from livekit import rtc


async def main(url: str, token: str) -> None:
    room = rtc.Room()
    await room.connect(url, token)
    print("joined", flush=True)
    await asyncio.Event().wait()


if __name__ == "__main__":
    asyncio.run(main(sys.argv[1], sys.argv[2]))
