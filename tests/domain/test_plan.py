"""The interview state machine: budget, follow-ups, time cap, silence, ending and the LLM's proposals."""

from __future__ import annotations

import pytest

from hrlab.domain.guards import Move
from hrlab.domain.plan import (
    END_SUMMARIES,
    Budget,
    Finished,
    Ignored,
    InterviewMachine,
    InterviewPlan,
    NeedQuestion,
    Say,
)
from hrlab.domain.protocol import EndInterview, InterviewComplete, Question, StartInterview
from hrlab.prompts import load_prompt_set

from .conftest import ParsedResume, build_machine

LONG_ANSWER = "I built the order service for a web shop with Django and PostgreSQL and kept it fast for years"


def open_interview(machine: InterviewMachine, now: float = 0.0) -> Say:
    say = machine.on_message(StartInterview(123), now=now)
    assert isinstance(say, Say)
    machine.finished_speaking(now=now + 5)
    return say


def answer(machine: InterviewMachine, text: str, now: float) -> NeedQuestion | Say:
    step = machine.candidate_answered(text, now=now)
    assert isinstance(step, (NeedQuestion, Say)), step
    return step


def test_start_greets_discloses_and_asks_question_one(machine):
    say = machine.on_message(StartInterview(123), now=0.0)
    assert isinstance(say, Say) and say.kind == "opening"
    assert say.text.startswith("Hello, Anna!")
    assert "I am an AI interviewer" in say.text and "transcript and an assessment are stored" in say.text
    assert say.question == "To start, please tell me briefly about your experience as Backend developer."
    assert say.text.endswith(say.question)
    assert say.question_message() == Question(text=say.question, question_number=1)
    assert machine.state == "opening"


def test_russian_opening_discloses_in_russian():
    machine = build_machine(language="ru", candidate_name=None, roles=[])
    say = machine.start(now=0.0)
    assert say.text.startswith("Здравствуйте!")
    assert "Я — ИИ-интервьюер" in say.text
    assert say.question == "Для начала расскажите, пожалуйста, коротко о себе и своём опыте."


def test_repeated_start_is_ignored(machine):
    open_interview(machine)
    again = machine.on_message(StartInterview(123), now=6.0)
    assert isinstance(again, Ignored) and "already" in again.reason
    assert machine.state == "listening" and machine.question_count == 1


def test_messages_for_another_resume_are_ignored(machine):
    step = machine.on_message(StartInterview(999), now=0.0)
    assert isinstance(step, Ignored) and "resume 999" in step.reason
    assert machine.state == "waiting"
    assert isinstance(machine.on_message(EndInterview(999), now=1.0), Ignored)


def test_answer_requests_a_question_and_llm_wording_is_used(machine):
    open_interview(machine)
    request = answer(machine, LONG_ANSWER, now=20.0)
    assert isinstance(request, NeedQuestion)
    assert request.question_number == 2 and request.default_move == "follow_up"
    prompt = machine.question_prompt(request)
    assert prompt.endswith("Interviewer:")
    assert "Skills: Python, Django, PostgreSQL, Docker" in prompt
    assert f"Candidate: {LONG_ANSWER}" in prompt
    assert "AI interviewer" not in prompt  # the model sees the question, not the greeting and disclosure
    assert "Interviewer: To start, please tell me briefly about your experience as Backend developer." in prompt
    say = machine.propose(" How did you keep the order service fast as traffic grew?\nCandidate: ...",
                          now=21.0, prompt=prompt)
    assert say.source == "llm" and say.rejected == ()
    assert say.question == "How did you keep the order service fast as traffic grew?"
    assert say.question_message() == Question(text=say.question, question_number=2)
    assert machine.state == "asking"


def test_a_terse_answer_is_probed_in_the_candidates_own_words(machine):
    open_interview(machine)
    request = answer(machine, "Mostly Django.", now=10.0)
    assert request.default_move == "follow_up" and request.prompt_topic == request.topic
    assert request.probe == "You mentioned Django. Could you tell me more, with a concrete example?"
    say = machine.propose(None, now=12.0)  # the LLM failed: the probe, not a generic template
    assert (say.source, say.question) == ("probe", request.probe)


