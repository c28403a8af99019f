"""The lab's pieces composed the way the runner uses them, on real recorded speech."""

from __future__ import annotations

import numpy as np
import pytest

from hrlab.lab.answer_audio import answer_audio, read_wav_16k_mono
from hrlab.lab.evals import evaluate
from hrlab.lab.metrics import CandidateSpeech, RunTrace, Segment, resume_terms, speech_segments
from hrlab.lab.paths import scenarios_dir
from hrlab.lab.scenario import load_scenario
from hrlab.lab.store import RunLog
from hrlab.lab.suite import load_suite, run_config, run_config_hash, suite_path


def test_real_clips_on_one_timeline_give_the_expected_metrics(corpus, tmp_path):
    scenario = load_scenario(scenarios_dir() / "en_disfluent.toml")
    turn = scenario.turns[2]  # en_mfa_internalsil: three words separated by long silences
    answer = answer_audio(turn, language=scenario.language)
    # The "AI" is a real read clip; it starts 0.9 s after the candidate stops.
    ai_voice = read_wav_16k_mono(corpus / "en_librivox_sns_0890.wav")
    answer_start = 2.0
    answer_end = answer_start + answer.duration_s
    ai_segments = speech_segments(ai_voice, offset_s=answer_end + 0.9, merge_gap_s=0.8)
    assert ai_segments[0].start == pytest.approx(answer_end + 0.9, abs=0.3)
    assert ai_segments[-1].end <= answer_end + 0.9 + 5.31
    trace = RunTrace(
        language="en",
        candidate=(CandidateSpeech(seq=1, start=answer_start, end=answer_end, reference=turn.reference,
                                   transcript="montreal forced aligner"),),
        ai_audio=tuple(ai_segments), questions=("What do you use Python for?",),
        resume_terms=resume_terms(scenario.parsed_resume()), interview_complete=True, duration_s=answer_end + 7,
    )
    suite = load_suite(suite_path("smoke"))
    variant = suite.load_variants()[0]
    with RunLog(tmp_path / "runs.duckdb") as runlog:
        with runlog.start_run(suite=suite.name, scenario=scenario.name, variant=variant.name,
                              config_hash=run_config_hash(scenario, variant), config=run_config(scenario, variant),
                              language=scenario.language, transport="in-process") as run:
            run.add_trace(trace)
    report = evaluate(tmp_path / "runs.duckdb", suite)
    summary = report.summary.set_index(["metric", "variant"])
    assert summary.loc[("latency_s", "default"), "mean"] == pytest.approx(0.9, abs=0.3)
    assert summary.loc[("stt_wer", "default"), "mean"] == 0.0
    assert summary.loc[("resume_grounding", "default"), "mean"] == 1.0
    assert not report.gates_passed  # the second variant has no runs: its gates cannot pass


def test_a_scripted_pause_lands_where_the_trace_says(corpus):
    scenario = load_scenario(scenarios_dir() / "en_short.toml")
    turn = scenario.turns[1]
    from dataclasses import replace

    from hrlab.lab.scenario import ThinkingPause

    answer = answer_audio(replace(turn, pauses=(ThinkingPause(at_ms=2500, duration_ms=1500),)), language="en")
    (start, end), = answer.pauses_at(10.0)
    assert abs(start - 12.5) <= 0.25 and end == pytest.approx(start + 1.5)
    segments = speech_segments(answer.pcm, offset_s=10.0, merge_gap_s=0.3)
    # No detected speech inside the scripted pause.
    assert not any(Segment(start + 0.05, end - 0.05).contains(s.start) for s in segments)
    assert any(s.end <= start + 0.05 for s in segments) and any(s.start >= end - 0.05 for s in segments)
    assert np.abs(answer.pcm[int((start - 10.0) * 16000) + 1:int((end - 10.0) * 16000)]).max() == 0
