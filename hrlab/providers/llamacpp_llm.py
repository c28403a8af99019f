"""Local LLM on llama.cpp (xllamacpp's prebuilt wheel): few-shot completion and a livekit `llm.LLM`."""

from __future__ import annotations

import asyncio
import logging
import os
import threading
import time
import uuid
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from livekit.agents import DEFAULT_API_CONNECT_OPTIONS, APIConnectOptions, APIError, llm
from livekit.agents.types import NOT_GIVEN, NotGivenOr

from hrlab.providers.chat_prompt import TranscriptFormat, render_transcript
from hrlab.providers.completion import Completion, check_completion_args, token_choices
from hrlab.providers.deps import require_module
from hrlab.providers.thread_names import working_as

log = logging.getLogger(__name__)


# llama.cpp decodes a JSON schema with llguidance; left flexible, a small model may emit whitespace
# between tokens until max_tokens and never close the document.
_COMPACT_JSON = {"whitespace_flexible": False, "item_separator": ", ", "key_separator": ": "}


def default_llm_threads() -> int:
    """Half the cores, at least one: llama.cpp's spinning threads collapse when they share cores."""
    return max(1, (os.cpu_count() or 2) // 2)


class LlamaCppEngine:
    """One GGUF model in llama.cpp's own server engine: thread-safe, batched, prompt-prefix cached."""

    def __init__(self, gguf: Path, *, name: str, parallel: int = 4, ctx_per_slot: int = 2048,
                 threads: int | None = None, template: Callable[[str], str] | None = None):
        xlc = require_module("xllamacpp", package="xllamacpp")
        params = xlc.CommonParams()
        params.model.path = str(gguf)
        # Slots let concurrent interviews decode together; each keeps its prompt prefix cached.
        params.n_parallel = parallel
        params.n_ctx = ctx_per_slot * parallel
        threads = threads or default_llm_threads()
        params.cpuparams.n_threads = threads
        params.cpuparams_batch.n_threads = threads
        params.hostnames = ["127.0.0.1"]  # its HTTP side never leaves loopback
        params.verbosity = -1
        self.name = name
        self.threads = threads
        self._template = template  # an instruct model's chat wrapping (chat_prompt.chatml); None: plain text
        self.instruct = template is not None
        self._server = xlc.Server(params)
        self._in_flight = 0
        self._count_lock = threading.Lock()

    @property
    def in_flight(self) -> int:
        """Completions running or queued in the engine now (every interview's, and the assessment's)."""
        return self._in_flight

    @property
    def base_url(self) -> str:
        """OpenAI-compatible HTTP endpoint (…/v1) the engine also serves on loopback."""
        return self._server.listening_address.rstrip("/") + "/v1"

    def complete_blocking(
        self, prompt: str, *, max_tokens: int, stop: list[str], temperature: float,
        on_text: Callable[[str], bool] | None = None, json_schema: dict | None = None, top_logprobs: int = 0,
    ) -> Completion:
        """Complete `prompt`; `on_text` gets each new piece and may return True to stop (blocking).

        With `json_schema`, llama.cpp turns the schema into a grammar and samples only tokens it allows; the
        `top_logprobs` alternatives are the model's own, before the grammar.
        """
        started = time.perf_counter()
        state: dict[str, Any] = {"text": [], "first": None, "last": {}, "tokens": []}

        def on_chunk(chunk: dict) -> bool:
            if "error" in chunk:
                state["last"] = chunk
                return True
            piece = chunk["choices"][0].get("text") or ""
            if top_logprobs:  # not on the live question's stream, which asks for none
                state["tokens"].extend(token_choices((chunk["choices"][0].get("logprobs") or {}).get("content")))
            state["last"] = chunk
            if piece:
                state["first"] = state["first"] or time.perf_counter() - started
                state["text"].append(piece)
                return bool(on_text and on_text(piece))
            return False

        if self._template is not None:
            prompt = self._template(prompt)
        request = {"prompt": prompt, "max_tokens": max_tokens, "stop": stop, "temperature": temperature,
                   "stream": True, "cache_prompt": True}
        if json_schema is not None:
            request["json_schema"] = {**json_schema, "x-guidance": _COMPACT_JSON}
        if top_logprobs:
            request["n_probs"] = top_logprobs
        with self._count_lock:
            self._in_flight += 1
        try:
            with working_as(self.name):  # the model, not "llm": questions and assessments may use two
                result = self._server.handle_completions(request, on_chunk)
        finally:
            with self._count_lock:
                self._in_flight -= 1
        last = state["last"] if result is None else result
        if "error" in last:
            raise APIError(f"llama.cpp refused the request: {last['error'].get('message')}", retryable=False)
        usage = last.get("usage") or {}
        return Completion(
            text="".join(state["text"]),
            finish_reason=last.get("choices", [{}])[0].get("finish_reason") or "stop",
            prompt_tokens=int(usage.get("prompt_tokens", 0)),
            completion_tokens=int(usage.get("completion_tokens", 0)),
            seconds=time.perf_counter() - started,
            first_token_seconds=state["first"],
            cached_tokens=int((usage.get("prompt_tokens_details") or {}).get("cached_tokens") or 0),
            tokens=tuple(state["tokens"]),
        )

    async def complete(
        self, prompt: str, *, max_tokens: int = 64, stop: Sequence[str] = (), temperature: float = 0.0,
        json_schema: dict | None = None, top_logprobs: int = 0,
    ) -> Completion:
        """Complete `prompt` up to `max_tokens`, ending before the first stop sequence."""
        stops = check_completion_args(prompt, max_tokens=max_tokens, stop=stop, temperature=temperature,
                                      top_logprobs=top_logprobs)
        cancelled = threading.Event()
        call = asyncio.ensure_future(asyncio.to_thread(
            self.complete_blocking, prompt, max_tokens=max_tokens, stop=stops, temperature=temperature,
            on_text=lambda _piece: cancelled.is_set(), json_schema=json_schema, top_logprobs=top_logprobs,
        ))
        try:
            return await asyncio.shield(call)
        except asyncio.CancelledError:
            # A cancelled call stops decoding at its next token (a prompt being read is read to the end), and
            # returns only then: a caller's next call must find this slot free, or llama.cpp gives it a slot
            # without the cached prefix and it reads the whole dialogue again (8 s, live).
            cancelled.set()
            await asyncio.wait([call])
            raise
        finally:
            cancelled.set()


class LlamaCppLLM(llm.LLM):
    """livekit `llm.LLM` over a base model: the chat is rendered as a transcript to continue."""

    def __init__(self, engine: LlamaCppEngine, *, fmt: TranscriptFormat | None = None,
                 max_tokens: int = 96, temperature: float = 0.3):
        super().__init__()
        self._engine = engine
        self._fmt = fmt or TranscriptFormat()
        self._max_tokens = max_tokens
        self._temperature = temperature
        self._warned_tools = False

    @property
    def model(self) -> str:
        return self._engine.name

    @property
    def provider(self) -> str:
        return "llama.cpp"

    @property
    def instruct(self) -> bool:
        return self._engine.instruct

    async def complete(
        self, prompt: str, *, max_tokens: int = 64, stop: Sequence[str] = (), temperature: float = 0.0,
        json_schema: dict | None = None, top_logprobs: int = 0,
    ) -> Completion:
        """Few-shot completion on the same loaded model (see LlamaCppEngine.complete)."""
        return await self._engine.complete(prompt, max_tokens=max_tokens, stop=stop, temperature=temperature,
                                           json_schema=json_schema, top_logprobs=top_logprobs)

    def chat(
        self, *, chat_ctx: llm.ChatContext, tools: list | None = None,
        conn_options: APIConnectOptions = DEFAULT_API_CONNECT_OPTIONS,
        parallel_tool_calls: NotGivenOr[bool] = NOT_GIVEN, tool_choice: NotGivenOr[Any] = NOT_GIVEN,
        extra_kwargs: NotGivenOr[dict[str, Any]] = NOT_GIVEN,
    ) -> llm.LLMStream:
        if tools and not self._warned_tools:
            # A 270M base model cannot call tools; say so once instead of failing every turn.
            log.warning("%s ignores %d tool(s): base models have no tool calling", self.model, len(tools))
            self._warned_tools = True
        return LlamaCppStream(self, chat_ctx=chat_ctx, tools=tools or [], conn_options=conn_options)


class LlamaCppStream(llm.LLMStream):
    """Streams the completion's text as ChatChunks while llama.cpp decodes in a thread."""

    async def _run(self) -> None:
        owner: LlamaCppLLM = self._llm
        prompt = render_transcript(self._chat_ctx, owner._fmt)
        request_id = uuid.uuid4().hex
        loop = asyncio.get_running_loop()
        cancelled = threading.Event()

        started = False

        def on_text(piece: str) -> bool:
            nonlocal started
            if not started:  # the model continues after "Interviewer:", so its reply opens with a space
                piece = piece.lstrip()
                started = bool(piece)
                if not piece:
                    return cancelled.is_set()
            chunk = llm.ChatChunk(id=request_id, delta=llm.ChoiceDelta(role="assistant", content=piece))
            loop.call_soon_threadsafe(self._send, chunk)
            return cancelled.is_set()

        try:
            result = await asyncio.to_thread(
                owner._engine.complete_blocking, prompt, max_tokens=owner._max_tokens,
                stop=owner._fmt.stop, temperature=owner._temperature, on_text=on_text,
            )
        finally:
            cancelled.set()  # an interrupted turn stops decoding at the next token
        usage = llm.CompletionUsage(
            completion_tokens=result.completion_tokens, prompt_tokens=result.prompt_tokens,
            total_tokens=result.prompt_tokens + result.completion_tokens,
        )
        self._send(llm.ChatChunk(id=request_id, usage=usage))

    def _send(self, chunk: llm.ChatChunk) -> None:
        if not self._event_ch.closed:  # the consumer may have closed the stream mid-turn
            self._event_ch.send_nowait(chunk)
