"""Scripted STT/TTS/VAD subclassing livekit-agents' own bases, a scripted completer, and tone "speech".

The candidate's "voice" is a tone burst (one per answer, no inner pauses), so the energy VAD finds
exactly one utterance per answer and the scripted STT returns that answer's text.
"""

from __future__ import annotations

import asyncio
import time
import uuid
from collections.abc import Sequence

import numpy as np
from livekit import rtc
from livekit.agents import APIConnectOptions, stt, tts
from livekit.agents.types import DEFAULT_API_CONNECT_OPTIONS, NOT_GIVEN, NotGivenOr
from livekit.agents.vad import VAD, VADCapabilities, VADEvent, VADEventType, VADStream

from hrlab.agent.local_audio import Answer
from hrlab.providers.completion import Completion

RATE = 16000


def tone_answer(seconds: float, *, name: str = "tone", freq: float = 220.0, pause_after: float | None = None,
                then: float | None = None) -> Answer:
    """A loud tone of `seconds` standing in for one spoken answer; with `pause_after`, a second tone (`then`
    seconds, else as long) follows that much silence (two phrases)."""
    def tone(length: float) -> np.ndarray:
        t = np.arange(int(length * RATE)) / RATE
        return (np.sin(2 * np.pi * freq * t) * 12000).astype(np.int16)

    samples = tone(seconds)
    if pause_after is not None:
        samples = np.concatenate([samples, np.zeros(int(pause_after * RATE), np.int16),
                                  tone(seconds if then is None else then)])
    return Answer(samples, RATE, name)


class EnergyVAD(VAD):
    """Speech is any 20 ms frame louder than a threshold; ends after `min_silence` seconds of audio."""

    def __init__(self, *, min_speech: float = 0.06, min_silence: float = 0.3, threshold: float = 500.0):
        super().__init__(capabilities=VADCapabilities(update_interval=0.02))
        self.min_speech, self.min_silence, self.threshold = min_speech, min_silence, threshold

    @property
    def min_silence_duration(self) -> float:
        return self.min_silence

    def stream(self) -> VADStream:
        return EnergyVADStream(self)


class EnergyVADStream(VADStream):
    async def _main_task(self) -> None:
        vad: EnergyVAD = self._vad
        speaking, speech, silence, frames, index = False, 0.0, 0.0, [], 0
        async for frame in self._input_ch:
            if not isinstance(frame, rtc.AudioFrame):
                speaking, speech, silence, frames = False, 0.0, 0.0, []
                continue
            index += frame.samples_per_channel
            loud = np.sqrt(np.mean(np.frombuffer(frame.data, np.int16).astype(np.float32) ** 2)) > vad.threshold
            if loud:
                speech, silence = speech + frame.duration, 0.0
                frames.append(frame)
            else:
                silence += frame.duration
                if speaking:
                    frames.append(frame)
            if not speaking and loud and speech >= vad.min_speech:
                speaking = True
                self._emit(VADEventType.START_OF_SPEECH, index, speech, silence, list(frames), True)
            self._emit(VADEventType.INFERENCE_DONE, index, speech, silence, [frame], speaking,
                       probability=1.0 if loud else 0.0)
            if speaking and silence >= vad.min_silence:
                self._emit(VADEventType.END_OF_SPEECH, index, speech, silence, list(frames), False)
                speaking, speech, frames = False, 0.0, []
            elif not speaking and not loud:
                speech, frames = 0.0, []

    def _emit(self, kind, index, speech, silence, frames, speaking, probability=0.0) -> None:
        self._event_ch.send_nowait(VADEvent(
            type=kind, samples_index=index, timestamp=time.time(), speech_duration=speech,
            silence_duration=silence, frames=frames, speaking=speaking, probability=probability,
            raw_accumulated_silence=silence,
        ))


