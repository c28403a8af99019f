"""Prompt files: shipped sets load and render; a broken set fails with a clear error."""

from __future__ import annotations

import os
import tomllib
from importlib import resources

import pytest

from hrlab.domain.prompting import (
    SCHEMA,
    chat_question_prefix,
    fill,
    placeholders,
    prompt_set_from_mapping,
    render_assessment_prompt,
    render_chat_question_prompt,
    render_question_prompt,
    rubric_anchor,
    rubric_text,
)
from hrlab.domain.topics import InterviewFacts, Topic
from hrlab.domain.transcript import Turn
from hrlab.errors import ConfigError
from hrlab.prompts import available_variants, load_prompt_set


def raw_default(language: str) -> dict:
    return tomllib.loads((resources.files("hrlab.prompts") / "default" / f"{language}.toml").read_text("utf-8"))


@pytest.mark.parametrize("language", ["en", "ru"])
def test_default_sets_load_with_every_entry(language):
    prompts = load_prompt_set("default", language)
    assert prompts.language == language and prompts.variant == "default"
    for section, keys in SCHEMA.items():
        assert set(prompts.sections[section]) == set(keys)


def test_disclosure_says_ai_transcript_and_assessment():
    assert load_prompt_set("default", "en").text("lines", "disclosure") == (
        "I am an AI interviewer. This conversation is transcribed, and the transcript and an assessment "
        "are stored for the hiring team."
    )
    ru = load_prompt_set("default", "ru").text("lines", "disclosure")
    assert "ИИ-интервьюер" in ru and "расшифров" in ru and "оценка" in ru


def test_available_variants():
    assert "default" in available_variants()


@pytest.mark.parametrize(
    ("variant", "language", "words"),
    [
        ("nope", "en", "no prompt file nope/en.toml; variants: default"),
        ("../default", "en", "prompt variant must match"),
        ("Default", "en", "prompt variant must match"),
        ("default", "de", "prompt language must be one of ru, en"),
    ],
)
def test_bad_variant_or_language(variant, language, words):
    with pytest.raises(ConfigError, match=words.replace("(", r"\(").replace(")", r"\)")):
        load_prompt_set(variant, language)


def test_missing_placeholder_and_entries_are_all_named():
    data = raw_default("en")
    data["prompts"]["question"] = data["prompts"]["question"].replace("{dialogue}", "")
    data["lines"]["reprompt"] = "Take your time, {name}."
    del data["closing"]["error"]
    del data["topics"]
    with pytest.raises(ConfigError) as caught:
        prompt_set_from_mapping(data, variant="broken", language="en")
    message = str(caught.value)
    assert message.startswith("prompt set 'broken' (en): ")
    assert "[prompts] question lacks placeholder(s) {dialogue}" in message
    assert "[lines] reprompt lacks placeholder(s) {question}" in message
    assert "[lines] reprompt has unknown placeholder(s) {name}" in message
    assert "[closing] error is missing or empty" in message
    assert "missing table [topics]" in message


def test_fill_and_placeholders_leave_json_braces_alone():
    template = 'Answer {"score": 1} about {topic}.'
    assert placeholders(template) == {"topic"}
    assert fill(template, topic="Python") == 'Answer {"score": 1} about Python.'
    assert fill("{a}", a="{b}") == "{b}"
    with pytest.raises(ValueError, match="no value for placeholder"):
        fill("{topic} {resume}", topic="x")


@pytest.mark.parametrize("language", ["en", "ru"])
def test_question_prompt_is_a_completion_ending_with_the_interviewer_label(language):
    prompts = load_prompt_set("default", language)
    facts = InterviewFacts(language=language, skills=("Python", "FastAPI"), roles=("Backend developer",),
                           years_experience=3)
    turns = [Turn("ai", "Tell me about FastAPI.", started_at=0.0), Turn("candidate", "", started_at=1.0)]
    prompt = render_question_prompt(prompts, facts=facts, topic=Topic("skill", "FastAPI"), recent=turns,
                                    follow_up=False)
    assert prompt.endswith(f"\n{prompts.ai_label}:")
    assert "Python, FastAPI" in prompt and "Backend developer" in prompt
    assert prompts.sections["labels"]["no_answer"] in prompt
    assert placeholders(prompt) == set()
    tail = prompt.rsplit("\n\n", 1)[1]
    assert ("3 years" if language == "en" else "3 года") in tail
    assert ("(new topic)" if language == "en" else "(новая тема)") in tail


def test_long_answers_are_cut_to_their_last_words_in_the_prompt():
    prompts = load_prompt_set("default", "en")
    facts = InterviewFacts(language="en")
    answer = " ".join(f"w{i}" for i in range(200))
    prompt = render_question_prompt(prompts, facts=facts, topic=Topic("motivation"),
                                    recent=[Turn("candidate", answer, started_at=0.0)], follow_up=True)
    assert "w199" in prompt and "w100 " not in prompt
    assert "motivation (follow-up on the last answer)" in prompt