@pytest.mark.parametrize("language, terse_answer, probe", [
    ("en", "Mostly Django.", "You mentioned Django. Could you tell me more, with a concrete example?"),
    ("ru", "В основном Django.", "Вы упомянули: Django. Расскажите, пожалуйста, подробнее, на конкретном примере."),
])
def test_a_terse_answer_is_probed_even_when_the_llm_moves_on(language, terse_answer, probe):
    machine = build_machine(language=language)
    open_interview(machine)
    topic = machine.topic
    request = answer(machine, terse_answer, now=10.0)
    assert request.probe_required
    say = machine.propose(Move("next_topic", "What is your experience with Docker?"), now=12.0)
    assert (say.source, say.question, say.topic) == ("probe", probe, topic)
    assert say.rejected[0] == "next_topic_not_allowed"


def test_the_llms_own_follow_up_to_a_terse_answer_is_kept_when_it_uses_the_answer(machine):
    open_interview(machine)
    answer(machine, "Mostly Django.", now=10.0)
    say = machine.propose(Move("follow_up", "What did you build with Django?"), now=12.0)
    assert (say.source, say.question) == ("llm", "What did you build with Django?")


def test_a_generic_follow_up_to_a_terse_answer_gives_way_to_the_probe(machine):
    open_interview(machine)
    request = answer(machine, "Mostly Django.", now=10.0)
    say = machine.propose(Move("follow_up", "What is the most important thing you learned at work?"), now=12.0)
    assert (say.source, say.question, say.rejected) == ("probe", request.probe, ("not_grounded",))


def test_a_terse_start_the_candidate_went_on_from_is_not_forced_into_a_probe(machine):
    open_interview(machine)
    answer(machine, "Mostly Django.", now=10.0)
    machine.candidate_answered("We built the order service and the admin on it, and I owned the checkout.", now=11.0)
    assert not machine.pending.probe_required
    say = machine.propose(Move("next_topic", "What is your experience with Docker?"), now=12.0)
    assert say.source != "probe" and say.topic == machine.plan.topics[1]


def test_a_terse_answer_with_no_follow_up_left_moves_on():
    machine = build_machine(budget=Budget(follow_ups_per_topic=0))
    open_interview(machine)
    request = answer(machine, "Mostly Django.", now=10.0)
    assert not request.probe_required and request.default_move == "next_topic"


def test_follow_ups_never_exceed_the_per_topic_budget():
    machine = build_machine(budget=Budget(follow_ups_per_topic=1, max_questions=10))
    open_interview(machine)
    first_topic = machine.topic
    answer(machine, LONG_ANSWER, now=10.0)
    say = machine.propose(Move("follow_up", "Which part of that service was hardest to build?"), now=11.0)
    assert say.source == "llm" and machine.topic == first_topic
    machine.finished_speaking(now=15.0)
    request = answer(machine, LONG_ANSWER + " again", now=30.0)
    assert request.follow_up_allowed is False
    say = machine.propose(Move("follow_up", "What did the team think of that service?"), now=31.0)
    assert say.rejected[0] == "follow_up_not_allowed"
    assert machine.topic != first_topic and say.topic == machine.topic


def test_zero_follow_up_budget_always_moves_on():
    machine = build_machine(budget=Budget(follow_ups_per_topic=0))
    open_interview(machine)
    topics = [machine.topic]
    for turn in range(3):
        answer(machine, LONG_ANSWER, now=10.0 + 10 * turn)
        machine.propose("[follow_up] Could you say more about the database design there?", now=11.0 + 10 * turn)
        machine.finished_speaking(now=12.0 + 10 * turn)
        topics.append(machine.topic)
    assert len(set(topics)) == 4


def test_question_budget_ends_with_question_limit():
    machine = build_machine(budget=Budget(max_questions=3, min_questions_before_end=1))
    open_interview(machine)
    for turn in range(2):
        answer(machine, LONG_ANSWER + f" {turn}", now=10.0 + 10 * turn)
        machine.propose(None, now=11.0 + 10 * turn)
        machine.finished_speaking(now=12.0 + 10 * turn)
    assert machine.question_count == 3
    closing = answer(machine, LONG_ANSWER + " and that is all", now=40.0)
    assert isinstance(closing, Say) and closing.kind == "closing" and closing.end_reason == "question_limit"
    assert closing.question_message() is None
    assert closing.text.startswith("Thank you, those are all my questions.")
    finished = machine.finished_speaking(now=45.0)
    assert finished == Finished("question_limit") and machine.state == "completed"
    assert finished.message() == InterviewComplete(summary="Interview completed successfully")


