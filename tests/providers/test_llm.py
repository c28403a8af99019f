"""The local LLM: few-shot completion in English and Russian, stop sequences, the livekit chat path."""

from __future__ import annotations

import asyncio
import json
import re

import pytest
from livekit.agents import APIError, llm

from hrlab.errors import InvalidInput

pytestmark = [pytest.mark.slow]

EN_FEW_SHOT = """An interviewer asks one short follow-up question about what the candidate just said.

Candidate: I built a payments API in Go for a fintech startup.
Interviewer: How did you make the payment calls idempotent?
###
Candidate: I have used PostgreSQL for five years, mostly for analytics.
Interviewer: Which query did you speed up the most, and how?
###
Candidate: I led a team of four engineers that migrated our monolith to Kubernetes.
Interviewer:"""

RU_FEW_SHOT = """Интервьюер задаёт один короткий уточняющий вопрос о том, что сказал кандидат.

Кандидат: Я три года писал бэкенд на Python и Django.
Интервьюер: Какой самый сложный проект на Django вы сделали?
###
Кандидат: Я настраивал мониторинг на Prometheus и Grafana.
Интервьюер: Какие метрики вы считали самыми важными?
###
Кандидат: Я руководил командой из пяти разработчиков мобильного приложения.
Интервьюер:"""


@pytest.fixture(scope="module")
def local_llm(registry):
    pytest.importorskip("xllamacpp", reason="pip install 'hrlab[models]'")
    return registry.completer("llamacpp/gemma3-270m")


async def test_english_few_shot_completion_stops_at_the_stop_sequence(local_llm):
    result = await local_llm.complete(EN_FEW_SHOT, max_tokens=48, stop=["\n", "###"])
    assert result.text.strip(), result
    assert "\n" not in result.text and "###" not in result.text
    assert result.finish_reason == "stop"
    assert result.completion_tokens >= 1 and result.prompt_tokens > 50


async def test_russian_few_shot_completion_is_russian(local_llm):
    result = await local_llm.complete(RU_FEW_SHOT, max_tokens=48, stop=["\n", "###"])
    assert re.search(r"[а-яё]{3,}", result.text.lower()), result
    assert "\n" not in result.text


async def test_max_tokens_cuts_a_long_completion(local_llm):
    result = await local_llm.complete("Count: one, two, three, four,", max_tokens=5)
    assert result.finish_reason == "length" and result.completion_tokens == 5


async def test_concurrent_completions_share_one_model(registry, local_llm):
    calls = [asyncio.ensure_future(local_llm.complete(EN_FEW_SHOT, max_tokens=16, stop=["\n"])) for _ in range(4)]
    seen = 0
    while not all(call.done() for call in calls):
        seen = max(seen, local_llm.in_flight)  # what an interview's conductor reads before asking
        await asyncio.sleep(0.005)
    results = [call.result() for call in calls]
    assert seen >= 2 and local_llm.in_flight == 0
    assert all(r.text.strip() for r in results)
    assert registry.completer("llamacpp/gemma3-270m") is local_llm
    assert sum(name.startswith("llm:") for name in registry.loaded()) == 1


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [({"max_tokens": 0}, "max_tokens"), ({"temperature": 5}, "temperature"), ({"stop": [""]}, "stop"),
     ({"top_logprobs": 21}, "top_logprobs"), ({"top_logprobs": -1}, "top_logprobs")],
)
async def test_bad_arguments_are_refused(local_llm, kwargs, message):
    with pytest.raises(InvalidInput, match=message):
        await local_llm.complete("Hello", **kwargs)


async def test_a_score_under_a_schema_comes_with_the_models_probabilities_of_each_score(local_llm):
    from hrlab.agent.score_probabilities import score_distribution
    from hrlab.domain.assessment import competency_schema

    prompt = "Rate this answer from 1 to 5: \"I built the billing service.\"\nJSON:"
    result = await local_llm.complete(prompt, max_tokens=24, json_schema=competency_schema(1), top_logprobs=10)
    assert "".join(choice.token for choice in result.tokens) == result.text
    assert all(1 <= len(choice.top) <= 10 for choice in result.tokens)
    distribution = score_distribution(result.tokens)
    assert distribution is not None and sum(distribution.values()) == pytest.approx(1.0)
    written = json.loads(result.text)["score"]
    assert distribution[written] > 0  # the score written is among the model's alternatives there
    plain = await local_llm.complete(prompt, max_tokens=24, json_schema=competency_schema(1))
    assert plain.tokens == () and plain.text == result.text  # asked for none: none, and the same greedy answer


