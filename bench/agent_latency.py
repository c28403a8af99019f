"""Voice-to-voice and per-stage latency of the interviewer, from in-process rehearsals on recorded speech.

Run: .venv/bin/python -m bench.agent_latency [--lang en|ru|both] [--repeats 1] [--speed 1.0] [--concurrent 1]
Each English corpus clip is one answer (one interview per repeat, one question per clip); Russian uses
the one Russian clip. Voice-to-voice: end of the candidate's audio -> first AI audio sample played.
Stage figures come from the AgentSession's per-turn report (STT = transcription delay after the end of
speech, end of turn = endpointing decision delay) and the conductor (LLM proposal, TTS first audio).
--concurrent N runs N interviews at once on one shared ModelRegistry (as a worker's jobs share it).
A "cut-off" is AI audio that started while the candidate's clip was still playing (a mid-answer pause
taken for the end of the turn). Prints a markdown table; numbers go to BENCHMARKS.md.
"""

from __future__ import annotations

import argparse
import asyncio
import csv
import logging
import os
import statistics
import tempfile
import time
from pathlib import Path

import hrlab
from hrlab.agent.options import InterviewOptions
from hrlab.agent.rehearse import RehearsalResult, rehearse
from hrlab.domain.resume import ParsedResume
from hrlab.providers import ModelRegistry
from hrlab.store.db import Database
from hrlab.store.migrate import upgrade
from hrlab.store.resumes import add_parsed

CORPUS = Path(hrlab.__file__).resolve().parents[2] / "shared" / "corpus"
RESUMES = {
    "en": ParsedResume(candidate_name="Anna", language="en", skills=("Python", "Django", "PostgreSQL"),
                       roles=("Backend developer",), years_experience=5.0, raw_text=""),
    "ru": ParsedResume(candidate_name="Иван", language="ru", skills=("Python", "SQL"),
                       roles=("Аналитик данных",), years_experience=3.0, raw_text=""),
}
STAGES = ("voice_to_voice", "stt", "end_of_turn", "llm", "tts_first_audio")


def clips(language: str) -> list[Path]:
    """The corpus clips in `language`, in manifest order."""
    with open(CORPUS / "manifest.csv", newline="", encoding="utf-8") as f:
        return [CORPUS / row["file"] for row in csv.DictReader(f) if row["language"] == language]


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(q * (len(ordered) - 1))))
    return ordered[index]


def cut_offs(result: RehearsalResult) -> int:
    """AI lines that started while a candidate line was still being spoken."""
    answers = [line for line in result.dialogue if line.speaker == "candidate" and line.end is not None]
    return sum(1 for line in result.dialogue if line.speaker == "ai"
               and any(a.start < line.start < a.end for a in answers))


async def run(language: str, *, repeats: int, speed: float, concurrent: int, registry: ModelRegistry,
              db: Database, out: Path) -> tuple[list[RehearsalResult], float]:
    resume_ids = []
    for _ in range(concurrent):
        with db.session(write=True) as s:
            resume_ids.append(add_parsed(s, RESUMES[language], source_name="bench").id)
    answers = clips(language)
    if language == "ru":
        answers = answers * 3  # one Russian clip: three answers per interview
    results, started = [], time.perf_counter()
    for index in range(repeats):
        batch = await asyncio.gather(*(
            rehearse(database=db, resume_id=resume_id, answers=answers, registry=registry, speed=speed,
                     out_dir=out / f"{language}-{index}-{slot}", options=InterviewOptions(assessment_timeout=30.0))
            for slot, resume_id in enumerate(resume_ids)))
        results.extend(batch)
    return results, time.perf_counter() - started


def table(rows: dict[str, list[RehearsalResult]]) -> str:
    lines = ["| language | turns | cut-offs | LLM questions | stage | p50 s | p95 s | mean s |",
             "|---|---|---|---|---|---|---|---|"]
    for language, results in rows.items():
        turns = [t for r in results for t in r.latencies]
        llm = sum(1 for r in results for d in r.dialogue if d.kind == "question" and d.source == "llm")
        questions = sum(1 for r in results for d in r.dialogue if d.kind == "question")
        cut = sum(cut_offs(r) for r in results)
        for stage in STAGES:
            values = [getattr(t, stage) for t in turns if getattr(t, stage) is not None]
            if not values:
                continue
            lines.append(f"| {language} | {len(turns)} | {cut} | {llm}/{questions} | {stage} | "
                         f"{percentile(values, 0.5):.2f} | {percentile(values, 0.95):.2f} | "
                         f"{statistics.fmean(values):.2f} |")
    return "\n".join(lines)


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lang", choices=("en", "ru", "both"), default="both")
    parser.add_argument("--repeats", type=int, default=1)
    parser.add_argument("--speed", type=float, default=1.0, help="1.0 = real time (true latencies)")
    parser.add_argument("--concurrent", type=int, default=1, help="interviews at once on shared models")
    args = parser.parse_args()
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    logging.basicConfig(level=logging.WARNING)
    if not (CORPUS / "manifest.csv").is_file():
        raise SystemExit(f"the speech corpus is not at {CORPUS}")
    registry = ModelRegistry()
    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite:///{Path(tmp) / 'bench.db'}"
        upgrade(url)
        db = Database(url)
        rows, walls = {}, {}
        for language in (("en", "ru") if args.lang == "both" else (args.lang,)):
            rows[language], walls[language] = await run(language, repeats=args.repeats, speed=args.speed,
                                                        concurrent=args.concurrent, registry=registry, db=db,
                                                        out=Path(tmp))
        db.dispose()
    registry.close()
    print(f"agent latency, {time.strftime('%Y-%m-%d')}, {os.cpu_count()} CPUs, speed {args.speed}x, "
          f"repeats {args.repeats}, {args.concurrent} at once")
    print(table(rows))
    for language, seconds in walls.items():
        print(f"\n{language}: {seconds:.0f} s wall for {sum(len(r.latencies) for r in rows[language])} turns")


if __name__ == "__main__":
    asyncio.run(main())
