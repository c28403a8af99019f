"""The real Flask app over a real database, with settings chosen per test."""

from __future__ import annotations

import pytest

from hrlab.api import create_app
from hrlab.config import load_settings
from hrlab.domain.resume import ParsedResume
from hrlab.store import resumes

ADMIN_KEY = "admin-key-for-tests"


def add_resume(database, *, status: str = "parsed", language: str = "en") -> int:
    """Store one resume directly and return its id."""
    parsed = ParsedResume(
        candidate_name="Ada Lovelace" if language == "en" else "Анна Иванова",
        language=language,
        skills=("python", "postgresql"),
        roles=("Backend Developer",),
        years_experience=5.0,
        raw_text="Ada Lovelace. Backend developer, 5 years of Python and PostgreSQL.",
    )
    with database.session(write=True) as session:
        if status == "failed":
            return resumes.add_failed(session, source_name="bad.pdf", reason="no text layer").id
        row = resumes.add_parsed(session, parsed, source_name="cv.md")
        row.status = status
        return row.id


@pytest.fixture
def make_app(database):
    """Build an app over the test database with settings overridden by keyword."""

    def build(**overrides):
        base = {"auth_mode": "none", "admin_key": ADMIN_KEY, "database_url": database.url,
                "rate_limit_ip": "10000/minute", "rate_limit_resume": "10000/minute",
                "rate_limit_admin": "10000/minute"}
        settings = load_settings(**{**base, **overrides})
        app = create_app(settings, database=database)
        app.config["TESTING"] = True
        return app

    return build


@pytest.fixture
def app(make_app):
    return make_app()


@pytest.fixture
def client(app):
    return app.test_client()