def test_answer_after_the_deadline_closes_with_time_limit():
    machine = build_machine(budget=Budget(max_minutes=10))
    open_interview(machine, now=100.0)
    assert machine.deadline == 700.0
    closing = answer(machine, LONG_ANSWER, now=700.0)
    assert closing.kind == "closing" and closing.end_reason == "time_limit"
    assert "end of our time" in closing.text


def test_time_up_event_closes_even_while_a_question_is_prepared(machine):
    open_interview(machine)
    answer(machine, LONG_ANSWER, now=10.0)
    closing = machine.time_up(now=900.0)
    assert closing.kind == "closing" and closing.end_reason == "time_limit"
    late = machine.propose("How did you design the schema?", now=901.0)
    assert isinstance(late, Ignored)
    assert machine.question_count == 1


def test_llm_answer_arriving_after_the_deadline_closes(machine):
    open_interview(machine)
    answer(machine, LONG_ANSWER, now=10.0)
    closing = machine.propose("How did you design the schema?", now=15 * 60.0)
    assert closing.kind == "closing" and closing.end_reason == "time_limit"


def test_end_interview_says_the_closing_line_then_finishes(machine):
    open_interview(machine)
    closing = machine.on_message(EndInterview(123), now=30.0)
    assert closing.kind == "closing" and closing.end_reason == "candidate_ended"
    assert closing.text.startswith("Understood, let's finish here.")
    assert isinstance(machine.on_message(EndInterview(123), now=31.0), Ignored)
    assert isinstance(machine.candidate_answered("wait, one more thing", now=32.0), Ignored)
    finished = machine.finished_speaking(now=35.0)
    assert finished.reason == "candidate_ended"
    assert finished.message().summary == "Interview ended by the candidate"
    assert machine.transcript.last().text == closing.text


def test_end_before_start_still_says_goodbye(machine):
    closing = machine.end_requested(now=0.0)
    assert closing.kind == "closing" and closing.end_reason == "candidate_ended"


@pytest.mark.parametrize("language", ["en", "ru"])
@pytest.mark.parametrize("reason", ["completed", "question_limit", "time_limit", "candidate_ended", "error"])
def test_every_spoken_end_reason_has_a_closing_line(language, reason):
    prompts = load_prompt_set("default", language)
    assert len(prompts.text("closing", reason)) > 20
    assert END_SUMMARIES[reason]


def test_error_apologises_or_finishes_at_once(machine):
    open_interview(machine)
    closing = machine.error(now=10.0)
    assert closing.kind == "closing" and closing.end_reason == "error"
    assert machine.error(now=11.0, can_speak=False) == Finished("error")
    assert machine.state == "completed"


def test_disconnect_finishes_without_speaking(machine):
    open_interview(machine)
    assert machine.disconnected(now=10.0) == Finished("disconnected")
    assert machine.end_reason == "disconnected"
    assert isinstance(machine.start(now=11.0), Ignored)
    assert isinstance(machine.time_up(now=12.0), Ignored)
    assert isinstance(machine.disconnected(now=13.0), Ignored)


def test_disconnect_during_closing_keeps_the_closing_reason(machine):
    open_interview(machine)
    machine.end_requested(now=10.0)
    assert machine.disconnected(now=11.0) == Finished("candidate_ended")


def test_silence_reprompts_once_then_moves_on(machine):
    opening = open_interview(machine)
    reprompt = machine.candidate_silent(now=20.0)
    assert reprompt.kind == "reprompt" and reprompt.question_message() is None
    assert reprompt.text == f"Take your time. I'll repeat the question: {opening.question}"
    assert machine.question_count == 1
    machine.finished_speaking(now=25.0)
    request = machine.candidate_silent(now=40.0)
    assert isinstance(request, NeedQuestion)
    assert request.move_on and not request.follow_up_allowed and request.default_move == "next_topic"
    say = machine.propose(None, now=41.0)
    assert say.text.startswith("That's all right, let's move on. ")
    assert say.question_number == 2 and say.question and not say.question.startswith("That's")
    assert say.source == "fallback"


def test_silence_is_ignored_unless_listening(machine):
    assert isinstance(machine.candidate_silent(now=0.0), Ignored)
    machine.start(now=0.0)
    assert isinstance(machine.candidate_silent(now=1.0), Ignored)  # still speaking the opening


