"""The offline providers drive a real livekit-agents AgentSession (text mode, no room needed)."""

from __future__ import annotations

import pytest

pytestmark = [pytest.mark.slow]


async def test_agent_session_answers_with_the_local_stack(registry):
    pytest.importorskip("xllamacpp", reason="pip install 'hrlab[models]'")
    from livekit.agents import Agent, AgentSession

    session = AgentSession(
        stt=registry.stt("whisper/base", language="en"), llm=registry.llm("llamacpp/gemma3-270m"),
        tts=registry.tts("piper/en_US-joe"), vad=registry.vad("silero"),
    )
    async with session:
        instructions = "A job interview for a Python developer. The interviewer asks short questions."
        await session.start(Agent(instructions=instructions))
        result = await session.run(user_input="Hello, I have five years of Python experience.")
        message = result.expect.next_event().is_message(role="assistant").event().item
        text = message.text_content or ""
        assert text.strip() and text == text.lstrip() and "Candidate:" not in text
        assert message.metrics["llm_metadata"] == {"model_name": "gemma3-270m", "model_provider": "llama.cpp"}
