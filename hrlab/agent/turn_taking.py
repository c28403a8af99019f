"""When the candidate has finished speaking: the last seconds of their audio, read by Smart Turn.

`CandidateAudio` keeps what the STT hears (Interviewer.stt_node feeds it); `TurnEndDetector` asks
the Smart Turn model whether that audio ends a turn. livekit-agents uses the detector to choose its
endpointing delay: short when the turn sounds finished, long inside a thinking pause.
"""

from __future__ import annotations

import asyncio
from collections import deque

import numpy as np
from livekit import rtc

from hrlab.agent.acknowledgements import Acknowledgements
from hrlab.agent.options import InterviewOptions
from hrlab.domain.prompting import PromptSet
from hrlab.providers.audio import frames_to_mono_float
from hrlab.providers.smart_turn import SAMPLE_RATE, WINDOW_SECONDS, SmartTurnModel


class CandidateAudio:
    """The candidate's most recent microphone audio (a little over the model's 8 s window)."""

    def __init__(self, seconds: float = WINDOW_SECONDS + 0.5):
        self._frames: deque[rtc.AudioFrame] = deque()
        self._seconds = 0.0
        self._limit = seconds
        self.position = 0  # frames pushed so far: a prediction is valid until this changes

    def push(self, frame: rtc.AudioFrame) -> None:
        self._frames.append(frame)
        self._seconds += frame.duration
        self.position += 1
        while self._frames and self._seconds - self._frames[0].duration >= self._limit:
            self._seconds -= self._frames.popleft().duration

    def samples(self) -> np.ndarray:
        """The kept audio as 16 kHz mono float32."""
        return frames_to_mono_float(list(self._frames), sample_rate=SAMPLE_RATE)


class TurnEndDetector:
    """Smart Turn on one interview's audio, shaped as a livekit-agents turn detector.

    livekit-agents calls `predict_end_of_turn` once a transcript is in; below `threshold` it waits
    its longer endpointing delay before it commits the turn.
    """

    def __init__(self, model: SmartTurnModel, audio: CandidateAudio, *, threshold: float = 0.5):
        self.audio = audio
        self.threshold = threshold
        self._model = model
        self._lock = asyncio.Lock()
        self._memo: tuple[int, float] | None = None

    @property
    def model(self) -> str:
        return "smart-turn-v3.2"

    @property
    def provider(self) -> str:
        return "pipecat-ai (weights)"

    async def unlikely_threshold(self, language: str | None) -> float:
        return self.threshold

    async def supports_language(self, language: str | None) -> bool:
        return True  # trained on 23 languages, Russian and English among them

    async def predict_end_of_turn(self, chat_ctx, *, timeout: float | None = None) -> float:
        return await self.end_probability()

    async def end_probability(self) -> float:
        """How likely the candidate has finished, for the audio heard so far (computed once per position)."""
        async with self._lock:
            position = self.audio.position
            if self._memo is None or self._memo[0] != position:
                samples = self.audio.samples()
                probability = await asyncio.to_thread(self._model.end_probability, samples) if samples.size else 0.0
                self._memo = (position, probability)
            return self._memo[1]


def turn_taking(model: SmartTurnModel | None, prompts: PromptSet, options: InterviewOptions,
                ) -> tuple[CandidateAudio | None, TurnEndDetector | None, Acknowledgements | None]:
    """One interview's hearing and end-of-turn detector (None without a turn model) and acknowledgements
    (None when switched off)."""
    acknowledgements = Acknowledgements(prompts) if options.acknowledge else None
    if model is None:
        return None, None, acknowledgements
    hearing = CandidateAudio()
    return hearing, TurnEndDetector(model, hearing, threshold=options.turn_end_threshold), acknowledgements
