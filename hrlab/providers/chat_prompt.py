"""Render a livekit ChatContext as a plain transcript prompt a base (non-chat) model can continue."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class TranscriptFormat:
    """Speaker labels of the rendered transcript; the model writes the assistant's next line."""

    assistant: str = "Interviewer"
    user: str = "Candidate"

    @property
    def stop(self) -> list[str]:
        """Stop sequences that end the assistant's turn before the model invents the next one."""
        return [f"\n{self.user}:", f"\n{self.assistant}:", "\n\n"]


def render_transcript(chat_ctx, fmt: TranscriptFormat) -> str:
    """System/developer text first, then 'Label: text' lines, ending with the assistant's label."""
    header: list[str] = []
    lines: list[str] = []
    for item in chat_ctx.items:
        if getattr(item, "type", None) != "message":
            continue  # tool calls and handoffs mean nothing to a base model
        text = (item.text_content or "").strip()
        if not text:
            continue
        if item.role in ("system", "developer"):
            header.append(text)
        elif item.role == "user":
            lines.append(f"{fmt.user}: {_one_line(text)}")
        else:
            lines.append(f"{fmt.assistant}: {_one_line(text)}")
    parts = ["\n".join(header)] if header else []
    parts.append("\n".join([*lines, f"{fmt.assistant}:"]))
    return "\n\n".join(parts)


def _one_line(text: str) -> str:
    # A newline inside a turn would look like the end of the turn to the stop sequences.
    return " ".join(text.split())


def chatml(prompt: str) -> str:
    """`prompt` as one user turn of an instruct model's ChatML chat, the assistant's reply to follow.

    Instruct models (Qwen2.5) follow an instruction given this way and end their reply with the end-of-turn
    token; given the raw text, they may continue it as a document instead.
    """
    return f"<|im_start|>user\n{prompt}<|im_end|>\n<|im_start|>assistant\n"


# How a GGUF model's completion prompts are wrapped: base models read plain text.
CHAT_TEMPLATES = {"qwen2.5-1.5b": chatml}
