"""The spec's two endpoints: validate a resume for interview, and mint the LiveKit token."""

from __future__ import annotations

import json

from flask import Blueprint, current_app, jsonify, request

from hrlab.api.auth import authorize_resume
from hrlab.api.ids import parse_resume_id
from hrlab.api.tokens import mint_candidate_token
from hrlab.domain.readiness import refusal
from hrlab.store.resumes import get_resume
from hrlab.store.sessions import live_session, open_or_reuse, resume_state, reuse_live

blueprint = Blueprint("interview", __name__)


@blueprint.get("/api/resume/<resume_id>/validate-interview")
def validate_interview(resume_id: str):
    """200 when the resume can be interviewed now; every refusal also says canInterview: false."""
    settings, database = current_app.extensions["hrlab.settings"], current_app.extensions["hrlab.db"]
    rid = parse_resume_id(resume_id)
    authorize_resume(settings, rid)
    with database.session() as session:
        resume = get_resume(session, rid)
        live = live_session(session, rid, **settings.session_lifetimes)
        error = refusal(resume_state(resume, live), allow_running=False)
    if error:
        raise error
    return jsonify({"canInterview": True, "message": "Resume is ready for interview"})


@blueprint.after_request
def _validate_refusals_say_cannot_interview(response):
    """Every error from validate (ours, rate limits, faults, 500s) carries canInterview: false."""
    if request.endpoint == "interview.validate_interview" and response.status_code >= 400 and response.is_json:
        body = response.get_json(silent=True)
        if isinstance(body, dict) and "canInterview" not in body:
            body["canInterview"] = False
            response.set_data(json.dumps(body, ensure_ascii=False))
    return response


@blueprint.post("/api/interview/<resume_id>/token")
def interview_token(resume_id: str):
    """Open (or reuse) the resume's interview session and mint the candidate's token."""
    settings, database = current_app.extensions["hrlab.settings"], current_app.extensions["hrlab.db"]
    rid = parse_resume_id(resume_id)
    authorize_resume(settings, rid)
    # Re-issuing for a live session is the common case and needs no lock; opening one does.
    opened = reuse_live(database, rid, **settings.session_lifetimes)
    if opened is not None:
        token = mint_candidate_token(settings, opened)
    else:
        with database.session(write=True) as session:
            opened = open_or_reuse(session, rid, max_live=settings.max_live_sessions, **settings.session_lifetimes)
            token = mint_candidate_token(settings, opened)  # inside: a failure stores no session
    current_app.extensions["hrlab.metrics"].tokens_minted.labels(reused=str(opened.reused).lower()).inc()
    return jsonify({"token": token, "roomName": opened.room_name, "serverUrl": settings.browser_livekit_url})
