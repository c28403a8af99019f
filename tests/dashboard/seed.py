"""Seed a run log and an operational database through hrlab's own writers, for dashboard tests and the bench."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np

from hrlab.domain.assessment import Assessment, CompetencyScore
from hrlab.domain.resume import ParsedResume
from hrlab.lab.hearing import SAMPLE_RATE
from hrlab.lab.recording import write_stereo_wav
from hrlab.lab.store import RunLog
from hrlab.store import assessment_jobs, interviews, resumes
from hrlab.store.db import Database
from hrlab.store.interviews import TurnRecord
from hrlab.store.migrate import upgrade

SUITE = "smoke"
SCENARIOS = ("en_short", "ru_short")
VARIANTS = ("default", "tight_endpointing")
# (who, text, reference, start_s, end_s); the candidate's heard text differs from its reference on purpose.
DIALOGUE = (
    ("ai", "Hello, I am an AI interviewer. Tell me about your Python work.", None, 0.5, 3.0),
    ("candidate", "I built data pipelines in python for four years", "I built data pipelines in Python for five years",
     4.0, 7.0),
    ("ai", "Which tools did you use for the pipelines?", None, 8.0, 10.0),
    ("candidate", "mostly airflow and postgres", "Mostly Airflow and PostgreSQL", 11.0, 13.0),
    ("ai", "Thank you, that is all for today.", None, 14.0, 15.5),
)
RECORDING_S = 16.0


def tone(seconds: float, hz: float) -> np.ndarray:
    t = np.arange(int(seconds * SAMPLE_RATE)) / SAMPLE_RATE
    return (np.sin(2 * np.pi * hz * t) * 8000).astype(np.int16)


def assessment_json(recommendation: str = "advance") -> dict:
    """An assessment as the assessor writes it (domain.assessment.Assessment.to_json + its source)."""
    body = Assessment(
        competencies=(CompetencyScore("Python", 4, ("I built data pipelines in Python",), "concrete"),
                      CompetencyScore("communication", None, (), "too little said")),
        recommendation=recommendation, summary="Solid pipeline experience.").to_json()
    return {**body, "source": "llm"}


def seed_runlog(path: Path, *, repeats: int = 3, audio_dir: Path | None = None, error_runs: int = 1,
                recording: bool = True) -> list[str]:
    """Runs of SUITE for every scenario x variant x repeat, written with RunLog's recorder; returns run ids."""
    rng = np.random.default_rng(7)
    audio_dir = audio_dir or path.parent / "audio"
    wav = None
    if recording:  # one shared recording: candidate on the left, AI on the right
        wav = write_stereo_wav(audio_dir / "seed.wav", candidate=tone(RECORDING_S, 220.0), ai=tone(RECORDING_S, 440.0))
    ids = []
    with RunLog(path) as runlog:
        for repeat in range(repeats):
            for scenario in SCENARIOS:
                for variant in VARIANTS:
                    ids.append(_one_run(runlog, rng, scenario=scenario, variant=variant, repeat=repeat, wav=wav))
        for n in range(error_runs):
            ids.append(runlog.record_failed_run(error=RuntimeError("the agent never joined the room"), suite=SUITE,
                                                scenario=SCENARIOS[0], variant=VARIANTS[1], repeat=100 + n,
                                                git_commit="abc123"))
    return ids


def _one_run(runlog: RunLog, rng, *, scenario: str, variant: str, repeat: int, wav: Path | None) -> str:
    slower = 0.5 if variant == VARIANTS[0] else 0.0  # the tight endpointing answers faster
    with runlog.start_run(suite=SUITE, scenario=scenario, variant=variant, repeat=repeat, git_commit="abc123",
                          transport="devserver", language="en") as recorder:
        for seq, (who, text, reference, start, end) in enumerate(DIALOGUE, start=1):
            recorder.add_turn(seq=seq, who=who, text=text, reference=reference, start_s=start, end_s=end)
            if who == "candidate":
                recorder.add_metric("latency_s", 0.8 + slower + float(rng.normal(0, 0.1)), seq=seq)
                recorder.add_metric("stt_wer", 0.1, seq=seq)
            else:
                recorder.add_event(t_s=start - 0.1, direction="received", type="question", payload={"text": text})
        recorder.add_metric("ended_properly", 1.0)
        recorder.add_metric("resume_grounding", 0.5 + slower / 2)
        recorder.add_event(t_s=15.6, direction="received", type="interview_complete", payload={})
        recorder.add_event(t_s=15.7, direction="local", type="assessment", payload=assessment_json())
        if wav is not None:
            recorder.add_audio(wav)
        return recorder.run_id


def seed_database(url: str, *, interviews_count: int = 3) -> list[int]:
    """Finished interviews written through hrlab.store (resume, session, turns, finish, assessment job)."""
    upgrade(url)
    database = Database(url)
    ids = []
    names = ["Ada Lovelace", "Grace Hopper", "Alan Turing", "Edsger Dijkstra"]
    try:
        for n in range(interviews_count):
            ids.append(_one_interview(database, names[n % len(names)], recommendation=("advance", "hold")[n % 2],
                                      now=1_790_000_000.0 + n * 3600))
    finally:
        database.dispose()
    return ids


def _one_interview(database: Database, name: str, *, recommendation: str, now: float) -> int:
    resume = ParsedResume(candidate_name=name, language="en", skills=("Python", "SQL"), roles=("data engineer",),
                          years_experience=5.0, raw_text=f"{name}. Data engineer, Python, SQL, 5 years.")
    with database.session(write=True) as session:
        resume_id = resumes.add_parsed(session, resume, source_name=f"{name.split()[0].lower()}.md").id
        session_id = interviews.open_rehearsal(session, resume_id=resume_id, language="en", variant="default", now=now)
        interviews.mark_running(session, session_id, started_at=now, language="en")
        for who, text, _, start, end in DIALOGUE:
            interviews.add_turn(session, session_id, TurnRecord(speaker=who, text=text, started_at=now + start,
                                                                ended_at=now + end))
        interviews.finish(session, session_id, end_reason="completed", transcript="...", completed_at=now + 16)
        assessment_jobs.enqueue(session, session_id, llm="fake/llm", prompts="default")
    with database.session(write=True) as session:
        job = assessment_jobs.claim(session, lease_seconds=60, session_id=session_id)
        assessment_jobs.complete(session, job.id, ai_feedback=json.dumps(assessment_json(recommendation)),
                                 source="llm", seconds=1.0)
    return session_id
