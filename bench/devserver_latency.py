"""Devserver figures: added one-way audio delay, CPU per forwarded stream, join time.

Run: .venv/bin/python -m bench.devserver_latency [--bursts 30] [--cpu-seconds 10]
Enters a private network namespace itself (root), like the devserver tests. Prints a markdown table.

Delay: the publisher plays 20 ms tone bursts between silences; the onset of each burst is timed
where it is captured and where a subscriber's AudioStream yields it. "Direct" is the same SDK
capture -> AudioStream path on the local track (no encoding, no network, no server), so the
difference is what going through WebRTC and the devserver adds.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import time

import numpy as np
from aiohttp import web
from livekit import api, rtc

from hrlab.config import DEV_API_KEY, DEV_API_SECRET
from hrlab.devserver import media
from hrlab.devserver.app import build_app
from hrlab.devserver.auth import Credentials
from hrlab.devserver.netns import enter_private_network
from hrlab.devserver.testing import RunningDevserver, free_port, running_devserver

RATE = 48000
FRAME = 480
BURST_EVERY = 25  # frames (250 ms)
BURST_FRAMES = 2
THRESHOLD = 2000


def _token(ds: RunningDevserver, identity: str, room: str) -> str:
    return ds.token(identity, room, grants=api.VideoGrants(room_join=True, room=room))


def _frame(index: int) -> np.ndarray:
    if index % BURST_EVERY < BURST_FRAMES:
        t = np.arange(FRAME) / RATE
        return (np.sin(2 * np.pi * 1000 * t) * 12000).astype(np.int16)
    return np.zeros(FRAME, dtype=np.int16)


async def _play(source: rtc.AudioSource, n_frames: int, sent: list[float]) -> None:
    for i in range(n_frames):
        if i % BURST_EVERY == 0:
            sent.append(time.monotonic())
        await source.capture_frame(rtc.AudioFrame(_frame(i).tobytes(), RATE, 1, FRAME))


async def _onsets(stream: rtc.AudioStream, received: list[float], stop: asyncio.Event) -> None:
    quiet = True
    async for event in stream:
        now = time.monotonic()
        samples = np.frombuffer(event.frame.data, dtype=np.int16)
        loud = np.nonzero(np.abs(samples) > THRESHOLD)[0]
        if quiet and len(loud):
            # the frame arrived `now`; its loud part started (len - index) samples before its end
            received.append(now - (len(samples) - loud[0]) / RATE)
        quiet = not len(loud)
        if stop.is_set():
            return


def _pair(sent: list[float], received: list[float]) -> list[float]:
    delays = []
    for t in sent[1:]:  # the first burst may land before the subscriber listens
        later = [r - t for r in received if 0 <= r - t < 0.2]
        if later:
            delays.append(min(later))
    return delays


async def _delay(source: rtc.AudioSource, track: rtc.Track, bursts: int) -> list[float]:
    sent: list[float] = []
    received: list[float] = []
    stop = asyncio.Event()
    stream = rtc.AudioStream(track, sample_rate=RATE, num_channels=1)
    reader = asyncio.ensure_future(_onsets(stream, received, stop))
    await asyncio.sleep(0.3)
    await _play(source, bursts * BURST_EVERY, sent)
    await asyncio.sleep(0.3)
    stop.set()
    await asyncio.wait_for(reader, 2)
    await stream.aclose()
    return _pair(sent, received)


async def _mean_jitter_buffer_delay(room: rtc.Room) -> float:
    """Mean time audio spent in the subscriber's jitter buffer (libwebrtc NetEq), in seconds."""
    stats = await room.get_rtc_stats()
    for entry in stats.subscriber_stats:
        if entry.WhichOneof("stats") == "inbound_rtp" and entry.inbound_rtp.inbound.jitter_buffer_emitted_count:
            inbound = entry.inbound_rtp.inbound
            return inbound.jitter_buffer_delay / inbound.jitter_buffer_emitted_count
    return float("nan")


