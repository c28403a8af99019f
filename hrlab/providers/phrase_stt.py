"""Speech to text while the candidate speaks: phrases are transcribed as they end, a few seconds at a time.

A batch recogniser (Whisper) behind livekit's StreamAdapter hears an utterance only once the VAD has
heard 0.55 s of silence, so an answer spoken without such a pause is transcribed whole after it ends:
1.2-2.8 s on two cores before the next question can even be written (issue 11). This stream cuts the
audio at shorter pauses (`PHRASE_SILENCE`, a breath between phrases) with its own VAD and transcribes
the phrases, a few seconds at a time, while the next ones are spoken, so at the end of the turn only the
last few seconds are left.

The framework still gets what the StreamAdapter gives it: one final transcript per utterance, sent once
the utterance's silence has passed *and* every phrase of it is transcribed. So a turn is never committed
while one of its phrases is still in the recogniser (livekit-agents commits on the first final it has).
The phrases heard so far go out as interim transcripts, which the conductor reads ahead.
"""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass, field

from livekit import rtc
from livekit.agents import stt, utils
from livekit.agents.types import DEFAULT_API_CONNECT_OPTIONS, NOT_GIVEN, APIConnectOptions, NotGivenOr
from livekit.agents.vad import VAD, VADEvent, VADEventType

# Phrases go to the recogniser in pieces of at least this much audio (the last piece of an utterance may be
# shorter). Whisper encodes at least a 15 s window per call whatever the audio's length (BENCHMARKS.md,
# "Whisper's encoder window"), so a call per short phrase would cost an encoder pass each and save little.
MIN_PIECE_SECONDS = 4.0
# The recogniser is retried by STT.recognize already; the stream itself does not retry.
_STREAM_OPTIONS = APIConnectOptions(max_retry=0, timeout=DEFAULT_API_CONNECT_OPTIONS.timeout)


class PhraseSTT(stt.STT):
    """A batch `recogniser` made streaming by phrases; `phrases` is a VAD whose silence ends a phrase
    (providers/vad.py: `load_silero(phrases=True)`), `utterance_silence` the turn VAD's, which ends an utterance;
    phrases are recognised together until they hold `min_piece` seconds of audio."""

    def __init__(self, recogniser: stt.STT, phrases: VAD, *, utterance_silence: float,
                 min_piece: float = MIN_PIECE_SECONDS):
        if recogniser.capabilities.streaming:
            raise ValueError(f"{recogniser.model} streams already: it needs no phrase cutting")
        if utterance_silence <= 0 or min_piece < 0:
            raise ValueError(f"utterance_silence must be positive and min_piece >= 0, got {utterance_silence!r}, "
                             f"{min_piece!r}")
        super().__init__(capabilities=stt.STTCapabilities(
            streaming=True, interim_results=True, keyterms=recogniser.capabilities.keyterms))
        self.recogniser = recogniser
        self.phrases = phrases
        self.utterance_silence = utterance_silence
        self.min_piece = min_piece
        recogniser.on("metrics_collected", self._forward_metrics)

    @property
    def model(self) -> str:
        return self.recogniser.model

    @property
    def provider(self) -> str:
        return self.recogniser.provider

    def _update_session_keyterms(self, keyterms: list[str]) -> None:
        self.recogniser._update_session_keyterms(keyterms)

    async def _recognize_impl(self, buffer: utils.AudioBuffer, *, language: NotGivenOr[str] = NOT_GIVEN,
                              conn_options: APIConnectOptions = DEFAULT_API_CONNECT_OPTIONS) -> stt.SpeechEvent:
        return await self.recogniser.recognize(buffer=buffer, language=language, conn_options=conn_options)

    def stream(self, *, language: NotGivenOr[str] = NOT_GIVEN,
               conn_options: APIConnectOptions = DEFAULT_API_CONNECT_OPTIONS) -> PhraseStream:
        return PhraseStream(self, language=language, conn_options=conn_options)

    def prewarm(self) -> None:
        self.recogniser.prewarm()

    def _forward_metrics(self, *args, **kwargs) -> None:
        self.emit("metrics_collected", *args, **kwargs)

    async def aclose(self) -> None:
        self.recogniser.off("metrics_collected", self._forward_metrics)


@dataclass
class _Utterance:
    """The phrases of one utterance, in the order spoken, and when its speech ended."""

    texts: list[str] = field(default_factory=list)
    language: str = ""  # as the recogniser reported it
    speech_end_time: float | None = None


