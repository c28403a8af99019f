"""Rendering a livekit ChatContext into the transcript a base model continues."""

from __future__ import annotations

import pytest

llm = pytest.importorskip("livekit.agents.llm")

from hrlab.providers.chat_prompt import TranscriptFormat, render_transcript  # noqa: E402


def test_system_first_then_labelled_turns_ending_with_the_assistant_label():
    ctx = llm.ChatContext.empty()
    ctx.add_message(role="system", content="Interview for a backend role.")
    ctx.add_message(role="assistant", content="Hi! What do you do?")
    ctx.add_message(role="user", content="I write\nGo services.")
    prompt = render_transcript(ctx, TranscriptFormat())
    assert prompt == (
        "Interview for a backend role.\n\n"
        "Interviewer: Hi! What do you do?\nCandidate: I write Go services.\nInterviewer:"
    )


def test_custom_labels_and_their_stop_sequences():
    fmt = TranscriptFormat(assistant="Интервьюер", user="Кандидат")
    ctx = llm.ChatContext.empty()
    ctx.add_message(role="user", content="Привет")
    assert render_transcript(ctx, fmt) == "Кандидат: Привет\nИнтервьюер:"
    assert "\nКандидат:" in fmt.stop


def test_chatml_wraps_a_completion_prompt_as_one_user_turn_for_instruct_models():
    from hrlab.providers.chat_prompt import CHAT_TEMPLATES, chatml

    assert chatml("Assess this.") == "<|im_start|>user\nAssess this.<|im_end|>\n<|im_start|>assistant\n"
    assert CHAT_TEMPLATES["qwen2.5-1.5b"] is chatml
    assert "gemma3-270m" not in CHAT_TEMPLATES  # a base model continues plain text
