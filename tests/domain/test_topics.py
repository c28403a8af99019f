"""Resume facts, topic order and how the candidate is addressed; also against the real resume parser."""

from __future__ import annotations

import pytest

from hrlab.domain.plan import InterviewMachine, InterviewPlan
from hrlab.domain.resume import extract_resume
from hrlab.domain.topics import InterviewFacts, Topic, address_name, clean_items, derive_topics, facts_line
from hrlab.prompts import load_prompt_set
from hrlab.samples import SAMPLES_DIR

from .conftest import ParsedResume


@pytest.mark.parametrize(
    ("name", "language", "expected"),
    [
        ("Anna Petrova", "en", "Anna"),
        ("Смирнов Дмитрий Алексеевич", "ru", "Дмитрий Алексеевич"),
        ("Дмитрий Алексеевич Смирнов", "ru", "Дмитрий Алексеевич"),
        ("Иванова Мария", "ru", "Мария"),
        ("Мария Иванова", "ru", "Мария"),
        ("Anna Petrova", "ru", "Anna"),
        ("Ковальчук Шевченко", "ru", None),
        ("Олег", "ru", "Олег"),
        (None, "en", None),
    ],
)
def test_address_name(name, language, expected):
    assert address_name(name, language=language) == expected


def test_clean_items_trims_dedupes_and_caps():
    assert clean_items([" Python ", "python", "", "Go,", None, 5, "x" * 61, "SQL"]) == ("Python", "Go", "SQL")
    assert clean_items("Python") == ("Python",)
    assert clean_items(None) == ()
    assert len(clean_items([f"s{i}" for i in range(50)])) == 12


def test_topics_start_with_background_and_end_with_generic_ones():
    facts = InterviewFacts(language="en", skills=("A", "B", "C", "D", "E"), roles=("R1", "R2"), projects=("P",))
    assert derive_topics(facts) == (
        Topic("background"), Topic("skill", "A"), Topic("skill", "B"), Topic("role", "R1"), Topic("project", "P"),
        Topic("role", "R2"), Topic("skill", "C"), Topic("skill", "D"), Topic("challenge"), Topic("teamwork"),
        Topic("motivation"),
    )


def test_facts_from_a_loose_resume_record():
    plan = InterviewPlan.from_resume(ParsedResume(candidate_name="  ", years_experience=-1, skills=["Go", "go"]))
    assert plan.facts.candidate_name is None and plan.facts.years_experience is None
    assert plan.facts.skills == ("Go",)


@pytest.mark.parametrize(
    ("years", "line"),
    [(1, "Опыт: 1 год."), (3, "Опыт: 3 года."), (5, "Опыт: 5 лет."), (11, "Опыт: 11 лет."), (21, "Опыт: 21 год."),
     (2.5, "Опыт: 2.5 года.")],
)
def test_russian_years_agree_with_the_number(years, line):
    assert facts_line(InterviewFacts(language="ru", years_experience=years)) == line


@pytest.mark.parametrize(("sample", "greeting"), [("resume_en.md", "Hello, Anna!"),
                                                  ("resume_ru.txt", "Здравствуйте, Дмитрий Алексеевич!")])
def test_plan_from_the_real_resume_parser(sample, greeting):
    resume = extract_resume((SAMPLES_DIR / sample).read_text(encoding="utf-8"))
    plan = InterviewPlan.from_resume(resume, resume_id=7)
    assert plan.topics[1] == Topic("skill", resume.skills[0])
    assert Topic("role", resume.roles[0]) in plan.topics
    say = InterviewMachine(plan, load_prompt_set("default", plan.language)).start(now=0.0)
    assert say.text.startswith(greeting)
    assert resume.roles[0] in say.question
