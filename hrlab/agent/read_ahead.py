"""Reading the next question's prompt while the candidate is still speaking.

An instruct model's question prompt is the whole dialogue, then the next topic (domain/prompting.py), so
everything up to the candidate's latest words is known before they finish. Each piece the STT finalises is
sent to the model as a one-token completion: llama.cpp reads it into the interview's cached prefix, and
when the turn ends only the last words and the topic remain to read. On a 2-core CPU that is most of the
question's time: Qwen2.5-1.5B reads about 40 tokens a second on one thread.
"""

from __future__ import annotations

import asyncio
import logging

from hrlab.providers.completion import TextCompleter

log = logging.getLogger(__name__)


class ReadAhead:
    """One interview's read-ahead: at most one read in flight, and only the newest prefix waits for it."""

    def __init__(self, completer: TextCompleter, *, timeout: float, log_extra: dict | None = None):
        self._completer = completer
        self._timeout = timeout
        self._extra = log_extra or {}
        self._wanted: str | None = None
        self._read: str | None = None  # the last prefix the model has read
        self._task: asyncio.Task[None] | None = None

    def read(self, prefix: str | None) -> None:
        """Have the model read `prefix` soon (None: nothing to read)."""
        if not prefix or prefix == self._read:
            return
        self._wanted = prefix
        if self._task is None or self._task.done():
            self._task = asyncio.get_event_loop().create_task(self._run(), name="conductor.read_ahead")

    async def settle(self, *, timeout: float) -> None:
        """Drop what waits and let the read in flight finish (up to `timeout` s): the question's own call
        comes next, on the same cached prefix (llama.cpp cannot stop a read midway, and another slot would
        read it all again)."""
        self._wanted = None
        task = self._task
        if task is not None and not task.done():
            await asyncio.wait([task], timeout=timeout)

    async def aclose(self) -> None:
        self._wanted = None
        if self._task is not None and not self._task.done():
            self._task.cancel()
            await asyncio.gather(self._task, return_exceptions=True)

    async def _run(self) -> None:
        while self._wanted is not None:
            prefix, self._wanted = self._wanted, None
            try:
                await asyncio.wait_for(self._completer.complete(prefix, max_tokens=1, temperature=0.0), self._timeout)
            except Exception as exc:  # noqa: BLE001 - reading ahead is only an optimisation
                log.debug("reading ahead failed: %s", exc, extra=self._extra)
                continue
            self._read = prefix
