from __future__ import annotations

import numpy as np
import pytest

from hrlab.lab.metrics import (
    AiLine,
    CandidateSpeech,
    JudgeError,
    RunTrace,
    Segment,
    barge_in_reaction,
    compute_metrics,
    false_cutoffs,
    language_consistency,
    metric_info,
    pooled_wer,
    repeated_questions,
    resume_grounding,
    speech_segments,
    turn_wer,
    voice_to_voice_latencies,
)
from hrlab.lab.metrics.dialogue import mentions


def test_latency_is_end_of_answer_to_next_ai_audio():
    answers = [Segment(2.0, 5.0), Segment(9.0, 12.0), Segment(15.0, 16.0)]
    # 1.5 s playing over the end of answer 2 is not a response; the AI never answers the last one.
    ai = [Segment(0.0, 1.5), Segment(6.2, 8.0), Segment(11.0, 12.5), Segment(13.1, 14.0)]
    assert voice_to_voice_latencies(answers, ai) == [pytest.approx(1.2), pytest.approx(1.1), None]


def test_latency_ignores_ai_audio_after_the_next_answer_started():
    assert voice_to_voice_latencies([Segment(0, 1), Segment(2, 3)], [Segment(2.5, 4)]) == [None, None]


def test_false_cutoff_counts_ai_starting_in_a_pause_or_before_the_answer_ends():
    pauses = [Segment(3.0, 4.0), Segment(6.0, 7.5), Segment(9.0, 9.5)]
    ai = [Segment(0.0, 1.0), Segment(3.6, 4.2), Segment(10.5, 12.0)]
    assert false_cutoffs(pauses, 10.0, ai) == [True, False, False]
    # A late reply to the second pause, starting after the candidate resumed, still cuts the answer off.
    assert false_cutoffs([Segment(6.0, 7.0)], 10.0, [Segment(7.4, 8.0)]) == [True]


def test_false_cutoff_counts_a_line_begun_inside_the_answer_even_if_no_audio_came_through():
    # Barge-in silenced the question at once; it was begun all the same (its message sent, the answer's rest
    # taken for the answer to it), as ru_rambling_pauses showed.
    pauses = [Segment(3.0, 4.0), Segment(12.0, 13.0)]
    assert false_cutoffs(pauses, 20.0, [], line_starts=[13.2, 25.0]) == [True, True]
    assert false_cutoffs(pauses, 20.0, [], line_starts=[25.0]) == [False, False]
    trace = RunTrace(language="ru", candidate=(CandidateSpeech(seq=2, start=1.0, end=20.0, reference="", transcript="",
                                                               pauses=pauses),),
                     ai_lines=(AiLine(seq=1, start=0.0, text="Вопрос?"), AiLine(seq=3, start=13.2, text="Вопрос?")))
    assert compute_metrics(trace).turn_values("false_cutoff") == [1.0, 1.0]


def test_barge_in_reaction_time():
    ai = [Segment(1.0, 4.3), Segment(8.0, 9.0)]
    assert barge_in_reaction(3.5, ai) == pytest.approx(0.8)
    assert barge_in_reaction(5.0, ai) is None


