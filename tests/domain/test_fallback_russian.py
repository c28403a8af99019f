"""Russian fallback questions are grammatical whatever the subject: inflected after a preposition,
quoted only after a noun or a colon, Latin names untouched. Run with -s to read every question."""

from __future__ import annotations

import re

import pytest

from hrlab.domain.fallback import fallback_question
from hrlab.domain.guards import check_question
from hrlab.domain.russian_forms import inflect, with_preposition
from hrlab.domain.topics import InterviewFacts, Topic, derive_topics

SKILLS = (
    "Python", "PostgreSQL", "React", "Kubernetes", "переговоры", "Управление проектами", "продажи",
    "аналитика данных", "бухгалтерский учёт", "Стратегическое планирование", "Внедрение CRM",
)
ROLES = (
    "Backend-разработчик", "Менеджер по продажам", "руководитель отдела", "Аналитик данных", "Data engineer",
    "Главный бухгалтер", "Инженер-программист",
)
PROJECTS = ("Billing", "Разработка CRM-системы")
# How many templates each kind has: every one must be reachable for a subject that inflects.
KINDS = {("skill", False): 5, ("skill", True): 2, ("role", False): 4, ("project", False): 2, ("project", True): 2}
# A «quoted» subject stays in the nominative, so a noun or a colon must govern it, never a preposition.
QUOTE_GOVERNORS = ("должность", "проекте", "проектом", "указано:")


def questions_about(topic: Topic, *, follow_up: bool = False) -> list[str]:
    """Every question the fallback asks about the topic's subject, in the order it asks them."""
    asked: list[str] = []
    for _ in range(12):
        asked.append(fallback_question(topic, language="ru", asked=asked, follow_up=follow_up))
    stem = re.compile(r"(?<!\w)" + re.escape(topic.subject.split()[0][:5]), re.IGNORECASE)
    return list(dict.fromkeys(q for q in asked if stem.search(q)))


@pytest.mark.parametrize(
    ("phrase", "case", "expected"),
    [
        ("переговоры", "ablt", "переговорами"),
        ("переговоры", "gent", "переговоров"),
        ("Управление проектами", "ablt", "управлением проектами"),
        ("управление проектами", "loct", "управлении проектами"),
        ("продажи", "gent", "продаж"),
        ("продажи", "loct", "продажах"),
        ("аналитика данных", "ablt", "аналитикой данных"),
        ("бухгалтерский учёт", "ablt", "бухгалтерским учётом"),
        ("бухгалтерский учет", "loct", "бухгалтерском учете"),
        ("Менеджер по продажам", "gent", "менеджера по продажам"),
        ("руководитель отдела", "gent", "руководителя отдела"),
        ("Аналитик данных", "gent", "аналитика данных"),
        ("Главный бухгалтер", "gent", "главного бухгалтера"),
        ("Backend-разработчик", "gent", "Backend-разработчика"),
        ("Инженер-программист", "gent", "инженера-программиста"),
        ("интернет-маркетинг", "ablt", "интернет-маркетингом"),
        ("Ведущий Python-разработчик", "gent", "ведущего Python-разработчика"),
        ("Большие данные", "loct", "больших данных"),
        ("Продажи и переговоры", "ablt", "продажами и переговорами"),
        ("Английский", "loct", "английском"),
    ],
)
def test_russian_phrases_change_only_the_head_and_its_adjectives(phrase, case, expected):
    assert inflect(phrase, case) == expected


@pytest.mark.parametrize("phrase", ["Python", "PostgreSQL", "Data engineer", "Ruby on Rails", "C++", "1C"])
def test_latin_names_are_never_inflected(phrase):
    assert {inflect(phrase, case) for case in ("gent", "datv", "ablt", "loct")} == {phrase}


@pytest.mark.parametrize(
    "phrase", ["Вести переговоры", "Продажи, переговоры", "Яндекс Метрика", "Ответственный за продажи"]
)
def test_a_phrase_we_cannot_read_is_not_guessed(phrase):
    assert inflect(phrase, "ablt") is None


@pytest.mark.parametrize(
    ("preposition", "phrase", "expected"),
    [
        ("с", "переговорами", "с переговорами"),
        ("с", "стратегическим планированием", "со стратегическим планированием"),
        ("в", "внедрении CRM", "во внедрении CRM"),
        ("в", "продажах", "в продажах"),
        ("с", "Spark", "со Spark"),
        ("с", "SQL", "с SQL"),
        ("в", "Python", "в Python"),
    ],
)
def test_prepositions_take_their_spoken_form(preposition, phrase, expected):
    assert with_preposition(preposition, phrase) == expected


