"""Resume terms in the transcript: does whisper/base keep the skills and roles a candidate names?

Run: .venv/bin/python -m bench.stt_terms [--languages en ru]

Clips: every answer of the labelled assessment set (evals/assessment_set), spoken by both voices the
assessment's fairness run uses per language (bench.assessment_quality.VOICES), synthesised once and cached
under the lab data folder. Each clip is transcribed by whisper/base (int8, beam 5, the "audio" encoder window,
as live) without keyterms and with the resume's keyterms as hotwords; "hotwords + correction" is the hotwords
transcript passed through hrlab.providers.term_correction, as the engine does by default (before its echo guard); the
last configuration adds an initial prompt naming the terms in the interview's language (PROMPT_LABEL).
Transcripts are cached too (data/lab/stt-terms.json), so a rerun only transcribes what changed.

Per language, voice and configuration: term recall (resume terms the script names that the transcript
names, Russian endings allowed), false insertions (terms the transcript names that the script does not),
the correction's false insertions when handed every other resume's terms of the set (either language), and
pooled WER. Numbers go to BENCHMARKS.md "Resume terms in the transcript (issue 10 item 4)".
"""

from __future__ import annotations

import argparse
import hashlib
import json
import time
from dataclasses import dataclass

import numpy as np

from bench.assessment_quality import VOICES
from hrlab.agent.components import resume_keyterms
from hrlab.domain.term_mentions import terms_named
from hrlab.lab.answer_audio import read_wav_16k_mono
from hrlab.lab.assessment_set import load_assessment_set
from hrlab.lab.paths import lab_data_dir
from hrlab.lab.synthesis import synthesize_cached
from hrlab.providers import ModelRegistry
from hrlab.providers.term_correction import correct_terms
from hrlab.wer import corpus_wer

CONFIGS = ("no keyterms", "hotwords", "hotwords + correction", "prompt + hotwords + correction")
# An initial prompt in the interview's language naming the terms, as if the conversation had just listed them.
PROMPT_LABEL = {"en": "Skills and roles", "ru": "Навыки и роли"}


@dataclass(frozen=True)
class Clip:
    language: str
    voice: str
    script: str
    keyterms: tuple[str, ...]


def clips(languages: list[str]) -> list[Clip]:
    """Each distinct (voice, answer, resume terms) of the labelled set in `languages`."""
    found = {}
    for interview in load_assessment_set():
        if interview.language in languages:
            keyterms = tuple(resume_keyterms(interview.parsed_resume))
            for voice in VOICES[interview.language]:
                for answer in interview.answers():
                    clip = Clip(interview.language, voice, answer, keyterms)
                    found[clip] = clip
    return list(found)


class TranscriptCache:
    """Transcripts by (model, clip, keyterms used), kept in one JSON file between runs."""

    def __init__(self, path):
        self.path = path
        self.items = json.loads(path.read_text()) if path.is_file() else {}

    @staticmethod
    def key(clip: Clip, keyterms: tuple[str, ...], prompt: str | None = None) -> str:
        parts = ("whisper/base", clip.language, clip.voice, clip.script, *keyterms) + ((prompt,) if prompt else ())
        raw = "\x1f".join(parts)
        return hashlib.sha256(raw.encode()).hexdigest()

    def save(self) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self.path.write_text(json.dumps(self.items, ensure_ascii=False, indent=0))


