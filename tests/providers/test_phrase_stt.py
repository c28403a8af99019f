"""The STT heard phrase by phrase (real Silero VAD, real Whisper base, recorded speech): the phrases go out as
interims while the candidate still speaks, and one final per utterance holds them all, sent only once the
utterance's silence has passed."""

from __future__ import annotations

import asyncio

import numpy as np
import pytest
from livekit import rtc

from hrlab.providers.audio import read_wav_frame
from hrlab.providers.vad import UTTERANCE_SILENCE
from hrlab.wer import word_errors

FIRST, SECOND = "en_librivox_sns_0890.wav", "en_librivox_sns_0870.wav"
WAIT_S = 120.0  # a bound on a stuck recogniser, not a speed target: Whisper on a loaded CPU takes seconds


@pytest.fixture
def phrase_stt(registry):
    pytest.importorskip("livekit.plugins.silero", reason="pip install 'hrlab[agent]'")
    from hrlab.providers.phrase_stt import PhraseSTT

    return PhraseSTT(registry.stt("whisper/base", language="en"), registry.phrase_vad(),
                     utterance_silence=UTTERANCE_SILENCE)


def push(stream, frame: rtc.AudioFrame, *, then_silence: float) -> None:
    """The clip, then silence, in 10 ms frames as a microphone sends them."""
    step = frame.sample_rate // 100
    data = bytes(frame.data) + b"\0\0" * int(frame.sample_rate * then_silence)
    for start in range(0, len(data) // 2 - step + 1, step):
        stream.push_frame(rtc.AudioFrame(data[2 * start: 2 * (start + step)], frame.sample_rate, 1, step))


async def events_until(stream, kind, seen: list) -> None:
    async def collect():
        async for event in stream:
            seen.append(event)
            if event.type == kind:
                return
    await asyncio.wait_for(collect(), WAIT_S)


def reference(manifest, clip: str) -> str:
    return next(row["reference_text"] for row in manifest if row["file"] == clip)


def word_error_rate(heard: str, expected: str) -> float:
    return word_errors(expected, heard).rate


def speech_only(corpus, clip: str) -> rtc.AudioFrame:
    """The clip cut where its speech ends (its .vad.lab), so the silence after it is only what a test adds."""
    frame = read_wav_frame(corpus / clip)
    marks = dict(reversed(line.split("\t")) for line in (corpus / clip).with_suffix(".vad.lab").read_text().split("\n")
                 if line.strip())
    samples = int(float(marks["silence"]) * frame.sample_rate) + frame.sample_rate // 20
    return rtc.AudioFrame(bytes(frame.data)[:2 * samples], frame.sample_rate, 1, samples)


async def test_a_pause_shorter_than_the_utterances_silence_gives_interims_and_one_final(phrase_stt, corpus,
                                                                                       manifest):
    from livekit.agents.stt import SpeechEventType

    stream, seen = phrase_stt.stream(), []
    pause = 0.35  # ends a phrase (0.25 s), not the utterance (0.55 s)
    push(stream, speech_only(corpus, FIRST), then_silence=pause)
    await events_until(stream, SpeechEventType.INTERIM_TRANSCRIPT, seen)  # heard while the utterance goes on
    assert SpeechEventType.FINAL_TRANSCRIPT not in [e.type for e in seen]
    first_heard = seen[-1].alternatives[0].text
    push(stream, speech_only(corpus, SECOND), then_silence=1.0)
    stream.end_input()
    await events_until(stream, SpeechEventType.FINAL_TRANSCRIPT, seen)
    await stream.aclose()
    kinds = [e.type for e in seen]
    assert kinds.count(SpeechEventType.START_OF_SPEECH) == 1 and kinds.count(SpeechEventType.END_OF_SPEECH) == 1
    assert kinds.index(SpeechEventType.END_OF_SPEECH) < kinds.index(SpeechEventType.FINAL_TRANSCRIPT)
    final = seen[-1].alternatives[0].text
    assert final.startswith(first_heard)  # the phrases in the order spoken, none lost
    expected = f"{reference(manifest, FIRST)} {reference(manifest, SECOND)}"
    assert word_error_rate(final, expected) <= 0.15, final


async def test_a_pause_past_the_utterances_silence_gives_two_finals_in_order(phrase_stt, corpus, manifest):
    from livekit.agents.stt import SpeechEventType

    stream, seen = phrase_stt.stream(), []
    push(stream, speech_only(corpus, FIRST), then_silence=1.0)
    push(stream, speech_only(corpus, SECOND), then_silence=1.0)
    stream.end_input()
    async for event in stream:
        seen.append(event)
    await stream.aclose()
    finals = [e.alternatives[0].text for e in seen if e.type == SpeechEventType.FINAL_TRANSCRIPT]
    assert len(finals) == 2
    assert word_error_rate(finals[0], reference(manifest, FIRST)) <= 0.15, finals
    assert word_error_rate(finals[1], reference(manifest, SECOND)) <= 0.15, finals
    kinds = [e.type for e in seen]
    ends = [i for i, kind in enumerate(kinds) if kind == SpeechEventType.END_OF_SPEECH]
    final_at = [i for i, kind in enumerate(kinds) if kind == SpeechEventType.FINAL_TRANSCRIPT]
    assert kinds.count(SpeechEventType.START_OF_SPEECH) == 2 and len(ends) == 2
    assert ends[0] < final_at[0] and ends[1] < final_at[1]  # each final after its utterance ended


def test_a_streaming_recogniser_is_not_cut_into_phrases(registry):
    pytest.importorskip("livekit.plugins.silero", reason="pip install 'hrlab[agent]'")
    from livekit.agents.stt import StreamAdapter

    from hrlab.providers.phrase_stt import PhraseSTT

    streaming = StreamAdapter(stt=registry.stt("whisper/base", language="en"), vad=registry.vad())
    with pytest.raises(ValueError, match="streams already"):
        PhraseSTT(streaming, registry.phrase_vad(), utterance_silence=UTTERANCE_SILENCE)


async def test_short_phrases_go_to_the_recogniser_together_until_they_make_a_piece():
    # Each call pays Whisper's whole encoder window, so phrases of 1 s wait to be sent with the next ones.
    from livekit.agents.stt import SpeechEventType

    from hrlab.providers.phrase_stt import PhraseSTT
    from tests.agent.fakes import RATE, EnergyVAD, ScriptedSTT, tone_answer

    recogniser = ScriptedSTT(["one two three", "four"])
    phrases = PhraseSTT(recogniser, EnergyVAD(min_silence=0.1), utterance_silence=0.3, min_piece=2.5)
    stream, pause = phrases.stream(), np.zeros(int(0.2 * RATE), np.int16)
    audio = np.concatenate([tone_answer(1.0).samples, pause, tone_answer(1.0).samples, pause,
                            tone_answer(1.0).samples, pause, tone_answer(0.5).samples, np.zeros(RATE, np.int16)])
    push(stream, rtc.AudioFrame(audio.tobytes(), RATE, 1, len(audio)), then_silence=0.0)
    stream.end_input()
    seen = [event async for event in stream]
    await stream.aclose()
    # 1 s + 1 s is short of 2.5 s; the third phrase makes a piece; the last half second goes with the end
    assert [round(seconds) for seconds in recogniser.heard] == [3, 1]
    # all of it was pushed at once, so the end was known before the first piece was heard: no interim
    assert [(e.type, e.alternatives[0].text) for e in seen if e.alternatives] == [
        (SpeechEventType.FINAL_TRANSCRIPT, "one two three four")]
