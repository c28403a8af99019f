from __future__ import annotations

import wave

import numpy as np
import pytest

from hrlab.lab.answer_audio import AnswerAudioError, answer_audio, read_wav_16k_mono, with_pauses
from hrlab.lab.scenario import CandidateTurn, ThinkingPause
from hrlab.lab.synthesis import (
    SynthesisError,
    Synthesizer,
    synthesis_cache_key,
    synthesis_cache_path,
    synthesize_cached,
    write_wav,
)


class ToneVoice:
    """Implements the Synthesizer contract with a tone whose length follows the text; counts calls."""

    def __init__(self, voice: str = "tone/a440"):
        self.voice = voice
        self.calls = 0

    def synthesize(self, text: str, language: str) -> np.ndarray:
        self.calls += 1
        t = np.arange(len(text) * 800) / 16_000
        return (np.sin(2 * np.pi * 440 * t) * 8000).astype(np.int16)


def test_cache_key_depends_on_text_language_and_voice():
    key = synthesis_cache_key("Hello there", "en", "piper/en_US-joe")
    assert len(key) == 64
    assert key == synthesis_cache_key("  Hello there\n", "en", "piper/en_US-joe")
    assert key != synthesis_cache_key("Hello there!", "en", "piper/en_US-joe")
    assert key != synthesis_cache_key("Hello there", "ru", "piper/en_US-joe")
    assert key != synthesis_cache_key("Hello there", "en", "festival/ru")


def test_cache_path_layout(tmp_path):
    key = synthesis_cache_key("x", "en", "v")
    assert synthesis_cache_path(tmp_path, key) == tmp_path / key[:2] / f"{key}.wav"


def test_synthesize_cached_writes_16k_mono_once(tmp_path):
    voice = ToneVoice()
    assert isinstance(voice, Synthesizer)
    first = synthesize_cached(voice, "Hello", "en", cache_dir=tmp_path)
    second = synthesize_cached(voice, "Hello", "en", cache_dir=tmp_path)
    assert first == second and voice.calls == 1
    with wave.open(str(first), "rb") as wav:
        assert (wav.getframerate(), wav.getnchannels(), wav.getsampwidth()) == (16_000, 1, 2)
        assert wav.getnframes() == 5 * 800
    assert not list(tmp_path.rglob("*.tmp"))


def test_synthesizer_returning_wrong_type_is_named(tmp_path):
    class Bad(ToneVoice):
        def synthesize(self, text, language):
            return np.zeros(10, dtype=np.float32)

    with pytest.raises(SynthesisError, match="tone/a440"):
        synthesize_cached(Bad(), "x", "en", cache_dir=tmp_path)


def test_text_turn_is_synthesised_with_pauses(tmp_path):
    turn = CandidateTurn(index=0, text="Hello world", pauses=(ThinkingPause(at_ms=100, duration_ms=250),
                                                             ThinkingPause(at_ms=300, duration_ms=500)))
    audio = answer_audio(turn, language="en", synthesizer=ToneVoice(), cache_dir=tmp_path)
    assert audio.duration_s == pytest.approx(11 * 800 / 16_000 + 0.75)
    assert audio.pauses_s == (pytest.approx((0.1, 0.35)), pytest.approx((0.55, 1.05)))
    start, end = (int(x * 16_000) for x in audio.pauses_s[1])
    assert not audio.pcm[start:end].any() and audio.pcm[end:end + 100].any()


def test_text_turn_without_synthesizer_is_refused():
    with pytest.raises(AnswerAudioError, match="synthesizer"):
        answer_audio(CandidateTurn(index=2, text="hi"), language="en")


def test_pause_past_the_end_is_refused():
    turn = CandidateTurn(index=1, text="x", pauses=(ThinkingPause(at_ms=2000, duration_ms=10),))
    with pytest.raises(AnswerAudioError, match="past the end"):
        with_pauses(np.ones(16_000, dtype=np.int16), turn)


def test_wrong_wav_format_is_named(tmp_path):
    path = tmp_path / "stereo.wav"
    write_wav(path, np.zeros(3200, dtype=np.int16), sample_rate=8000, channels=2)
    with pytest.raises(AnswerAudioError, match="16 kHz mono"):
        read_wav_16k_mono(path)


def test_real_clip_with_a_scripted_pause(corpus):
    turn = CandidateTurn(index=0, audio="../shared/corpus/en_librivox_sns_0890.wav", reference="unless",
                         pauses=(ThinkingPause(at_ms=2000, duration_ms=1000),))
    audio = answer_audio(turn, language="en")
    assert audio.duration_s == pytest.approx(5.30 + 1.0, abs=0.02)
    (start, end), = audio.pauses_s
    assert abs(start - 2.0) <= 0.25 and end == pytest.approx(start + 1.0)


def test_a_pause_moves_to_the_gap_between_words():
    word = (np.sin(2 * np.pi * 200 * np.arange(8000) / 16_000) * 9000).astype(np.int16)
    gap = np.zeros(1600, dtype=np.int16)  # 0.1 s between two "words", at 0.5-0.6 s
    pcm = np.concatenate([word, gap, word])
    turn = CandidateTurn(index=0, text="x", pauses=(ThinkingPause(at_ms=400, duration_ms=500),))
    (start, end), = with_pauses(pcm, turn).pauses_s
    assert 0.5 <= start <= 0.6 and end == pytest.approx(start + 0.5)
    far = CandidateTurn(index=0, text="x", pauses=(ThinkingPause(at_ms=100, duration_ms=500),))
    assert with_pauses(pcm, far).pauses_s[0][0] == pytest.approx(0.1)  # no quiet spot in reach: stays


def test_stereo_recording_round_trip(tmp_path):
    from hrlab.lab.metrics import speech_segments
    from hrlab.lab.recording import read_stereo_wav, write_stereo_wav

    tone = ToneVoice().synthesize("abcd", "en")  # 0.2 s
    candidate = np.concatenate([np.zeros(16_000, dtype=np.int16), tone])
    ai = tone
    path = write_stereo_wav(tmp_path / "run.wav", candidate=candidate, ai=ai)
    left, right, rate = read_stereo_wav(path)
    assert rate == 16_000 and len(left) == len(right) == len(candidate)
    assert speech_segments(left)[0].start == pytest.approx(1.0, abs=0.02)
    assert speech_segments(right)[0].start == 0.0 and not right[len(tone):].any()