def test_empty_answer_counts_as_silence(machine):
    open_interview(machine)
    assert machine.candidate_answered("   ", now=20.0).kind == "reprompt"


def test_repeated_question_is_replaced_by_a_fallback(machine):
    opening = open_interview(machine)
    answer(machine, LONG_ANSWER, now=10.0)
    say = machine.propose(opening.question, now=11.0)
    assert say.source == "fallback" and "repeat" in say.rejected
    assert say.question != opening.question


def test_wrong_language_is_replaced_by_a_russian_fallback():
    machine = build_machine(language="ru")
    open_interview(machine)
    answer(machine, "Я делал сервис заказов на Django и PostgreSQL, он выдерживал большую нагрузку годами", now=10.0)
    say = machine.propose("How did you keep the service fast?", now=11.0)
    assert "wrong_language" in say.rejected and say.source == "fallback"
    assert any(letter in say.question for letter in "аеиоу")


def test_russian_question_with_english_tech_words_is_accepted():
    machine = build_machine(language="ru")
    open_interview(machine)
    answer(machine, "Я делал сервис заказов на Django и PostgreSQL, он выдерживал большую нагрузку годами", now=10.0)
    say = machine.propose("Как вы настраивали индексы в PostgreSQL для сервиса заказов?", now=11.0)
    assert say.source == "llm", say.rejected


def test_echo_of_the_answer_or_prompt_is_rejected(machine):
    open_interview(machine)
    request = answer(machine, LONG_ANSWER, now=10.0)
    prompt = machine.question_prompt(request)
    say = machine.propose(LONG_ANSWER + "?", now=11.0, prompt=prompt)
    assert "echo" in say.rejected
    machine.finished_speaking(now=12.0)
    answer(machine, "We used Redis for caching the catalogue pages of the shop, with a short expiry time", now=20.0)
    copied = "How did you keep the order API fast as the number of orders grew?"  # a few-shot line
    say = machine.propose(copied, now=21.0, prompt=prompt)
    assert "echo" in say.rejected


def test_llm_end_is_refused_too_early_and_accepted_later():
    machine = build_machine(budget=Budget(min_questions_before_end=2, max_questions=8))
    open_interview(machine)
    answer(machine, LONG_ANSWER, now=10.0)
    say = machine.propose("[end]", now=11.0)
    assert say.kind == "question" and say.rejected[0] == "end_not_allowed"
    machine.finished_speaking(now=12.0)
    answer(machine, LONG_ANSWER + " again", now=20.0)
    closing = machine.propose(Move("end"), now=21.0)
    assert closing.kind == "closing" and closing.end_reason == "completed"


def test_running_out_of_topics_completes():
    machine = build_machine(skills=[], roles=[], budget=Budget(max_questions=20, follow_ups_per_topic=0))
    open_interview(machine)
    steps = 0
    while machine.state != "closing":
        step = answer(machine, f"Answer number {steps}.", now=10.0 * (steps + 1))
        if isinstance(step, NeedQuestion):
            machine.propose(None, now=10.0 * (steps + 1) + 1)
            machine.finished_speaking(now=10.0 * (steps + 1) + 2)
        steps += 1
    assert machine.end_reason == "completed"
    assert machine.question_count == len(machine.plan.topics)


def test_a_turn_that_goes_on_while_its_question_is_prepared_is_heard_again_whole(machine):
    open_interview(machine)
    first = answer(machine, "I worked on payments.", now=10.0)
    assert machine.turn_open
    step = machine.candidate_answered("Mostly the refunds part.", now=11.0)
    assert isinstance(step, NeedQuestion) and step is not first
    assert step.answer == "I worked on payments. Mostly the refunds part."
    assert [t.text for t in machine.transcript.turns if t.speaker == "candidate"] == [step.answer]
    # the question written for the first part is void; the one for the whole turn is asked
    assert isinstance(machine.propose("What was hard about payments?", now=12.0, request=first), Ignored)
    say = machine.propose(None, now=13.0, request=step)
    assert say.kind == "question" and say.question_number == 2 and machine.question_count == 2


# A demanding HR reviewer's cases: a candidate who pauses to think, then goes on, hears no line over them,
# and the turn is understood whole: "let me think" is no non-answer once the answer follows.
WENT_ON = [
    ("en", "Hmm, let me think.", "I built the refunds service with Django and cut the failed refunds by half."),
    ("ru", "Хм, дайте подумать.", "Я написал сервис возвратов на Django и вдвое сократил число ошибок."),
]