def _cases(subjects, kinds):
    return [(kind, follow_up, s) for (kind, follow_up) in KINDS if kind in kinds for s in subjects]


@pytest.mark.parametrize(
    ("kind", "follow_up", "subject"),
    _cases(SKILLS, {"skill"}) + _cases(ROLES, {"role"}) + _cases(PROJECTS, {"project"}),
)
def test_every_russian_template_is_grammatical_for_the_subject(kind, follow_up, subject):
    questions = questions_about(Topic(kind, subject), follow_up=follow_up)
    print(f"\n{kind}{' follow-up' if follow_up else ''}: {subject}", *questions, sep="\n  ")
    assert len(questions) == KINDS[(kind, follow_up)]
    for question in questions:
        assert check_question(question, language="ru", subject=subject).ok, question
        unquoted = re.sub(r"«[^»]*»", "«»", question)
        for quote in re.finditer("«", unquoted):
            assert unquoted[: quote.start()].rstrip().endswith(QUOTE_GOVERNORS), question
        if kind != "project" and re.search("[а-яё]", subject, re.IGNORECASE):
            # The nominative outside quotes would be «с переговоры», «на позиции менеджер».
            assert not re.search(rf"(?<!\w){re.escape(subject)}(?!\w)", unquoted, re.IGNORECASE), question


def test_skill_questions_word_by_word():
    assert set(questions_about(Topic("skill", "переговоры"))) == {
        "Расскажите о проекте, где пригодился ваш опыт в переговорах. Какой была ваша роль?",
        "Какую самую сложную задачу, связанную с переговорами, вам приходилось решать?",
        "Что бы вы в первую очередь объяснили младшему коллеге, который только начинает разбираться в переговорах?",
        "Какие ошибки вы допускали, когда дело касалось переговоров, и чему они вас научили?",
        "В резюме у вас указано: «переговоры». Расскажите о случае, когда это вам особенно пригодилось.",
    }
    assert set(questions_about(Topic("skill", "Управление проектами"), follow_up=True)) == {
        "Можете привести конкретный пример из вашего опыта в управлении проектами?",
        "Каких результатов вы добились в работе, связанной с управлением проектами, и как вы их измеряли?",
    }


def test_role_questions_word_by_word():
    assert set(questions_about(Topic("role", "Менеджер по продажам"))) == {
        "За что вы отвечали в повседневной работе на позиции менеджера по продажам?",
        "Какую самую сложную задачу вы решили в роли менеджера по продажам?",
        "Каким достижением в роли менеджера по продажам вы гордитесь больше всего?",
        "В резюме у вас указана должность «Менеджер по продажам». Чему вы на ней научились?",
    }


def test_a_subject_that_cannot_be_inflected_is_quoted_not_broken():
    questions = questions_about(Topic("skill", "Вести переговоры"))
    assert questions == [
        "В резюме у вас указано: «Вести переговоры». Расскажите о случае, когда это вам особенно пригодилось."
    ]


@pytest.mark.parametrize(("kind", "subjects"), [("skill", SKILLS[4:9]), ("role", ROLES[:4])])
def test_an_inflected_subject_still_marks_its_template_used(kind, subjects):
    asked: list[str] = []
    for subject in subjects:
        asked.append(fallback_question(Topic(kind, subject), language="ru", asked=asked))
    print("", *asked, sep="\n  ")
    assert len({" ".join(question.split()[:3]) for question in asked}) == len(subjects)


def test_a_russian_interview_about_russian_subjects_is_grounded_and_never_repeats():
    facts = InterviewFacts(language="ru", skills=SKILLS[4:8], roles=ROLES[1:3], projects=PROJECTS[1:])
    asked: list[str] = []
    for topic in derive_topics(facts):
        for follow_up in (False, True):
            question = fallback_question(topic, language="ru", asked=asked, follow_up=follow_up)
            # A generic follow-up («Можете привести конкретный пример?») builds on the answer, not the subject.
            subject = None if follow_up else topic.subject
            verdict = check_question(question, language="ru", asked=asked, subject=subject)
            assert verdict.ok, (question, verdict.reasons)
            asked.append(question)
    print("", *asked, sep="\n  ")
    assert len(set(asked)) == len(asked)
