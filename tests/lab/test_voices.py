from __future__ import annotations

import shutil

import numpy as np
import pytest

from hrlab.lab.answer_audio import answer_audio
from hrlab.lab.metrics import speech_segments
from hrlab.lab.scenario import CandidateTurn, ThinkingPause
from hrlab.lab.synthesis import Synthesizer
from hrlab.lab.voices import resample_int16, synthesizer_for
from hrlab.providers.spec import MissingDependency, ProviderError


def test_resample_keeps_duration_and_pitch():
    rate = 22_050
    tone = (np.sin(2 * np.pi * 440 * np.arange(rate) / rate) * 10_000).astype(np.int16)
    out = resample_int16(tone, rate, 16_000)
    assert abs(len(out) - 16_000) < 200
    spectrum = np.abs(np.fft.rfft(out[2000:14000].astype(float)))
    assert np.argmax(spectrum) * 16_000 / 12_000 == pytest.approx(440, abs=3)


def test_cloud_voice_is_refused():
    with pytest.raises(ProviderError, match="local voice"):
        synthesizer_for("openai/tts-1")


@pytest.mark.parametrize(("provider", "language", "text"), [
    ("espeak/en-us", "en", "I built payment services in Python."),
    ("festival/ru", "ru", "Я строю хранилища данных."),
    ("festival/en", "en", "I built payment services in Python."),
])
def test_local_voice_through_the_cache_with_a_pause(provider, language, text, tmp_path):
    try:
        voice = synthesizer_for(provider)
    except MissingDependency as exc:  # a program or voice scripts/install-system.sh could not install
        pytest.skip(str(exc))
    try:
        assert isinstance(voice, Synthesizer)
        turn = CandidateTurn(index=0, text=text, pauses=(ThinkingPause(at_ms=700, duration_ms=1000),))
        audio = answer_audio(turn, language=language, synthesizer=voice, cache_dir=tmp_path)
    finally:
        voice.close()
    assert 1.5 < audio.duration_s < 8
    segments = speech_segments(audio.pcm, merge_gap_s=0.3)
    (pause_start, pause_end), = audio.pauses_s
    assert segments[0].start < pause_start and segments[-1].end > pause_end
    assert len(list(tmp_path.rglob("*.wav"))) == 1


def test_a_voice_played_slower_is_longer_and_lower():
    if shutil.which("espeak-ng") is None:
        pytest.skip("espeak-ng is not installed (scripts/install-system.sh installs it)")
    plain, slower = synthesizer_for("espeak/en-us"), synthesizer_for("espeak/en-us@0.8")
    try:
        text = "I built payment services in Python."
        a, b = plain.synthesize(text, "en"), slower.synthesize(text, "en")
    finally:
        plain.close()
        slower.close()
    assert len(b) / len(a) == pytest.approx(1 / 0.8, rel=0.02)
    assert _mean_frequency(b) < 0.9 * _mean_frequency(a)


def _mean_frequency(pcm: np.ndarray) -> float:
    spectrum = np.abs(np.fft.rfft(pcm.astype(float)))
    frequencies = np.fft.rfftfreq(len(pcm), 1 / 16_000)
    return float((spectrum * frequencies).sum() / spectrum.sum())


@pytest.mark.parametrize("provider", ["festival/ru@3", "festival/ru@0.2", "festival/ru@x"])
def test_a_voice_speed_out_of_range_or_malformed_is_refused(provider):
    with pytest.raises(ProviderError):
        synthesizer_for(provider)
