"""ReadAhead: one call in flight, drafts taken only for the prompt they were written for, stale drafts stopped."""

from __future__ import annotations

import asyncio

from hrlab.agent.read_ahead import ReadAhead

from .fakes import ScriptedCompleter


def read_ahead(completer: ScriptedCompleter) -> ReadAhead:
    return ReadAhead(completer, question=lambda prompt: completer.complete(prompt, max_tokens=48), timeout=5.0)


async def test_a_draft_is_the_question_for_its_own_prompt_only():
    completer = ScriptedCompleter(["How did you shard it?", "What did you measure?"])
    ahead = read_ahead(completer)
    ahead.draft("dialogue A, topic")
    task = ahead.take("dialogue A, topic")
    assert task is not None and (await task).text == "How did you shard it?"
    ahead.draft("dialogue A, topic")
    assert ahead.take("dialogue A and more, topic") is None  # the answer went on: that draft is not the question
    assert ahead.take("dialogue A, topic") is None  # and it is gone


async def test_a_candidate_who_goes_on_stops_the_draft():
    completer = ScriptedCompleter([3.0])  # a draft still decoding
    ahead = read_ahead(completer)
    ahead.draft("dialogue A, topic")
    await asyncio.sleep(0.05)
    ahead.abandon()
    assert ahead.take("dialogue A, topic") is None
    ahead.draft("dialogue B, topic")
    await asyncio.sleep(0.05)
    ahead.read("dialogue B and more")  # a new piece of the answer: the draft is stale
    assert ahead.take("dialogue B, topic") is None
    await ahead.aclose()


async def test_a_draft_waits_for_the_read_in_flight_so_both_use_one_cached_prefix():
    order: list[str] = []

    class Recording(ScriptedCompleter):
        async def complete(self, prompt, **kwargs):
            order.append(f"start {prompt}")
            await asyncio.sleep(0.2)
            order.append(f"end {prompt}")
            return await super().complete(prompt, **kwargs)

    completer = Recording(["Why Kafka?"])
    ahead = read_ahead(completer)
    ahead.read("dialogue")
    await asyncio.sleep(0.01)
    ahead.draft("dialogue and answer, topic")
    assert (await ahead.take("dialogue and answer, topic")).text == "Why Kafka?"
    assert order == ["start dialogue", "end dialogue", "start dialogue and answer, topic",
                     "end dialogue and answer, topic"]


async def test_a_failed_draft_is_not_taken():
    ahead = read_ahead(ScriptedCompleter([RuntimeError("model crashed")]))
    ahead.draft("dialogue, topic")
    await asyncio.sleep(0.05)
    assert ahead.take("dialogue, topic") is None  # the conductor asks again instead of falling back at once


async def test_the_next_read_waits_until_a_stopped_draft_has_left_the_model():
    order: list[str] = []

    class StopsAtItsNextToken(ScriptedCompleter):  # like llama.cpp: a cancelled call returns a little later
        async def complete(self, prompt, **kwargs):
            order.append(f"start {prompt}")
            try:
                await asyncio.sleep(0.3)
            except asyncio.CancelledError:
                await asyncio.sleep(0.1)
                order.append(f"stopped {prompt}")
                raise
            order.append(f"end {prompt}")
            return await super().complete(prompt, **kwargs)

    ahead = read_ahead(StopsAtItsNextToken())
    ahead.draft("dialogue, topic")
    await asyncio.sleep(0.05)
    ahead.read("dialogue and more")  # the candidate went on: the draft stops, then the new words are read
    await asyncio.sleep(0.8)
    assert order == ["start dialogue, topic", "stopped dialogue, topic", "start dialogue and more",
                     "end dialogue and more"]
