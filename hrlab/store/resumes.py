"""Resume rows: add parsed or failed resumes, fetch, list."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from hrlab.domain.resume import ParsedResume
from hrlab.errors import NotFound
from hrlab.store.models import Resume


def add_parsed(session: Session, parsed: ParsedResume, *, source_name: str | None) -> Resume:
    """Store a resume the extractor read, with status `parsed`."""
    resume = Resume(
        status="parsed",
        candidate_name=parsed.candidate_name,
        language=parsed.language,
        skills=list(parsed.skills),
        roles=list(parsed.roles),
        years_experience=parsed.years_experience,
        raw_text=parsed.raw_text,
        source_name=source_name,
    )
    session.add(resume)
    session.flush()
    return resume


def add_failed(session: Session, *, source_name: str | None, reason: str, raw_text: str = "") -> Resume:
    """Store a resume that could not be read, with status `failed` and the reason."""
    resume = Resume(status="failed", source_name=source_name, failure_reason=reason, raw_text=raw_text)
    session.add(resume)
    session.flush()
    return resume


def get_resume(session: Session, resume_id: int, *, for_update: bool = False) -> Resume:
    """The resume with this id; NotFound when there is none."""
    query = select(Resume).where(Resume.id == resume_id)
    if for_update:
        query = query.with_for_update()
    resume = session.scalars(query).one_or_none()
    if resume is None:
        raise NotFound(f"Resume {resume_id} not found")
    return resume


def list_resumes(session: Session, *, limit: int = 100, offset: int = 0) -> list[Resume]:
    """Resumes, newest first."""
    query = select(Resume).order_by(Resume.id.desc()).limit(limit).offset(offset)
    return list(session.scalars(query))


def as_parsed(resume: Resume) -> ParsedResume:
    """The stored resume as the domain object the interviewer uses."""
    return ParsedResume(
        candidate_name=resume.candidate_name,
        language=resume.language or "en",
        skills=tuple(resume.skills or ()),
        roles=tuple(resume.roles or ()),
        years_experience=resume.years_experience,
        raw_text=resume.raw_text,
    )
