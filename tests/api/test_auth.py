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
