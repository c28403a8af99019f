"""Sessions expire: an unused token after its TTL, a running interview whose agent went silent (SQLite, PostgreSQL)."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from hrlab.store.models import InterviewSession, utcnow
from tests.api.conftest import add_resume


def _only_session(database, rid: int) -> InterviewSession:
    with database.session() as session:
        return session.scalars(select(InterviewSession).where(InterviewSession.resume_id == rid)).one()


def _age(database, session_id: int, **fields: timedelta) -> None:
    """Move a session's timestamps into the past, as if that much time had gone by."""
    with database.session(write=True) as session:
        row = session.get(InterviewSession, session_id)
        for name, ago in fields.items():
            setattr(row, name, utcnow() - ago)


def _sessions(database, rid: int) -> list[tuple[str, str | None]]:
    with database.session() as session:
        rows = session.scalars(select(InterviewSession).where(InterviewSession.resume_id == rid)
                               .order_by(InterviewSession.id))
        return [(row.status, row.end_reason) for row in rows]


def test_unused_token_expires_after_its_ttl(make_app, database):
    client = make_app(max_live_sessions=1).test_client()
    stale, fresh = add_resume(database), add_resume(database)
    first = client.post(f"/api/interview/{stale}/token").json["roomName"]
    assert client.post(f"/api/interview/{fresh}/token").status_code == 503  # the one slot is taken
    _age(database, _only_session(database, stale).id, created_at=timedelta(seconds=601))
    assert client.post(f"/api/interview/{fresh}/token").status_code == 200  # the unused slot came back
    again = client.post(f"/api/interview/{stale}/token")
    assert again.status_code == 503  # the stale candidate now waits like anyone else
    assert _sessions(database, stale) == [("expired", "token_unused")]
    assert first.startswith(f"interview_{stale}_")


def test_silent_agent_closes_the_running_session(make_app, database):
    client = make_app(max_live_sessions=1, session_heartbeat_timeout_seconds=120).test_client()
    rid, other = add_resume(database), add_resume(database)
    client.post(f"/api/interview/{rid}/token")
    session_id = _only_session(database, rid).id
    with database.session(write=True) as session:
        session.get(InterviewSession, session_id).status = "running"
    _age(database, session_id, started_at=timedelta(minutes=5), heartbeat_at=timedelta(seconds=60))
    assert client.get(f"/api/resume/{rid}/validate-interview").status_code == 409  # heard from a minute ago
    assert client.post(f"/api/interview/{other}/token").status_code == 503
    _age(database, session_id, heartbeat_at=timedelta(seconds=121))
    assert client.get(f"/api/resume/{rid}/validate-interview").json["canInterview"] is True
    assert client.post(f"/api/interview/{rid}/token").status_code == 200  # a new session for the same resume
    assert _sessions(database, rid) == [("expired", "agent_lost"), ("created", None)]
    with database.session() as session:
        assert session.get(InterviewSession, session_id).completed_at is not None


def test_reissued_token_ends_with_the_session(make_app, database):
    import jwt

    client = make_app().test_client()
    rid = add_resume(database)
    client.post(f"/api/interview/{rid}/token")
    _age(database, _only_session(database, rid).id, created_at=timedelta(seconds=500))
    token = client.post(f"/api/interview/{rid}/token").json["token"]
    claims = jwt.decode(token, options={"verify_signature": False})
    assert claims["exp"] - claims["nbf"] <= 100  # what is left of the session's 600 s, not a fresh 600 s