class ScriptedSTT(stt.STT):
    """Batch STT returning the scripted transcripts in order (one per utterance the VAD cut)."""

    def __init__(self, transcripts: Sequence[str], *, delay: float = 0.05):
        super().__init__(capabilities=stt.STTCapabilities(streaming=False, interim_results=False))
        self.transcripts = list(transcripts)
        self.delay = delay
        self.heard: list[float] = []  # seconds of audio per recognition

    async def _recognize_impl(self, buffer, *, language: NotGivenOr[str] = NOT_GIVEN,
                              conn_options: APIConnectOptions) -> stt.SpeechEvent:
        await asyncio.sleep(self.delay)
        frames = buffer if isinstance(buffer, list) else [buffer]
        self.heard.append(sum(f.duration for f in frames))
        text = self.transcripts.pop(0) if self.transcripts else ""
        return stt.SpeechEvent(type=stt.SpeechEventType.FINAL_TRANSCRIPT, request_id=uuid.uuid4().hex,
                               alternatives=[stt.SpeechData(language="en", text=text)])


class ToneTTS(tts.TTS):
    """Non-streaming TTS that 'speaks' `seconds_per_word` of tone per word after `ttfb` seconds."""

    def __init__(self, *, seconds_per_word: float = 0.05, ttfb: float = 0.02):
        super().__init__(capabilities=tts.TTSCapabilities(streaming=False), sample_rate=RATE, num_channels=1)
        self.seconds_per_word = seconds_per_word
        self.ttfb = ttfb
        self.texts: list[str] = []

    def synthesize(self, text: str, *, conn_options: APIConnectOptions = DEFAULT_API_CONNECT_OPTIONS):
        self.texts.append(text)
        return ToneStream(tts=self, input_text=text, conn_options=conn_options)


class ToneStream(tts.ChunkedStream):
    async def _run(self, output_emitter: tts.AudioEmitter) -> None:
        owner: ToneTTS = self._tts
        output_emitter.initialize(request_id=uuid.uuid4().hex, sample_rate=RATE, num_channels=1,
                                  mime_type="audio/pcm")
        await asyncio.sleep(owner.ttfb)
        seconds = max(0.2, owner.seconds_per_word * len(self.input_text.split()))
        t = np.arange(int(seconds * RATE)) / RATE
        pcm = (np.sin(2 * np.pi * 440 * t) * 300).astype(np.int16)
        for start in range(0, len(pcm), RATE // 10):
            output_emitter.push(pcm[start:start + RATE // 10].tobytes())
        output_emitter.flush()


class ScriptedCompleter:
    """A TextCompleter giving scripted completions in order; an Exception item is raised, a float sleeps, a
    Completion is given as it is."""

    def __init__(self, script: Sequence[str | Exception | float] = (), *, instruct: bool = False):
        self.script = list(script)
        self.instruct = instruct
        self.prompts: list[str] = []
        self.primed: list[str] = []  # one-token calls that only warm the prompt cache
        self.schemas: list[dict | None] = []  # the json_schema of each non-priming call
        self.top_logprobs: list[int] = []  # the alternatives asked for by each non-priming call

    async def complete(self, prompt: str, *, max_tokens: int = 64, stop: Sequence[str] = (),
                       temperature: float = 0.0, json_schema: dict | None = None, top_logprobs: int = 0) -> Completion:
        if max_tokens == 1:
            self.primed.append(prompt)
            return Completion(text="", finish_reason="length", prompt_tokens=len(prompt.split()),
                              completion_tokens=1, seconds=0.01)
        self.prompts.append(prompt)
        self.schemas.append(json_schema)
        self.top_logprobs.append(top_logprobs)
        item = self.script.pop(0) if self.script else ""
        if isinstance(item, Exception):
            raise item
        if isinstance(item, Completion):
            return item
        if isinstance(item, float):
            await asyncio.sleep(item)
            item = ""
        return Completion(text=item, finish_reason="stop", prompt_tokens=len(prompt.split()),
                          completion_tokens=len(item.split()), seconds=0.01)


class FixedTurnModel:
    """An end-of-turn model with one verdict, recording what audio it was asked about."""

    def __init__(self, probability: float):
        self.probability = probability
        self.heard: list[int] = []  # samples per call

    def end_probability(self, samples) -> float:
        self.heard.append(len(samples))
        return self.probability
