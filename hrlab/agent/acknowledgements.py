"""A short acknowledgement ("Mm-hm.", "Понятно.") once the candidate has been quiet a moment.

The next question takes seconds (STT, then the LLM); a person would not sit silent meanwhile. The
lines come from the prompt set's `[acknowledgements]`, are synthesised once per voice after the
opening, and rotate so the candidate does not hear the same one twice in a row. They are not
interview lines: never a question, not in the transcript, and the candidate can talk over them.
The conductor decides when (1.6 s into the silence, unless a line came first).
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator

from livekit import rtc

from hrlab.domain.prompting import PromptSet

log = logging.getLogger(__name__)

# (voice, text) -> audio: the TTS engines are shared by every interview of the process, so are their lines
_SYNTHESISED: dict[tuple[str, str, str], list[rtc.AudioFrame]] = {}


class Acknowledgements:
    """One interview's bank of acknowledgement lines, with their audio once synthesised."""

    def __init__(self, prompts: PromptSet):
        self.texts = [text for text in prompts.sections["acknowledgements"].values() if text.strip()]
        self._audio: dict[str, list[rtc.AudioFrame]] = {}
        self._next = 0

    async def prepare(self, tts) -> None:
        """Synthesise every line with the interview's own voice (best effort: a line without audio is
        synthesised when it is said)."""
        for text in self.texts:
            key = (type(tts).__name__, f"{tts.provider}/{tts.model}", text)
            if key not in _SYNTHESISED:
                try:
                    async with tts.synthesize(text) as stream:
                        _SYNTHESISED[key] = [event.frame async for event in stream]
                except Exception as exc:  # noqa: BLE001 - an acknowledgement is a nicety, never a failure
                    log.warning("could not pre-synthesise %r: %s", text, exc)
                    continue
            self._audio[text] = _SYNTHESISED[key]

    def take(self) -> tuple[str, AsyncIterator[rtc.AudioFrame] | None]:
        """The next line and its audio (None when it must be synthesised on the spot)."""
        text = self.texts[self._next % len(self.texts)]
        self._next += 1
        frames = self._audio.get(text)
        return text, None if frames is None else _replay(frames)


async def _replay(frames: list[rtc.AudioFrame]) -> AsyncIterator[rtc.AudioFrame]:
    for frame in frames:
        yield frame
