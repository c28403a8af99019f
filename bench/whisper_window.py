"""Whisper's encoder window: the utterance plus 3 s (at least 15 s) against Whisper's own 30 s, in one run.

Run: .venv/bin/python -m bench.whisper_window
Clips: the recorded corpus (shared/corpus) and every scripted answer of scenarios/ spoken by the simulated
candidate's voice (piper/en_US-joe, festival/ru; cached under the lab data folder). Each clip is transcribed
by whisper/base (int8, beam 5) once per window; prints pooled WER per language, the summed and slowest
transcription time and the time ratio. Numbers go to BENCHMARKS.md "Whisper's encoder window".
"""

from __future__ import annotations

import csv
import time
from pathlib import Path

import numpy as np

import hrlab
from hrlab.lab.answer_audio import answer_audio, read_wav_16k_mono
from hrlab.lab.batch import CANDIDATE_VOICES
from hrlab.lab.paths import lab_data_dir
from hrlab.lab.scenario import load_scenarios
from hrlab.lab.voices import synthesizer_for
from hrlab.providers import ModelRegistry
from hrlab.providers.model_files import whisper_model_dir
from hrlab.providers.whisper_stt import ENCODER_WINDOWS, WhisperEngine
from hrlab.wer import corpus_wer

CORPUS = Path(hrlab.__file__).resolve().parents[2] / "shared" / "corpus"
MAX_SECONDS = 29  # one Whisper window: longer audio is cut into windows either way


def clips() -> list[tuple[str, str, np.ndarray]]:
    """(language, reference text, 16 kHz float32 samples) for the corpus and the scenarios' answers."""
    found = []
    with open(CORPUS / "manifest.csv", newline="", encoding="utf-8") as f:
        for row in csv.DictReader(f):
            found.append((row["language"], row["reference_text"], read_wav_16k_mono(CORPUS / row["file"])))
    voices = {language: synthesizer_for(voice) for language, voice in CANDIDATE_VOICES.items()}
    cache, seen = lab_data_dir() / "tts-cache", set()
    for scenario in load_scenarios():
        for turn in scenario.turns:
            key = (scenario.language, turn.text)
            if turn.action == "answer" and turn.text and not turn.audio and key not in seen:
                seen.add(key)
                audio = answer_audio(turn, language=scenario.language, synthesizer=voices[scenario.language],
                                     cache_dir=cache)
                found.append((scenario.language, turn.text, audio.pcm))
    return [(lang, text, pcm.astype(np.float32) / 32768) for lang, text, pcm in found
            if len(pcm) <= MAX_SECONDS * 16000]


def main() -> None:
    data = clips()
    model_dir = whisper_model_dir("base", ModelRegistry().model_dir)
    rows = {}
    for window in ENCODER_WINDOWS:
        engine = WhisperEngine(model_dir, name="base", english_only=False, encoder_window=window)
        engine.transcribe(data[0][2], language=data[0][0])  # warm-up
        pairs: dict[str, list[tuple[str, str]]] = {"en": [], "ru": []}
        times = []
        for language, reference, samples in data:
            started = time.perf_counter()
            pairs[language].append((reference, engine.transcribe(samples, language=language).text))
            times.append(time.perf_counter() - started)
        rows[window] = (corpus_wer(pairs["en"]), corpus_wer(pairs["ru"]), sum(times), max(times))
    audio_s = sum(len(samples) for *_, samples in data) / 16000
    print(f"whisper/base, {len(data)} clips, {audio_s:.0f} s of audio, {time.strftime('%Y-%m-%d')}")
    print("| encoder window | WER en | WER ru | transcription time, total | slowest clip |")
    print("|---|---|---|---|---|")
    for window, (en, ru, total, slowest) in rows.items():
        print(f"| {window} | {en:.3f} | {ru:.3f} | {total:.1f} s ({total / rows['full'][2]:.2f} of full) | "
              f"{slowest:.2f} s |")


if __name__ == "__main__":
    main()
