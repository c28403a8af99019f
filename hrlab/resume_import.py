"""Import resume files into the database: parsed when readable, failed with the reason when not."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from hrlab.errors import ResumeParseError
from hrlab.resume_files import read_resume_bytes, source_name
from hrlab.store import resumes
from hrlab.store.db import Database


@dataclass(frozen=True)
class ImportResult:
    resume_id: int
    source_name: str
    status: str
    failure_reason: str | None


def import_resume_bytes(database: Database, data: bytes, *, filename: str) -> ImportResult:
    """Parse one resume and store it; a parse failure is stored too, as status `failed`.

    A name that cannot be stored raises InvalidInput before anything is written.
    """
    name = source_name(filename)
    try:
        parsed = read_resume_bytes(data, filename=name)
    except ResumeParseError as error:
        with database.session(write=True) as session:
            row = resumes.add_failed(session, source_name=name, reason=error.message)
            return ImportResult(row.id, name, "failed", error.message)
    with database.session(write=True) as session:
        row = resumes.add_parsed(session, parsed, source_name=name)
        return ImportResult(row.id, name, "parsed", None)


def import_resume_file(database: Database, path: Path) -> ImportResult:
    """Read a file from disk and import it; an unreadable file becomes a failed row."""
    try:
        data = path.read_bytes()
    except OSError as error:
        with database.session(write=True) as session:
            reason = f"{path.name}: cannot read file: {error.strerror or error}"
            row = resumes.add_failed(session, source_name=path.name, reason=reason)
            return ImportResult(row.id, path.name, "failed", reason)
    return import_resume_bytes(database, data, filename=path.name)