def transcribe_all(data: list[Clip], cache: TranscriptCache) -> dict[Clip, dict[str, str]]:
    """clip -> configuration -> transcript (synthesising and transcribing only what the caches lack)."""
    from hrlab.lab.voices import synthesizer_for
    from hrlab.providers.model_files import whisper_model_dir
    from hrlab.providers.whisper_stt import WhisperEngine

    engine, voices = None, {}
    out = {}
    for clip in data:
        prompt = f"{PROMPT_LABEL[clip.language]}: {', '.join(clip.keyterms)}."
        runs = {"no keyterms": ((), None), "hotwords": (clip.keyterms, None), "prompt": (clip.keyterms, prompt)}
        texts = {}
        for config, (keyterms, prompt) in runs.items():
            key = cache.key(clip, keyterms, prompt)
            if key not in cache.items:
                if engine is None:
                    model_dir = whisper_model_dir("base", ModelRegistry().model_dir)
                    engine = WhisperEngine(model_dir, name="base", english_only=False)
                if clip.voice not in voices:
                    voices[clip.voice] = synthesizer_for(clip.voice)
                wav = synthesize_cached(voices[clip.voice], clip.script, clip.language,
                                        cache_dir=lab_data_dir() / "tts-cache")
                samples = read_wav_16k_mono(wav).astype(np.float32) / 32768
                cache.items[key] = engine.transcribe(samples, language=clip.language, keyterms=keyterms,
                                                     correct=False, prompt=prompt).text
                cache.save()
            texts[config] = cache.items[key]
        texts["hotwords + correction"] = correct_terms(texts["hotwords"], clip.keyterms, language=clip.language)
        texts["prompt + hotwords + correction"] = correct_terms(texts.pop("prompt"), clip.keyterms,
                                                                language=clip.language)
        out[clip] = texts
    for synthesizer in voices.values():
        synthesizer.close()
    return out


def other_resume_insertions(heard: dict[Clip, dict[str, str]], term_lists: set[tuple[str, ...]]) -> int:
    """Terms the correction writes into a transcript when given another resume's terms: what it would put in
    the mouth of a candidate who never said them (a term the script or the raw transcript names is not counted)."""
    inserted = 0
    for clip, texts in heard.items():
        for terms in term_lists - {clip.keyterms}:
            before = terms_named(texts["hotwords"], terms) | terms_named(clip.script, terms)
            after = terms_named(correct_terms(texts["hotwords"], terms, language=clip.language), terms)
            inserted += len(after - before)
    return inserted


def scores(heard: dict[Clip, dict[str, str]], config: str) -> tuple[int, int, int, float]:
    """(terms kept, terms said, false insertions, WER) over the clips in `heard`."""
    kept = said = inserted = 0
    for clip, texts in heard.items():
        scripted = terms_named(clip.script, clip.keyterms)
        named = terms_named(texts[config], clip.keyterms)
        kept, said, inserted = kept + len(scripted & named), said + len(scripted), inserted + len(named - scripted)
    return kept, said, inserted, corpus_wer([(clip.script, texts[config]) for clip, texts in heard.items()])


def print_table(heard: dict[Clip, dict[str, str]], term_lists: set[tuple[str, ...]]) -> None:
    print("| language | voice | clips | configuration | terms kept | false insertions | "
          "false insertions with other resumes' terms | WER |")
    print("|---|---|---|---|---|---|---|---|")
    groups = sorted({(clip.language, clip.voice) for clip in heard})
    for language, voice in groups:
        group = {c: t for c, t in heard.items() if (c.language, c.voice) == (language, voice)}
        for config in CONFIGS:
            kept, said, inserted, wer = scores(group, config)
            others = other_resume_insertions(group, term_lists) if config == "hotwords + correction" else "-"
            print(f"| {language} | {voice} | {len(group)} | {config} | {kept}/{said} | {inserted} | {others} | "
                  f"{wer:.3f} |")


def print_changes(heard: dict[Clip, dict[str, str]]) -> None:
    """Every transcript the correction changed, to read for false corrections."""
    for clip, texts in heard.items():
        if texts["hotwords + correction"] != texts["hotwords"]:
            print(f"- {clip.voice}: {texts['hotwords']!r}\n  -> {texts['hotwords + correction']!r}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--languages", nargs="+", default=["en", "ru"])
    parser.add_argument("--changes", action="store_true", help="list every transcript the correction changed")
    args = parser.parse_args()
    data = clips(args.languages)
    started = time.perf_counter()
    heard = transcribe_all(data, TranscriptCache(lab_data_dir() / "stt-terms.json"))
    print(f"whisper/base, {len(data)} clips, {time.perf_counter() - started:.0f} s, {time.strftime('%Y-%m-%d')}")
    print_table(heard, {clip.keyterms for clip in clips(["en", "ru"])})
    if args.changes:
        print_changes(heard)


if __name__ == "__main__":
    main()
