"""Interview flows through a real AgentSession with scripted STT/TTS/VAD/LLM, in-process."""

from __future__ import annotations

import os
import time
from dataclasses import replace

import pytest

from hrlab.agent.candidate import BargeIn, PressEnd, Reply, SendPayload, Silence
from hrlab.agent.options import InterviewOptions
from hrlab.domain.plan import Budget
from hrlab.domain.protocol import parse_server_message
from tests.agent.conftest import RESUME, make_machine, run_scripted
from tests.agent.fakes import EnergyVAD, FixedTurnModel, ScriptedCompleter, tone_answer

LONG = ("I worked five years as a backend developer building REST APIs with Python and Django "
        "for online shops and payment services")
LAST = "We ran the background jobs on Celery with Redis as the broker."  # an answer, not a filler
FOLLOW_UP = "Which part of those payment services was the hardest to build with Django?"
# Acknowledge as soon as the candidate stops: the scripted STT and LLM answer at once, so a later one never comes.
ACK_AT_ONCE = InterviewOptions(silence_timeout=2.0, llm_timeout=1.0, assessment_timeout=2.0, acknowledge_after=0.0)


def sent(run) -> list[dict]:
    return [item.message.to_json() for item in run.messages.sent]


def check_protocol(run) -> None:
    """Every message parses strictly; each question precedes its audio; start/end alternate and balance."""
    types = []
    for item in run.messages.sent:
        parse_server_message(item.message.encode())
        types.append(item.message.type)
    assert types[-1] == "interview_complete" and types.count("interview_complete") == 1
    speaking = [t for t in types if t.startswith("ai_speaking")]
    assert speaking == ["ai_speaking_start", "ai_speaking_end"] * (len(speaking) // 2)
    for index, kind in enumerate(types):
        if kind == "question":
            assert types[index + 1] == "ai_speaking_start", types
    numbers = [m["questionNumber"] for m in sent(run) if m["type"] == "question"]
    assert numbers == list(range(1, len(numbers) + 1))


def ai_lines(run) -> list[tuple[str, str]]:
    return [(line.say.kind, line.say.text) for line in run.conductor.spoken]


async def test_opening_greets_discloses_ai_and_asks_first_question():
    run, scripted = await run_scripted([Reply(tone_answer(0.6))], transcripts=[LONG], budget=Budget(max_questions=1))
    kind, opening = ai_lines(run)[0]
    assert kind == "opening"
    assert opening.startswith("Hello, Anna!")
    assert "I am an AI interviewer" in opening
    first = sent(run)[0]
    assert first == {"type": "question", "questionNumber": 1,
                     "text": "To start, please tell me briefly about your experience as Backend developer."}
    assert opening.endswith(first["text"])
    assert sent(run)[1] == {"type": "ai_speaking_start"}
    # What was synthesised (sentence by sentence) is what the machine said.
    assert " ".join(scripted.tts.texts).startswith(opening)
    check_protocol(run)


async def test_an_instruct_model_reads_the_dialogue_while_it_happens_and_the_question_prompt_extends_it():
    run, scripted = await run_scripted([Reply(tone_answer(0.6)), Reply(tone_answer(0.4))],
                                       transcripts=[LONG, "Indexes and a read replica"],
                                       completions=[f" {FOLLOW_UP}\n"], budget=Budget(max_questions=2),
                                       instruct=True)
    question = run.conductor.spoken[1].say
    assert (question.text, question.source) == (FOLLOW_UP, "llm")
    prompt, primed = scripted.completer.prompts[0], scripted.completer.primed
    assert "The interview so far:" in prompt and prompt.rstrip().endswith("Write only the question.")
    opening_question = run.conductor.spoken[0].say.question
    # read while the opening was spoken; the question was drafted once the answer was transcribed and the
    # candidate quiet, and that draft was the question (one call: a second would have had no scripted reply)
    assert primed[0].endswith(f"Interviewer: {opening_question}") and prompt.startswith(primed[0])
    assert f"Candidate: {LONG}\n" in prompt and len(scripted.completer.prompts) == 1
    assert primed[1].endswith(f"Interviewer: {FOLLOW_UP}") and primed[1].startswith(prompt[:prompt.index(LONG)])
    # the last answer closes the interview (question limit): no question to draft, its words are only read
    assert primed[2].endswith("Candidate: Indexes and a read replica") and len(primed) == 3


async def test_phrases_are_read_while_the_candidate_speaks_and_the_answer_is_all_of_them():
    # Two phrases 0.2 s apart: the phrase VAD (0.1 s) cuts them, the turn VAD (0.3 s) hears one utterance; each
    # is long enough (4.2 s) to go to the recogniser on its own.
    first, second = "I moved the order service to PostgreSQL", "and cut its p99 latency in half"
    run, scripted = await run_scripted([Reply(tone_answer(4.2, pause_after=0.2)), Reply(tone_answer(0.4))],
                                       transcripts=[first, second, "Indexes and a read replica"],
                                       completions=[f" {FOLLOW_UP}\n"], budget=Budget(max_questions=2),
                                       instruct=True, phrase_vad=EnergyVAD(min_silence=0.1))
    assert len(scripted.stt.heard) == 3  # each phrase recognised on its own
    primed, prompt = scripted.completer.primed, scripted.completer.prompts[0]
    # the first phrase was read before the second was heard; the question's prompt has the whole answer
    assert any(p.endswith(f"Candidate: {first}") for p in primed)
    assert f"Candidate: {first} {second}\n" in prompt
    assert run.conductor.spoken[1].say.text == FOLLOW_UP
    assert f"Candidate: {first} {second}\n" in run.result.transcript  # one turn, as the framework committed it
    check_protocol(run)


async def test_budget_caps_questions_and_closing_is_always_spoken():
    moves = [Reply(tone_answer(0.5)) for _ in range(4)]
    run, scripted = await run_scripted(moves, transcripts=[LONG, "We cached hot orders in Redis", "x", "y"],
                                       completions=[FOLLOW_UP, FOLLOW_UP], budget=Budget(max_questions=2))
    kinds = [kind for kind, _ in ai_lines(run)]
    assert kinds == ["opening", "question", "closing"]
    assert run.result.end_reason == "question_limit"
    assert ai_lines(run)[-1][1].startswith("Thank you, those are all my questions.")
    assert " ".join(scripted.tts.texts).endswith(ai_lines(run)[-1][1])
    assert not run.conductor.spoken[-1].interrupted
    assert sent(run)[-1] == {"type": "interview_complete", "summary": "Interview completed successfully"}
    assert len(scripted.stt.transcripts) == 2  # the last two answers were never needed
    check_protocol(run)


async def test_follow_up_uses_the_llm_wording_grounded_in_the_answer():
    run, scripted = await run_scripted([Reply(tone_answer(0.6)), Reply(tone_answer(0.4))],
                                       transcripts=[LONG, "Indexes and a read replica"],
                                       completions=[f" {FOLLOW_UP}\n"], budget=Budget(max_questions=2))
    question = run.conductor.spoken[1].say
    assert (question.text, question.source, question.question_number) == (FOLLOW_UP, "llm", 2)
    assert "Candidate: " + LONG in scripted.completer.prompts[0]  # the answer reached the prompt
    # The model read the prompt's fixed part while the opening played, so this call reused it.
    primed = scripted.completer.primed[0]
    assert len(os.path.commonprefix([primed, scripted.completer.prompts[0]])) >= 0.9 * len(primed)
    assert {"type": "question", "text": FOLLOW_UP, "questionNumber": 2} in sent(run)
    check_protocol(run)


async def test_repeated_question_is_refused_for_a_fallback():
    first = "To start, please tell me briefly about your experience as Backend developer."
    run, _ = await run_scripted([Reply(tone_answer(0.5)), Reply(tone_answer(0.4))], transcripts=[LONG, LAST],
                                completions=[first], budget=Budget(max_questions=2))
    question = run.conductor.spoken[1].say
    assert question.source == "fallback"
    assert "repeat" in question.rejected
    assert question.text != first
    check_protocol(run)


async def test_a_question_is_not_asked_of_a_local_model_already_busy_with_other_interviews():
    class Busy(ScriptedCompleter):
        in_flight = 3  # three other interviews' calls in the model: this one would wait past llm_timeout

    options = InterviewOptions(silence_timeout=2.0, llm_timeout=5.0, assessment_timeout=2.0)
    busy = Busy([FOLLOW_UP])
    run, _ = await run_scripted([Reply(tone_answer(0.6)), Reply(tone_answer(0.4))], transcripts=[LONG, LAST],
                                budget=Budget(max_questions=2), options=options, completer=busy)
    question = run.conductor.spoken[1]
    assert busy.prompts == [] and question.say.source in ("fallback", "probe")
    assert question.llm_ms < 1000  # said at once, not after the 5 s time-out
    check_protocol(run)


async def test_llm_failure_and_timeout_fall_back_to_resume_grounded_questions():
    run, _ = await run_scripted(
        [Reply(tone_answer(0.5)) for _ in range(3)], transcripts=[LONG, LONG, LAST],
        completions=[RuntimeError("model crashed"), 5.0], budget=Budget(max_questions=3),
        options=InterviewOptions(silence_timeout=3.0, llm_timeout=0.5, assessment_timeout=2.0),
    )
    questions = [line.say for line in run.conductor.spoken if line.say.kind == "question"]
    assert [q.source for q in questions] == ["fallback", "fallback"]
    assert len({q.text for q in questions}) == 2 and all(q.text.endswith("?") for q in questions)
    assert run.result.end_reason == "question_limit"
    check_protocol(run)


async def test_end_interview_interrupts_and_says_the_closing_line():
    run, _ = await run_scripted([Reply(tone_answer(0.5)), PressEnd(after=0.1)], transcripts=[LONG],
                                completions=[FOLLOW_UP], budget=Budget(max_questions=5), seconds_per_word=0.1)
    assert run.result.end_reason == "candidate_ended"
    kinds = [kind for kind, _ in ai_lines(run)]
    assert kinds == ["opening", "question", "closing"]
    assert run.conductor.spoken[1].interrupted  # the question was cut off by the button
    assert ai_lines(run)[-1][1] == "Understood, let's finish here. Thank you for your time. Goodbye!"
    assert sent(run)[-1] == {"type": "interview_complete", "summary": "Interview ended by the candidate"}
    check_protocol(run)


async def test_a_candidate_who_says_they_must_go_gets_the_closing_line_next():
    run, scripted = await run_scripted(
        [Reply(tone_answer(0.5)), Reply(tone_answer(0.5)), Reply(tone_answer(0.5))],
        transcripts=[LONG, "I'd like to finish now, please. I have to go.", "never heard"],
        completions=[FOLLOW_UP], budget=Budget(max_questions=5))
    assert run.result.end_reason == "candidate_ended" and run.result.status is None
    assert [kind for kind, _ in ai_lines(run)] == ["opening", "question", "closing"]
    assert ai_lines(run)[-1][1] == "Understood, let's finish here. Thank you for your time. Goodbye!"
    assert len(scripted.completer.prompts) == 1  # no question was prepared after the request
    assert sent(run)[-1] == {"type": "interview_complete", "summary": "Interview ended by the candidate"}
    check_protocol(run)


async def test_barge_in_cuts_the_question_and_still_sends_ai_speaking_end():
    moves = [Reply(tone_answer(0.5)), BargeIn(tone_answer(0.6), after=0.15), Reply(tone_answer(0.4))]
    run, _ = await run_scripted(moves, transcripts=[LONG, "Sorry to interrupt, I used Celery for that", LAST],
                                completions=[FOLLOW_UP, "What did Celery do for you?"],
                                budget=Budget(max_questions=3), seconds_per_word=0.1)  # time to talk over it
    cut = run.conductor.spoken[1]
    assert cut.say.kind == "question" and cut.interrupted
    assert [a.text for a in run.result.answers][:2] == [LONG, "Sorry to interrupt, I used Celery for that"]
    assert [kind for kind, _ in ai_lines(run)] == ["opening", "question", "question", "closing"]
    check_protocol(run)


async def test_silence_gets_one_reprompt_then_the_interview_moves_on():
    moves = [Reply(tone_answer(0.5)), Silence(), Silence(), Reply(tone_answer(0.4))]
    run, _ = await run_scripted(moves, transcripts=[LONG, LAST], completions=[FOLLOW_UP, "What about Python?"],
                                budget=Budget(max_questions=3),
                                options=InterviewOptions(silence_timeout=1.0, llm_timeout=1.0,
                                                         assessment_timeout=2.0))
    lines = ai_lines(run)
    assert [kind for kind, _ in lines] == ["opening", "question", "reprompt", "question", "closing"]
    assert lines[2][1] == f"Take your time. I'll repeat the question: {FOLLOW_UP}"
    assert lines[3][1].startswith("That's all right, let's move on.")
    check_protocol(run)


async def test_malformed_and_foreign_messages_are_ignored():
    junk = [b"\xff\xfe", b"[]", b'{"type":"start_interview"}', b'{"type":"dance","resumeId":7}',
            b'{"type":"end_interview","resumeId":8}', b"x" * 5000, b'{"type":"start_interview","resumeId":7}',
            b'{"type":"end_interview","resumeId":"abc"}']
    moves = [*(SendPayload(p, after=0.05) for p in junk), Reply(tone_answer(0.5)), Reply(tone_answer(0.4))]
    run, _ = await run_scripted(moves, transcripts=[LONG, LAST], completions=[FOLLOW_UP],
                                budget=Budget(max_questions=2))
    assert run.result.end_reason == "question_limit"
    assert [kind for kind, _ in ai_lines(run)] == ["opening", "question", "closing"]
    run.conductor.on_payload(b"{not json", None)  # after the end: still nothing raised
    check_protocol(run)


async def test_time_budget_timer_closes_the_interview():
    calls = []

    def clock() -> float:
        # The start is stamped 59.5 s in the past, so the one-minute budget runs out half a second in.
        calls.append(1)
        return time.time() - (59.5 if len(calls) == 1 else 0.0)

    run, _ = await run_scripted([Reply(tone_answer(0.5)), Reply(tone_answer(0.5))], transcripts=[LONG, LAST],
                                completions=[FOLLOW_UP], budget=Budget(max_questions=5, max_minutes=1), clock=clock)
    assert run.result.end_reason == "time_limit"
    assert ai_lines(run)[-1] == ("closing", "We have reached the end of our time. Thank you for your answers; "
                                            "the hiring team will get back to you. Goodbye!")
    assert sent(run)[-1]["summary"] == "Interview completed: the time limit was reached"
    check_protocol(run)


async def test_each_answer_is_acknowledged_and_the_acknowledgement_is_not_a_line():
    run, scripted = await run_scripted(
        [Reply(tone_answer(0.6)), Reply(tone_answer(0.6)), Reply(tone_answer(0.6))], transcripts=[LONG, LAST, LONG],
        completions=[FOLLOW_UP, "What did Celery do for you?"], budget=Budget(max_questions=3),
        turn=FixedTurnModel(0.9), options=ACK_AT_ONCE)
    assert run.conductor.acknowledged == ["Mm-hm.", "I see.", "Okay."]  # rotated, never the same twice in a row
    assert scripted.turn.heard and min(scripted.turn.heard) > 0  # the turn model heard the candidate's audio
    # Not an interview line: not in the machine's lines, the transcript, the question count, nor framed by
    # ai_speaking_start/end (the page must not take it for a line that wants an answer).
    assert [kind for kind, _ in ai_lines(run)] == ["opening", "question", "question", "closing"]
    assert "Mm-hm" not in run.result.transcript and "I see." not in run.result.transcript
    starts = [m for m in sent(run) if m["type"] == "ai_speaking_start"]
    assert len(starts) == len(run.conductor.spoken)
    check_protocol(run)  # each question still comes right before its own audio


async def test_a_question_ready_at_once_waits_for_the_pause_to_last_and_the_acknowledgement_comes_first():
    # The scripted STT and LLM answer at once, so each line is ready before the candidate has been quiet 2.0 s:
    # it waits that long (a thinking pause is not cut off), and the acknowledgement is said at its own 1.6 s.
    options = InterviewOptions(silence_timeout=2.0, llm_timeout=1.0, assessment_timeout=2.0)
    run, _ = await run_scripted(
        [Reply(tone_answer(0.6)), Reply(tone_answer(0.6))],
        transcripts=[LONG, "I'd like to finish now, please. I have to go."], completions=[FOLLOW_UP],
        budget=Budget(max_questions=5), options=options)
    assert len(run.conductor.acknowledged) == 1  # the first answer's; the second ends the interview at once
    question, answer = run.conductor.spoken[1], run.conductor.answers[0]
    assert question.say.kind == "question"
    assert question.first_audio_at - answer.ended_at >= options.line_after > options.acknowledge_after
    assert run.result.end_reason == "candidate_ended"
    check_protocol(run)


async def test_an_answer_that_sounds_unfinished_still_ends_after_the_longer_wait():
    run, scripted = await run_scripted(
        [Reply(tone_answer(0.6)), Reply(tone_answer(0.6))], transcripts=[LONG, LAST], completions=[FOLLOW_UP],
        budget=Budget(max_questions=2), turn=FixedTurnModel(0.1))
    assert scripted.turn.heard  # asked, and below the threshold each time
    assert [kind for kind, _ in ai_lines(run)] == ["opening", "question", "closing"]
    assert [a.text for a in run.result.answers] == [LONG, LAST]
    check_protocol(run)


async def test_acknowledgements_can_be_switched_off():
    run, _ = await run_scripted(
        [Reply(tone_answer(0.6))], transcripts=[LONG], budget=Budget(max_questions=1), turn=FixedTurnModel(0.9),
        options=InterviewOptions(silence_timeout=2.0, llm_timeout=1.0, assessment_timeout=2.0, acknowledge=False))
    assert run.conductor.acknowledged == []


# A candidate who thinks aloud, pauses (3 s of audio: the turn model hears a finished sentence, so the turn is
# taken), then gives the answer. The re-ask made for "let me think" is ready at once and waits for the pause to
# last; the candidate goes on first, so it is withdrawn and the turn is heard again whole.
THINKING = [
    ("en", "Hmm, let me think.", "I built the refunds service with Django and cut the failed refunds by half."),
    ("ru", "Хм, дайте подумать.", "Я написал сервис возвратов на Django и вдвое сократил число ошибок."),
]


@pytest.mark.parametrize("language, thinking, rest", THINKING)
async def test_a_candidate_who_goes_on_after_a_pause_is_not_talked_over_and_is_heard_whole(language, thinking,
                                                                                          rest):
    machine = make_machine(budget=Budget(max_questions=2), resume=replace(RESUME, language=language))
    last = {"en": LAST, "ru": "Фоновые задачи у нас работали на Celery с Redis в качестве брокера."}[language]
    run, scripted = await run_scripted(
        [Reply(tone_answer(0.6, pause_after=3.0)), Reply(tone_answer(0.6))], transcripts=[thinking, rest, last],
        completions=[FOLLOW_UP], machine=machine, turn=FixedTurnModel(0.9))
    assert [a.text for a in run.result.answers] == [thinking, rest, last]  # the STT committed the pause
    assert [kind for kind, _ in ai_lines(run)] == ["opening", "question", "closing"]  # no re-ask, no line over
    assert f"{thinking} {rest}" in run.result.transcript  # one answer
    assert f"{thinking} {rest}" in scripted.completer.prompts[0]  # the question was asked for all of it
    question = run.conductor.spoken[1]
    assert not question.interrupted and question.first_audio_at > run.result.answers[1].ended_at
    check_protocol(run)


async def test_a_candidate_who_talks_on_for_half_a_minute_after_a_pause_is_never_talked_over():
    # The question for the first part waited 10 s of wall time at most before; at 3x this is 30 s of speech.
    run, _ = await run_scripted(
        [Reply(tone_answer(0.6, pause_after=3.0, then=36.0)), Reply(tone_answer(0.6))],
        transcripts=[LONG, "And then I led the team for two years.", LAST],
        completions=[FOLLOW_UP], budget=Budget(max_questions=2), turn=FixedTurnModel(0.9))
    assert [kind for kind, _ in ai_lines(run)] == ["opening", "question", "closing"]
    question = run.conductor.spoken[1]
    assert not question.interrupted and question.first_audio_at > run.result.answers[1].ended_at
    assert f"{LONG} And then I led the team for two years." in run.result.transcript
    check_protocol(run)


async def test_a_line_waits_for_the_transcript_of_words_said_after_the_turn_was_taken():
    # A slow STT (2 s, as under load): the question for the first part is ready, and the candidate has been
    # quiet `line_after`, before the words they added are transcribed. Said then, the line would be cut when
    # those words commit, and they would be taken for an answer to it (seen live).
    options = InterviewOptions(silence_timeout=2.0, llm_timeout=1.0, assessment_timeout=2.0)
    run, scripted = await run_scripted(
        [Reply(tone_answer(0.6, pause_after=3.0)), Reply(tone_answer(0.6))],
        transcripts=[LONG, "And then I led the team for two years.", LAST], completions=[FOLLOW_UP],
        budget=Budget(max_questions=2), turn=FixedTurnModel(0.9), options=options, stt_delay=2.0)
    assert [kind for kind, _ in ai_lines(run)] == ["opening", "question", "closing"]
    question = run.conductor.spoken[1]
    assert not question.interrupted and question.first_audio_at > run.result.answers[1].ended_at
    assert f"{LONG} And then I led the team for two years." in run.result.transcript
    check_protocol(run)