@pytest.mark.parametrize("language, thinking, rest", WENT_ON)
def test_a_question_not_said_yet_is_withdrawn_when_the_candidate_goes_on(language, thinking, rest):
    machine = build_machine(language=language)
    open_interview(machine)
    first = answer(machine, LONG_ANSWER, now=10.0)
    said = machine.propose(None, now=11.0, request=first)  # ready, but waiting for the pause to last
    assert said.question_number == 2 and machine.question_count == 2
    step = machine.candidate_answered(rest, now=14.0)
    assert isinstance(step, NeedQuestion) and step.question_number == 2 and machine.question_count == 1
    assert said.text not in machine.transcript.texts("ai")
    assert machine.transcript.last().text == f"{LONG_ANSWER} {rest}"
    assert machine.transcript.last().started_at == 10.0  # the turn began with its first part
    again = machine.propose(None, now=15.0, request=step)
    assert again.question_number == 2
    machine.line_started()
    assert not machine.turn_open  # from now on the candidate answers the new question


@pytest.mark.parametrize("language, thinking, rest", WENT_ON)
def test_a_re_ask_after_let_me_think_is_withdrawn_when_the_answer_follows(language, thinking, rest):
    machine = build_machine(language=language)
    open_interview(machine)
    reask = answer(machine, thinking, now=10.0)
    assert isinstance(reask, Say) and reask.kind == "reprompt"
    step = machine.candidate_answered(rest, now=13.0)
    assert isinstance(step, NeedQuestion), step  # an answer now: no re-ask of the question just answered
    assert step.answer == f"{thinking} {rest}"
    assert reask.text not in machine.transcript.texts("ai")


@pytest.mark.parametrize("language, end_request", [("en", "Sorry, I have to go now, let's stop here."),
                                                   ("ru", "Извините, мне нужно идти, давайте закончим.")])
def test_a_turn_that_goes_on_with_a_request_to_end_closes(language, end_request):
    machine = build_machine(language=language)
    open_interview(machine)
    first = answer(machine, LONG_ANSWER, now=10.0)
    machine.propose(None, now=11.0, request=first)
    closing = machine.candidate_answered(end_request, now=13.0)
    assert isinstance(closing, Say) and closing.end_reason == "candidate_ended"
    assert machine.transcript.texts("candidate") == [f"{LONG_ANSWER} {end_request}"]
    assert not machine.turn_open  # honoured at once: more words do not take it back


def test_the_last_answer_going_on_before_the_closing_is_said_is_kept_whole():
    machine = build_machine(budget=Budget(max_questions=1))
    open_interview(machine)
    closing = answer(machine, LONG_ANSWER, now=10.0)
    assert isinstance(closing, Say) and closing.end_reason == "question_limit"
    again = machine.candidate_answered("And I mentored two juniors.", now=13.0)
    assert isinstance(again, Say) and again.end_reason == "question_limit"
    assert machine.transcript.texts("candidate") == [f"{LONG_ANSWER} And I mentored two juniors."]
    assert machine.transcript.texts("ai").count(closing.text) == 1


def test_once_the_line_is_said_the_next_words_are_a_new_turn(machine):
    open_interview(machine)
    first = answer(machine, LONG_ANSWER, now=10.0)
    machine.propose(None, now=11.0, request=first)
    machine.line_started()
    step = machine.candidate_answered("Sorry, could you repeat the question?", now=14.0)
    assert isinstance(step, Say) and step.kind == "reprompt"
    assert machine.question_count == 2 and len(machine.transcript.texts("candidate")) == 2


def test_time_up_and_end_interview_close_the_open_turn(machine):
    open_interview(machine)
    answer(machine, LONG_ANSWER, now=10.0)
    assert machine.time_up(now=12.0).end_reason == "time_limit"
    assert isinstance(machine.candidate_answered("And one more thing.", now=13.0), Ignored)
    assert machine.transcript.texts("candidate") == [LONG_ANSWER]


def test_barge_in_during_the_opening_is_taken_as_the_answer(machine):
    machine.start(now=0.0)
    request = machine.candidate_answered(LONG_ANSWER, now=3.0)
    assert isinstance(request, NeedQuestion)
    assert isinstance(machine.finished_speaking(now=3.5), Ignored)
    say = machine.propose(None, now=4.0)
    assert say.question_number == 2
    machine.finished_speaking(now=8.0)
    assert machine.state == "listening"


