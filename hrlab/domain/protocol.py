"""The JSON data messages between the candidate's page and the interviewer, exactly the spec's shapes.

Decisions for messages from the candidate's page:
- a payload is at most MAX_CANDIDATE_MESSAGE_BYTES of UTF-8 JSON holding one object; a leading BOM is
  tolerated, NaN/Infinity and duplicate keys are refused;
- `resumeId` is a positive integer (JSON number, not a bool or a float); a string of decimal digits
  ("123") is accepted too, because the page takes the id from its URL `/interview/[id]`;
- keys other than `type` and `resumeId` are ignored, so the page may add fields without breaking us.
Every refusal raises ProtocolError with a message naming what is wrong and a short `reason` code.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import ClassVar, Union

from hrlab.errors import InvalidInput

TOPIC = "interview"
MAX_CANDIDATE_MESSAGE_BYTES = 4096
MAX_QUESTION_CHARS = 1000
MAX_SUMMARY_CHARS = 2000
MAX_RESUME_ID = 2**63 - 1  # a BIGINT primary key

_DIGITS = re.compile(r"[1-9][0-9]{0,18}")


class ProtocolError(InvalidInput):
    """A data message is malformed; `reason` says which check refused it."""

    code = "protocol_error"

    def __init__(self, message: str, *, reason: str, **details):
        super().__init__(message, reason=reason, **details)
        self.reason = reason


def _encode(body: dict) -> bytes:
    return json.dumps(body, ensure_ascii=False, separators=(",", ":"), allow_nan=False).encode("utf-8")


@dataclass(frozen=True, slots=True)
class _ResumeMessage:
    """A candidate → server message that carries only its resume id."""

    resume_id: int
    type: ClassVar[str] = ""

    def __post_init__(self) -> None:
        _check_resume_id(self.resume_id)

    def to_json(self) -> dict:
        return {"type": self.type, "resumeId": self.resume_id}

    def encode(self) -> bytes:
        return _encode(self.to_json())


@dataclass(frozen=True, slots=True)
class StartInterview(_ResumeMessage):
    """Candidate → server: begin the interview for this resume."""

    type: ClassVar[str] = "start_interview"


@dataclass(frozen=True, slots=True)
class EndInterview(_ResumeMessage):
    """Candidate → server: the candidate ends the interview."""

    type: ClassVar[str] = "end_interview"


@dataclass(frozen=True, slots=True)
class Question:
    """Server → candidate: the question about to be spoken, numbered from 1."""

    text: str
    question_number: int
    type: ClassVar[str] = "question"

    def __post_init__(self) -> None:
        _check_text(self.text, field="text", limit=MAX_QUESTION_CHARS)
        if isinstance(self.question_number, bool) or not isinstance(self.question_number, int):
            raise ProtocolError(
                f"questionNumber must be an integer, got {type(self.question_number).__name__}",
                reason="invalid_question_number",
            )
        if self.question_number < 1:
            raise ProtocolError(
                f"questionNumber must be >= 1, got {self.question_number}", reason="invalid_question_number"
            )

    def to_json(self) -> dict:
        return {"type": self.type, "text": self.text, "questionNumber": self.question_number}

    def encode(self) -> bytes:
        return _encode(self.to_json())


@dataclass(frozen=True, slots=True)
class AiSpeakingStart:
    """Server → candidate: the AI's audio starts playing."""

    type: ClassVar[str] = "ai_speaking_start"

    def to_json(self) -> dict:
        return {"type": self.type}

    def encode(self) -> bytes:
        return _encode(self.to_json())


@dataclass(frozen=True, slots=True)
class AiSpeakingEnd:
    """Server → candidate: the AI's audio finished."""

    type: ClassVar[str] = "ai_speaking_end"

    def to_json(self) -> dict:
        return {"type": self.type}

    def encode(self) -> bytes:
        return _encode(self.to_json())


@dataclass(frozen=True, slots=True)
class InterviewComplete:
    """Server → candidate: the interview is over."""

    summary: str
    type: ClassVar[str] = "interview_complete"

    def __post_init__(self) -> None:
        _check_text(self.summary, field="summary", limit=MAX_SUMMARY_CHARS)

    def to_json(self) -> dict:
        return {"type": self.type, "summary": self.summary}

    def encode(self) -> bytes:
        return _encode(self.to_json())


CandidateMessage = Union[StartInterview, EndInterview]
ServerMessage = Union[Question, AiSpeakingStart, AiSpeakingEnd, InterviewComplete]


def _check_resume_id(value: object) -> None:
    if isinstance(value, bool) or not isinstance(value, int):
        raise ProtocolError(
            f"resumeId must be a positive integer, got {type(value).__name__}", reason="invalid_resume_id"
        )
    if not 1 <= value <= MAX_RESUME_ID:
        raise ProtocolError(
            f"resumeId must be between 1 and {MAX_RESUME_ID}, got {value}", reason="invalid_resume_id"
        )


def _check_text(value: object, *, field: str, limit: int) -> None:
    if not isinstance(value, str):
        raise ProtocolError(f"{field} must be a string, got {type(value).__name__}", reason=f"invalid_{field}")
    if not value.strip():
        raise ProtocolError(f"{field} must not be empty", reason=f"invalid_{field}")
    if len(value) > limit:
        raise ProtocolError(
            f"{field} is {len(value)} characters, over the limit of {limit}", reason=f"invalid_{field}"
        )


