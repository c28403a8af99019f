"""Cloud or self-hosted models behind OpenAI-compatible endpoints (OPENAI_BASE_URL, OPENAI_API_KEY)."""

from __future__ import annotations

import logging
import os
import time
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from livekit.agents import APIConnectionError, APIError

from hrlab.providers.completion import Completion, check_completion_args, token_choices
from hrlab.providers.deps import require_module
from hrlab.providers.spec import ProviderError

log = logging.getLogger(__name__)

# Chat models get the few-shot prompt as text to continue; this line says so.
_CONTINUE = "Continue the text exactly where it stops. Reply with the continuation only."


@dataclass(frozen=True)
class OpenAIEndpoint:
    """Where an OpenAI-compatible API lives; `from_env` reads OPENAI_BASE_URL and OPENAI_API_KEY."""

    api_key: str
    base_url: str | None = None

    @classmethod
    def from_env(cls, *, api_key: str | None = None, base_url: str | None = None) -> OpenAIEndpoint:
        """Arguments win over the environment; a missing key raises ProviderError naming the variable."""
        key = api_key or os.environ.get("OPENAI_API_KEY")
        if not key:
            raise ProviderError(
                "openai/* providers need OPENAI_API_KEY (any non-empty value for a local server) "
                "and optionally OPENAI_BASE_URL for a non-OpenAI endpoint"
            )
        return cls(api_key=key, base_url=base_url or os.environ.get("OPENAI_BASE_URL") or None)

    def kwargs(self) -> dict:
        return {"api_key": self.api_key, **({"base_url": self.base_url} if self.base_url else {})}


def _plugin():
    return require_module("livekit.plugins.openai", extra="agent", package="livekit-plugins-openai")


def openai_llm(model: str, endpoint: OpenAIEndpoint, **options):
    """livekit-plugins-openai LLM for `model` at `endpoint`; options such as max_completion_tokens pass on."""
    return _plugin().LLM(model=model, **endpoint.kwargs(), **options)


def openai_stt(model: str, endpoint: OpenAIEndpoint, *, language: str, keyterms: Sequence[str] = ()):
    """livekit-plugins-openai batch STT (no realtime socket) for `model`."""
    extra = {"keywords": list(keyterms)} if keyterms else {}
    return _plugin().STT(model=model, language=language, use_realtime=False, **endpoint.kwargs(), **extra)


def openai_tts(model: str, endpoint: OpenAIEndpoint, *, voice: str = "alloy"):
    """livekit-plugins-openai TTS for `model` with `voice`."""
    return _plugin().TTS(model=model, voice=voice, **endpoint.kwargs())


class OpenAICompleter:
    """`complete()` over an OpenAI-compatible endpoint: /completions for base models, else chat."""

    def __init__(self, model: str, endpoint: OpenAIEndpoint, *, api: Literal["chat", "completions"] = "chat"):
        openai = require_module("openai", extra="agent", package="openai")
        if api not in ("chat", "completions"):
            raise ProviderError(f"api must be 'chat' or 'completions', got {api!r}")
        self.model = model
        self._api = api
        self.instruct = api == "chat"
        self._client = openai.AsyncOpenAI(**endpoint.kwargs(), max_retries=1)
        self._errors = (openai.APIConnectionError, openai.APIStatusError)
        self._logprobs = True  # False once the model refused them

    async def complete(
        self, prompt: str, *, max_tokens: int = 64, stop: Sequence[str] = (), temperature: float = 0.0,
        json_schema: dict | None = None, top_logprobs: int = 0,
    ) -> Completion:
        """Complete `prompt` up to `max_tokens`, ending before the first stop sequence.

        `json_schema`: structured outputs on chat; on /completions the llama.cpp/vLLM-style `json_schema` field.
        `top_logprobs`: chat only (the /completions API's legacy logprobs shape is not read); none where the
        endpoint gives none or the model refuses them.
        """
        stops = check_completion_args(prompt, max_tokens=max_tokens, stop=stop, temperature=temperature,
                                      top_logprobs=top_logprobs)
        started = time.perf_counter()
        common = {"model": self.model, "max_tokens": max_tokens, "temperature": temperature,
                  "stop": stops or None}
        try:
            if self._api == "completions":
                extra = {"extra_body": {"json_schema": json_schema}} if json_schema is not None else {}
                reply = await self._client.completions.create(prompt=prompt, **common, **extra)
                text, tokens = reply.choices[0].text or "", ()
            else:
                if json_schema is not None:
                    common["response_format"] = {"type": "json_schema", "json_schema": {
                        "name": "answer", "schema": json_schema, "strict": True}}
                reply, tokens = await self._chat(prompt, common, top_logprobs)
                text = reply.choices[0].message.content or ""
        except self._errors[0] as exc:
            raise APIConnectionError(f"{self.model}: {exc}") from exc
        except self._errors[1] as exc:
            raise APIError(f"{self.model}: {exc}", retryable=False) from exc
        usage = reply.usage
        return Completion(
            text=text, finish_reason=reply.choices[0].finish_reason or "stop",
            prompt_tokens=usage.prompt_tokens if usage else 0,
            completion_tokens=usage.completion_tokens if usage else 0,
            seconds=time.perf_counter() - started, tokens=tokens,
        )

    async def _chat(self, prompt: str, common: dict, top_logprobs: int):
        """One chat completion and, with `top_logprobs`, each token's alternatives. A model that refuses logprobs
        (OpenAI's reasoning models answer 400) is asked again without them, and not asked for them again."""
        messages = [{"role": "system", "content": _CONTINUE}, {"role": "user", "content": prompt}]
        if top_logprobs and self._logprobs:
            try:
                reply = await self._client.chat.completions.create(messages=messages, logprobs=True,
                                                                   top_logprobs=top_logprobs, **common)
            except self._errors[1] as exc:
                if exc.status_code != 400 or "logprobs" not in str(exc):
                    raise
                log.warning("%s refuses logprobs, so its scores are read as written: %s", self.model, exc)
                self._logprobs = False
            else:
                logprobs = reply.choices[0].logprobs
                return reply, token_choices([item.model_dump() for item in logprobs.content or ()] if logprobs else ())
        return await self._client.chat.completions.create(messages=messages, **common), ()
