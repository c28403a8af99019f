"""The data-message protocol: the spec's exact shapes and every malformed candidate message."""

from __future__ import annotations

import json
import random

import pytest

from hrlab.domain.protocol import (
    MAX_CANDIDATE_MESSAGE_BYTES,
    TOPIC,
    AiSpeakingEnd,
    AiSpeakingStart,
    EndInterview,
    InterviewComplete,
    ProtocolError,
    Question,
    StartInterview,
    parse_candidate_message,
    parse_server_message,
)
from hrlab.errors import InvalidInput


def test_topic_is_interview():
    assert TOPIC == "interview"


# The spec's JSON examples, verbatim.
SPEC_CANDIDATE = [
    ('{\n  "type": "start_interview",\n  "resumeId": 123\n}', StartInterview(123)),
    ('{\n  "type": "end_interview", \n  "resumeId": 123\n}', EndInterview(123)),
]
SPEC_SERVER = [
    ('{"type": "question", "text": "Расскажите о своем опыте в разработке", "questionNumber": 1}',
     Question(text="Расскажите о своем опыте в разработке", question_number=1)),
    ('{"type": "ai_speaking_start"}', AiSpeakingStart()),
    ('{"type": "ai_speaking_end"}', AiSpeakingEnd()),
    ('{"type": "interview_complete", "summary": "Interview completed successfully"}',
     InterviewComplete(summary="Interview completed successfully")),
]


@pytest.mark.parametrize(("text", "expected"), SPEC_CANDIDATE)
def test_spec_candidate_messages_parse(text, expected):
    assert parse_candidate_message(text.encode()) == expected
    assert parse_candidate_message(text) == expected


@pytest.mark.parametrize(("text", "message"), SPEC_CANDIDATE + SPEC_SERVER)
def test_encoding_matches_spec_json(text, message):
    encoded = message.encode()
    assert isinstance(encoded, bytes)
    assert json.loads(encoded) == json.loads(text)
    assert list(json.loads(encoded)) == list(json.loads(text))  # key order as in the spec


@pytest.mark.parametrize(("text", "message"), SPEC_SERVER)
def test_server_messages_round_trip(text, message):
    assert parse_server_message(message.encode()) == message
    assert parse_server_message(text.encode()) == message


def test_question_encodes_russian_as_utf8_not_escapes():
    encoded = Question(text="Почему?", question_number=2).encode()
    assert encoded == '{"type":"question","text":"Почему?","questionNumber":2}'.encode()


def test_numeric_string_resume_id_is_accepted():
    assert parse_candidate_message(b'{"type":"start_interview","resumeId":"42"}') == StartInterview(42)


def test_extra_keys_are_ignored():
    payload = b'{"type":"end_interview","resumeId":7,"timestamp":1700000000,"topic":"x"}'
    assert parse_candidate_message(payload) == EndInterview(7)


def test_leading_bom_is_tolerated():
    payload = "\ufeff" + '{"type":"start_interview","resumeId":1}'
    assert parse_candidate_message(payload.encode()) == StartInterview(1)


def test_bytearray_and_memoryview_are_accepted():
    raw = b'{"type":"start_interview","resumeId":5}'
    assert parse_candidate_message(bytearray(raw)) == StartInterview(5)
    assert parse_candidate_message(memoryview(raw)) == StartInterview(5)


MALFORMED = [
    (b"\xff\xfe{}", "not_utf8", "not UTF-8"),
    (b"", "empty", "empty"),
    (b"   \n", "empty", "empty"),
    (b"{not json", "not_json", "not valid JSON"),
    (b'{"type":"start_interview","resumeId":1', "not_json", "not valid JSON"),
    (b'{"type":"start_interview","resumeId":NaN}', "not_json", "NaN"),
    (b'{"type":"start_interview","resumeId":Infinity}', "not_json", "Infinity"),
    (b"[1,2]", "not_object", "got an array"),
    (b'"start_interview"', "not_object", "got a string"),
    (b"123", "not_object", "got a number"),
    (b"null", "not_object", "got null"),
    (b"true", "not_object", "got a boolean"),
    (b'{"resumeId":1}', "missing_type", "no 'type'"),
    (b'{"type":5,"resumeId":1}', "invalid_type", "'type' must be a string"),
    (b'{"type":null,"resumeId":1}', "invalid_type", "'type' must be a string"),
    (b'{"type":"hello","resumeId":1}', "unknown_type", "unknown message type 'hello'"),
    (b'{"type":"START_INTERVIEW","resumeId":1}', "unknown_type", "unknown message type"),
    (b'{"type":"question","text":"x","questionNumber":1}', "unknown_type", "expected one of"),
    (b'{"type":"start_interview"}', "missing_resume_id", "no 'resumeId'"),
    (b'{"type":"end_interview"}', "missing_resume_id", "no 'resumeId'"),
    (b'{"type":"start_interview","resumeId":0}', "invalid_resume_id", "between 1 and"),
    (b'{"type":"start_interview","resumeId":-3}', "invalid_resume_id", "between 1 and"),
    (b'{"type":"start_interview","resumeId":1.5}', "invalid_resume_id", "got a number"),
    (b'{"type":"start_interview","resumeId":12.0}', "invalid_resume_id", "got a number"),
    (b'{"type":"start_interview","resumeId":true}', "invalid_resume_id", "got a boolean"),
    (b'{"type":"start_interview","resumeId":null}', "invalid_resume_id", "got null"),
    (b'{"type":"start_interview","resumeId":[1]}', "invalid_resume_id", "got an array"),
    (b'{"type":"start_interview","resumeId":{"id":1}}', "invalid_resume_id", "got dict"),
    (b'{"type":"start_interview","resumeId":""}', "invalid_resume_id", "decimal digits"),
    (b'{"type":"start_interview","resumeId":"abc"}', "invalid_resume_id", "decimal digits"),
    (b'{"type":"start_interview","resumeId":" 12"}', "invalid_resume_id", "decimal digits"),
    (b'{"type":"start_interview","resumeId":"-12"}', "invalid_resume_id", "decimal digits"),
    (b'{"type":"start_interview","resumeId":"012"}', "invalid_resume_id", "decimal digits"),
    (b'{"type":"start_interview","resumeId":"1e3"}', "invalid_resume_id", "decimal digits"),
    (b'{"type":"start_interview","resumeId":"99999999999999999999"}', "invalid_resume_id", "decimal digits"),
    (b'{"type":"start_interview","resumeId":99999999999999999999}', "invalid_resume_id", "between 1 and"),
    (b'{"type":"start_interview","resumeId":1,"resumeId":2}', "duplicate_key", "repeats the key 'resumeId'"),
    (b"[" * 5000, "too_large", "over the limit"),
    (b"[" * 2000 + b"]" * 2000, "not_json", "not valid JSON"),
]