def test_propose_without_a_request_is_ignored(machine):
    assert isinstance(machine.propose("Why?", now=0.0), Ignored)


@pytest.mark.parametrize("language", ["en", "ru"])
def test_fallback_only_interview_is_numbered_grounded_and_never_repeats(language):
    machine = build_machine(language=language, budget=Budget(max_questions=12, follow_ups_per_topic=1))
    open_interview(machine)
    numbers, now = [1], 10.0
    while machine.state not in ("closing", "completed"):
        step = answer(machine, LONG_ANSWER + f" {now}", now=now)
        if isinstance(step, NeedQuestion):
            say = machine.propose(None, now=now + 1)
            if say.question_number:
                numbers.append(say.question_number)
            machine.finished_speaking(now=now + 2)
        now += 10
    assert numbers == list(range(1, 13))
    assert machine.end_reason == "question_limit"
    asked = machine.asked
    assert len({q.casefold() for q in asked}) == len(asked)
    assert sum("Python" in q or "Django" in q for q in asked) >= 2
    rendered = machine.transcript.render(language=language)
    assert rendered.count("\n") + 1 == len(machine.transcript)


def test_budget_validation_names_the_field():
    with pytest.raises(ValueError, match="budget max_questions must be an integer in 1..50"):
        Budget(max_questions=0)
    with pytest.raises(ValueError, match="budget max_minutes"):
        Budget(max_minutes=0.1)
    with pytest.raises(ValueError, match="follow_ups_per_topic"):
        Budget(follow_ups_per_topic=True)


def test_prompt_language_must_match_the_interview():
    plan = InterviewPlan.from_resume(ParsedResume(language="ru"))
    with pytest.raises(ValueError, match="prompt set is 'en' but the interview is 'ru'"):
        InterviewMachine(plan, load_prompt_set("default", "en"))


def test_language_override_and_bad_language():
    assert InterviewPlan.from_resume(ParsedResume(language="ru"), language="en").language == "en"
    with pytest.raises(ValueError, match="language must be one of ru, en, got 'de'"):
        InterviewPlan.from_resume(ParsedResume(language="de"))


def test_raw_payloads_drive_the_machine_and_malformed_ones_are_ignored(machine):
    bad = machine.on_payload(b'{"type":"start_interview","resumeId":"abc"}', now=0.0)
    assert isinstance(bad, Ignored) and "invalid_resume_id" in bad.reason
    assert isinstance(machine.on_payload(b"\xff", now=0.0), Ignored)
    assert machine.state == "waiting"
    opening = machine.on_payload(b'{"type":"start_interview","resumeId":123}', now=1.0)
    assert isinstance(opening, Say) and opening.question_number == 1
    assert isinstance(machine.on_payload(b'{"type":"start_interview","resumeId":123}', now=2.0), Ignored)
    closing = machine.on_payload('{"type":"end_interview","resumeId":"123"}', now=3.0)
    assert closing.end_reason == "candidate_ended"


def test_prompt_shows_questions_without_move_on_lines_or_reprompts(machine):
    open_interview(machine)
    machine.candidate_silent(now=10.0)
    machine.finished_speaking(now=12.0)
    machine.candidate_silent(now=30.0)
    say = machine.propose(None, now=31.0)
    machine.finished_speaking(now=35.0)
    request = answer(machine, LONG_ANSWER, now=50.0)
    prompt = machine.question_prompt(request)
    assert "Take your time" not in prompt and "let's move on" not in prompt
    assert prompt.endswith(f"Interviewer: {say.question}\nCandidate: {LONG_ANSWER}\nInterviewer:")


SAID_STOPS = {
    "en": ["I'd like to finish now, please. I have to go.", "sorry i need to leave can we stop here",
           "Let's wrap up, I have another meeting."],
    "ru": ["Давайте закончим, мне нужно идти.", "извините я должен бежать давайте на этом остановимся",
           "Можно мы на этом закончим? У меня срочная встреча."],
}
NOT_STOPS = {
    "en": ["I finished the migration in March and we had to stop the old cluster.",
           "Let me finish my thought: the cache cut latency by half."],
    "ru": ["Я закончил университет в 2015 году и сразу пошёл в разработку.",
           "Нам пришлось остановить миграцию, пока не починили индексы."],
}


