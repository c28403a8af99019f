"""Smart Turn v3.2 on the recorded corpus: how well it tells thinking pauses from ends, and its cost.

Run: .venv/bin/python -m bench.turn_model
Every silence of 0.3 s or more inside a clip is a pause (the candidate went on), the end of each clip
an end. The model sees the audio up to 0.2 s into the silence, as the agent does after the VAD's
0.55 s (the 8 s window leaves the extra silence out of view for long answers). Its cost per call is
printed beside Whisper base transcribing the same 8 s window in the same run (the STT every turn
already pays), so the ratio survives another CPU.
"""

from __future__ import annotations

import csv
import statistics
import time
import wave
from pathlib import Path

import numpy as np

import hrlab
from hrlab.lab.metrics.timing import speech_segments
from hrlab.providers import ModelRegistry
from hrlab.providers.smart_turn import SmartTurnModel

CORPUS = Path(hrlab.__file__).resolve().parents[2] / "shared" / "corpus"
THRESHOLD = 0.5


def clips() -> list[tuple[str, str, np.ndarray]]:
    with open(CORPUS / "manifest.csv", newline="", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    out = []
    for row in rows:
        with wave.open(str(CORPUS / row["file"])) as wav:
            pcm = np.frombuffer(wav.readframes(wav.getnframes()), np.int16)
        out.append((row["file"], row["language"], pcm))
    return out


def main() -> None:
    model = SmartTurnModel()
    model.end_probability(np.zeros(16000, np.float32))  # the first call pays onnxruntime's set-up
    pauses, ends, costs = [], [], []
    for name, _language, pcm in clips():
        audio = pcm.astype(np.float32) / 32768.0
        segments = speech_segments(pcm, merge_gap_s=0.3)
        for segment in segments[:-1]:
            started = time.perf_counter()
            pauses.append(model.end_probability(audio[: int((segment.end + 0.2) * 16000)]))
            costs.append(time.perf_counter() - started)
        ends.append(model.end_probability(np.concatenate([audio, np.zeros(3200, np.float32)])))
    whisper = ModelRegistry()._load_whisper("base")
    window = np.concatenate([a.astype(np.float32) / 32768.0 for _, _, a in clips()])[: 8 * 16000]
    stt_costs = []
    for _ in range(3):
        started = time.perf_counter()
        whisper.transcribe(window, language="en")
        stt_costs.append(time.perf_counter() - started)
    held_pauses = sum(p < THRESHOLD for p in pauses)
    found_ends = sum(p >= THRESHOLD for p in ends)
    smart, stt = statistics.median(costs), statistics.median(stt_costs)
    print("| figure | value |\n|---|---|")
    print(f"| pauses inside answers heard as unfinished (p < {THRESHOLD}) | {held_pauses} of {len(pauses)} |")
    print(f"| ends of answers heard as finished | {found_ends} of {len(ends)} |")
    print(f"| Smart Turn per call, median / max | {smart * 1000:.0f} / {max(costs) * 1000:.0f} ms |")
    print(f"| Whisper base on the same 8 s, median (same run) | {stt * 1000:.0f} ms |")
    print(f"| Smart Turn cost as a share of that STT | {smart / stt:.1%} |")


if __name__ == "__main__":
    main()