@pytest.mark.parametrize(("payload", "reason", "words"), MALFORMED)
def test_malformed_candidate_messages_are_refused_precisely(payload, reason, words):
    with pytest.raises(ProtocolError) as caught:
        parse_candidate_message(payload)
    assert caught.value.reason == reason
    assert words in str(caught.value)
    assert isinstance(caught.value, InvalidInput)
    assert caught.value.status == 400


def test_oversized_message_is_refused_before_parsing():
    body = {"type": "start_interview", "resumeId": 1, "pad": "x" * MAX_CANDIDATE_MESSAGE_BYTES}
    with pytest.raises(ProtocolError, match=r"over the limit of 4096") as caught:
        parse_candidate_message(json.dumps(body).encode())
    assert caught.value.reason == "too_large"


def test_message_at_the_size_limit_is_accepted():
    head = b'{"type":"start_interview","resumeId":1,"pad":"'
    payload = head + b"x" * (MAX_CANDIDATE_MESSAGE_BYTES - len(head) - 2) + b'"}'
    assert len(payload) == MAX_CANDIDATE_MESSAGE_BYTES
    assert parse_candidate_message(payload) == StartInterview(1)


def test_non_bytes_payload_is_refused():
    with pytest.raises(ProtocolError, match="payload must be bytes or str, got int"):
        parse_candidate_message(12)  # type: ignore[arg-type]


def test_long_unknown_type_is_shortened_in_the_message():
    payload = json.dumps({"type": "x" * 500, "resumeId": 1}).encode()
    with pytest.raises(ProtocolError) as caught:
        parse_candidate_message(payload)
    assert len(str(caught.value)) < 200


def test_random_bytes_never_raise_anything_but_protocol_error():
    rng = random.Random(20261124)
    alphabet = b'{}[]":,0123456789 truefalsnl\\typeresumeIdstart_interview\xff\xc3'
    for _ in range(3000):
        payload = bytes(rng.choice(alphabet) for _ in range(rng.randint(0, 60)))
        try:
            parse_candidate_message(payload)
        except ProtocolError:
            pass


@pytest.mark.parametrize(
    ("build", "words"),
    [
        (lambda: Question(text="", question_number=1), "text must not be empty"),
        (lambda: Question(text="   ", question_number=1), "text must not be empty"),
        (lambda: Question(text="Why?", question_number=0), "questionNumber must be >= 1"),
        (lambda: Question(text="Why?", question_number=True), "questionNumber must be an integer"),
        (lambda: Question(text="Why?", question_number=1.0), "questionNumber must be an integer"),
        (lambda: Question(text=None, question_number=1), "text must be a string"),
        (lambda: Question(text="x" * 1001, question_number=1), "over the limit of 1000"),
        (lambda: InterviewComplete(summary=""), "summary must not be empty"),
        (lambda: StartInterview(resume_id=0), "resumeId must be between"),
        (lambda: EndInterview(resume_id="5"), "resumeId must be a positive integer"),
    ],
)
def test_invalid_messages_cannot_be_constructed(build, words):
    with pytest.raises(ProtocolError, match=words):
        build()


@pytest.mark.parametrize(
    "payload",
    [
        b'{"type":"question","text":"Why?"}',
        b'{"type":"question","text":"Why?","questionNumber":1,"extra":1}',
        b'{"type":"ai_speaking_start","x":1}',
        b'{"type":"interview_complete"}',
    ],
)
def test_server_message_parser_is_strict_about_shape(payload):
    with pytest.raises(ProtocolError) as caught:
        parse_server_message(payload)
    assert caught.value.reason == "invalid_shape"