@pytest.mark.parametrize("language", ["en", "ru"])
def test_a_spoken_request_to_end_gets_the_closing_line_at_once(language):
    for said in SAID_STOPS[language]:
        machine = build_machine(language=language)
        open_interview(machine)
        closing = machine.candidate_answered(said, now=30.0)
        assert isinstance(closing, Say) and closing.kind == "closing", (said, closing)
        assert closing.end_reason == "candidate_ended" and machine.question_count == 1
        assert machine.transcript.texts("candidate") == [said]


@pytest.mark.parametrize("language", ["en", "ru"])
def test_finishing_or_stopping_something_at_work_is_an_answer_not_a_request_to_end(language):
    for said in NOT_STOPS[language]:
        machine = build_machine(language=language)
        open_interview(machine)
        assert isinstance(machine.candidate_answered(said, now=30.0), NeedQuestion), said


def test_a_request_to_end_while_the_next_question_is_prepared_still_ends(machine):
    open_interview(machine)
    assert isinstance(answer(machine, LONG_ANSWER, now=20.0), NeedQuestion)
    closing = machine.candidate_answered("Actually, I have to go now, sorry.", now=22.0)
    assert isinstance(closing, Say) and closing.end_reason == "candidate_ended"
    assert isinstance(machine.propose("How did you design the schema?", now=23.0), Ignored)


@pytest.mark.parametrize("language", ["en", "ru"])
def test_the_chat_prompt_read_while_the_candidate_speaks_is_a_prefix_of_the_question_prompt(language):
    machine = build_machine(language=language)
    opening = open_interview(machine)
    assert machine.chat_prefix() is not None and opening.question in machine.chat_prefix()
    first, second = LONG_ANSWER.split(" with ", 1)
    early = machine.chat_prefix(first)  # the first segment is transcribed while the candidate goes on
    request = answer(machine, LONG_ANSWER, now=20.0)
    assert isinstance(request, NeedQuestion)
    prompt = machine.question_prompt(request, chat=True)
    assert prompt.startswith(machine.chat_prefix())  # the turn may go on: the read-ahead extends it
    assert prompt.startswith(early) and early.endswith(first)
    assert f"{machine.prompts.candidate_label}: {LONG_ANSWER}" in prompt
    assert machine.question_prompt(request) != prompt  # a base model still gets the few-shot completion
    say = machine.propose("How did you keep the order service fast as traffic grew?", now=21.0, prompt=prompt)
    machine.finished_speaking(now=25.0)
    later = machine.chat_prefix()  # the next answer's read-ahead extends what was read for this one
    assert later.startswith(prompt[:prompt.index(LONG_ANSWER) + len(LONG_ANSWER)]) and later.endswith(say.question)


def build_question_prompt(language: str, answer_text: str) -> str:
    machine = build_machine(language=language)
    open_interview(machine)
    return machine.question_prompt(answer(machine, answer_text, now=21.0), chat=True)


@pytest.mark.parametrize("language, end_request", [("en", "Sorry, I have to go now, let's stop here."),
                                                   ("ru", "Извините, мне нужно идти, давайте закончим.")])
def test_the_drafted_question_prompt_is_the_one_the_answer_asks_for_and_changes_nothing(language, end_request):
    machine = build_machine(language=language)
    open_interview(machine)
    draft = machine.draft_question_prompt(LONG_ANSWER, now=20.0)
    assert machine.state == "listening" and len(machine.transcript.turns) == 1  # the opening; nothing added
    assert machine.pending is None and machine.draft_question_prompt(LONG_ANSWER, now=20.0) == draft
    # a longer answer (the candidate went on after a pause) gives another prompt
    assert machine.draft_question_prompt(LONG_ANSWER + " and then led the team", now=20.0) != draft
    # no question to draft where the answer would not ask the LLM: a spoken request to end closes
    assert machine.draft_question_prompt(end_request, now=20.0) is None
    request = answer(machine, LONG_ANSWER, now=21.0)
    assert machine.question_prompt(request, chat=True) == draft
    # more words before the question is said: the draft is for the whole turn
    more = machine.draft_question_prompt("and then led the team", now=22.0)
    assert more == build_question_prompt(language, f"{LONG_ANSWER} and then led the team")
