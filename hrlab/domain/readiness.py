"""Whether a resume may start an interview now: the rule both API endpoints share."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from hrlab.errors import Conflict, HrlabError, ResumeNotReady


@dataclass(frozen=True)
class ResumeState:
    resume_id: int
    status: str
    failure_reason: str | None
    interview_completed_at: datetime | None
    live_session_status: str | None  # "created", "running" or None


def refusal(state: ResumeState, *, allow_running: bool) -> HrlabError | None:
    """The error that forbids an interview for this resume now, or None when it may go ahead."""
    if state.status != "parsed":
        reason = f" ({state.failure_reason})" if state.failure_reason else ""
        return ResumeNotReady(
            f"Resume {state.resume_id} is not ready for interview: status is '{state.status}'{reason}"
        )
    if state.interview_completed_at is not None:
        return Conflict(f"The interview for resume {state.resume_id} is already completed")
    if state.live_session_status == "running" and not allow_running:
        return Conflict(f"The interview for resume {state.resume_id} is already running")
    return None
