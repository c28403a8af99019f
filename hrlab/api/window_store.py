"""Fixed-window rate-limit counters for one process: what `memory://` means in hrlab.

The `limits` package's own memory store starts a timer thread to expire keys after most increments
(profiled: a thread start every few requests, about a sixth of the token endpoint's in-process time).
Here expired counters read as zero on access, as there, and a sweep on the request path frees them.
"""

from __future__ import annotations

import threading
import time

from limits.storage import Storage

SCHEME = "hrlab-memory"
SWEEP_EVERY_S = 10.0


class WindowStore(Storage):
    """Counters with an expiry, for the fixed-window strategy only; safe across a worker's threads."""

    STORAGE_SCHEME = [SCHEME]

    def __init__(self, uri: str | None = None, wrap_exceptions: bool = False, **options):
        super().__init__(uri, wrap_exceptions=wrap_exceptions, **options)
        self._counts: dict[str, list[float]] = {}  # key -> [count, expires at (epoch seconds)]
        self._lock = threading.Lock()
        self._next_sweep = time.time() + SWEEP_EVERY_S

    @property
    def base_exceptions(self) -> type[Exception]:
        return ValueError

    def _live(self, key: str, now: float) -> list[float] | None:
        entry = self._counts.get(key)
        if entry is not None and entry[1] <= now:
            del self._counts[key]
            return None
        return entry

    def _sweep(self, now: float) -> None:
        if now >= self._next_sweep:
            self._next_sweep = now + SWEEP_EVERY_S
            for key in [key for key, (_, expires) in self._counts.items() if expires <= now]:
                del self._counts[key]

    def incr(self, key: str, expiry: float, amount: int = 1) -> int:
        now = time.time()
        with self._lock:
            self._sweep(now)
            entry = self._live(key, now)
            if entry is None:
                self._counts[key] = entry = [0, now + expiry]
            entry[0] += amount
            return int(entry[0])

    def get(self, key: str) -> int:
        with self._lock:
            entry = self._live(key, time.time())
            return int(entry[0]) if entry else 0

    def get_expiry(self, key: str) -> float:
        now = time.time()
        with self._lock:
            entry = self._live(key, now)
            return entry[1] if entry else now

    def check(self) -> bool:
        return True

    def reset(self) -> int | None:
        with self._lock:
            count = len(self._counts)
            self._counts.clear()
            return count

    def clear(self, key: str) -> None:
        with self._lock:
            self._counts.pop(key, None)
