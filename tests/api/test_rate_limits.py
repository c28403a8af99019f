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


def test_admin_api_is_rate_limited_before_the_key_is_checked(make_app):
    from tests.api.conftest import ADMIN_KEY

    client = make_app(rate_limit_admin="2/minute").test_client()
    guesses = [client.get("/api/admin/resumes", headers={"X-Hrlab-Admin-Key": f"guess-{n}"}).status_code
               for n in range(2)]
    assert guesses == [401, 401]
    limited = client.get("/api/admin/resumes", headers={"X-Hrlab-Admin-Key": ADMIN_KEY})
    assert limited.status_code == 429 and limited.json["error"] == "rate_limited"


def _forwarded(client, rid, forwarded_for: str, remote: str = "127.0.0.1") -> int:
    return client.get(f"/api/resume/{rid}/validate-interview", headers={"X-Forwarded-For": forwarded_for},
                      environ_base={"REMOTE_ADDR": remote}).status_code


def test_trusted_proxy_names_the_client(make_app, database):
    client = make_app(rate_limit_ip="1/minute", trusted_proxies="127.0.0.1, 10.0.0.0/8").test_client()
    rid = add_resume(database)
    assert _forwarded(client, rid, "203.0.113.7") == 200
    assert _forwarded(client, rid, "203.0.113.7") == 429
    assert _forwarded(client, rid, "203.0.113.8") == 200  # another client behind the same proxy
    # A client's own forged entries sit left of what our proxies appended, so they change nothing.
    assert _forwarded(client, rid, "198.51.100.1, 203.0.113.7, 10.1.2.3") == 429


def test_forwarded_for_from_an_untrusted_peer_is_ignored(make_app, database):
    client = make_app(rate_limit_ip="1/minute").test_client()
    rid = add_resume(database)
    assert _forwarded(client, rid, "203.0.113.7") == 200
    assert _forwarded(client, rid, "203.0.113.99") == 429  # the header does not buy a new budget


def test_forwarded_client_walk():
    import ipaddress

    from hrlab.api.client_address import forwarded_client

    proxies = [ipaddress.ip_network("10.0.0.0/8")]
    assert forwarded_client("10.0.0.1", "1.2.3.4, 10.0.0.2", proxies) == "1.2.3.4"
    assert forwarded_client("10.0.0.1", "", proxies) == "10.0.0.1"
    assert forwarded_client("10.0.0.1", "not-an-ip, 10.0.0.2", proxies) == "10.0.0.2"
    assert forwarded_client("9.9.9.9", "1.2.3.4", proxies) == "9.9.9.9"


def test_limit_headers_and_retry_after_only_when_refused(make_app, database):
    client = make_app(rate_limit_resume="2/minute", rate_limit_ip="50/minute").test_client()
    rid = add_resume(database)
    first, second, refused = (client.post(f"/api/interview/{rid}/token") for _ in range(3))
    # The per-resume limit is the tighter one, so the headers speak of it.
    assert [r.headers["X-RateLimit-Remaining"] for r in (first, second)] == ["1", "0"]
    assert first.headers["X-RateLimit-Limit"] == "2" and int(first.headers["X-RateLimit-Reset"]) > 0
    assert "Retry-After" not in first.headers
    assert refused.status_code == 429 and int(refused.headers["Retry-After"]) > 0
    assert refused.json["message"] == "Too many requests: limit is 2 per 1 minute"


def test_a_call_refused_by_the_ip_limit_spends_no_resume_budget(make_app, database):
    client = make_app(rate_limit_resume="2/minute", rate_limit_ip="1/minute").test_client()
    rid = add_resume(database)
    assert client.post(f"/api/interview/{rid}/token").status_code == 200
    assert [client.post(f"/api/interview/{rid}/token").status_code for _ in range(3)] == [429] * 3
    other_ip = {"REMOTE_ADDR": "127.0.0.9"}
    assert client.post(f"/api/interview/{rid}/token", environ_base=other_ip).status_code == 200