async def measure_delays(ds: RunningDevserver, bursts: int) -> tuple[list[float], list[float], float]:
    """Onset delays (s) on the SDK's local path and publisher -> devserver -> subscriber, and NetEq's mean."""
    pub = rtc.Room()
    sub = rtc.Room()
    await pub.connect(ds.url, _token(ds, "pub", "bench-delay"))
    await sub.connect(ds.url, _token(ds, "sub", "bench-delay"))
    source = rtc.AudioSource(RATE, 1, queue_size_ms=20)
    local = rtc.LocalAudioTrack.create_audio_track("mic", source)
    subscribed: asyncio.Future = asyncio.get_running_loop().create_future()
    sub.on("track_subscribed", lambda track, *_: subscribed.done() or subscribed.set_result(track))
    await pub.local_participant.publish_track(local, rtc.TrackPublishOptions(source=rtc.TrackSource.SOURCE_MICROPHONE))
    remote = await asyncio.wait_for(subscribed, 10)
    direct = await _delay(source, local, bursts)
    through = await _delay(source, remote, bursts)
    jitter_buffer = await _mean_jitter_buffer_delay(sub)
    await pub.disconnect()
    await sub.disconnect()
    return direct, through, jitter_buffer


class _ForwardingClock:
    """Times each Opus frame from the moment the server received it to the moment its sender took it."""

    def __init__(self) -> None:
        self.delays: list[float] = []
        self._stamps: dict[int, float] = {}
        track = media.ForwardedAudioTrack
        self._push, self._recv = track.push, track.recv
        clock = self

        def push(self, packet) -> None:
            clock._stamps[id(packet)] = time.perf_counter()
            clock._push(self, packet)

        async def recv(self):
            packet = await clock._recv(self)
            stamp = clock._stamps.pop(id(packet), None)
            if stamp is not None:
                clock.delays.append(time.perf_counter() - stamp)
            return packet

        track.push, track.recv = push, recv

    def restore(self) -> None:
        media.ForwardedAudioTrack.push, media.ForwardedAudioTrack.recv = self._push, self._recv


async def measure_in_process(bursts: int) -> tuple[list[float], float, list[float]]:
    """Delays with the devserver in this process, timing its own forwarding step as well."""
    clock = _ForwardingClock()
    runner = web.AppRunner(build_app(Credentials(DEV_API_KEY, DEV_API_SECRET)))
    await runner.setup()
    port = free_port()
    await web.TCPSite(runner, "127.0.0.1", port).start()
    ds = RunningDevserver(f"ws://127.0.0.1:{port}", DEV_API_KEY, DEV_API_SECRET, f"http://127.0.0.1:{port}")
    try:
        _, through, jitter_buffer = await measure_delays(ds, bursts)
    finally:
        clock.restore()
        await runner.cleanup()
    return through, jitter_buffer, clock.delays


def _cpu_seconds(pid: int) -> float:
    with open(f"/proc/{pid}/stat") as stat:
        fields = stat.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


async def _cpu_share(pid: int, seconds: float) -> float:
    start_cpu, start = _cpu_seconds(pid), time.monotonic()
    await asyncio.sleep(seconds)
    return (_cpu_seconds(pid) - start_cpu) / (time.monotonic() - start)


