"""memory:// rate limits: our per-process fixed-window store, with a clock the test moves."""

from __future__ import annotations

import pytest
from limits import parse
from limits.strategies import FixedWindowRateLimiter

from hrlab.api import window_store
from hrlab.api.window_store import WindowStore


class Clock:
    def __init__(self):
        self.now = 1_000_000.0

    def time(self) -> float:
        return self.now


@pytest.fixture
def clock(monkeypatch):
    fake = Clock()
    monkeypatch.setattr(window_store, "time", fake)
    return fake


def test_fixed_window_counts_and_resets(clock):
    limiter, limit = FixedWindowRateLimiter(WindowStore()), parse("2/minute")
    assert [limiter.hit(limit, "resume:1") for _ in range(3)] == [True, True, False]
    assert limiter.hit(limit, "resume:2")  # another key has its own budget
    stats = limiter.get_window_stats(limit, "resume:1")
    assert stats.remaining == 0 and stats.reset_time == clock.now + 60
    clock.now += 59.9
    assert not limiter.hit(limit, "resume:1")
    clock.now += 0.1  # the window ends; the counter starts again
    assert limiter.hit(limit, "resume:1")
    assert limiter.get_window_stats(limit, "resume:1").remaining == 1


def test_expired_counters_are_swept(clock):
    store = WindowStore()
    for n in range(100):
        store.incr(f"ip:{n}", 60)
    clock.now += window_store.SWEEP_EVERY_S + 60
    store.incr("ip:new", 60)  # any increment after the sweep interval frees what expired
    assert list(store._counts) == ["ip:new"]


def test_memory_url_uses_it(make_app):
    assert isinstance(make_app().extensions["hrlab.limiter"].storage, WindowStore)
