"""How well whisper/base hears each lab voice: word error rate on the labelled set's answers.

    python -m bench.voice_wer [--language en] [--voices piper/en_US-joe espeak/en-us festival/en]

Each answer of the language's labelled interviews (evals/assessment_set) is spoken by each voice and
transcribed by whisper/base biased with the interview's resume terms, as live. A fairness pair
(bench/assessment_quality.py) should be two voices the STT hears about equally well: otherwise a score spread
measures the STT failing on one voice, not the assessment. About 10 minutes for three English voices.
"""

from __future__ import annotations

import argparse

import numpy as np

from bench.assessment_quality import base_whisper, hear
from hrlab.lab.assessment_set import load_assessment_set
from hrlab.lab.voices import synthesizer_for
from hrlab.providers import ModelRegistry
from hrlab.wer import corpus_wer, wer

DEFAULT_VOICES = {"en": ["piper/en_US-joe", "espeak/en-us", "festival/en"],
                  "ru": ["festival/ru", "festival/ru@0.88", "espeak/ru"]}


def heard(language: str, voices: list[str]) -> dict[str, list[tuple[str, str]]]:
    """voice -> (script, transcript) for every answer said in the language's labelled interviews."""
    whisper = base_whisper(ModelRegistry())
    pairs: dict[str, list[tuple[str, str]]] = {voice: [] for voice in voices}
    interviews = [i for i in load_assessment_set() if i.language == language]
    for voice in voices:
        synthesizer = synthesizer_for(voice)
        try:
            for interview in interviews:
                pairs[voice] += [(answer, text) for answer, text in
                                 zip(interview.answers(), hear(interview, synthesizer, whisper), strict=True)
                                 if answer.strip()]
        finally:
            synthesizer.close()
        print(f"  {voice}: {len(pairs[voice])} answers", flush=True)
    return pairs


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--language", choices=sorted(DEFAULT_VOICES), default="en")
    parser.add_argument("--voices", nargs="+", help="lab voices, e.g. festival/en or festival/ru@0.88")
    args = parser.parse_args()
    voices = args.voices or DEFAULT_VOICES[args.language]
    pairs = heard(args.language, voices)
    print(f"\n| voice ({args.language}) | WER over all words | mean WER per answer | answers |")
    print("|---|---|---|---|")
    for voice, said in pairs.items():
        per_answer = [wer(script, text) for script, text in said]
        print(f"| {voice} | {corpus_wer(said):.3f} | {np.mean(per_answer):.3f} | {len(said)} |")


if __name__ == "__main__":
    main()
