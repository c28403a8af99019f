"""Rate limits answer 429 with Retry-After, per IP and per resume, in memory and in Redis."""

from __future__ import annotations

import os

import pytest

from tests.api.conftest import add_resume

# Database 15 is ours to flush: counters from an earlier run must not leak into this one.
REDIS_URL = os.environ.get("HRLAB_TEST_REDIS_URL", "redis://127.0.0.1:6379/15")


def _redis_or_skip() -> str:
    import redis

    try:
        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1).flushdb()
    except redis.RedisError as error:
        pytest.skip(f"Redis not reachable at {REDIS_URL} (set HRLAB_TEST_REDIS_URL): {error}")
    return REDIS_URL


def test_per_resume_limit(make_app, database):
    app = make_app(rate_limit_resume="2/minute")
    client = app.test_client()
    first, other = add_resume(database), add_resume(database)
    assert [client.post(f"/api/interview/{first}/token").status_code for _ in range(3)] == [200, 200, 429]
    limited = client.post(f"/api/interview/{first}/token")
    assert limited.json["error"] == "rate_limited"
    assert int(limited.headers["Retry-After"]) > 0
    assert client.post(f"/api/interview/{other}/token").status_code == 200


def test_per_ip_limit(make_app, database):
    client = make_app(rate_limit_ip="3/minute").test_client()
    rid = add_resume(database)
    codes = [client.get(f"/api/resume/{rid}/validate-interview").status_code for _ in range(4)]
    assert codes == [200, 200, 200, 429]
    other_ip = client.get(f"/api/resume/{rid}/validate-interview", environ_base={"REMOTE_ADDR": "127.0.0.9"})
    assert other_ip.status_code == 200


@pytest.mark.redis
def test_limits_shared_through_redis(make_app, database):
    url = _redis_or_skip()
    rid = add_resume(database)
    # Two apps stand for two gunicorn workers; the counter lives in Redis, so they share it.
    settings = {"rate_limit_resume": "2/minute", "rate_limit_storage_url": url}
    first, second = make_app(**settings), make_app(**settings)
    codes = [first.test_client().post(f"/api/interview/{rid}/token").status_code,
             second.test_client().post(f"/api/interview/{rid}/token").status_code,
             first.test_client().post(f"/api/interview/{rid}/token").status_code]
    assert codes == [200, 200, 429]


def test_refused_calls_do_not_spend_the_resume_budget(make_app, database):
    from hrlab.api.auth import issue_invite

    app = make_app(auth_mode="invite", rate_limit_resume="2/minute")
    client, rid = app.test_client(), add_resume(database)
    strangers = [client.post(f"/api/interview/{rid}/token", environ_base={"REMOTE_ADDR": f"10.0.0.{n}"})
                 for n in range(5)]
    assert [r.status_code for r in strangers] == [401] * 5
    invite = {"Authorization": f"Bearer {issue_invite(app.extensions['hrlab.settings'], rid)}"}
    codes = [client.post(f"/api/interview/{rid}/token", headers=invite).status_code for _ in range(3)]
    assert codes == [200, 200, 429]


def test_refused_calls_count_against_the_callers_ip(make_app, database):
    from hrlab.api.auth import issue_invite

    app = make_app(auth_mode="invite", rate_limit_ip="3/minute")
    client, rid = app.test_client(), add_resume(database)
    assert [client.post(f"/api/interview/{rid}/token").status_code for _ in range(3)] == [401] * 3
    invite = {"Authorization": f"Bearer {issue_invite(app.extensions['hrlab.settings'], rid)}"}
    assert client.post(f"/api/interview/{rid}/token", headers=invite).status_code == 429
    other = client.post(f"/api/interview/{rid}/token", headers=invite, environ_base={"REMOTE_ADDR": "127.0.0.9"})
    assert other.status_code == 200