@pytest.mark.parametrize("language", ["en", "ru"])
def test_chat_question_prompt_shows_the_whole_dialogue_then_the_topic(language):
    prompts = load_prompt_set("default", language)
    facts = InterviewFacts(language=language, skills=("Python", "Kafka"), roles=("Backend developer",))
    answer = " ".join(f"w{i}" for i in range(200))
    turns = [Turn("ai", f"Question {i}?", started_at=float(i)) for i in range(6)] + [
        Turn("candidate", answer, started_at=7.0)]
    prompt = render_chat_question_prompt(prompts, facts=facts, topic=Topic("skill", "Kafka"), dialogue=turns,
                                         follow_up=True)
    assert all(f"Question {i}?" in prompt for i in range(6))  # no window: earlier turns stay, as a cached prefix
    assert "w0 w1" in prompt and "w149" in prompt and "w150" not in prompt  # an answer keeps its start
    assert "Python, Kafka" in prompt and placeholders(prompt) == set()
    topic = prompts.text("topics", "chat_follow_up")
    assert prompt.rstrip().endswith(f"{topic}. " + ("Write only the question." if language == "en"
                                                     else "Напиши только вопрос."))
    # what is read while the candidate speaks is the start of the prompt, whatever the next topic
    prefix = chat_question_prefix(prompts, facts=facts, dialogue=turns)
    assert prompt.startswith(prefix) and prefix.endswith(" ".join(answer.split()[:150]))


def test_chat_question_prompt_must_keep_the_dialogue_before_the_topic():
    data = raw_default("en")
    data["prompts"]["question_chat"] = "Next: {topic}\nResume: {resume}\n{dialogue}"
    with pytest.raises(ConfigError, match=r"question_chat must name \{resume\}, \{dialogue\} and \{topic\} in this"):
        prompt_set_from_mapping(data, variant="broken", language="en")


@pytest.mark.parametrize("language", ["en", "ru"])
@pytest.mark.parametrize(("key", "kind"), [("assessment_skill", "skill"), ("assessment_problem", "problem_solving")])
def test_a_scoring_prompt_carries_its_rubric_and_numbered_passages_and_forbids_emotion_inference(language, key, kind):
    prompts = load_prompt_set("default", language)
    passages = ["I built the order service in Django.", "Django admin pages, following the existing code."]
    text = render_assessment_prompt(prompts, key, competency="Django", rubric_kind=kind, passages=passages)
    assert rubric_text(prompts, kind) in text
    assert "[1] I built the order service in Django.\n[2] Django admin pages" in text
    assert '"quote"' in text and '"score"' in text
    assert ("emotions" if language == "en" else "эмоциях") in text
    assert placeholders(text) == set()


@pytest.mark.parametrize("language", ["en", "ru"])
def test_the_problem_score_prompt_shows_the_question_the_answer_answered(language):
    prompts = load_prompt_set("default", language)
    text = render_assessment_prompt(prompts, "assessment_problem_question", rubric_kind="problem_solving",
                                    passages=["I told my boss."], question="How did you\n solve it?")
    assert "How did you solve it?\n" in text and "[1] I told my boss." in text
    assert text.index("How did you solve it?") < text.index("[1] I told my boss.")
    assert rubric_text(prompts, "problem_solving") in text and '"score"' in text
    assert placeholders(text) == set()


@pytest.mark.parametrize(("language", "label"), [("en", "The question: "), ("ru", "Вопрос: ")])
def test_a_skills_passages_are_shown_under_their_questions_where_known(language, label):
    prompts = load_prompt_set("default", language)
    text = render_assessment_prompt(prompts, "assessment_skill", competency="Airflow", rubric_kind="skill",
                                    passages=["Firefox I only rerun.", "Airflow again."],
                                    questions=["How do you use\n Airflow?", " "])
    assert f"{label}How do you use Airflow?\n[1] Firefox I only rerun.\n[2] Airflow again." in text
    with pytest.raises(ValueError, match="1 questions for 2 passages"):
        render_assessment_prompt(prompts, "assessment_skill", competency="Airflow", rubric_kind="skill",
                                 passages=["a b c", "d e f"], questions=["Q?"])


@pytest.mark.parametrize("language", ["en", "ru"])
def test_the_whole_answer_prompts_show_the_numbered_transcript_and_share_their_opening(language):
    prompts = load_prompt_set("default", language)
    numbered = "Interviewer: How have you used Django?\nCandidate: [1] I built the order service in Django."
    clarity = render_assessment_prompt(prompts, "assessment_clarity", passages=["unused"], numbered_text=numbered)
    pick = render_assessment_prompt(prompts, "assessment_problem_pick", passages=["unused"], numbered_text=numbered)
    assert numbered in clarity and "unused" not in clarity and '"specific"' in clarity
    assert numbered in pick and '"quote"' in pick
    assert numbered in clarity[:len(os.path.commonprefix([clarity, pick]))]  # llama.cpp reads it once


@pytest.mark.parametrize("language", ["en", "ru"])
@pytest.mark.parametrize("kind", ["skill", "communication", "problem_solving"])
def test_every_rubric_anchors_each_score_from_1_to_5(language, kind):
    prompts = load_prompt_set("default", language)
    lines = rubric_text(prompts, kind).splitlines()
    assert [line.split("=")[0].strip() for line in lines] == ["1", "2", "3", "4", "5"]
    anchors = [rubric_anchor(prompts, kind, score) for score in range(1, 6)]
    assert all(anchors) and len(set(anchors)) == 5
    assert rubric_anchor(prompts, kind, 0) == ""


def test_skill_prompts_share_their_opening_so_the_model_cache_is_reused():
    prompts = load_prompt_set("default", "en")
    first = render_assessment_prompt(prompts, "assessment_skill", competency="Python", rubric_kind="skill",
                                     passages=["Python daily."])
    second = render_assessment_prompt(prompts, "assessment_skill", competency="Docker", rubric_kind="skill",
                                      passages=["Docker images."])
    shared = len(os.path.commonprefix([first, second]))
    assert rubric_text(prompts, "skill") in first[:shared]
