"""The transcript: order, times, plain-text and JSON forms."""

from __future__ import annotations

import json

import pytest

from hrlab.domain.transcript import Transcript, Turn


def sample() -> Transcript:
    transcript = Transcript()
    transcript.add(Turn("ai", "Hello! Tell me about yourself.", started_at=100.0, ended_at=103.5, question_number=1))
    transcript.add(Turn("candidate", "I am a   backend\ndeveloper.", started_at=104.0, ended_at=108.0,
                        latencies={"stt": 0.4}))
    transcript.add(Turn("ai", "What did you build with Django?", started_at=169.2, question_number=2))
    return transcript


def test_render_is_one_line_per_turn_with_relative_times():
    assert sample().render() == (
        "[00:00] Interviewer: Hello! Tell me about yourself.\n"
        "[00:04] Candidate: I am a backend developer.\n"
        "[01:09] Interviewer: What did you build with Django?"
    )
    assert sample().render(language="ru").splitlines()[1].startswith("[00:04] Кандидат:")


def test_json_round_trip_and_shape():
    items = sample().to_json()
    assert json.loads(json.dumps(items)) == items
    assert items[0] == {"speaker": "ai", "text": "Hello! Tell me about yourself.", "startedAt": 100.0,
                        "endedAt": 103.5, "questionNumber": 1}
    assert items[1]["latencies"] == {"stt": 0.4}
    assert Transcript.from_json(items).to_json() == items


def test_queries():
    transcript = sample()
    assert len(transcript) == 3
    assert transcript.last("candidate").text.startswith("I am")
    assert transcript.recent(2)[0].speaker == "candidate"
    assert transcript.recent(0) == ()
    assert transcript.texts("ai") == ["Hello! Tell me about yourself.", "What did you build with Django?"]
    assert Transcript().render() == ""


@pytest.mark.parametrize(
    ("build", "words"),
    [
        (lambda: Turn("bot", "hi", started_at=0.0), "speaker must be one of ai, candidate"),
        (lambda: Turn("ai", None, started_at=0.0), "turn text must be a string"),
        (lambda: Turn("ai", "hi", started_at=float("nan")), "started_at must be a finite number"),
        (lambda: Turn("ai", "hi", started_at=5.0, ended_at=4.0), "before started_at"),
    ],
)
def test_bad_turns_are_refused(build, words):
    with pytest.raises(ValueError, match=words):
        build()


def test_turns_out_of_order_are_refused():
    transcript = sample()
    with pytest.raises(ValueError, match="before the previous turn"):
        transcript.add(Turn("candidate", "late", started_at=50.0))
