"""Deterministic, resume-grounded questions for when the LLM's proposal is refused."""

from __future__ import annotations

import re
import zlib
from typing import Sequence

from hrlab.domain.guards import is_repeat
from hrlab.domain.language import Language
from hrlab.domain.russian_forms import inflect, with_preposition
from hrlab.domain.topics import Topic

# A slot is {subject}, as written in the resume, or {subject:CASE} with an optional preposition
# before it ({с subject:ablt}): a Russian subject is then inflected (russian_forms), the preposition
# takes its spoken form (со, во), and Latin names stay as they are. A template whose slot cannot be
# inflected is skipped, so each Russian kind keeps one where the subject is quoted after a noun
# (должность «…») or a colon and needs no case.
_SLOT = re.compile(r"\{(?:(?P<preposition>\w+) )?subject(?::(?P<case>\w+))?\}")

_EN_FOLLOW_UP_SUBJECT = (
    "Could you give a concrete example from your work with {subject}?",
    "What results did your work with {subject} bring, and how did you measure them?",
)

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
        "follow_up_skill": _EN_FOLLOW_UP_SUBJECT,
        "follow_up_project": _EN_FOLLOW_UP_SUBJECT,
    },
    "ru": {
        "background": (
            "Расскажите, пожалуйста, коротко о себе и своём профессиональном опыте.",
            "Какая работа за вашу карьеру нравилась вам больше всего?",
        ),
        "role": (
            "За что вы отвечали в повседневной работе на позиции {subject:gent}?",
            "Какую самую сложную задачу вы решили в роли {subject:gent}?",
            "Каким достижением в роли {subject:gent} вы гордитесь больше всего?",
            "В резюме у вас указана должность «{subject}». Чему вы на ней научились?",
        ),
        "skill": (
            "Расскажите о проекте, где пригодился ваш опыт {в subject:loct}. Какой была ваша роль?",
            "Какую самую сложную задачу, связанную {с subject:ablt}, вам приходилось решать?",
            "Что бы вы в первую очередь объяснили младшему коллеге, который только начинает разбираться"
            " {в subject:loct}?",
            "Какие ошибки вы допускали, когда дело касалось {subject:gent}, и чему они вас научили?",
            "В резюме у вас указано: «{subject}». Расскажите о случае, когда это вам особенно пригодилось.",
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
        "follow_up_skill": (
            "Можете привести конкретный пример из вашего опыта {в subject:loct}?",
            "Каких результатов вы добились в работе, связанной {с subject:ablt}, и как вы их измеряли?",
        ),
        "follow_up_project": (
            "Можете привести конкретный пример из вашей работы над проектом «{subject}»?",
            "Каких результатов вы добились в проекте «{subject}» и как вы их измеряли?",
        ),
    },
}


def _candidates(topic: Topic, *, language: Language, follow_up: bool) -> list[tuple[str, str]]:
    """(template, question) pairs for the topic, without templates its subject cannot fill."""
    templates = _TEMPLATES[language]
    if not follow_up:
        keys = [topic.kind]
    elif topic.subject and topic.kind in ("skill", "project"):
        keys = [f"follow_up_{topic.kind}", "follow_up"]
    else:
        keys = ["follow_up"]
    rendered = [(t, _render(t, topic.subject)) for key in keys for t in templates[key]]
    chosen = [(t, text) for t, text in rendered if text is not None]
    return chosen or [(t, t) for t in templates["background"]]


def _render(template: str, subject: str | None) -> str | None:
    """The template with its slots filled, or None when it has a slot and no subject form for it."""
    pieces, end = [], 0
    for slot in _SLOT.finditer(template):
        form = _slot_text(slot, subject)
        if form is None:
            return None
        pieces += [template[end:slot.start()], form]
        end = slot.end()
    return "".join(pieces) + template[end:]


def _slot_text(slot: re.Match, subject: str | None) -> str | None:
    if not subject:
        return None
    form = inflect(subject, slot["case"]) if slot["case"] else subject
    if form is None or not slot["preposition"]:
        return form
    return with_preposition(slot["preposition"], form)


def _used(template: str, asked: Sequence[str]) -> bool:
    """True when some asked question is this template, whatever its subject and that subject's case."""
    pieces = _SLOT.sub("\0", template).split("\0")
    pattern = re.compile(".+".join(re.escape(piece) for piece in pieces) + "$")
    return any(pattern.match(question) for question in asked)


def fallback_question(
    topic: Topic, *, language: Language, asked: Sequence[str] = (), follow_up: bool = False
) -> str:
    """A template question about the topic that repeats nothing asked; the choice is deterministic.

    Templates not used yet (for any subject) come first, so consecutive skills get different wording.
    """
    candidates = _candidates(topic, language=language, follow_up=follow_up)
    start = zlib.crc32(f"{topic.key}|{len(asked)}".encode()) % len(candidates)
    rotated = candidates[start:] + candidates[:start]
    fresh = [c for c in rotated if not _used(c[0], asked)]
    ordered = fresh + [c for c in rotated if c not in fresh]
    for _, text in ordered:
        if not is_repeat(text, asked):
            return text
    # Every template was used: a generic one about another angle is better than silence.
    for key in ("challenge", "teamwork", "motivation", "follow_up"):
        for text in _TEMPLATES[language][key]:
            if not is_repeat(text, asked):
                return text
    return ordered[0][1]
