"""Research platform: scenarios, variants and suites, the DuckDB run log, metrics and evals.

The runner's path: `load_suite` → `Suite.load_scenarios/load_variants` → for each run
`RunLog.start_run(...)` → `answer_audio(turn, ...)` to play → `RunRecorder.add_turn/add_event/
add_audio/add_trace` → `finish_ok/finish_error`. Then `evaluate(runlog_path, suite)`.
"""

from hrlab.lab.answer_audio import AnswerAudio, AnswerAudioError, answer_audio, read_wav_16k_mono
from hrlab.lab.evals import EvalReport, GateResult, evaluate
from hrlab.lab.fields import LabFileError
from hrlab.lab.metrics import (
    CandidateSpeech,
    Judge,
    MetricValues,
    RunTrace,
    Segment,
    compute_metrics,
    resume_terms,
    speech_segments,
)
from hrlab.lab.scenario import CandidateTurn, Scenario, ThinkingPause, load_scenario, load_scenarios
from hrlab.lab.store import RunLog, RunLogError, RunRecorder, load, load_all
from hrlab.lab.suite import Suite, load_suite, run_config, run_config_hash, suite_path
from hrlab.lab.synthesis import Synthesizer, synthesis_cache_key, synthesis_cache_path, synthesize_cached
from hrlab.lab.variant import Endpointing, PlanBudget, Variant, load_variant, variant_path

__all__ = [
    "AnswerAudio", "AnswerAudioError", "CandidateSpeech", "CandidateTurn", "Endpointing", "EvalReport",
    "GateResult", "Judge", "LabFileError", "MetricValues", "PlanBudget", "RunLog", "RunLogError", "RunRecorder",
    "RunTrace", "Scenario", "Segment", "Suite", "Synthesizer", "ThinkingPause", "Variant", "answer_audio",
    "compute_metrics", "evaluate", "load", "load_all", "load_scenario", "load_scenarios", "load_suite",
    "load_variant", "read_wav_16k_mono", "resume_terms", "run_config", "run_config_hash", "speech_segments",
    "suite_path", "synthesis_cache_key", "synthesis_cache_path", "synthesize_cached", "variant_path",
]
