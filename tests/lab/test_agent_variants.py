"""Research variants become the agent's per-session overrides."""

from __future__ import annotations

import pytest

from hrlab.agent.options import InterviewOptions
from hrlab.errors import ConfigError
from hrlab.lab.agent_variants import resolve_lab_variant


def test_variant_file_sets_models_budget_and_endpointing():
    variant = resolve_lab_variant("tight_endpointing", "ru")
    assert variant.providers["tts"] == "festival/ru" and variant.providers["stt"].startswith("whisper/")
    options = variant.interview_options(InterviewOptions())
    assert options.min_endpointing_delay == variant.min_endpointing_delay
    assert options.max_endpointing_delay == variant.max_endpointing_delay
    assert variant.prompts == "default" and variant.budget.max_questions >= 1


def test_the_variant_vad_settings_reach_the_interview_options():
    # They were parsed and never applied: patient and tight endpointing ran on the default VAD.
    options = resolve_lab_variant("patient_endpointing", "en").interview_options(InterviewOptions())
    assert (options.vad_min_silence, options.vad_threshold) == (0.9, 0.5)
    assert resolve_lab_variant("tight_endpointing", "en").interview_options(InterviewOptions()).vad_min_silence == 0.35


def test_short_plan_budget():
    short, default = resolve_lab_variant("short_plan", "en"), resolve_lab_variant("default", "en")
    assert short.budget.max_questions < default.budget.max_questions


def test_unknown_variant_is_refused_by_name():
    with pytest.raises(ConfigError, match="unknown variant 'nope'"):
        resolve_lab_variant("nope", "en")
