"""The livekit `tts.TTS` shell shared by local engines that synthesise one sentence at a time."""

from __future__ import annotations

import asyncio
import re
import threading
import uuid
from collections.abc import Iterator
from typing import Protocol

from livekit.agents import DEFAULT_API_CONNECT_OPTIONS, APIConnectOptions, APIError, tts

from hrlab.providers.thread_names import working_as

# Split after sentence punctuation so the first sentence plays while the rest is synthesised.
_SENTENCE_END = re.compile(r"(?<=[.!?…;])\s+")


def split_sentences(text: str) -> list[str]:
    """Non-empty sentences of `text`, in order."""
    return [s.strip() for s in _SENTENCE_END.split(text.strip()) if s.strip()]


class SentenceEngine(Protocol):
    """A local synthesiser: 16-bit mono PCM chunks for one text, blocking."""

    name: str
    sample_rate: int

    def synthesize_pcm(self, text: str) -> Iterator[bytes]: ...


class LocalTTS(tts.TTS):
    """Non-streaming TTS over a local engine; audio is pushed sentence by sentence."""

    def __init__(self, engine: SentenceEngine, *, provider: str):
        super().__init__(
            capabilities=tts.TTSCapabilities(streaming=False), sample_rate=engine.sample_rate,
            num_channels=1,
        )
        self._engine = engine
        self._provider = provider

    @property
    def model(self) -> str:
        return self._engine.name

    @property
    def provider(self) -> str:
        return self._provider

    def synthesize(
        self, text: str, *, conn_options: APIConnectOptions = DEFAULT_API_CONNECT_OPTIONS
    ) -> tts.ChunkedStream:
        return LocalChunkedStream(tts=self, input_text=text, conn_options=conn_options)


class LocalChunkedStream(tts.ChunkedStream):
    """Runs the blocking engine in a thread and forwards each chunk as soon as it exists."""

    async def _run(self, output_emitter: tts.AudioEmitter) -> None:
        engine: SentenceEngine = self._tts._engine
        output_emitter.initialize(
            request_id=uuid.uuid4().hex, sample_rate=engine.sample_rate, num_channels=1,
            mime_type="audio/pcm",
        )
        loop = asyncio.get_running_loop()
        queue: asyncio.Queue[bytes | BaseException | None] = asyncio.Queue()
        cancelled = threading.Event()  # a barge-in stops the thread between sentences

        def produce() -> None:
            try:
                with working_as("tts"):
                    for sentence in split_sentences(self.input_text):
                        if cancelled.is_set():
                            return
                        for chunk in engine.synthesize_pcm(sentence):
                            loop.call_soon_threadsafe(queue.put_nowait, chunk)
            except BaseException as exc:  # handed to the event loop, raised there
                loop.call_soon_threadsafe(queue.put_nowait, exc)
            finally:
                loop.call_soon_threadsafe(queue.put_nowait, None)

        worker = loop.run_in_executor(None, produce)
        pushed = False
        try:
            while (item := await queue.get()) is not None:
                if isinstance(item, BaseException):
                    raise APIError(f"{engine.name} synthesis failed: {item}",
                                   retryable=getattr(item, "retryable", False)) from item
                output_emitter.push(item)
                pushed = pushed or bool(item)
        finally:
            cancelled.set()
            await worker
        if not pushed and self.input_text.strip():
            # Text with nothing to say ("...", a lone dash) is a short pause, not a failed turn.
            output_emitter.push(b"\0\0" * (engine.sample_rate // 20))
        output_emitter.flush()
