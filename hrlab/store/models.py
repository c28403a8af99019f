"""SQLAlchemy tables: the spec's resumes and interview_sessions, plus interview_turns."""

from __future__ import annotations

from datetime import datetime, timezone

from sqlalchemy import (
    JSON,
    CheckConstraint,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

RESUME_STATUSES = ("uploaded", "parsed", "failed")
# created: token issued, nobody joined yet; running: the agent started the interview; expired: the
# token went unused past its TTL, or the agent stopped sending heartbeats (end_reason says which).
SESSION_STATUSES = ("created", "running", "completed", "ended", "expired")
LIVE_SESSION_STATUSES = ("created", "running")
SPEAKERS = ("ai", "candidate")
# An assessment job: pending -> running -> done, or failed (with the reason) after its last attempt.
ASSESSMENT_STATUSES = ("pending", "running", "done", "failed")
# A person's decision on an interview; the AI's recommendation never stands in for it.
REVIEW_DECISIONS = ("advance", "hold", "reject")


def utcnow() -> datetime:
    return datetime.now(timezone.utc)


def _in(column: str, values: tuple[str, ...]) -> str:
    return f"{column} IN ({', '.join(repr(v) for v in values)})"


class Base(DeclarativeBase):
    pass


class Resume(Base):
    __tablename__ = "resumes"
    __table_args__ = (CheckConstraint(_in("status", RESUME_STATUSES), name="ck_resumes_status"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    status: Mapped[str] = mapped_column(String(20), default="uploaded")
    candidate_name: Mapped[str | None] = mapped_column(String(255))
    language: Mapped[str | None] = mapped_column(String(8))
    skills: Mapped[list] = mapped_column(JSON, default=list)
    roles: Mapped[list] = mapped_column(JSON, default=list)
    years_experience: Mapped[float | None] = mapped_column(Float)
    raw_text: Mapped[str] = mapped_column(Text, default="")
    source_name: Mapped[str | None] = mapped_column(String(255))
    failure_reason: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    # The spec's two columns: the current interview session and when it was completed.
    interview_session_id: Mapped[str | None] = mapped_column(String(255))
    interview_completed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    sessions: Mapped[list[InterviewSession]] = relationship(back_populates="resume")


class InterviewSession(Base):
    __tablename__ = "interview_sessions"
    __table_args__ = (
        CheckConstraint(_in("status", SESSION_STATUSES), name="ck_sessions_status"),
        # At most one live session per resume: concurrent token requests cannot open two.
        Index(
            "uq_sessions_one_live_per_resume",
            "resume_id",
            unique=True,
            sqlite_where=text(_in("status", LIVE_SESSION_STATUSES)),
            postgresql_where=text(_in("status", LIVE_SESSION_STATUSES)),
        ),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    resume_id: Mapped[int] = mapped_column(ForeignKey("resumes.id", ondelete="CASCADE"), index=True)
    room_name: Mapped[str] = mapped_column(String(255), unique=True)
    status: Mapped[str] = mapped_column(String(50), default="created")
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    started_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    completed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    transcript: Mapped[str | None] = mapped_column(Text)
    ai_feedback: Mapped[str | None] = mapped_column(Text)
    language: Mapped[str | None] = mapped_column(String(8))
    variant: Mapped[str] = mapped_column(String(100), default="default")
    consent_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    end_reason: Mapped[str | None] = mapped_column(String(50))
    # Written by the agent while the interview runs; a running session whose heartbeat stops is closed.
    heartbeat_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    resume: Mapped[Resume] = relationship(back_populates="sessions")
    turns: Mapped[list[InterviewTurn]] = relationship(
        back_populates="session", order_by="InterviewTurn.seq", cascade="all, delete-orphan"
    )


class InterviewTurn(Base):
    __tablename__ = "interview_turns"
    __table_args__ = (
        UniqueConstraint("session_id", "seq", name="uq_turns_session_seq"),
        CheckConstraint(_in("speaker", SPEAKERS), name="ck_turns_speaker"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    session_id: Mapped[int] = mapped_column(ForeignKey("interview_sessions.id", ondelete="CASCADE"), index=True)
    seq: Mapped[int] = mapped_column(Integer)
    speaker: Mapped[str] = mapped_column(String(16))
    text: Mapped[str] = mapped_column(Text)
    started_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    ended_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    stt_ms: Mapped[float | None] = mapped_column(Float)
    llm_ms: Mapped[float | None] = mapped_column(Float)
    tts_ms: Mapped[float | None] = mapped_column(Float)
    kind: Mapped[str | None] = mapped_column(String(80))  # an AI line's label, see domain/turn_kinds.py

    session: Mapped[InterviewSession] = relationship(back_populates="turns")


class AssessmentJob(Base):
    """The durable assessment of one finished interview, processed outside the livekit job."""

    __tablename__ = "assessment_jobs"
    __table_args__ = (CheckConstraint(_in("status", ASSESSMENT_STATUSES), name="ck_assessment_jobs_status"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    session_id: Mapped[int] = mapped_column(
        ForeignKey("interview_sessions.id", ondelete="CASCADE"), unique=True, index=True
    )
    status: Mapped[str] = mapped_column(String(20), default="pending", index=True)
    llm: Mapped[str] = mapped_column(String(255))  # provider string, e.g. "llamacpp/gemma3-270m"
    prompts: Mapped[str] = mapped_column(String(100), default="default")
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    error: Mapped[str | None] = mapped_column(Text)
    source: Mapped[str | None] = mapped_column(String(20))  # "llm" or "fallback" once done
    seconds: Mapped[float | None] = mapped_column(Float)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    # A running job whose lease ran out belongs to a worker that died: another may take it.
    lease_until: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    finished_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class HumanReview(Base):
    """An HR reviewer's decision on one interview; every save is a new row, the newest one stands."""

    __tablename__ = "human_reviews"
    __table_args__ = (CheckConstraint(_in("decision", REVIEW_DECISIONS), name="ck_human_reviews_decision"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    session_id: Mapped[int] = mapped_column(ForeignKey("interview_sessions.id", ondelete="CASCADE"), index=True)
    decision: Mapped[str] = mapped_column(String(20))
    notes: Mapped[str] = mapped_column(Text, default="")
    reviewer: Mapped[str] = mapped_column(String(255))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
