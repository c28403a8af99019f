"""Random event sequences: the machine never raises and never breaks its budget or its promises."""

from __future__ import annotations

import random

from hrlab.domain.plan import Budget, Finished, Ignored, NeedQuestion, Say

from .conftest import build_machine

PROPOSALS = [
    None, "", "[end]", "[follow_up] How did you test that service?", "[next_topic] What about Docker?",
    "Interviewer: What is your experience with Python?\nCandidate: lots", "Как вы тестировали этот сервис?",
    "Tell me about yourself.", "ok", "What did you build with Django at work?",
]
# Endings are rare so that most runs get deep into the interview before something ends it.
EVENTS = {"start": 4, "answer": 25, "silent": 6, "said": 15, "spoken": 25, "propose": 25, "end": 1, "time_up": 1,
          "error": 1, "disconnect": 1, "payload": 3}


def run_one(rng: random.Random) -> None:
    budget = Budget(max_questions=rng.randint(1, 6), follow_ups_per_topic=rng.randint(0, 2),
                    max_minutes=rng.choice([1, 2, 5]), min_questions_before_end=rng.randint(1, 4))
    machine = build_machine(language=rng.choice(["en", "ru"]), budget=budget)
    now, lines, finished = 0.0, [], []  # lines: the Says a conductor would say
    if rng.random() < 0.9:  # most runs begin normally; the rest get events before any start
        lines.append(machine.start(now=now))
    opened = len(lines)  # the Says made for the open turn start here
    for _ in range(rng.randint(1, 80)):
        now += rng.choice([0.0, 0.5, 3.0, 10.0, 20.0])
        event = rng.choices(list(EVENTS), weights=list(EVENTS.values()))[0]
        was_open = machine.turn_open
        step = fire(machine, event, rng, now)
        assert isinstance(step, (Say, NeedQuestion, Finished, Ignored))
        if event == "answer" and was_open and not isinstance(step, Ignored):
            del lines[opened:]  # the turn went on: what was made for its first part is never said
        if event == "answer" and not was_open and machine.turn_open:
            opened = len(lines)
        if isinstance(step, Say):
            assert step.text.strip()
            if step.question_number is not None:
                assert step.question_message().question_number == step.question_number
            lines.append(step)
        if isinstance(step, Finished):
            finished.append(step)
    numbers = [say.question_number for say in lines if say.question_number is not None]
    closings = sum(say.kind == "closing" for say in lines)
    assert numbers == list(range(1, len(numbers) + 1))
    assert len(numbers) <= budget.max_questions
    assert closings <= 1 and len(finished) <= 1
    if finished and finished[0].reason not in ("disconnected", "error"):
        assert closings == 1  # every ordinary ending was spoken
    if machine.state == "completed":
        assert machine.end_reason is not None


def fire(machine, event: str, rng: random.Random, now: float):
    if event == "start":
        return machine.start(now=now)
    if event == "answer":
        return machine.candidate_answered(rng.choice(["", "Yes.", "I built a shop with Django " * 3]), now=now)
    if event == "silent":
        return machine.candidate_silent(now=now)
    if event == "said":
        machine.line_started()
        return Ignored("said")
    if event == "spoken":
        return machine.finished_speaking(now=now)
    if event == "propose":
        return machine.propose(rng.choice(PROPOSALS), now=now)
    if event == "end":
        return machine.end_requested(now=now)
    if event == "time_up":
        return machine.time_up(now=now)
    if event == "error":
        return machine.error(now=now, can_speak=rng.random() < 0.5)
    if event == "disconnect":
        return machine.disconnected(now=now)
    return machine.on_payload(rng.choice([b"{}", b"\x00", b'{"type":"start_interview","resumeId":123}']), now=now)


def test_random_event_sequences_keep_the_invariants():
    rng = random.Random(1124)
    for _ in range(400):
        run_one(rng)
