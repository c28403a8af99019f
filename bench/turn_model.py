"""Smart Turn v3.2 on the recorded corpus: how well it tells thinking pauses from ends, and its cost.

Run: .venv/bin/python -m bench.turn_model
Every silence of 0.3 s or more inside a clip is a pause (the candidate went on), the end of each clip
an end. The model sees the audio up to 0.2 s into the silence, as the agent does after the VAD's
0.55 s (the 8 s window leaves the extra silence out of view for long answers). Its cost per call is
printed beside Whisper base transcribing the same 8 s window in the same run (the STT every turn
already pays), so the ratio survives another CPU.

Then the same question on the scenarios' answers, as the runner plays them (synthesised, thinking pauses
inserted): each pause of 0.55 s or more (the VAD's end of speech) and each answer's end, seen 0.55 s into
the silence, by Smart Turn and by Whisper's text of the phrase before it (does it end a sentence?). A cue
that lets the agent speak before 1.0 s must hold the pauses and pass the ends.
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
SCENARIOS = ("en_thinking_pauses", "ru_rambling_pauses", "en_rambling", "en_disfluent", "en_short", "ru_short",
             "en_strong", "ru_strong")
VAD_END_S = 0.55


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
    scenario_cues(model, whisper)


def scenario_cues(model: SmartTurnModel, whisper) -> None:
    """Pauses and ends of the scenarios' answers: how many each early-turn cue calls finished."""
    from hrlab.lab.batch import CANDIDATE_VOICES
    from hrlab.lab.paths import default_synthesis_cache
    from hrlab.lab.runner import prepare_answers
    from hrlab.lab.scenario import load_scenarios
    from hrlab.lab.voices import synthesizer_for

    seen = {"pause": [], "end": []}  # (Smart Turn probability, the phrase's text ends a sentence)
    for scenario in load_scenarios(list(SCENARIOS)):
        synthesizer = synthesizer_for(CANDIDATE_VOICES[scenario.language])
        for answer in prepare_answers(scenario, synthesizer=synthesizer, cache_dir=default_synthesis_cache()).values():
            audio = answer.pcm.astype(np.float32) / 32768.0
            phrase_start = 0.0
            for kind, start, end in [("pause", a, b) for a, b in answer.pauses_s] + [("end", answer.duration_s, None)]:
                if end is not None and end - start < VAD_END_S:
                    continue  # the VAD never ends the utterance here
                heard = audio[: int(start * 16000)]
                probability = model.end_probability(np.concatenate([heard, np.zeros(int(VAD_END_S * 16000),
                                                                                    np.float32)]))
                text = whisper.transcribe(heard[int(phrase_start * 16000):], language=scenario.language).text.strip()
                seen[kind].append((probability, text.endswith((".", "?", "!")) and not text.endswith("...")))
                phrase_start = end or start
        synthesizer.close()
    cues = {f"Smart Turn p >= {THRESHOLD}": lambda p, _: p >= THRESHOLD, "Smart Turn p >= 0.9": lambda p, _: p >= 0.9,
            "Whisper's text ends a sentence": lambda _, s: s,
            f"both (p >= {THRESHOLD})": lambda p, s: p >= THRESHOLD and s}
    print(f"\nscenario answers ({', '.join(SCENARIOS)}), seen {VAD_END_S} s into the silence")
    print(f"| cue says finished | pauses ({len(seen['pause'])}) | ends ({len(seen['end'])}) |\n|---|---|---|")
    for name, cue in cues.items():
        print(f"| {name} | {sum(cue(*x) for x in seen['pause'])} | {sum(cue(*x) for x in seen['end'])} |")


if __name__ == "__main__":
    main()
