"""Name native threads after the component they work for, so per-thread CPU (top -H, /proc) says who used it.

Linux keeps a 15-character name per thread; a thread inherits its creator's name, so threads an engine
starts while loading or working under `working_as` carry the engine's name too (llama.cpp's server loop,
CTranslate2's and onnxruntime's pools). Elsewhere, or when /proc refuses, this does nothing.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

PREFIX = "hr-"


def _comm() -> Path:
    return Path(f"/proc/self/task/{threading.get_native_id()}/comm")


def current_name() -> str | None:
    """This native thread's name, or None where it cannot be read."""
    try:
        return _comm().read_text().rstrip("\n")
    except OSError:
        return None


def _rename(name: str) -> None:
    try:
        _comm().write_text(name[:15])
    except OSError:
        pass  # not Linux, or /proc is read-only: the names are a diagnostic, never a requirement


@contextmanager
def working_as(component: str) -> Iterator[None]:
    """Name the calling thread `hr-<component>` while the block runs, then give it back its name."""
    before = current_name()
    if before is None:
        yield
        return
    _rename(PREFIX + component)
    try:
        yield
    finally:
        _rename(before)
