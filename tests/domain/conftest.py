"""Shared builders for domain tests: a parsed-resume record and machines over the real prompt files."""

from __future__ import annotations

from dataclasses import dataclass, field

import pytest

from hrlab.domain.plan import Budget, InterviewMachine, InterviewPlan
from hrlab.prompts import load_prompt_set


@dataclass
class ParsedResume:
    """The fields a parsed resume carries (the shape hrlab.domain.resume produces)."""

    language: str = "en"
    candidate_name: str | None = "Anna"
    skills: list[str] = field(default_factory=lambda: ["Python", "Django", "PostgreSQL", "Docker"])
    roles: list[str] = field(default_factory=lambda: ["Backend developer", "QA engineer"])
    years_experience: float | None = 5
    summary: str = "Backend developer building web shops."
    raw_text: str = ""


def build_machine(*, language: str = "en", budget: Budget | None = None, resume_id: int | None = 123,
                  **resume_fields) -> InterviewMachine:
    resume = ParsedResume(language=language, **resume_fields)
    plan = InterviewPlan.from_resume(resume, budget=budget, resume_id=resume_id)
    return InterviewMachine(plan, load_prompt_set("default", language))


@pytest.fixture
def machine() -> InterviewMachine:
    return build_machine()
