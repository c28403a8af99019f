"""The labelled assessment set: big enough, labels consistent with the scripts, pairs in both languages."""

from __future__ import annotations

from collections import Counter
from dataclasses import replace

import pytest

from hrlab.lab.assessment_set import LEVELS, LabelledInterview, label_problems, load_assessment_set, rank_pairs
from hrlab.lab.fields import LabFileError


@pytest.fixture(scope="module")
def interviews() -> list[LabelledInterview]:
    return load_assessment_set()


def test_at_least_twelve_interviews_per_language(interviews):
    assert Counter(i.language for i in interviews)["en"] >= 12
    assert Counter(i.language for i in interviews)["ru"] >= 12


def test_every_label_agrees_with_its_script(interviews):
    problems = {i.name: label_problems(i) for i in interviews}
    assert {name: found for name, found in problems.items() if found} == {}


def test_every_level_and_recommendation_is_used(interviews):
    assert {level for i in interviews for level in i.levels.values()} == set(LEVELS)
    assert {i.recommendation for i in interviews} == {"advance", "hold", "reject"}


def test_rank_pairs_in_both_languages_and_both_directions_per_resume(interviews):
    by_name = {i.name: i for i in interviews}
    pairs = rank_pairs(interviews)
    for language in ("en", "ru"):
        assert sum(by_name[p.stronger].language == language for p in pairs) >= 30
    # Not one candidate above another on everything: within a resume, some pairs run each way.
    directions = {(p.stronger, p.weaker) for p in pairs}
    assert any((weaker, stronger) in directions for stronger, weaker in directions)


def test_a_silent_label_on_a_named_skill_is_a_problem(interviews):
    strong = next(i for i in interviews if i.name == "en_backend_strong")
    mislabelled = replace(strong, levels={**strong.levels, "Docker": "silent"})
    assert label_problems(mislabelled) == ["Docker is labelled silent but an answer gives evidence for it"]
    unnamed = replace(strong, turns=strong.turns[:4])
    assert "Docker is labelled strong but no answer names it" in label_problems(unnamed)


def test_pairs_only_within_a_resume_and_only_where_levels_differ(interviews):
    a, b = (next(i for i in interviews if i.name == n) for n in ("en_backend_strong", "en_backend_split_b"))
    other = next(i for i in interviews if i.name == "en_data_weak")
    pairs = rank_pairs([a, b, other])
    assert {(p.competency, p.stronger, p.weaker) for p in pairs} == {
        ("Python", a.name, b.name), ("Django", a.name, b.name),
        ("communication", a.name, b.name), ("problem solving", a.name, b.name),
    }


def test_transcript_marks_the_unanswered_question(interviews):
    weak = next(i for i in interviews if i.name == "en_backend_weak")
    text = weak.transcript_text()
    assert "Interviewer: How do you use Docker in your projects?\n[" in text
    assert text.count("Candidate:") == len(weak.answers()) == 5


def test_a_bad_file_names_its_field(write):
    path = write("bad.toml", """
        language = "en"
        resume = "hrlab/samples/resume_en.json"
        recommendation = "maybe"
        """)
    from hrlab.lab.assessment_set import load_interview

    with pytest.raises(LabFileError, match="recommendation"):
        load_interview(path)