async def test_prompt_longer_than_the_context_is_a_clear_error(local_llm):
    with pytest.raises(APIError, match="context size"):
        await local_llm.complete("word " * 5000, max_tokens=4)


async def test_livekit_chat_streams_the_interviewer_line(registry):
    model = registry.llm("llamacpp/gemma3-270m")
    assert isinstance(model, llm.LLM)
    ctx = llm.ChatContext.empty()
    ctx.add_message(role="system", content="A job interview. The interviewer asks short questions.")
    ctx.add_message(role="assistant", content="Hello! Tell me about your last project.")
    ctx.add_message(role="user", content="I built a search service in Python with Elasticsearch.")
    chunks = []
    async with model.chat(chat_ctx=ctx) as stream:
        async for chunk in stream:
            chunks.append(chunk)
    text = "".join(c.delta.content for c in chunks if c.delta and c.delta.content)
    assert text.strip()
    assert "Candidate:" not in text and "\n" not in text.strip()
    assert chunks[-1].usage is not None and chunks[-1].usage.completion_tokens >= 1
    assert await model.complete("Q: 2+2?\nA:", max_tokens=4, stop=["\n"])  # the brain's call on the same model


def busy_slots(local_llm) -> int:
    import json
    import urllib.request

    with urllib.request.urlopen(local_llm.base_url.removesuffix("/v1") + "/slots", timeout=5) as reply:
        return sum(slot["is_processing"] for slot in json.load(reply))


async def test_a_timed_out_completion_stops_decoding(local_llm):
    """asyncio.wait_for cancelling complete() must free the model, not decode on to max_tokens."""
    with pytest.raises(asyncio.TimeoutError):
        await asyncio.wait_for(local_llm.complete("Count: one, two, three,", max_tokens=2000), 0.5)
    for _ in range(50):  # the server loop releases the slot just after the call returns
        if await asyncio.to_thread(busy_slots, local_llm) == 0:
            break
        await asyncio.sleep(0.1)
    assert await asyncio.to_thread(busy_slots, local_llm) == 0, "the cancelled 2000-token decode is still running"


async def test_a_call_cancelled_while_reading_its_prompt_leaves_the_prefix_for_the_next_call(local_llm):
    """The next call must find the cancelled call's slot free, with its prompt cached; a call sent while
    that slot is busy goes to another slot and reads everything again."""
    prompt = "Meeting notes. " + " ".join(f"Point {i}: the team agreed on item {i}." for i in range(120))
    reading = asyncio.ensure_future(local_llm.complete(prompt, max_tokens=1))
    await asyncio.sleep(0.02)  # inside the prompt's read
    reading.cancel()
    with pytest.raises(asyncio.CancelledError):
        await reading
    again = await local_llm.complete(prompt + " Next steps:", max_tokens=1)
    assert again.cached_tokens >= 0.9 * again.prompt_tokens, again


async def test_livekit_chat_in_russian_with_russian_labels(registry):
    from hrlab.providers import TranscriptFormat

    model = registry.llm("llamacpp/gemma3-270m", fmt=TranscriptFormat(assistant="Интервьюер", user="Кандидат"))
    ctx = llm.ChatContext.empty()
    ctx.add_message(role="system", content="Собеседование разработчика. Интервьюер задаёт короткие вопросы.")
    ctx.add_message(role="assistant", content="Здравствуйте! Расскажите о вашем последнем проекте.")
    ctx.add_message(role="user", content="Я делал сервис поиска на Python и Elasticsearch.")
    text = (await model.chat(chat_ctx=ctx).collect()).text
    assert text.strip() and "Кандидат:" not in text
