"""JSON views of stored rows for the admin API."""

from __future__ import annotations

from datetime import datetime

from hrlab.store.models import InterviewSession, Resume


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value else None


def resume_json(resume: Resume) -> dict:
    return {
        "id": resume.id,
        "status": resume.status,
        "candidateName": resume.candidate_name,
        "language": resume.language,
        "skills": list(resume.skills or []),
        "roles": list(resume.roles or []),
        "yearsExperience": resume.years_experience,
        "sourceName": resume.source_name,
        "failureReason": resume.failure_reason,
        "createdAt": _iso(resume.created_at),
        "interviewSessionId": resume.interview_session_id,
        "interviewCompletedAt": _iso(resume.interview_completed_at),
    }


def session_json(session: InterviewSession) -> dict:
    return {
        "id": session.id,
        "resumeId": session.resume_id,
        "roomName": session.room_name,
        "status": session.status,
        "createdAt": _iso(session.created_at),
        "startedAt": _iso(session.started_at),
        "completedAt": _iso(session.completed_at),
        "endReason": session.end_reason,
        "language": session.language,
        "variant": session.variant,
    }
