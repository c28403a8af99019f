"""The assessment models on the labelled set (evals/assessment_set): is the assessment right?

    python -m bench.assessment_quality [--models llamacpp/gemma3-270m llamacpp/qwen2.5-1.5b]
                                       [--fairness en_backend_strong ru_java_strong ...]
                                       [--only en_backend_weak ...] [--out FILE] [--heard FILE]
                                       [--voices en=piper/en_US-joe,espeak/en-us ...] [--retest]
                                       [--noise-dbfs -60]

Per model, over every labelled interview (or the `--only` ones), the real assessor
(hrlab.agent.assessor.assess: one call per competency under a JSON schema, the answers assembled into
one assessment JSON, evidence guards, the worker's registry and thread count): parse rate, rank
agreement on the set's pairs, recommendation agreement with the label, quotes verbatim, seconds per
interview. Then
fairness on the named subset: each answer spoken by two offline voices, transcribed by whisper/base
(biased with the resume's terms, as live), both transcripts assessed; the largest score difference
per competency (a missing score counts as 0), and the largest difference of a competency scored in both
before its score was rounded (under 1 there, the whole scores cannot be 2 apart). STT runs once per
voice, not per model. `--heard FILE` takes the transcripts from an earlier run's --out file instead: each
synthesis of a voice differs a little, and whisper/base can hear a different word in it, so two versions of the
assessor are compared on the same words only this way. `--voices` speaks a language's answers in another pair.
`--retest` speaks and hears each fairness interview in its first voice a second time and prints the same figures
for those two readings: how far apart the STT's run-to-run differences alone put the scores, the baseline the
spread between two voices is read against. festival writes the same samples every time, so its retest hears
the same words; `--noise-dbfs` adds fresh white noise at that RMS level (dBFS) to every answer before the STT, a
room's noise floor that differs from one hearing to the next.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import subprocess
import time
from dataclasses import asdict, is_dataclass
from pathlib import Path

import numpy as np

from hrlab.agent.assessor import AssessmentInputs, assess
from hrlab.agent.components import resume_keyterms
from hrlab.domain.assessment import competencies_for
from hrlab.errors import InvalidInput
from hrlab.lab.assessment_quality import (
    Agreement,
    ModelAnswer,
    Ratio,
    agreement,
    parses,
    quotes_verbatim,
    rank_agreement,
    recommendation_agreement,
    saved_transcripts,
    score_spread,
    voice_effect,
    voice_pairs,
)
from hrlab.lab.assessment_set import LabelledInterview, load_assessment_set, rank_pairs
from hrlab.lab.paths import lab_data_dir
from hrlab.prompts import load_prompt_set
from hrlab.providers import ModelRegistry

MODELS = ("llamacpp/gemma3-270m", "llamacpp/qwen2.5-1.5b")
# Two voices whisper/base hears about equally well, so that a spread measures the assessment, not the STT
# failing on one of them (BENCHMARKS.md): English piper's male voice and festival's female one (espeak/en-us
# had about twice their word error rate); Russian festival/ru and itself played 0.88x (lower, slower), since
# espeak/ru is near WER 1 at every rate and Debian and PyPI have no other Russian voice.
VOICES = {"en": ("piper/en_US-joe", "festival/en"), "ru": ("festival/ru", "festival/ru@0.88")}
FAIRNESS = ("en_frontend_split_b", "ru_java_strong")  # two-voice STT + 2 assessments each: kept small
TIMEOUT_S = 600.0  # measure how long it takes; the worker's own limit (120 s) is reported against it
WORKER_TIMEOUT_S = 120.0


async def assess_interview(completer, interview: LabelledInterview, answers: tuple[str, ...] | None = None
                           ) -> ModelAnswer:
    """One real assessment of the interview (or of `answers`, the STT of its answers)."""
    facts = interview.facts
    texts = answers if answers is not None else interview.answers()
    pairs = [(text, question) for text, question in zip(texts, interview.questions(), strict=True) if text.strip()]
    said, asked = tuple(text for text, _ in pairs), tuple(question for _, question in pairs)
    inputs = AssessmentInputs(facts, load_prompt_set("default", facts.language),
                              interview.transcript_text(answers), said, asked)
    outcome = await assess(inputs, completer, timeout=TIMEOUT_S)
    return ModelAnswer(
        raw=outcome.raw,
        parsed=parses(outcome.raw, competencies=competencies_for(facts), candidate_texts=said),
        scores={c.name: c.score for c in outcome.assessment.competencies},
        recommendation=outcome.assessment.recommendation, seconds=outcome.seconds,
        unrounded=dict(outcome.unrounded),
    )


def heard_key(interview: LabelledInterview, voice: str, *, again: bool = False) -> str:
    """Where one voice's transcripts of an interview are kept in `heard` (and in the --out file); `again`: those
    of the retest's second synthesis."""
    return f"{interview.name}|{voice}" + ("|again" if again else "")


