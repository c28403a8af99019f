"""Silero VAD finds where speech starts and ends in the LibriVox clips (their .vad.lab is the truth)."""

from __future__ import annotations

import pytest
from livekit import rtc

from hrlab.providers.audio import read_wav_frame

CLIPS = ["en_librivox_sns_0870", "en_librivox_sns_0890", "en_librivox_sns_0920"]
TOLERANCE_S = 0.25  # silero decides on 32 ms windows and needs 50 ms of speech to start


def read_lab(path) -> tuple[float, float]:
    marks = dict(reversed(line.split("\t")) for line in path.read_text().split("\n") if line.strip())
    return float(marks["speech"]), float(marks["silence"])


async def speech_bounds(vad, frame: rtc.AudioFrame) -> tuple[float, float]:
    """Feed the clip plus 1 s of silence in 10 ms frames; return (first start, last end) in seconds."""
    starts, ends = await utterances(vad, frame)
    assert starts and ends, "no speech found"
    return starts[0], ends[-1]


async def utterances(vad, frame: rtc.AudioFrame) -> tuple[list[float], list[float]]:
    """The starts and ends (seconds) of the utterances the VAD hears in the clip plus 1 s of silence."""
    from livekit.agents.vad import VADEventType

    stream = vad.stream()
    step = frame.sample_rate // 100
    data = bytes(frame.data) + b"\0\0" * frame.sample_rate
    for start in range(0, len(data) // 2 - step + 1, step):
        stream.push_frame(rtc.AudioFrame(data[2 * start: 2 * (start + step)], frame.sample_rate, 1, step))
    stream.end_input()
    starts, ends = [], []
    async for event in stream:
        if event.type == VADEventType.START_OF_SPEECH:
            starts.append(event.timestamp - event.speech_duration)
        elif event.type == VADEventType.END_OF_SPEECH:
            ends.append(event.timestamp - event.silence_duration)
    await stream.aclose()
    return starts, ends


@pytest.mark.parametrize("clip", CLIPS)
async def test_speech_start_and_end_within_tolerance(registry, corpus, clip):
    pytest.importorskip("livekit.plugins.silero", reason="pip install 'hrlab[agent]'")
    expected_start, expected_end = read_lab(corpus / f"{clip}.vad.lab")
    start, end = await speech_bounds(registry.vad("silero"), read_wav_frame(corpus / f"{clip}.wav"))
    assert abs(start - expected_start) <= TOLERANCE_S, (start, expected_start)
    assert abs(end - expected_end) <= TOLERANCE_S, (end, expected_end)


async def test_silence_is_not_speech(registry):
    pytest.importorskip("livekit.plugins.silero", reason="pip install 'hrlab[agent]'")
    from livekit.agents.vad import VADEventType

    stream = registry.vad("silero").stream()
    for _ in range(200):
        stream.push_frame(rtc.AudioFrame(b"\0\0" * 160, 16000, 1, 160))
    stream.end_input()
    kinds = {event.type async for event in stream}
    await stream.aclose()
    assert VADEventType.START_OF_SPEECH not in kinds


def test_one_vad_model_is_shared(registry):
    pytest.importorskip("livekit.plugins.silero", reason="pip install 'hrlab[agent]'")
    assert registry.vad("silero") is registry.vad("silero")


async def test_a_longer_minimum_silence_keeps_a_pause_inside_one_utterance(registry, corpus):
    pytest.importorskip("livekit.plugins.silero", reason="pip install 'hrlab[agent]'")
    clip = read_wav_frame(corpus / f"{CLIPS[0]}.wav")
    pause = b"\0\0" * int(0.7 * clip.sample_rate)  # a thinking pause between two sentences
    twice = rtc.AudioFrame(bytes(clip.data) + pause + bytes(clip.data), clip.sample_rate, 1,
                           2 * clip.samples_per_channel + len(pause) // 2)
    default = registry.vad("silero")
    patient = registry.vad("silero", min_silence=1.0)
    assert patient is not default and patient is registry.vad("silero", min_silence=1.0)
    _, ends_default = await utterances(default, twice)
    _, ends_patient = await utterances(patient, twice)
    assert len(ends_default) >= len(ends_patient) + 1  # the 0.7 s pause ends an utterance at 0.55 s, not at 1 s
