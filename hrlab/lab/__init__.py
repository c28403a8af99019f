"""Research platform: scenarios, variants and suites, the DuckDB run log, metrics and evals.

The runner's path: `load_suite` → `Suite.load_scenarios/load_variants` → for each run
`RunLog.start_run(...)` → `answer_audio(turn, ...)` to play → `RunRecorder.add_turn/add_event/
add_audio/add_trace` → `finish_ok/finish_error`. Then `evaluate(runlog_path, suite)`.
Names are imported on first use, so `hrlab.lab.scenario` does not pull in duckdb and pandas.
"""

from __future__ import annotations

import importlib

_EXPORTS = {
    "hrlab.lab.answer_audio": ("AnswerAudio", "AnswerAudioError", "answer_audio", "read_wav_16k_mono"),
    "hrlab.lab.batch": ("BatchRequest", "run_suite"),
    "hrlab.lab.evals": ("EvalReport", "GateResult", "evaluate", "run_eval"),
    "hrlab.lab.fields": ("LabFileError",),
    "hrlab.lab.lint": ("check_lab_files",),
    "hrlab.lab.paths": ("default_recordings_dir", "default_runlog_path", "default_synthesis_cache", "repo_root"),
    "hrlab.lab.metrics": ("CandidateSpeech", "Judge", "MetricValues", "RunTrace", "Segment", "compute_metrics",
                          "resume_terms", "speech_segments"),
    "hrlab.lab.recording": ("read_stereo_wav", "write_stereo_wav"),
    "hrlab.lab.scenario": ("CandidateTurn", "Scenario", "ThinkingPause", "load_scenario", "load_scenarios"),
    "hrlab.lab.store": ("RunLog", "RunLogError", "RunRecorder", "load", "load_all"),
    "hrlab.lab.suite": ("Suite", "load_suite", "run_config", "run_config_hash", "suite_path"),
    "hrlab.lab.synthesis": ("Synthesizer", "synthesis_cache_key", "synthesis_cache_path", "synthesize_cached"),
    "hrlab.lab.variant": ("Endpointing", "PlanBudget", "Variant", "load_variant", "variant_path"),
    "hrlab.lab.voices": ("EngineSynthesizer", "synthesizer_for"),
}
_WHERE = {name: module for module, names in _EXPORTS.items() for name in names}
__all__ = sorted(_WHERE)


def __getattr__(name: str):
    if name not in _WHERE:
        raise AttributeError(f"module 'hrlab.lab' has no attribute {name!r}")
    return getattr(importlib.import_module(_WHERE[name]), name)