def test_speech_segments_finds_tones_and_merges_short_gaps():
    sr = 16_000
    tone = (np.sin(2 * np.pi * 300 * np.arange(sr) / sr) * 10_000).astype(np.int16)
    quiet = np.zeros(sr // 5, dtype=np.int16)  # 0.2 s gap: merged
    silence = np.zeros(sr, dtype=np.int16)  # 1.0 s gap: splits
    pcm = np.concatenate([silence, tone, quiet, tone, silence, tone[: sr // 2]])
    segments = speech_segments(pcm, offset_s=10.0)
    assert len(segments) == 2
    assert segments[0].start == pytest.approx(11.0, abs=0.02) and segments[0].end == pytest.approx(13.2, abs=0.02)
    assert segments[1].start == pytest.approx(14.2, abs=0.02) and segments[1].end == pytest.approx(14.7, abs=0.02)
    assert speech_segments(np.zeros(100, dtype=np.int16)) == []


def test_segment_refuses_negative_length():
    with pytest.raises(ValueError):
        Segment(2.0, 1.0)


def test_stt_wer_uses_normalised_words():
    assert turn_wer("Hello, World!", "hello world") == 0.0
    assert turn_wer("montreal forced uh um aligner", "montreal forced a liner") == pytest.approx(2 / 3)
    assert turn_wer(None, "x") is None
    assert turn_wer("[laughter] <hes-um>", "ha ha") is None
    assert pooled_wer([("a b c d", "a b c d"), ("e f", "e x"), (None, "z")]) == pytest.approx(1 / 6)
    assert pooled_wer([(None, None)]) is None


def test_repeated_questions_are_near_duplicates():
    questions = [
        "Tell me about your work with Kafka.",
        "What did you do at Northwind Payments?",
        "Tell me about your work with Kafka!",
        "tell me about your work with kafka please",
        "How do you mentor junior engineers?",
    ]
    assert repeated_questions(questions) == 2
    assert repeated_questions([]) == 0


def test_resume_grounding_matches_skills_and_inflected_roles():
    terms = ["Python", "Go", "Data Engineer", "Ведущий инженер данных", "SQL"]
    questions = [
        "How did you use Python at Blue Harbor?",
        "What is a good way to handle errors?",  # 'good' must not match 'Go'
        "Как вы работали ведущим инженером данных?",
        "Why do you want this job?",
    ]
    assert resume_grounding(questions, terms) == 0.5
    assert mentions("Do you write Go?", "Go") and not mentions("Going well?", "Go")
    assert resume_grounding([], terms) is None


def test_language_consistency():
    utterances = ["Tell me about your last project.", "Расскажите о последнем проекте.", "12:30", "Thank you!"]
    assert language_consistency(utterances, "en") == pytest.approx(2 / 3)
    assert language_consistency(utterances, "ru") == pytest.approx(1 / 3)
    assert language_consistency(["..."], "en") is None


def test_compute_metrics_on_a_hand_made_run():
    trace = RunTrace(
        language="en",
        candidate=(
            CandidateSpeech(seq=1, start=3.0, end=8.0, reference="I like python a lot", transcript="I like python",
                            pauses=(Segment(5.0, 6.0),)),
            CandidateSpeech(seq=3, start=10.5, end=12.0, reference="stop", transcript="stop", barge_in=True),
        ),
        ai_audio=(Segment(0.0, 2.5), Segment(5.4, 5.9), Segment(9.0, 10.8), Segment(13.5, 15.0)),
        ai_texts=("Hello, I am an AI interviewer. Tell me about Python.", "Sorry, go on.", "Thank you!"),
        questions=("Tell me about Python.", "Tell me about Python."),
        resume_terms=("Python",),
        interview_complete=True,
        duration_s=15.0,
    )
    values = compute_metrics(trace)
    assert values.turn_values("latency_s") == [pytest.approx(1.0), pytest.approx(1.5)]
    assert values.turn_values("false_cutoff") == [1.0]
    assert values.turn_values("barge_in_reaction_s") == [pytest.approx(0.3)]
    assert values.turn_values("barge_in_ignored") == [0.0]
    assert values.turn_values("stt_wer") == [pytest.approx(0.4), 0.0]
    assert values.run == {
        "stt_wer_run": pytest.approx(2 / 6), "questions_asked": 2.0, "repeated_questions": 1.0,
        "resume_grounding": 1.0, "language_consistency": 1.0, "ended_properly": 1.0, "duration_s": 15.0,
    }
    assert all(metric_info(name) is not None for name in values.run)


def test_missing_data_is_left_out_not_zero():
    values = compute_metrics(RunTrace(language="ru"))
    assert values.turns == []
    assert values.run == {"questions_asked": 0.0, "repeated_questions": 0.0, "ended_properly": 0.0}


class RubricJudge:
    """Scores by rules a reader can check: the share of AI turns ending in '?' is 'relevance'."""

    name = "rule-judge"

    def __init__(self, extra: dict | None = None):
        self.extra = extra or {}

    def score(self, dialogue, *, language, resume_text):
        ai = [text for who, text in dialogue if who == "ai"]
        return {"relevance": sum(t.endswith("?") for t in ai) / len(ai), **self.extra}


def test_judge_scores_are_prefixed_and_checked():
    trace = RunTrace(language="en", dialogue=(("ai", "Why Python?"), ("candidate", "Speed."), ("ai", "Thanks.")))
    assert compute_metrics(trace, judge=RubricJudge()).run["judge_relevance"] == 0.5
    assert metric_info("judge_relevance").better == "higher"
    with pytest.raises(JudgeError, match="0..1"):
        compute_metrics(trace, judge=RubricJudge({"clarity": 7}))


def test_time_to_question_counts_from_when_the_next_line_became_audible():
    from hrlab.lab.metrics import Segment, times_to_next_line

    answers = [Segment(10.0, 14.0), Segment(30.0, 33.0), Segment(50.0, 52.0)]
    ai_audio = [Segment(14.7, 15.2),  # an acknowledgement: no line starts here
                Segment(16.9, 20.0),  # the question asked at 16.8 (heard from 16.9)
                Segment(33.6, 34.0), Segment(34.1, 37.0)]  # acknowledgement, then the line asked at 33.9
    lines = [16.8, 33.9]
    assert times_to_next_line(answers, lines, ai_audio) == pytest.approx([2.9, 0.9, None])
    # A line with no audio after it, and no lines at all, give None rather than a figure.
    assert times_to_next_line([Segment(0.0, 1.0)], [2.0], [Segment(1.2, 1.5)]) == [None]
    assert times_to_next_line([Segment(0.0, 1.0)], [], ai_audio) == [None]
