"""Reading the next question's prompt, and drafting the question, while the candidate's turn is not over.

An instruct model's question prompt is the whole dialogue, then the next topic (domain/prompting.py), so
everything up to the candidate's latest words is known before they finish. Each piece the STT finalises
while they speak is sent to the model as a one-token completion: llama.cpp reads it into the interview's
cached prefix. Once they have gone quiet and the STT has finalised what they said, the whole question is
drafted: the framework commits the turn 0.5-2 s later (its endpointing delay), and by then the draft is
done or under way. A candidate who goes on speaking makes the draft stale, and it is stopped.
On a 2-core CPU this is most of the question's time: Qwen2.5-1.5B reads about 40 tokens a second and
writes about 9 on one thread.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable

from hrlab.providers.completion import Completion, TextCompleter

log = logging.getLogger(__name__)


class ReadAhead:
    """One interview's reads and draft, one model call at a time, each after the last has returned: every call
    then finds the prefix the previous one left in llama.cpp's slot (a busy slot sends the call to another,
    which reads the whole dialogue again: 8 s, live)."""

    def __init__(self, completer: TextCompleter, *, question: Callable[[str], Awaitable[Completion]],
                 timeout: float, log_extra: dict | None = None):
        self._completer = completer
        self._question = question  # the question call itself, with its tokens, stops and temperature
        self._timeout = timeout
        self._extra = log_extra or {}
        self._wanted: str | None = None
        self._read: str | None = None  # the last prefix the model has read
        self._reader: asyncio.Task[None] | None = None
        self._draft: tuple[str, asyncio.Task[Completion]] | None = None
        self._busy: asyncio.Task | None = None  # the latest task to use the model; the next one waits for it

    def read(self, prefix: str | None) -> None:
        """Have the model read `prefix` soon (None: nothing to read); a draft is stale by now."""
        self.abandon()
        if not prefix or prefix == self._read:
            return
        self._wanted = prefix
        if self._reader is None or self._reader.done():
            self._reader = self._busy = self._start(self._run(self._busy), "conductor.read_ahead")

    def draft(self, prompt: str) -> None:
        """Start writing the question for `prompt` (after the call in flight), replacing an earlier draft."""
        if self._draft is not None and self._draft[0] == prompt:
            return
        self.abandon()
        self._wanted = None  # the draft reads the same prefix itself
        task = self._busy = self._start(self._write(prompt, self._busy), "conductor.draft")
        self._draft = (prompt, task)

    def abandon(self) -> None:
        """Stop the draft: the candidate went on, or the dialogue changed. llama.cpp stops at its next token."""
        draft, self._draft = self._draft, None
        if draft is not None and not draft[1].done():
            draft[1].cancel()

    def take(self, prompt: str) -> asyncio.Task[Completion] | None:
        """The draft written for exactly `prompt` (await it for the completion), else None."""
        draft, self._draft = self._draft, None
        if draft is None:
            return None
        prompt_drafted, task = draft
        failed = task.done() and (task.cancelled() or task.exception() is not None)
        if prompt_drafted == prompt and not failed:
            return task
        task.cancel()
        return None

    def wait_for(self, call: asyncio.Task) -> None:
        """The next read or draft starts once `call` (the question's own, stopped) has left the model."""
        self._busy = call

    async def settle(self, *, timeout: float) -> None:
        """Drop what waits and let the call in flight return (up to `timeout` s): the question's own call
        comes next, on the same cached prefix (llama.cpp cannot stop a read midway)."""
        self._wanted = None
        await _after(self._busy, timeout)

    async def aclose(self) -> None:
        self._wanted = None
        self.abandon()
        if self._reader is not None and not self._reader.done():
            self._reader.cancel()
        await asyncio.gather(*(t for t in (self._reader, self._busy) if t is not None), return_exceptions=True)

    def _start(self, coro, name: str) -> asyncio.Task:
        return asyncio.get_event_loop().create_task(coro, name=name)

    async def _write(self, prompt: str, previous: asyncio.Task | None) -> Completion:
        await _after(previous, self._timeout)
        return await self._question(prompt)

    async def _run(self, previous: asyncio.Task | None) -> None:
        await _after(previous, self._timeout)
        while self._wanted is not None:
            prefix, self._wanted = self._wanted, None
            try:
                await asyncio.wait_for(self._completer.complete(prefix, max_tokens=1, temperature=0.0), self._timeout)
            except Exception as exc:  # noqa: BLE001 - reading ahead is only an optimisation
                log.debug("reading ahead failed: %s", exc, extra=self._extra)
                continue
            self._read = prefix


async def _after(task: asyncio.Task | None, timeout: float) -> None:
    """Wait (up to `timeout` s) until `task` has returned, however it ends."""
    if task is not None and not task.done():
        await asyncio.wait([task], timeout=timeout)
