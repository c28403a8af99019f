"""The admin API imports real resume files into the real database and issues invites."""

from __future__ import annotations

import io
from importlib import resources

import pytest

from hrlab.api.auth import invite_resume_id
from tests.api.conftest import ADMIN_KEY

HEADERS = {"X-Hrlab-Admin-Key": ADMIN_KEY}


def _upload(client, name: str, data: bytes):
    return client.post("/api/admin/resumes", headers=HEADERS, data={"file": (io.BytesIO(data), name)},
                       content_type="multipart/form-data")


def test_upload_sample_resume_is_parsed(client):
    data = (resources.files("hrlab") / "samples" / "resume_ru.txt").read_bytes()
    response = _upload(client, "resume_ru.txt", data)
    assert response.status_code == 201
    body = response.json
    assert body["status"] == "parsed" and body["language"] == "ru"
    assert body["skills"] and body["sessions"] == []
    listed = client.get("/api/admin/resumes", headers=HEADERS).json["resumes"]
    assert [r["id"] for r in listed] == [body["id"]]


def test_unreadable_upload_is_stored_as_failed(client):
    response = _upload(client, "cv.docx", b"PK\x03\x04 not a resume we read")
    assert response.status_code == 422
    assert response.json["error"] == "resume_parse_error"
    assert "cv.docx" in response.json["message"]
    stored = client.get(f"/api/admin/resumes/{response.json['resumeId']}", headers=HEADERS).json
    assert stored["status"] == "failed" and stored["failureReason"] == response.json["message"]


def test_upload_without_file_stores_nothing(client):
    response = client.post("/api/admin/resumes", headers=HEADERS, data={}, content_type="multipart/form-data")
    assert response.status_code == 400
    assert client.get("/api/admin/resumes", headers=HEADERS).json["resumes"] == []


def test_oversized_upload_refused(client):
    response = _upload(client, "big.txt", b"a" * (7 * 1024 * 1024))
    assert response.status_code == 413
    assert set(response.json) == {"error", "message"}


def test_invite_for_resume(client, app):
    data = (resources.files("hrlab") / "samples" / "resume_en.md").read_bytes()
    rid = _upload(client, "resume_en.md", data).json["id"]
    body = client.post(f"/api/admin/resumes/{rid}/invite", headers=HEADERS).json
    assert invite_resume_id(app.extensions["hrlab.settings"], body["invite"]) == rid
    assert body["path"] == f"/interview/{rid}?invite={body['invite']}"
    assert client.post("/api/admin/resumes/999/invite", headers=HEADERS).status_code == 404


def test_paging_arguments_validated(client):
    response = client.get("/api/admin/resumes?limit=0", headers=HEADERS)
    assert response.status_code == 400 and "limit must be an integer from 1 to 500" in response.json["message"]


GOOD_JSON = '{"candidateName": "Ada %s", "language": "en", "skills": ["python"], "roles": ["Developer"]}'


def _count(client) -> int:
    return len(client.get("/api/admin/resumes", headers=HEADERS).json["resumes"])


@pytest.mark.parametrize(
    ("name", "expected"),
    [("cv\x00.txt", "filename has the control character U+0000 at position 2"),
     ("a" * 252 + ".txt", "filename is 256 characters long, the limit is 255")],
)
def test_unstorable_filename_is_400_and_stores_nothing(client, name, expected):
    response = _upload(client, name, b"Ada Lovelace. Python developer, 5 years.")
    assert response.status_code == 400
    assert expected in response.json["message"]
    assert _count(client) == 0


@pytest.mark.parametrize(
    ("name", "data", "expected"),
    [("cv.json", (GOOD_JSON % "\\u0000").encode(), 'has U+0000 (NUL) in "candidateName" at character 4'),
     ("cv.json", (GOOD_JSON % "\\ud800").encode(), 'has a lone surrogate U+D800 in "candidateName"'),
     ("cv.json", b'{"language": "en", "yearsExperience": ' + b"9" * 4301 + b"}",
      "is not valid JSON: a number has more than 4300 digits"),
     ("cv.txt", "Ada Lovelace\x00 Python developer".encode("utf-16"), "has U+0000 (NUL) at character"),
     ],
)
def test_unstorable_text_is_422_stored_as_failed(client, name, data, expected):
    response = _upload(client, name, data)
    assert response.status_code == 422, response.json
    assert expected in response.json["message"]
    stored = client.get(f"/api/admin/resumes/{response.json['resumeId']}", headers=HEADERS).json
    assert stored["status"] == "failed" and stored["failureReason"] == response.json["message"]
    assert _count(client) == 1


def test_pdf_bomb_upload_is_422_with_the_reason(client):
    from hrlab.samples.pdf import shared_stream_pdf

    response = _upload(client, "bomb.pdf", shared_stream_pdf(pages=50, spaces=20_000_000))
    assert response.status_code == 422
    assert "decompresses to more than 4 MB" in response.json["message"]