def heard_keys(interviews: list[LabelledInterview], voices: dict[str, tuple[str, str]], *,
               retest: bool) -> list[tuple[LabelledInterview, str, bool]]:
    """(interview, voice, again) of every transcript the fairness run reads: each voice of the language's pair,
    and with `retest` the first voice a second time."""
    keys = []
    for interview in interviews:
        first, second = voices[interview.language]
        keys += [(interview, first, False), (interview, second, False)] + ([(interview, first, True)] if retest else [])
    return keys


def base_whisper(registry: ModelRegistry):
    """whisper/base as the live STT runs it (multilingual)."""
    from hrlab.providers.model_files import whisper_model_dir
    from hrlab.providers.whisper_stt import WhisperEngine

    return WhisperEngine(whisper_model_dir("base", registry.model_dir), name="base", english_only=False)


def hear(interview: LabelledInterview, synthesizer, whisper, *, noise_dbfs: float | None = None) -> tuple[str, ...]:
    """Each answer of the interview spoken by `synthesizer`, as whisper/base heard it (biased with the resume's
    terms, as live), with fresh white noise at `noise_dbfs` (RMS, dB of full scale) added where given."""
    keyterms = resume_keyterms(interview.parsed_resume)
    noise = np.random.default_rng()  # unseeded: each hearing gets its own noise
    texts = []
    for answer in interview.answers():
        pcm = np.asarray(synthesizer.synthesize(answer, interview.language), dtype=np.float32) / 32768.0
        if noise_dbfs is not None:
            pcm = np.clip(pcm + noise.normal(0.0, 10 ** (noise_dbfs / 20), pcm.shape).astype(np.float32), -1.0, 1.0)
        texts.append(whisper.transcribe(pcm, language=interview.language, keyterms=keyterms).text)
    return tuple(texts)


def heard_answers(interviews: list[LabelledInterview], voices: dict[str, tuple[str, str]],
                  registry: ModelRegistry, *, retest: bool = False,
                  noise_dbfs: float | None = None) -> dict[str, tuple[str, ...]]:
    """`heard_key` -> each answer as whisper/base heard it spoken by that voice (with `retest`, the first voice's
    answers spoken and heard a second time too; `noise_dbfs`: see `hear`)."""
    from hrlab.lab.voices import synthesizer_for

    whisper = base_whisper(registry)
    heard = {}
    keys = heard_keys(interviews, voices, retest=retest)
    for voice in sorted({voice for _, voice, _ in keys}):
        synthesizer = synthesizer_for(voice)  # one per voice: festival's process starts once
        try:
            for interview, _, again in (key for key in keys if key[1] == voice):
                texts = heard[heard_key(interview, voice, again=again)] = hear(interview, synthesizer, whisper,
                                                                              noise_dbfs=noise_dbfs)
                print(f"  heard {interview.name} in {voice}{' again' if again else ''}: {texts[0][:70]!r} ...",
                      flush=True)
        finally:
            synthesizer.close()
    return heard


async def measure_model(model: str, interviews, pairs, fair, voices, heard, registry: ModelRegistry, *,
                        retest: bool = False) -> dict:
    """Every figure for one model, plus the per-interview answers."""
    completer = registry.completer(model)
    answers = {}
    for interview in interviews:
        answers[interview.name] = await assess_interview(completer, interview)
        got = answers[interview.name]
        print(f"  {model} {interview.name}: parsed={got.parsed} rec={got.recommendation} "
              f"scores={list(got.scores.values())} {got.seconds:.1f}s", flush=True)
    quotes = [quotes_verbatim(a.raw, i.answers()) for i, a in zip(interviews, answers.values())]
    spreads, voiced, readings, retests = {}, {}, [], []
    for interview in fair:
        read = {}  # heard key -> the assessment of those transcripts
        for _, voice, again in heard_keys([interview], voices, retest=retest):
            read[heard_key(interview, voice, again=again)] = await assess_interview(
                completer, interview, heard[heard_key(interview, voice, again=again)])
        first, second, *again = read.values()
        readings.append((first, second))
        retests += [(first, again[0])] if again else []
        spreads[interview.name] = score_spread(first.scores, second.scores)
        # each reading's scores, so a spread can be read back to the answer that caused it
        voiced[interview.name] = {key: {"scores": a.scores, "unrounded": a.unrounded} for key, a in read.items()}
        print(f"  {model} fairness {interview.name}: {spreads[interview.name]}"
              + (f"; retest {score_spread(first.scores, again[0].scores)}" if again else ""), flush=True)
    seconds = [a.seconds for a in answers.values()]
    return {
        "model": model,
        "parse": Ratio(sum(a.parsed for a in answers.values()), len(answers)),
        "rank": rank_agreement({n: a.scores for n, a in answers.items()}, pairs),
        "recommendation": recommendation_agreement({i.name: i.recommendation for i in interviews},
                                                   {n: a.recommendation for n, a in answers.items()}),
        "quotes": Ratio(sum(q.held for q in quotes), sum(q.total for q in quotes)),
        "fairness": agreement(readings), "retest": agreement(retests) if retest else None,
        "voice_effect": voice_effect(readings, retests) if retest else None,
        "s_mean": float(np.mean(seconds)), "s_max": max(seconds),
        "over_worker_timeout": sum(s > WORKER_TIMEOUT_S for s in seconds),
        "spreads": spreads, "fairness_scores": voiced, "answers": {n: asdict(a) for n, a in answers.items()},
    }