class PhraseStream(stt.RecognizeStream):
    """One participant's audio: phrases recognised in order, one at a time, while the VAD reads on."""

    def __init__(self, owner: PhraseSTT, *, language: NotGivenOr[str], conn_options: APIConnectOptions):
        super().__init__(stt=owner, conn_options=_STREAM_OPTIONS)
        self._owner = owner
        self._language = language
        self._recogniser_options = conn_options

    async def _metrics_monitor_task(self, event_aiter) -> None:
        async for _ in event_aiter:  # the recogniser's own calls report the metrics
            pass

    async def _run(self) -> None:
        vad_stream = self._owner.phrases.stream()
        # ("phrase", frames) and ("end", speech end time) in the order heard: one consumer keeps the
        # phrases of an utterance, and its final, ahead of the next utterance's.
        work: asyncio.Queue[tuple[str, object] | None] = asyncio.Queue()

        async def forward_input() -> None:
            async for item in self._input_ch:
                if isinstance(item, self._FlushSentinel):
                    vad_stream.flush()
                else:
                    vad_stream.push_frame(item)
            vad_stream.end_input()

        ends = [0, 0]  # utterance ends queued, utterances finished

        async def read_vad() -> None:
            talking, open_utterance, phrase_end = False, False, None
            piece: list[rtc.AudioFrame] = []  # phrases not yet sent to the recogniser

            def end_utterance() -> None:
                nonlocal open_utterance
                open_utterance = False
                ends[0] += 1
                if piece:
                    work.put_nowait(("phrase", piece.copy()))
                    piece.clear()
                work.put_nowait(("end", phrase_end))

            async for event in vad_stream:
                if event.type == VADEventType.START_OF_SPEECH:
                    talking = True
                    if not open_utterance:
                        open_utterance = True
                        self._event_ch.send_nowait(stt.SpeechEvent(stt.SpeechEventType.START_OF_SPEECH))
                elif event.type == VADEventType.END_OF_SPEECH:
                    talking = False
                    phrase_end = _speech_end_time(event)
                    piece.extend(event.frames)
                    if sum(frame.duration for frame in piece) >= self._owner.min_piece:
                        work.put_nowait(("phrase", piece.copy()))
                        piece.clear()
                elif (event.type == VADEventType.INFERENCE_DONE and open_utterance and not talking
                      and event.raw_accumulated_silence >= self._owner.utterance_silence):
                    # the turn VAD's silence has passed: the utterance is whole
                    self._event_ch.send_nowait(stt.SpeechEvent(stt.SpeechEventType.END_OF_SPEECH,
                                                               speech_end_time=phrase_end))
                    end_utterance()
            if open_utterance:
                end_utterance()
            work.put_nowait(None)

        async def recognise() -> None:
            utterance = _Utterance()
            while (item := await work.get()) is not None:
                kind, value = item
                if kind == "phrase":
                    heard = await self._recognise(value)
                    if heard is not None and heard.text.strip():
                        utterance.texts.append(heard.text.strip())
                        utterance.language = heard.language or utterance.language
                        if ends[0] == ends[1]:  # else the final follows at once: an interim would only cost a read
                            self._send(stt.SpeechEventType.INTERIM_TRANSCRIPT, utterance)
                    continue
                ends[1] += 1
                utterance.speech_end_time = value
                if utterance.texts:
                    self._send(stt.SpeechEventType.FINAL_TRANSCRIPT, utterance)
                utterance = _Utterance()

        tasks = [asyncio.create_task(forward_input(), name="phrase_stt_input"),
                 asyncio.create_task(read_vad(), name="phrase_stt_vad"),
                 asyncio.create_task(recognise(), name="phrase_stt_recognise")]
        try:
            await asyncio.gather(*tasks)
        finally:
            await utils.aio.cancel_and_wait(*tasks)
            await vad_stream.aclose()

    async def _recognise(self, frames: list[rtc.AudioFrame]) -> stt.SpeechData | None:
        event = await self._owner.recogniser.recognize(buffer=utils.merge_frames(frames), language=self._language,
                                                       conn_options=self._recogniser_options)
        return event.alternatives[0] if event.alternatives else None

    def _send(self, kind: stt.SpeechEventType, utterance: _Utterance) -> None:
        language = utterance.language or (self._language if isinstance(self._language, str) else "")
        self._event_ch.send_nowait(stt.SpeechEvent(
            type=kind, alternatives=[stt.SpeechData(language=language, text=" ".join(utterance.texts))],
            speech_end_time=utterance.speech_end_time))


def _speech_end_time(event: VADEvent) -> float:
    return time.time() - event.silence_duration - event.inference_duration
