"""In-process runs: a scenario's answers played to the agent's rehearsal (no LiveKit server).

Fast and deterministic enough for quick comparisons and notebooks; it plays each answer after the
AI finishes speaking, so scenario behaviours that need a room (barge-in, silence, dropping out,
ending early) are not played: such turns are skipped and the run notes it as an event.
"""

from __future__ import annotations

import logging
import time
from dataclasses import replace
from itertools import zip_longest
from pathlib import Path

from hrlab.agent.options import InterviewOptions
from hrlab.lab.agent_variants import agent_variant
from hrlab.lab.answer_audio import AnswerAudio
from hrlab.lab.assessment_metrics import ASSESSMENT_EVENT
from hrlab.lab.metrics import CandidateSpeech, RunTrace, Segment, resume_terms
from hrlab.lab.metrics.behaviour import ai_lines, line_grounding
from hrlab.lab.paths import default_synthesis_cache
from hrlab.lab.runner import RunSpec, git_commit, prepare_answers
from hrlab.lab.store import RunLog, RunRecorder
from hrlab.lab.suite import run_config, run_config_hash
from hrlab.lab.synthesis import write_wav
from hrlab.store import resumes
from hrlab.store.db import Database
from hrlab.store.migrate import upgrade

log = logging.getLogger(__name__)


def _write_answers(answers: dict[int, AnswerAudio], folder: Path) -> list[Path]:
    paths = []
    for index in sorted(answers):
        path = folder / f"answer_{index}.wav"
        write_wav(path, answers[index].pcm)
        paths.append(path)
    return paths


def rehearsal_trace(result, *, spec: RunSpec, answers: dict[int, AnswerAudio]) -> RunTrace:
    """A RunTrace from a rehearsal: its dialogue clock, AI lines as the AI audio, answers in order."""
    candidate_lines = [line for line in result.dialogue if line.speaker == "candidate"]
    played = [spec.scenario.turns[i] for i in sorted(answers)]  # answers are heard in script order
    speeches = tuple(
        CandidateSpeech(seq=n, start=line.start, end=line.end if line.end is not None else line.start,
                        reference=turn.reference_text if turn else None, transcript=line.text,
                        expect=turn.expect if turn else ())
        for n, (line, turn) in enumerate(zip_longest(candidate_lines, played[:len(candidate_lines)]), start=1)
    )
    heard = {turn.index for turn in played[:len(candidate_lines)]}
    unplayed = sum(len(turn.expect) for turn in spec.scenario.turns if turn.index not in heard)
    ai = [line for line in result.dialogue if line.speaker == "ai"]
    resume = spec.scenario.parsed_resume()
    return RunTrace(
        language=result.language, candidate=speeches,
        ai_audio=tuple(Segment(line.start, line.end) for line in ai if line.end is not None),
        ai_texts=tuple(line.text for line in ai),
        questions=tuple(line.text for line in ai if line.kind in ("opening", "question")),
        resume_terms=resume_terms(resume), interview_complete=bool(result.end_reason),
        duration_s=max((line.end or line.start for line in result.dialogue), default=None),
        dialogue=tuple((line.speaker, line.text) for line in result.dialogue), resume_text=resume.raw_text,
        ai_lines=ai_lines((seq, line.speaker, line.text, line.start, line.label)
                          for seq, line in enumerate(result.dialogue, start=1)),
        expectations_unplayed=unplayed,
    )


def _record(recorder: RunRecorder, result, trace: RunTrace) -> None:
    """Turns in dialogue order; per-answer figures keyed by the answer's turn seq, as the metrics are."""
    speeches, answer_seqs = iter(trace.candidate), []
    lines_by_seq = {line.seq: line for line in trace.ai_lines}
    for seq, line in enumerate(result.dialogue, start=1):
        speech = next(speeches) if line.speaker == "candidate" else None
        if speech is not None:
            answer_seqs.append(seq)
        ai = lines_by_seq.get(seq)
        recorder.add_turn(seq=seq, who=line.speaker, text=line.text, start_s=line.start, end_s=line.end,
                          reference=speech.reference if speech else None, kind=ai.kind if ai else None,
                          grounded=line_grounding(ai, language=trace.language) if ai else None)
    for seq, latency in zip(answer_seqs, result.latencies):
        recorder.add_metric("stage_stt_s", latency.stt, seq=seq)
        recorder.add_metric("stage_llm_s", latency.llm, seq=seq)
        recorder.add_metric("stage_tts_first_audio_s", latency.tts_first_audio, seq=seq)
    for message in result.messages:
        recorder.add_event(t_s=float(message.get("t", 0.0)), direction="sent", type=str(message.get("type")),
                           payload=message)
    recorder.add_trace(replace(trace, candidate=tuple(replace(c, seq=s) for c, s in zip(trace.candidate, answer_seqs))))
    recorder.add_audio(result.audio_path, kind="ai")
    recorder.add_metric("wall_s", result.wall_seconds)
    if result.assessment:  # the dashboard's Annotate view shows it for HR to rate
        recorder.add_event(t_s=trace.duration_s or 0.0, direction="local", type=ASSESSMENT_EVENT, payload=result.assessment)


async def run_inprocess(spec: RunSpec, *, runlog: RunLog, voices, work_dir: Path, registry, speed: float = 1.0
                        ) -> tuple[str, str]:
    """Rehearse one scenario in this process and log it; returns (run_id, status). Never raises for a failed run."""
    from hrlab.agent.rehearse import rehearse

    recorder = runlog.start_run(
        suite=spec.suite, scenario=spec.scenario.name, variant=spec.variant.name, repeat=spec.repeat,
        git_commit=git_commit(), config_hash=run_config_hash(spec.scenario, spec.variant), transport="inprocess",
        language=spec.scenario.language, config=run_config(spec.scenario, spec.variant),
    )
    try:
        skipped = [t.index for t in spec.scenario.turns if t.action != "answer" or t.barge_in_after_ms is not None]
        if skipped:
            recorder.add_event(t_s=0.0, direction="local", type="turns_not_played_inprocess", payload=skipped)
        synthesizer = voices.for_language(spec.scenario.language) if voices else None
        answers = prepare_answers(spec.scenario, synthesizer=synthesizer, cache_dir=default_synthesis_cache())
        answers = {i: a for i, a in answers.items() if i not in skipped}
        folder = work_dir / recorder.run_id
        database_url = f"sqlite:///{work_dir / 'inprocess.db'}"
        upgrade(database_url)
        database = Database(database_url)
        with database.session(write=True) as session:
            resume_id = resumes.add_parsed(session, spec.scenario.parsed_resume(), source_name=spec.scenario.name).id
        started = time.perf_counter()
        # the variant's models and turn taking, as the live agent applies them (agent/job.py)
        overrides = agent_variant(spec.variant, spec.scenario.language)
        result = await rehearse(database=database, resume_id=resume_id, answers=_write_answers(answers, folder),
                                language=spec.scenario.language, variant=spec.variant.prompts, registry=registry,
                                speed=speed, out_dir=folder, providers=overrides.providers,
                                options=overrides.interview_options(InterviewOptions()))
        log.info("in-process run %s took %.1f s", recorder.run_id, time.perf_counter() - started)
        database.dispose()
        _record(recorder, result, rehearsal_trace(result, spec=spec, answers=answers))
        recorder.finish_ok()
        return recorder.run_id, "ok"
    except Exception as error:  # a failed run is data, never a crashed batch
        log.exception("in-process run %s failed", recorder.run_id)
        recorder.finish_error(error)
        return recorder.run_id, "error"
