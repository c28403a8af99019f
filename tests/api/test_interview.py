"""The spec's two endpoints on the real app over SQLite and PostgreSQL."""

from __future__ import annotations

import json
from concurrent.futures import ThreadPoolExecutor

from livekit import api
from pydantic import SecretStr
from sqlalchemy import func, select

from hrlab.config import DEV_API_KEY, DEV_API_SECRET
from hrlab.store.models import InterviewSession, Resume
from tests.api.conftest import add_resume


def test_validate_parsed_resume(client, database):
    rid = add_resume(database)
    response = client.get(f"/api/resume/{rid}/validate-interview")
    assert response.status_code == 200
    assert response.json == {"canInterview": True, "message": "Resume is ready for interview"}


def test_validate_unknown_resume_is_404(client):
    response = client.get("/api/resume/999/validate-interview")
    assert response.status_code == 404
    assert response.json == {"error": "not_found", "message": "Resume 999 not found", "canInterview": False}


def test_validate_not_parsed_is_400(client, database):
    rid = add_resume(database, status="failed")
    response = client.get(f"/api/resume/{rid}/validate-interview")
    assert response.status_code == 400
    assert response.json["error"] == "resume_not_ready"
    assert response.json["canInterview"] is False
    assert "status is 'failed' (no text layer)" in response.json["message"]


def test_validate_refuses_completed_and_running(client, database):
    done, running = add_resume(database), add_resume(database)
    client.post(f"/api/interview/{running}/token")
    with database.session(write=True) as session:
        session.get(Resume, done).interview_completed_at = func.now()
        session.scalars(select(InterviewSession).where(InterviewSession.resume_id == running)).one().status = "running"
    for rid, word in ((done, "completed"), (running, "running")):
        response = client.get(f"/api/resume/{rid}/validate-interview")
        assert response.status_code == 409
        assert response.json["canInterview"] is False
        assert f"already {word}" in response.json["message"]


def test_token_shape_and_claims(client, database, app):
    rid = add_resume(database)
    response = client.post(f"/api/interview/{rid}/token")
    assert response.status_code == 200
    body = response.json
    assert set(body) == {"token", "roomName", "serverUrl"}
    assert body["roomName"].startswith(f"interview_{rid}_")
    assert body["serverUrl"] == "ws://127.0.0.1:7880"
    claims = api.TokenVerifier(DEV_API_KEY, DEV_API_SECRET).verify(body["token"])
    grants = claims.video
    assert grants.room == body["roomName"] and grants.room_join
    assert grants.can_publish_sources == ["microphone"]
    assert grants.can_subscribe and grants.can_publish_data
    assert not grants.room_create and not grants.room_admin
    with database.session() as session:
        row = session.scalars(select(InterviewSession).where(InterviewSession.resume_id == rid)).one()
        assert claims.identity == f"candidate-{row.id}"
        assert session.get(Resume, rid).interview_session_id == str(row.id)
    (dispatch,) = claims.room_config.agents
    assert dispatch.agent_name == "hrlab-interviewer"
    assert json.loads(dispatch.metadata) == {"sessionId": row.id, "resumeId": rid, "language": "en"}


def test_token_ttl_from_settings(make_app, database):
    rid = add_resume(database)
    client = make_app(token_ttl_seconds=120, public_livekit_url="wss://lk.example.com").test_client()
    body = client.post(f"/api/interview/{rid}/token").json
    claims = api.TokenVerifier(DEV_API_KEY, DEV_API_SECRET).verify(body["token"])
    assert body["serverUrl"] == "wss://lk.example.com"
    import jwt  # livekit-api depends on PyJWT

    raw = jwt.decode(body["token"], options={"verify_signature": False})
    assert raw["exp"] - raw["nbf"] == 120
    assert claims.identity.startswith("candidate-")


def test_repeat_token_reuses_the_room(client, database):
    rid = add_resume(database)
    first = client.post(f"/api/interview/{rid}/token").json
    second = client.post(f"/api/interview/{rid}/token").json
    assert first["roomName"] == second["roomName"]
    with database.session() as session:
        assert session.scalar(select(func.count()).select_from(InterviewSession)) == 1


def test_token_refuses_not_parsed_and_unknown(client, database):
    failed = add_resume(database, status="failed")
    assert client.post(f"/api/interview/{failed}/token").status_code == 400
    assert client.post("/api/interview/4242/token").json["error"] == "not_found"


def test_concurrent_token_requests_open_one_session(make_app, database):
    rid = add_resume(database)
    app = make_app()

    def request_token(_):
        return app.test_client().post(f"/api/interview/{rid}/token")

    with ThreadPoolExecutor(max_workers=8) as pool:
        responses = list(pool.map(request_token, range(16)))
    assert {r.status_code for r in responses} == {200}
    assert len({r.json["roomName"] for r in responses}) == 1
    with database.session() as session:
        assert session.scalar(select(func.count()).select_from(InterviewSession)) == 1


def test_live_session_cap(make_app, database):
    client = make_app(max_live_sessions=2).test_client()
    ids = [add_resume(database) for _ in range(3)]
    assert client.post(f"/api/interview/{ids[0]}/token").status_code == 200
    assert client.post(f"/api/interview/{ids[1]}/token").status_code == 200
    refused = client.post(f"/api/interview/{ids[2]}/token")
    assert refused.status_code == 503
    assert refused.json["error"] == "capacity_exceeded"
    # An existing session is still re-issued at the cap.
    assert client.post(f"/api/interview/{ids[0]}/token").status_code == 200


def test_live_session_cap_holds_under_parallel_calls(make_app, database):
    app = make_app(max_live_sessions=5)
    ids = [add_resume(database) for _ in range(40)]

    def request_token(rid):
        return app.test_client().post(f"/api/interview/{rid}/token").status_code

    with ThreadPoolExecutor(max_workers=16) as pool:
        codes = list(pool.map(request_token, ids))
    assert codes.count(200) == 5
    assert codes.count(503) == 35
    with database.session() as session:
        assert session.scalar(select(func.count()).select_from(InterviewSession)) == 5


def test_failed_mint_stores_no_session(make_app, database):
    app = make_app()
    rid = add_resume(database)
    # Settings refuse an empty secret now; force one past them to make the JWT builder raise.
    app.extensions["hrlab.settings"].__dict__["livekit_api_secret"] = SecretStr("")
    assert app.test_client().post(f"/api/interview/{rid}/token").status_code == 500
    with database.session() as session:
        assert session.scalar(select(func.count()).select_from(InterviewSession)) == 0
