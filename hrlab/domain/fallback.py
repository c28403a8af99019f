"""Deterministic, resume-grounded questions for when the LLM's proposal is refused."""

from __future__ import annotations

import re
import zlib
from typing import Sequence

from hrlab.domain.guards import is_repeat
from hrlab.domain.language import Language
from hrlab.domain.topics import Topic

# Russian templates quote the subject («Python») so it stays in the nominative whatever the case.
_TEMPLATES: dict[Language, dict[str, tuple[str, ...]]] = {
    "en": {
        "background": (
            "Could you tell me briefly about yourself and your professional background?",
            "What kind of work have you enjoyed most so far in your career?",
        ),
        "role": (
            "In your role as {subject}, what were you responsible for day to day?",
            "What was the most difficult problem you solved as {subject}?",
            "What did you achieve as {subject} that you are most proud of?",
        ),
        "skill": (
            "Tell me about a project where you used {subject}. What was your part in it?",
            "What is the hardest problem you have solved with {subject}?",
            "How would you explain to a junior colleague when {subject} is the right choice and when it is not?",
            "What mistakes have you made with {subject}, and what did you learn from them?",
        ),
        "project": (
            "Tell me about the project {subject}. What was your contribution?",
            "If you started {subject} again, what would you do differently?",
        ),
        "challenge": (
            "Tell me about a time something went wrong at work. What did you do?",
            "What was the hardest task you faced in the last year, and how did you solve it?",
        ),
        "teamwork": (
            "How do you handle disagreements with colleagues about technical decisions?",
            "Tell me about a time you helped a colleague or asked for help. How did it go?",
        ),
        "motivation": (
            "What are you looking for in your next role?",
            "Why are you interested in this position?",
        ),
        "follow_up": (
            "Could you give a concrete example of that?",
            "What was the result, and how did you measure it?",
            "What was your personal contribution there?",
            "What would you do differently next time?",
        ),
        "follow_up_subject": (
            "Could you give a concrete example from your work with {subject}?",
            "What results did your work with {subject} bring, and how did you measure them?",
        ),
    },
    "ru": {
        "background": (
            "Расскажите, пожалуйста, коротко о себе и своём профессиональном опыте.",
            "Какая работа за вашу карьеру нравилась вам больше всего?",
        ),
        "role": (
            "За что вы отвечали на позиции «{subject}» в повседневной работе?",
            "Какую самую сложную задачу вы решили на позиции «{subject}»?",
            "Каким результатом на позиции «{subject}» вы гордитесь больше всего?",
        ),
        "skill": (
            "Расскажите о проекте, где вы применяли «{subject}». Какой была ваша роль?",
            "Какую самую сложную задачу вы решили с помощью «{subject}»?",
            "Как бы вы объяснили младшему коллеге, когда «{subject}» — правильный выбор, а когда нет?",
            "Какие ошибки вы допускали в работе с «{subject}» и чему они вас научили?",
        ),
        "project": (
            "Расскажите о проекте «{subject}». Каким был ваш вклад?",
            "Что бы вы сделали иначе в проекте «{subject}», если бы начинали заново?",
        ),
        "challenge": (
            "Расскажите о ситуации, когда на работе что-то пошло не так. Что вы сделали?",
            "Какой была самая трудная задача за последний год и как вы её решили?",
        ),
        "teamwork": (
            "Как вы решаете разногласия с коллегами по техническим вопросам?",
            "Расскажите о случае, когда вы помогали коллеге или просили о помощи. Как всё прошло?",
        ),
        "motivation": (
            "Что вы ищете на следующем месте работы?",
            "Почему вас заинтересовала эта позиция?",
        ),
        "follow_up": (
            "Можете привести конкретный пример?",
            "Каким был результат и как вы его измеряли?",
            "Какой была лично ваша роль в этом?",
            "Что бы вы сделали иначе в следующий раз?",
        ),
        "follow_up_subject": (
            "Можете привести конкретный пример из вашей работы с «{subject}»?",
            "Каких результатов вы добились с «{subject}» и как вы их измеряли?",
        ),
    },
}


def _templates(topic: Topic, *, language: Language, follow_up: bool) -> list[str]:
    templates = _TEMPLATES[language]
    if not follow_up:
        keys = [topic.kind]
    elif topic.subject and topic.kind in ("skill", "project"):
        keys = ["follow_up_subject", "follow_up"]
    else:
        keys = ["follow_up"]
    chosen = [t for key in keys for t in templates[key] if topic.subject or "{subject}" not in t]
    return chosen or list(templates["background"])


def _used(template: str, asked: Sequence[str]) -> bool:
    """True when some asked question is this template, whatever its subject."""
    head, marker, tail = template.partition("{subject}")
    pattern = re.compile(re.escape(head) + (".+" + re.escape(tail) if marker else "") + "$")
    return any(pattern.match(question) for question in asked)


def fallback_question(
    topic: Topic, *, language: Language, asked: Sequence[str] = (), follow_up: bool = False
) -> str:
    """A template question about the topic that repeats nothing asked; the choice is deterministic.

    Templates not used yet (for any subject) come first, so consecutive skills get different wording.
    """
    templates = _templates(topic, language=language, follow_up=follow_up)
    start = zlib.crc32(f"{topic.key}|{len(asked)}".encode()) % len(templates)
    rotated = templates[start:] + templates[:start]
    ordered = [t for t in rotated if not _used(t, asked)] + [t for t in rotated if _used(t, asked)]
    for template in ordered:
        text = template.format(subject=topic.subject)
        if not is_repeat(text, asked):
            return text
    # Every template was used: a generic one about another angle is better than silence.
    for key in ("challenge", "teamwork", "motivation", "follow_up"):
        for text in _TEMPLATES[language][key]:
            if not is_repeat(text, asked):
                return text
    return ordered[0].format(subject=topic.subject)