def print_table(results: list[dict], *, fair: list[str], voices: dict[str, tuple[str, str]], retest: bool) -> None:
    print(f"\nfairness subset: {', '.join(fair)}; voices: "
          + "; ".join(f"{language} {' and '.join(pair)}" for language, pair in voices.items()))
    print("| model | parse rate | rank agreement | recommendation agreement | quotes verbatim | "
          "fairness: max spread; within 1 point; runs with scores | before rounding: max difference; under 1 | "
          "s/interview mean (max) |")
    print("|---|---|---|---|---|---|---|---|")
    for r in results:
        print(f"| {r['model']} | {r['parse']} | {r['rank']} | {r['recommendation']} | {r['quotes']} | "
              f"{_agreement_cells(r['fairness'])} | {r['s_mean']:.1f} ({r['s_max']:.1f}) |")
    if retest:
        print("\nretest, the first voice of each pair spoken and heard twice (the same figures):")
        for r in results:
            print(f"| {r['model']} | {_agreement_cells(r['retest'])} |")
        print("\nvoice effect, the mean difference before rounding of two voices minus one voice heard twice "
              "(95% interval, resampling interviews):")
        for r in results:
            effect = r["voice_effect"]
            print(f"  {r['model']}: " + ("-" if effect is None else
                                         f"{effect.value:+.3f} ({effect.low:+.3f} to {effect.high:+.3f})"))


def _agreement_cells(figures: Agreement) -> str:
    return (f"{figures.max_spread}; {figures.within_1}; {figures.scored} | "
            f"{_two_places(figures.unrounded_max)}; {figures.unrounded_under_1}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--models", nargs="+", default=list(MODELS))
    parser.add_argument("--fairness", nargs="*", default=list(FAIRNESS), help="interviews for the two-voice run")
    parser.add_argument("--only", nargs="*", help="measure only these interviews (a quick look)")
    parser.add_argument("--out", type=Path, default=lab_data_dir() / "assessment_quality.json")
    parser.add_argument("--heard", type=Path, help="reuse the fairness transcripts of an earlier run's --out file")
    parser.add_argument("--voices", nargs="*", default=[], metavar="LANGUAGE=VOICE,VOICE",
                        help="another pair of voices for a language, e.g. en=piper/en_US-joe,espeak/en-us")
    parser.add_argument("--retest", action="store_true",
                        help="also speak and hear each fairness interview in its first voice a second time")
    parser.add_argument("--noise-dbfs", type=float, metavar="DBFS",
                        help="add fresh white noise at this RMS level (dB of full scale, below 0) before the STT")
    args = parser.parse_args()
    if args.noise_dbfs is not None and not -120 <= args.noise_dbfs < 0:
        parser.error(f"--noise-dbfs is a level below full scale, from -120 to under 0; got {args.noise_dbfs}")
    if args.noise_dbfs is not None and args.heard:
        parser.error("--noise-dbfs applies to the STT; --heard reuses an earlier run's transcripts")
    try:
        voices = voice_pairs(VOICES, args.voices)
    except InvalidInput as exc:
        parser.error(str(exc))
    interviews = [i for i in load_assessment_set() if not args.only or i.name in args.only]
    pairs = rank_pairs(interviews)
    fair = [i for i in interviews if i.name in args.fairness]
    print(f"{len(interviews)} interviews, {len(pairs)} rank pairs; load: {_uptime()}", flush=True)
    registry = ModelRegistry()
    started = time.perf_counter()
    if args.heard:
        try:
            heard = saved_transcripts(args.heard, {heard_key(i, voice, again=again): len(i.answers())
                                                   for i, voice, again in heard_keys(fair, voices,
                                                                                     retest=args.retest)})
        except InvalidInput as exc:
            parser.error(str(exc))
        print(f"fairness transcripts from {args.heard}", flush=True)
    else:
        heard = (heard_answers(fair, voices, registry, retest=args.retest, noise_dbfs=args.noise_dbfs)
                 if fair else {})
        print(f"STT of the fairness subset: {time.perf_counter() - started:.0f} s", flush=True)
    results = []
    for model in args.models:
        results.append(asyncio.run(measure_model(model, interviews, pairs, fair, voices, heard, registry,
                                                 retest=args.retest)))
        registry.close()  # one model in memory at a time
        print(f"after {model}: load {_uptime()}", flush=True)
    print_table(results, fair=[i.name for i in fair], voices=voices, retest=args.retest)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    saved = {"voices": voices, "noise_dbfs": args.noise_dbfs, "heard": heard, "results": results}
    args.out.write_text(json.dumps(saved, default=_jsonable, ensure_ascii=False, indent=1))
    print(f"details: {args.out}")


def _jsonable(value):
    return asdict(value) if is_dataclass(value) else str(value)


def _two_places(value: float | None) -> str:
    return "-" if value is None else f"{value:.2f}"


def _uptime() -> str:
    return subprocess.run(["uptime"], capture_output=True, text=True).stdout.strip()


if __name__ == "__main__":
    main()