async def measure_cpu(ds: RunningDevserver, subscribers: int, seconds: float) -> tuple[float, float]:
    """Server CPU (fraction of one core) with `subscribers` listeners: silent, then with audio flowing."""
    pub = rtc.Room()
    await pub.connect(ds.url, _token(ds, "pub", f"bench-cpu-{subscribers}"))
    subs = []
    for i in range(subscribers):
        room = rtc.Room()
        await room.connect(ds.url, _token(ds, f"sub{i}", f"bench-cpu-{subscribers}"))
        subs.append(room)
    await asyncio.sleep(1)
    idle = await _cpu_share(ds.pid, seconds / 2)
    source = rtc.AudioSource(RATE, 1, queue_size_ms=50)
    track = rtc.LocalAudioTrack.create_audio_track("mic", source)
    await pub.local_participant.publish_track(track, rtc.TrackPublishOptions(source=rtc.TrackSource.SOURCE_MICROPHONE))
    tone = (np.sin(2 * np.pi * 440 * np.arange(FRAME) / RATE) * 8000).astype(np.int16).tobytes()

    async def feed() -> None:
        while True:
            await source.capture_frame(rtc.AudioFrame(tone, RATE, 1, FRAME))

    feeder = asyncio.ensure_future(feed())
    await asyncio.sleep(1)
    busy = await _cpu_share(ds.pid, seconds)
    feeder.cancel()
    for room in [pub, *subs]:
        await room.disconnect()
    return idle, busy


async def measure_joins(ds: RunningDevserver, n: int) -> list[float]:
    """Seconds for Room.connect to return (signalling + both peer connections), fresh room each."""
    times = []
    for i in range(n):
        room = rtc.Room()
        start = time.monotonic()
        await room.connect(ds.url, _token(ds, "joiner", f"bench-join-{i}"))
        times.append(time.monotonic() - start)
        await room.disconnect()
    return times


def _ms(values: list[float], q: float, *, digits: int = 1) -> str:
    if not values:
        return "n/a"
    return f"{np.quantile(values, q) * 1000:.{digits}f} ms"


async def run(bursts: int, cpu_seconds: float) -> None:
    in_process, in_process_jb, forwarding = await measure_in_process(bursts)
    with running_devserver() as ds:
        direct, through, jitter_buffer = await measure_delays(ds, bursts)
        cpu = {k: await measure_cpu(ds, k, cpu_seconds) for k in (1, 4)}
        joins = await measure_joins(ds, 10)
    added = statistics.median(through) - statistics.median(direct) if direct and through else float("nan")
    print("| figure | value |\n|---|---|")
    print(f"| one-way delay, SDK local path (capture -> AudioStream), median / p95 | {_ms(direct, .5)} / {_ms(direct, .95)} |")
    print(f"| one-way delay through devserver, median / p95 ({len(through)} bursts) | {_ms(through, .5)} / {_ms(through, .95)} |")
    print(f"| added by WebRTC + devserver, median | {added * 1000:.1f} ms |")
    print(f"| of which the subscriber's jitter buffer (NetEq mean) | {jitter_buffer * 1000:.0f} ms |")
    print(f"| one-way delay through a devserver in the client's process (shares its CPU), median; NetEq mean | "
          f"{_ms(in_process, .5)}; {in_process_jb * 1000:.0f} ms |")
    print(f"| devserver's own step (frame received -> handed to sender), median / p95 / max | "
          f"{_ms(forwarding, .5, digits=3)} / {_ms(forwarding, .95, digits=3)} / {max(forwarding) * 1000:.1f} ms |")
    for k, (idle, busy) in cpu.items():
        print(f"| server CPU, 1 publisher -> {k} subscriber(s): idle / audio flowing | "
              f"{idle * 100:.1f}% / {busy * 100:.1f}% of one core |")
    per_stream = (cpu[4][1] - cpu[4][0]) / 4
    print(f"| server CPU per forwarded Opus stream (4-subscriber run) | {per_stream * 100:.2f}% of one core |")
    print(f"| join time (connect returns), median / max of {len(joins)} | {_ms(joins, .5)} / {max(joins) * 1000:.0f} ms |")


def main() -> None:
    """Parse arguments, enter a private network namespace, run and print the table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--bursts", type=int, default=30, help="tone bursts per delay measurement")
    parser.add_argument("--cpu-seconds", type=float, default=10.0, help="seconds per CPU measurement")
    args = parser.parse_args()
    enter_private_network()
    asyncio.run(run(args.bursts, args.cpu_seconds))


if __name__ == "__main__":
    main()
