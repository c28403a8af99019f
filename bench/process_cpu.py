"""CPU seconds by process role and thread name, sampled from /proc while a batch runs (Linux only).

The agent worker names its threads by component (`hrlab/agent/thread_names.py`: hr-stt, hr-llm, hr-tts,
hr-vad, hr-turn); any other thread counts as `framework` (livekit, asyncio, WebRTC). The runner's own
process holds the simulated candidates; the devserver and a festival helper are their own processes.
A thread that exits between two samples loses the CPU it used since the last one, so sample often.
"""

from __future__ import annotations

import os
import threading
import time
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import psutil

TICKS = os.sysconf("SC_CLK_TCK")
COMPONENT_PREFIX = "hr-"


def role_of(process: psutil.Process) -> str | None:
    """What an hrlab process is for, from its command line; None for processes we do not count."""
    try:
        cmdline = " ".join(process.cmdline())
    except (psutil.NoSuchProcess, psutil.AccessDenied):
        return None
    if "agent dev" in cmdline or "agent start" in cmdline:
        return "agent"
    if "devserver" in cmdline:
        return "devserver"
    if "festival" in cmdline:
        return "festival"
    if process.pid == os.getpid():
        return "runner"
    return None


def thread_cpu(pid: int) -> dict[int, tuple[str, float]]:
    """Each live thread of `pid`: (its name, CPU seconds used so far)."""
    threads = {}
    for task in Path(f"/proc/{pid}/task").glob("*"):
        try:
            name = (task / "comm").read_text().strip()
            fields = (task / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue  # the thread ended between the listing and the read
        threads[int(task.name)] = (name, (int(fields[11]) + int(fields[12])) / TICKS)
    return threads


def bucket(role: str, thread_name: str) -> str:
    """The row a thread's CPU is reported under."""
    if role == "agent":
        return thread_name[len(COMPONENT_PREFIX):] if thread_name.startswith(COMPONENT_PREFIX) else "framework"
    return role


@dataclass
class CpuSampler:
    """Samples every `interval` seconds in a thread; `between(a, b)` gives CPU seconds per bucket in [a, b]."""

    interval: float = 0.2
    samples: list[tuple[float, dict[str, float]]] = field(default_factory=list)

    def __post_init__(self) -> None:
        self._stop = threading.Event()
        self._last: dict[tuple[int, int], float] = {}  # (pid, tid) -> CPU seconds at the last sample
        self._totals: dict[str, float] = defaultdict(float)
        self._thread = threading.Thread(target=self._loop, name="cpu-sampler", daemon=True)

    def __enter__(self) -> CpuSampler:
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._thread.join()

    def _loop(self) -> None:
        me = psutil.Process()
        while not self._stop.is_set():
            for process in [me, *me.children(recursive=True)]:
                role = role_of(process)
                if role is None:
                    continue
                for tid, (name, seconds) in thread_cpu(process.pid).items():
                    # The CPU since the last sample goes to the thread's name now: a pool thread is renamed
                    # for the component it works for while it does (hrlab/agent/thread_names.py).
                    used = seconds - self._last.get((process.pid, tid), 0.0)
                    self._last[(process.pid, tid)] = seconds
                    self._totals[bucket(role, name)] += used
            self.samples.append((time.time(), dict(self._totals)))
            self._stop.wait(self.interval)

    def between(self, start: float, end: float) -> dict[str, float]:
        """CPU seconds per bucket used between two wall-clock times (epoch seconds)."""
        before = _at(self.samples, start)
        after = _at(self.samples, end)
        return {label: after.get(label, 0.0) - before.get(label, 0.0) for label in after}


def _at(samples: list[tuple[float, dict[str, float]]], when: float) -> dict[str, float]:
    """The last sample at or before `when` (the first one if none is)."""
    chosen = samples[0][1] if samples else {}
    for at, totals in samples:
        if at > when:
            break
        chosen = totals
    return chosen
