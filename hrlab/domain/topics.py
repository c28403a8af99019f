"""What the interview is about: resume facts read by duck typing, and the topics derived from them."""

from __future__ import annotations

from dataclasses import dataclass
import re
from typing import Literal, Protocol, Sequence

from hrlab.domain.language import Language, check_language

TopicKind = Literal["background", "role", "skill", "project", "challenge", "teamwork", "motivation"]
TOPIC_KINDS: tuple[TopicKind, ...] = (
    "background", "role", "skill", "project", "challenge", "teamwork", "motivation",
)
MAX_SUBJECT_CHARS = 60
MAX_ITEMS = 12


class ResumeLike(Protocol):
    """What the plan needs from a parsed resume; `projects`, `summary`, `raw_text` are optional."""

    candidate_name: str | None
    language: str
    skills: Sequence[str]
    roles: Sequence[str]
    years_experience: float | None


@dataclass(frozen=True)
class InterviewFacts:
    """Cleaned resume facts the interviewer may mention."""

    language: Language
    candidate_name: str | None = None
    skills: tuple[str, ...] = ()
    roles: tuple[str, ...] = ()
    projects: tuple[str, ...] = ()
    years_experience: float | None = None
    summary: str = ""

    def __post_init__(self) -> None:
        check_language(self.language)


@dataclass(frozen=True)
class Topic:
    """One thing to ask about; `subject` is the resume fact it is grounded in, if any."""

    kind: TopicKind
    subject: str | None = None

    def __post_init__(self) -> None:
        if self.kind not in TOPIC_KINDS:
            raise ValueError(f"topic kind must be one of {', '.join(TOPIC_KINDS)}, got {self.kind!r}")

    @property
    def key(self) -> str:
        return f"{self.kind}:{(self.subject or '').casefold()}"

    def label(self) -> str:
        """A short name for prompts and logs, e.g. `skill: Python`."""
        return f"{self.kind}: {self.subject}" if self.subject else self.kind


def clean_items(values: object, *, limit: int = MAX_ITEMS) -> tuple[str, ...]:
    """Trim, de-duplicate (case-insensitively) and cap a list of short resume strings."""
    if values is None:
        return ()
    if isinstance(values, str):
        values = [values]
    seen: set[str] = set()
    items: list[str] = []
    for value in values:  # type: ignore[union-attr]
        if not isinstance(value, str):
            continue
        item = " ".join(value.split()).strip(" ,;.")
        if not item or len(item) > MAX_SUBJECT_CHARS or item.casefold() in seen:
            continue
        seen.add(item.casefold())
        items.append(item)
        if len(items) == limit:
            break
    return tuple(items)


_PATRONYMIC = re.compile(r"(вич|вна|ична|инична)$", re.IGNORECASE)
_RU_SURNAME = re.compile(r"(ов|ев|ёв|ин|ын|ова|ева|ёва|ина|ына|ский|ская|цкий|цкая|ко|ук|юк)$", re.IGNORECASE)


def address_name(name: str | None, *, language: str) -> str | None:
    """How to address the candidate: first name (en), first name and patronymic when given (ru)."""
    if not name:
        return None
    parts = name.split()
    if language != "ru":
        return parts[0]
    patronymic = next((p for p in parts if _PATRONYMIC.search(p)), None)
    given = [p for p in parts if p != patronymic and not _RU_SURNAME.search(p)]
    if not given:
        return name if len(parts) == 1 else None  # cannot tell the first name: no name beats a wrong one
    return f"{given[0]} {patronymic}" if patronymic else given[0]


def facts_from_resume(resume: ResumeLike, *, language: str | None = None) -> InterviewFacts:
    """Read the fields the interview needs from any resume-like object; `language` overrides."""
    name = getattr(resume, "candidate_name", None)
    name = " ".join(name.split()) if isinstance(name, str) and name.strip() else None
    years = getattr(resume, "years_experience", None)
    if isinstance(years, bool) or not isinstance(years, (int, float)) or not 0 <= years <= 70:
        years = None
    summary = getattr(resume, "summary", None) or ""
    return InterviewFacts(
        language=check_language(language or getattr(resume, "language", None)),
        candidate_name=name if name and len(name) <= MAX_SUBJECT_CHARS else None,
        skills=clean_items(getattr(resume, "skills", ())),
        roles=clean_items(getattr(resume, "roles", ())),
        projects=clean_items(getattr(resume, "projects", ())),
        years_experience=float(years) if years is not None else None,
        summary=" ".join(summary.split())[:500] if isinstance(summary, str) else "",
    )


def derive_topics(facts: InterviewFacts, *, max_skills: int = 4) -> tuple[Topic, ...]:
    """Order the topics: background, top skills, latest role, a project, earlier role, more skills, generic.

    The opening question already names the latest role, so its own topic comes after two skills.
    """
    skills = [Topic("skill", skill) for skill in facts.skills[:max_skills]]
    topics = [Topic("background")]
    topics += skills[:2]
    topics += [Topic("role", role) for role in facts.roles[:1]]
    topics += [Topic("project", project) for project in facts.projects[:1]]
    topics += [Topic("role", role) for role in facts.roles[1:2]]
    topics += skills[2:]
    topics += [Topic("challenge"), Topic("teamwork"), Topic("motivation")]
    return tuple(topics)


def facts_line(facts: InterviewFacts) -> str:
    """One line of resume facts for a prompt, in the interview's language."""
    ru = facts.language == "ru"
    parts = []
    if facts.roles:
        parts.append(("Должность: " if ru else "Role: ") + ", ".join(facts.roles[:2]))
    if facts.years_experience is not None:
        years = facts.years_experience
        parts.append(f"Опыт: {years:g} {_russian_years(years)}" if ru else f"Experience: {years:g} years")
    if facts.skills:
        parts.append(("Навыки: " if ru else "Skills: ") + ", ".join(facts.skills[:6]))
    if facts.projects:
        parts.append(("Проекты: " if ru else "Projects: ") + ", ".join(facts.projects[:2]))
    return ". ".join(parts) + "." if parts else ("Резюме без деталей." if ru else "No resume details.")


def _russian_years(years: float) -> str:
    """The right form of "год" after a number: 1 год, 2 года, 5 лет, 2.5 года."""
    if years != int(years):
        return "года"
    last_two, last = int(years) % 100, int(years) % 10
    if last == 1 and last_two != 11:
        return "год"
    if 2 <= last <= 4 and not 12 <= last_two <= 14:
        return "года"
    return "лет"
