"""Plain text completion: the call the interviewer brain makes with its few-shot prompts."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

from hrlab.errors import InvalidInput


@dataclass(frozen=True)
class TokenChoice:
    """One generated token and the likeliest tokens at its place, with their natural-log probabilities."""

    token: str
    top: tuple[tuple[str, float], ...]


@dataclass(frozen=True)
class Completion:
    """One completion: the text up to (not including) a stop sequence, and what it cost."""

    text: str
    finish_reason: str  # "stop" (stop sequence or end of text) or "length" (max_tokens reached)
    prompt_tokens: int
    completion_tokens: int
    seconds: float
    first_token_seconds: float | None = None
    cached_tokens: int = 0  # prompt tokens the model did not read again (llama.cpp's prefix cache)
    tokens: tuple[TokenChoice, ...] = ()  # with `top_logprobs` > 0, where the provider gives them


class TextCompleter(Protocol):
    """Anything hrlab's brain can ask for a completion (local llama.cpp or an OpenAI endpoint)."""

    # True for an instruct (chat) model, which follows an instruction; False for a base model, which
    # continues a few-shot document (domain/prompting.py has a question prompt for each).
    instruct: bool

    async def complete(
        self, prompt: str, *, max_tokens: int = 64, stop: Sequence[str] = (), temperature: float = 0.0,
        json_schema: dict | None = None, top_logprobs: int = 0,
    ) -> Completion:
        """`json_schema`: decode only text that is JSON valid against it (a grammar, or structured outputs).
        `top_logprobs`: also return, per generated token, that many likeliest tokens (`Completion.tokens`)."""
        ...


# OpenAI's limit on top_logprobs; llama.cpp takes more, but a score needs five.
MAX_TOP_LOGPROBS = 20


def check_completion_args(prompt: str, *, max_tokens: int, stop: Sequence[str], temperature: float,
                          top_logprobs: int = 0) -> list[str]:
    """Validate completion arguments; return `stop` as a list."""
    if not isinstance(prompt, str) or not prompt:
        raise InvalidInput("prompt must be a non-empty string")
    if not isinstance(max_tokens, int) or not 1 <= max_tokens <= 4096:
        raise InvalidInput(f"max_tokens must be an integer in 1..4096, got {max_tokens!r}")
    if isinstance(stop, str):
        stop = [stop]  # a lone string is a common slip; it means one stop sequence
    stop = list(stop)
    if len(stop) > 8 or not all(isinstance(s, str) and s for s in stop):
        raise InvalidInput("stop must be at most 8 non-empty strings")
    if not 0.0 <= float(temperature) <= 2.0:
        raise InvalidInput(f"temperature must be in 0..2, got {temperature!r}")
    if not isinstance(top_logprobs, int) or not 0 <= top_logprobs <= MAX_TOP_LOGPROBS:
        raise InvalidInput(f"top_logprobs must be an integer in 0..{MAX_TOP_LOGPROBS}, got {top_logprobs!r}")
    return stop


def token_choices(content: Sequence[dict] | None) -> tuple[TokenChoice, ...]:
    """`Completion.tokens` from the OpenAI logprobs list (chat's `logprobs.content`, which llama.cpp also
    streams): [{"token", "logprob", "top_logprobs": [{"token", "logprob"}, ...]}, ...]."""
    return tuple(TokenChoice(item["token"], tuple((alt["token"], float(alt["logprob"]))
                                                  for alt in item.get("top_logprobs") or ()))
                 for item in content or ())
