"""Who may call: invite links (missing, forged, expired, wrong resume), upstream secret, admin key."""

from __future__ import annotations

import time

import pytest
from itsdangerous import URLSafeTimedSerializer

from hrlab.api.auth import INVITE_SALT, issue_invite
from tests.api.conftest import ADMIN_KEY, add_resume


@pytest.fixture
def invite_app(make_app):
    return make_app(auth_mode="invite", invite_ttl_hours=1)


def _settings(app):
    return app.extensions["hrlab.settings"]


def test_invite_accepted_in_header_and_query(invite_app, database):
    rid = add_resume(database)
    invite = issue_invite(_settings(invite_app), rid)
    client = invite_app.test_client()
    assert client.get(f"/api/resume/{rid}/validate-interview", headers={"Authorization": f"Bearer {invite}"}).status_code == 200
    assert client.post(f"/api/interview/{rid}/token?invite={invite}").status_code == 200


def test_missing_invite(invite_app, database):
    rid = add_resume(database)
    response = invite_app.test_client().post(f"/api/interview/{rid}/token")
    assert response.status_code == 401
    assert response.json["error"] == "unauthorized"
    assert "invite is required" in response.json["message"]


def test_forged_invite(invite_app, database):
    rid = add_resume(database)
    forged = URLSafeTimedSerializer("not-the-key", salt=INVITE_SALT).dumps({"resumeId": rid})
    response = invite_app.test_client().post(f"/api/interview/{rid}/token", headers={"Authorization": f"Bearer {forged}"})
    assert response.status_code == 401
    assert response.json["message"] == "The invite link is not valid"


def test_expired_invite(invite_app, database, monkeypatch):
    rid = add_resume(database)
    invite = issue_invite(_settings(invite_app), rid)
    real_time = time.time
    monkeypatch.setattr(time, "time", lambda: real_time() + 2 * 3600)
    response = invite_app.test_client().get(f"/api/resume/{rid}/validate-interview?invite={invite}")
    assert response.status_code == 401
    assert response.json == {"error": "unauthorized", "message": "The invite link has expired; ask for a new one",
                             "canInterview": False}


def test_invite_for_another_resume(invite_app, database):
    mine, other = add_resume(database), add_resume(database)
    invite = issue_invite(_settings(invite_app), mine)
    response = invite_app.test_client().post(f"/api/interview/{other}/token?invite={invite}")
    assert response.status_code == 403
    assert response.json["message"] == f"This invite is not for resume {other}"


def test_upstream_mode(make_app, database):
    rid = add_resume(database)
    client = make_app(auth_mode="upstream", upstream_secret="s3cret").test_client()
    assert client.post(f"/api/interview/{rid}/token").status_code == 401
    wrong = client.post(f"/api/interview/{rid}/token", headers={"X-Hrlab-Upstream-Secret": "nope"})
    assert wrong.status_code == 401 and "Wrong" in wrong.json["message"]
    assert client.post(f"/api/interview/{rid}/token", headers={"X-Hrlab-Upstream-Secret": "s3cret"}).status_code == 200


def test_admin_key_required(make_app):
    client = make_app().test_client()
    assert client.get("/api/admin/resumes").status_code == 401
    assert client.get("/api/admin/resumes", headers={"X-Hrlab-Admin-Key": "wrong"}).status_code == 401
    assert client.get("/api/admin/resumes", headers={"X-Hrlab-Admin-Key": ADMIN_KEY}).status_code == 200
    disabled = make_app(admin_key=None).test_client().get("/api/admin/resumes")
    assert disabled.status_code == 403 and "HRLAB_ADMIN_KEY" in disabled.json["message"]


@pytest.mark.parametrize("payload", [{"resumeId": 1.9}, {"resumeId": True}, {"resumeId": "1"}, {"resumeId": 0},
                                     {"resumeId": 2**31}, {"other": 1}, [1], "1", None])
def test_signed_invite_with_a_bad_payload_is_401(invite_app, database, payload):
    add_resume(database)
    signed = URLSafeTimedSerializer(_settings(invite_app).secret_key.get_secret_value(),
                                    salt=INVITE_SALT).dumps(payload)
    response = invite_app.test_client().post("/api/interview/1/token", headers={"Authorization": f"Bearer {signed}"})
    assert response.status_code == 401
    assert response.json["message"] == "The invite link is not valid"


@pytest.mark.parametrize("scheme", ["bearer", "BEARER", "Bearer"])
def test_bearer_scheme_is_case_insensitive(invite_app, database, scheme):
    rid = add_resume(database)
    invite = issue_invite(_settings(invite_app), rid)
    response = invite_app.test_client().get(f"/api/resume/{rid}/validate-interview",
                                            headers={"Authorization": f"{scheme} {invite}"})
    assert response.status_code == 200


def test_validate_500_says_cannot_interview(make_app, database):
    app = make_app()
    rid = add_resume(database)
    app.extensions["hrlab.db"] = None  # any unexpected failure inside the view
    response = app.test_client().get(f"/api/resume/{rid}/validate-interview")
    assert response.status_code == 500
    assert response.json == {"error": "internal_error", "message": "Internal server error", "canInterview": False}


def test_validate_429_says_cannot_interview(make_app, database):
    client = make_app(rate_limit_ip="1/minute").test_client()
    rid = add_resume(database)
    client.get(f"/api/resume/{rid}/validate-interview")
    response = client.get(f"/api/resume/{rid}/validate-interview")
    assert response.status_code == 429 and response.json["canInterview"] is False


METRICS_TOKEN = "m" * 32


def test_metrics_need_the_token_when_set(make_app):
    client = make_app(metrics_token=METRICS_TOKEN).test_client()
    assert client.get("/metrics").status_code == 401
    assert client.get("/metrics", headers={"Authorization": "Bearer wrong"}).status_code == 401
    allowed = client.get("/metrics", headers={"Authorization": f"Bearer {METRICS_TOKEN}"})
    assert allowed.status_code == 200 and b"hrlab_http_requests_total" in allowed.data


def test_metrics_closed_in_production_without_a_token(make_app, monkeypatch):
    strong = "s" * 32
    production = {"env": "production", "auth_mode": "invite", "livekit_api_key": "APIreal",
                  "livekit_api_secret": strong, "secret_key": strong, "admin_key": strong}
    closed = make_app(**production).test_client().get("/metrics")
    assert closed.status_code == 403 and "HRLAB_METRICS_TOKEN" in closed.json["message"]
    assert make_app().test_client().get("/metrics").status_code == 200  # dev stays open
