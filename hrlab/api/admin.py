"""The admin API behind X-Hrlab-Admin-Key: import and list resumes, issue invite links."""

from __future__ import annotations

from flask import Blueprint, current_app, jsonify, request

from hrlab.api.auth import authorize_admin, issue_invite
from hrlab.api.ids import parse_resume_id
from hrlab.api.serialize import resume_json, session_json
from hrlab.errors import InvalidInput, ResumeParseError
from hrlab.resume_import import import_resume_bytes
from hrlab.store.resumes import get_resume, list_resumes

blueprint = Blueprint("admin", __name__, url_prefix="/api/admin")
MAX_UPLOAD_BYTES = 5 * 1024 * 1024


@blueprint.before_request
def _require_admin():
    authorize_admin(current_app.extensions["hrlab.settings"])


@blueprint.post("/resumes")
def upload_resume():
    """Import one resume file sent as multipart field `file`; 201 parsed, 422 stored as failed."""
    upload = request.files.get("file")
    if upload is None or not upload.filename:
        raise InvalidInput("Send the resume as a multipart/form-data field named 'file'")
    data = upload.read(MAX_UPLOAD_BYTES + 1)
    if len(data) > MAX_UPLOAD_BYTES:
        raise InvalidInput(f"{upload.filename}: file is larger than {MAX_UPLOAD_BYTES // (1024 * 1024)} MB")
    result = import_resume_bytes(current_app.extensions["hrlab.db"], data, filename=upload.filename)
    if result.status == "failed":
        raise ResumeParseError(result.failure_reason, resumeId=result.resume_id)
    return _resume_detail(result.resume_id), 201


@blueprint.get("/resumes")
def resumes_index():
    """Resumes newest first; `limit` (1..500) and `offset` page through them."""
    limit = _int_arg("limit", 100, low=1, high=500)
    offset = _int_arg("offset", 0, low=0, high=2**31 - 1)
    with current_app.extensions["hrlab.db"].session() as session:
        return jsonify({"resumes": [resume_json(r) for r in list_resumes(session, limit=limit, offset=offset)]})


@blueprint.get("/resumes/<resume_id>")
def resume_detail(resume_id: str):
    return _resume_detail(parse_resume_id(resume_id))


@blueprint.post("/resumes/<resume_id>/invite")
def resume_invite(resume_id: str):
    """A signed invite for the candidate's interview page."""
    settings = current_app.extensions["hrlab.settings"]
    rid = parse_resume_id(resume_id)
    with current_app.extensions["hrlab.db"].session() as session:
        get_resume(session, rid)
    invite = issue_invite(settings, rid)
    return jsonify(
        {"resumeId": rid, "invite": invite, "expiresInHours": settings.invite_ttl_hours,
         "path": f"/interview/{rid}?invite={invite}"}
    )


def _resume_detail(rid: int):
    with current_app.extensions["hrlab.db"].session() as session:
        resume = get_resume(session, rid)
        return jsonify({**resume_json(resume), "sessions": [session_json(s) for s in resume.sessions]})


def _int_arg(name: str, default: int, *, low: int, high: int) -> int:
    raw = request.args.get(name)
    if raw is None:
        return default
    if not raw.isascii() or not raw.isdigit() or not low <= int(raw) <= high:
        raise InvalidInput(f"{name} must be an integer from {low} to {high}")
    return int(raw)