def _decode_object(payload: bytes | bytearray | memoryview | str, *, limit: int | None) -> dict:
    """Turn a payload into a JSON object, refusing each kind of malformed input with its own reason."""
    if isinstance(payload, str):
        payload = payload.encode("utf-8", errors="surrogatepass")
    if not isinstance(payload, (bytes, bytearray, memoryview)):
        raise ProtocolError(
            f"payload must be bytes or str, got {type(payload).__name__}", reason="invalid_payload"
        )
    raw = bytes(payload)
    if limit is not None and len(raw) > limit:
        raise ProtocolError(f"message is {len(raw)} bytes, over the limit of {limit}", reason="too_large")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ProtocolError(f"message is not UTF-8 (byte {exc.start})", reason="not_utf8") from None
    text = text.removeprefix("\ufeff")
    if not text.strip():
        raise ProtocolError("message is empty", reason="empty")
    try:
        value = json.loads(text, object_pairs_hook=_no_duplicate_keys, parse_constant=_no_constants)
    except ProtocolError:
        raise
    except (json.JSONDecodeError, RecursionError) as exc:
        detail = f": {exc.msg} at line {exc.lineno} column {exc.colno}" if isinstance(exc, json.JSONDecodeError) else ""
        raise ProtocolError(f"message is not valid JSON{detail}", reason="not_json") from None
    if not isinstance(value, dict):
        raise ProtocolError(
            f"message must be a JSON object, got {_json_kind(value)}", reason="not_object"
        )
    return value


def _no_duplicate_keys(pairs: list[tuple[str, object]]) -> dict:
    body: dict = {}
    for key, value in pairs:
        if key in body:
            raise ProtocolError(f"message repeats the key {key!r}", reason="duplicate_key")
        body[key] = value
    return body


def _no_constants(name: str) -> object:
    raise ProtocolError(f"message uses {name}, which is not JSON", reason="not_json")


def _json_kind(value: object) -> str:
    kinds = {list: "an array", str: "a string", bool: "a boolean", int: "a number", float: "a number"}
    return "null" if value is None else kinds.get(type(value), type(value).__name__)


def _message_type(body: dict, known: tuple[str, ...]) -> str:
    if "type" not in body:
        raise ProtocolError("message has no 'type'", reason="missing_type")
    kind = body["type"]
    if not isinstance(kind, str):
        raise ProtocolError(f"'type' must be a string, got {_json_kind(kind)}", reason="invalid_type")
    if kind not in known:
        shown = kind if len(kind) <= 40 else kind[:40] + "..."
        raise ProtocolError(
            f"unknown message type {shown!r}; expected one of {', '.join(known)}",
            reason="unknown_type",
            message_type=shown,
        )
    return kind


def _resume_id(body: dict) -> int:
    if "resumeId" not in body:
        raise ProtocolError("message has no 'resumeId'", reason="missing_resume_id")
    value = body["resumeId"]
    if isinstance(value, str):
        if not _DIGITS.fullmatch(value):
            raise ProtocolError(
                f"resumeId string must be decimal digits of a positive integer, got {value[:30]!r}",
                reason="invalid_resume_id",
            )
        value = int(value)
    elif isinstance(value, bool) or not isinstance(value, int):
        raise ProtocolError(
            f"resumeId must be a positive integer, got {_json_kind(value)}", reason="invalid_resume_id"
        )
    _check_resume_id(value)
    return value


_CANDIDATE_TYPES = {StartInterview.type: StartInterview, EndInterview.type: EndInterview}


def parse_candidate_message(payload: bytes | bytearray | memoryview | str) -> CandidateMessage:
    """Parse one data message from the candidate's page; raise ProtocolError saying what is wrong."""
    body = _decode_object(payload, limit=MAX_CANDIDATE_MESSAGE_BYTES)
    kind = _message_type(body, tuple(_CANDIDATE_TYPES))
    return _CANDIDATE_TYPES[kind](resume_id=_resume_id(body))


def parse_server_message(payload: bytes | bytearray | memoryview | str) -> ServerMessage:
    """Parse one message the interviewer sent (for simulated candidates and tests); strict shapes."""
    body = _decode_object(payload, limit=None)
    kind = _message_type(body, ("question", "ai_speaking_start", "ai_speaking_end", "interview_complete"))
    expected = {
        "question": {"type", "text", "questionNumber"},
        "ai_speaking_start": {"type"},
        "ai_speaking_end": {"type"},
        "interview_complete": {"type", "summary"},
    }[kind]
    if set(body) != expected:
        raise ProtocolError(
            f"{kind} must have exactly the keys {sorted(expected)}, got {sorted(body)}", reason="invalid_shape"
        )
    if kind == "question":
        return Question(text=body["text"], question_number=body["questionNumber"])
    if kind == "interview_complete":
        return InterviewComplete(summary=body["summary"])
    return AiSpeakingStart() if kind == "ai_speaking_start" else AiSpeakingEnd()
