"""Every 4xx/5xx answers with one JSON shape; malformed ids never reach the database or a 500."""

from __future__ import annotations

import pytest

MALFORMED_IDS = ["abc", "-1", "0", "1.5", "10" + "0" * 29, "%D9%A3", "%E2%91%A0", "%20", "1e3", "007x", "2147483648"]


def assert_error_shape(response, status: int, *extra: str) -> None:
    assert response.status_code == status, response.data
    assert response.is_json
    assert set(response.json) == {"error", "message", *extra}
    assert isinstance(response.json["error"], str) and response.json["message"]


@pytest.mark.parametrize("raw", MALFORMED_IDS)
def test_malformed_ids(client, raw):
    assert_error_shape(client.get(f"/api/resume/{raw}/validate-interview"), 400, "canInterview")
    response = client.post(f"/api/interview/{raw}/token")
    assert_error_shape(response, 400)
    assert "resumeId must be an integer from 1 to 2147483647" in response.json["message"]


def test_unknown_route_and_wrong_method(client):
    assert_error_shape(client.get("/api/nothing-here"), 404)
    response = client.get("/api/interview/1/token")
    assert_error_shape(response, 405)
    assert "POST" in response.headers["Allow"]


def test_unexpected_error_is_500_in_shape(app):
    @app.get("/boom")
    def boom():
        raise RuntimeError("secret detail")

    response = app.test_client().get("/boom")
    assert_error_shape(response, 500)
    assert "secret detail" not in response.json["message"]
