"""The interview plan (topics and budget) and the state machine that enforces it.

The machine is pure: every event carries `now` (seconds on the caller's clock) and returns a Step:
- Say: words to speak now (send `question` first when it has a question_number);
- NeedQuestion: ask the LLM (see `question_prompt`), then hand its text to `propose`;
- Finished: the interview is over (send `interview_complete`);
- Ignored: nothing to do (a repeated start_interview, a late event), with the reason.
The LLM only proposes; the machine keeps the budget, refuses bad wording and always closes politely.
Each candidate turn is first understood (understanding/): a spoken request to end closes at once; a
request to repeat, a non-answer, off-topic talk or a question back re-asks the question (reactions.py);
"I don't know" moves on; an admitted weakness or a terse answer is probed in the candidate's words.
A turn stays open until the line made for it starts (`line_started`): words the candidate adds before then
are the same turn, heard again whole, and the line made for its first part is void.
"""

from __future__ import annotations

import copy
from collections import Counter
from dataclasses import dataclass, field, replace
from typing import Literal, Union

from hrlab.domain.fallback import fallback_question
from hrlab.domain.guards import Move, MoveKind, check_question, is_repeat, parse_move, shares_content
from hrlab.domain.language import Language
from hrlab.domain.prompting import (
    PromptSet,
    chat_question_prefix,
    render_chat_question_prompt,
    render_question_prompt,
    topic_phrase,
)
from hrlab.domain.protocol import (
    CandidateMessage,
    EndInterview,
    InterviewComplete,
    ProtocolError,
    Question,
    StartInterview,
    parse_candidate_message,
)
from hrlab.domain.reactions import reaction_line, terse_probe, weakness_probe
from hrlab.domain.topics import (
    InterviewFacts,
    ResumeLike,
    Topic,
    address_name,
    derive_topics,
    facts_from_resume,
)
from hrlab.domain.transcript import Transcript, Turn
from hrlab.domain.turn_kinds import TurnKind
from hrlab.domain.understanding import Understanding, understand
from hrlab.errors import Conflict

State = Literal["waiting", "opening", "asking", "listening", "closing", "completed"]
EndReason = Literal["completed", "candidate_ended", "time_limit", "question_limit", "disconnected", "error"]
END_REASONS: tuple[EndReason, ...] = (
    "completed", "candidate_ended", "time_limit", "question_limit", "disconnected", "error",
)
# Sent to the page in `interview_complete`; English like the spec's example, one per end reason.
END_SUMMARIES: dict[EndReason, str] = {
    "completed": "Interview completed successfully",
    "question_limit": "Interview completed successfully",
    "time_limit": "Interview completed: the time limit was reached",
    "candidate_ended": "Interview ended by the candidate",
    "disconnected": "Interview ended: the candidate disconnected",
    "error": "Interview ended because of a technical problem",
}
_ACTIVE: tuple[State, ...] = ("opening", "asking", "listening")
SUBSTANTIVE_ANSWER_WORDS = 12  # shorter answers rarely give a follow-up anything to work with
BREAK_SECONDS = 300.0  # a short break asked for: silence is not re-prompted for this long (time still runs)
RECENT_TURNS_IN_PROMPT = 4


class InterviewStateError(Conflict):
    """The caller used the state machine out of order (a bug in the caller, not bad input)."""


@dataclass(frozen=True)
class Budget:
    """Limits of one interview; the LLM's proposals never exceed them."""

    max_questions: int = 8
    follow_ups_per_topic: int = 1
    max_minutes: float = 15.0
    min_questions_before_end: int = 3
    silence_reprompts: int = 1

    def __post_init__(self) -> None:
        _check_range("max_questions", self.max_questions, 1, 50)
        _check_range("follow_ups_per_topic", self.follow_ups_per_topic, 0, 5)
        _check_range("max_minutes", self.max_minutes, 1, 180, integer=False)
        _check_range("min_questions_before_end", self.min_questions_before_end, 1, 50)
        _check_range("silence_reprompts", self.silence_reprompts, 0, 3)

    @property
    def max_seconds(self) -> float:
        return self.max_minutes * 60.0


def _check_range(name: str, value: object, low: float, high: float, *, integer: bool = True) -> None:
    kinds = (int,) if integer else (int, float)
    if isinstance(value, bool) or not isinstance(value, kinds) or not low <= value <= high:
        kind = "an integer" if integer else "a number"
        raise ValueError(f"budget {name} must be {kind} in {low:g}..{high:g}, got {value!r}")


@dataclass(frozen=True)
class InterviewPlan:
    """What to ask about, in which order, within which budget."""

    facts: InterviewFacts
    topics: tuple[Topic, ...]
    budget: Budget = field(default_factory=Budget)
    resume_id: int | None = None

    def __post_init__(self) -> None:
        if not self.topics:
            raise ValueError("an interview plan needs at least one topic")

    @classmethod
    def from_resume(
        cls, resume: ResumeLike, *, budget: Budget | None = None, language: str | None = None,
        resume_id: int | None = None,
    ) -> InterviewPlan:
        """Derive facts and topics from a parsed resume."""
        facts = facts_from_resume(resume, language=language)
        return cls(facts=facts, topics=derive_topics(facts), budget=budget or Budget(), resume_id=resume_id)

    @property
    def language(self) -> Language:
        return self.facts.language


@dataclass(frozen=True)
class Say:
    """Words to speak now; `question` (with its number) is what the page shows."""

    kind: Literal["opening", "question", "reprompt", "closing"]
    text: str
    question: str | None = None
    question_number: int | None = None
    topic: Topic | None = None
    source: Literal["script", "llm", "probe", "fallback"] = "script"
    rejected: tuple[str, ...] = ()
    end_reason: EndReason | None = None
    # Why this line: a question's move (follow_up, next_topic, move_on) or a re-prompt's line (repeat, reask,
    # redirect, defer, pause, silence); a closing's is its end reason. See turn_kinds.py.
    reaction: str | None = None

    @property
    def label(self) -> str:
        """What this line was, as the run log records it: "question:llm:follow_up", "reprompt:script:redirect"."""
        return TurnKind(self.kind, self.source, self.end_reason or self.reaction).label

    def question_message(self) -> Question | None:
        """The `question` data message to send before the audio, if this is a numbered question."""
        if self.question is None or self.question_number is None:
            return None
        return Question(text=self.question, question_number=self.question_number)


@dataclass(frozen=True)
class NeedQuestion:
    """The machine needs the LLM's next question; `default_move` says which prompt to render."""

    question_number: int
    topic: Topic
    next_topic: Topic | None
    follow_up_allowed: bool
    default_move: MoveKind
    answer: str
    move_on: bool = False  # after a silence or "I don't know": no follow-up, and the question says so
    probe: str | None = None  # a follow-up in the candidate's own words, if the LLM's is refused
    # A terse answer is followed up even when the LLM moves on: the small model mostly did (behaviour suite:
    # 0 of 4 terse answers probed), and then the interview learns nothing about that topic.
    probe_required: bool = False

    @property
    def prompt_topic(self) -> Topic:
        """The topic the default move's question is about."""
        if self.default_move == "follow_up" or self.next_topic is None:
            return self.topic
        return self.next_topic


@dataclass(frozen=True)
class Finished:
    """The interview is over."""

    reason: EndReason

    @property
    def summary(self) -> str:
        return END_SUMMARIES[self.reason]

    def message(self) -> InterviewComplete:
        """The `interview_complete` data message."""
        return InterviewComplete(summary=self.summary)


@dataclass(frozen=True)
class Ignored:
    """Nothing to do; `reason` is for the log."""

    reason: str


Step = Union[Say, NeedQuestion, Finished, Ignored]


class InterviewMachine:
    """One interview's state: waiting → opening → (asking ⇄ listening)* → closing → completed."""

    def __init__(self, plan: InterviewPlan, prompts: PromptSet) -> None:
        if prompts.language != plan.language:
            raise ValueError(f"prompt set is {prompts.language!r} but the interview is {plan.language!r}")
        self.plan = plan
        self.prompts = prompts
        self.transcript = Transcript()
        self.state: State = "waiting"
        self.end_reason: EndReason | None = None
        self.started_at: float | None = None
        self.asked: list[str] = []
        self._topic_index = 0
        self._follow_ups = 0
        self._silences = 0
        self._current: Say | None = None
        self._pending: NeedQuestion | None = None
        self._reactions: Counter = Counter()  # re-asks of the current question, by reaction line
        self._break_since: float | None = None  # when the candidate was granted a short break
        # While the line made for the candidate's last turn is not said yet, the turn may go on (a thinking pause
        # the end-of-turn detector took for its end): the state before the turn, the turn's text and its start.
        self._reopen: tuple[dict, str, float | None] | None = None

    # --- queries -------------------------------------------------------------------------------

    @property
    def question_count(self) -> int:
        return len(self.asked)

    @property
    def topic(self) -> Topic:
        return self.plan.topics[min(self._topic_index, len(self.plan.topics) - 1)]

    @property
    def deadline(self) -> float | None:
        """When the time budget runs out (None before the start); schedule `time_up` for it."""
        return None if self.started_at is None else self.started_at + self.plan.budget.max_seconds

    @property
    def pending(self) -> NeedQuestion | None:
        return self._pending

    @property
    def turn_open(self) -> bool:
        """What the machine made of the candidate's last turn (or silence) is not said yet: if they go on,
        `candidate_answered` hears the turn again whole, and the line prepared for its first part is void."""
        return self._reopen is not None

    def question_prompt(self, request: NeedQuestion, *, chat: bool = False) -> str:
        """The prompt for a requested question: for a base model, a few-shot completion over the recent
        questions and answers; with `chat`, an instruct model's instruction over the whole dialogue."""
        follow_up = request.default_move == "follow_up"
        if chat:
            return render_chat_question_prompt(self.prompts, facts=self.plan.facts, topic=request.prompt_topic,
                                               dialogue=self._dialogue(), follow_up=follow_up)
        return render_question_prompt(
            self.prompts, facts=self.plan.facts, topic=request.prompt_topic,
            recent=self._dialogue()[-RECENT_TURNS_IN_PROMPT:], follow_up=follow_up,
        )

    def chat_prefix(self, answer_so_far: str = "") -> str | None:
        """What the next chat question prompt will start with, read ahead while the candidate speaks:
        the dialogue so far, with `answer_so_far` as the candidate's unfinished answer (after the open turn's
        words, if one is open). None while no question is awaiting an answer."""
        if self._reopen is not None:
            return self._reopened().chat_prefix(f"{self._reopen[1]} {answer_so_far}")
        if self.state not in ("opening", "asking", "listening") or self._pending is not None:
            return None
        dialogue = self._dialogue()
        if answer_so_far.strip():
            dialogue.append(Turn("candidate", " ".join(answer_so_far.split()), started_at=0.0))
        return chat_question_prefix(self.prompts, facts=self.plan.facts, dialogue=dialogue)

    def draft_question_prompt(self, answer: str, *, now: float) -> str | None:
        """The chat question prompt the machine would render if the candidate's answer ended now as `answer`,
        leaving this machine untouched; None when that answer would not ask the LLM (a reaction line, a
        closing, a probe said as is) or no question awaits an answer. The conductor drafts the question
        from it before the turn is committed."""
        if self.chat_prefix() is None:
            return None
        trial = copy.deepcopy(self, memo={id(self.plan): self.plan, id(self.prompts): self.prompts})
        step = trial.candidate_answered(answer, now=now)
        return trial.question_prompt(step, chat=True) if isinstance(step, NeedQuestion) else None

    def _dialogue(self) -> list[Turn]:
        """Turns as the model should see them: questions without greeting, disclosure or re-prompts."""
        turns = []
        for turn in self.transcript.turns:
            if turn.speaker == "candidate":
                turns.append(turn)
            elif turn.question_number is not None and turn.question_number <= len(self.asked):
                turns.append(replace(turn, text=self.asked[turn.question_number - 1]))
        return turns

    # --- events from the page ------------------------------------------------------------------

    def on_payload(self, payload: bytes | str, *, now: float) -> Step:
        """Handle raw data-message bytes from the page (any topic); malformed ones are Ignored, never raised."""
        try:
            message = parse_candidate_message(payload)
        except ProtocolError as exc:
            return Ignored(f"malformed data message ({exc.reason}): {exc.message}")
        return self.on_message(message, now=now)

    def on_message(self, message: CandidateMessage, *, now: float) -> Step:
        """Handle a parsed data message from the candidate's page."""
        if self.plan.resume_id is not None and message.resume_id != self.plan.resume_id:
            return Ignored(f"{message.type} for resume {message.resume_id}, this interview is resume "
                           f"{self.plan.resume_id}")
        if isinstance(message, StartInterview):
            return self.start(now=now)
        if isinstance(message, EndInterview):
            return self.end_requested(now=now)
        return Ignored(f"unhandled message {type(message).__name__}")

    def start(self, *, now: float) -> Step:
        """Begin: greeting, AI disclosure and the first question. A repeated start is ignored."""
        if self.state != "waiting":
            return Ignored(f"start_interview ignored: the interview is already {self.state}")
        self.started_at = now
        self.state = "opening"
        facts, lines = self.plan.facts, self.prompts
        name = address_name(facts.candidate_name, language=facts.language)
        greeting = lines.text("lines", "greeting_named", name=name) if name else lines.text("lines", "greeting")
        question = (lines.text("lines", "first_question_role", role=facts.roles[0]) if facts.roles
                    else lines.text("lines", "first_question"))
        text = " ".join([greeting, lines.text("lines", "disclosure"), question])
        return self._ask(Say("opening", text, question=question, topic=self.topic), now=now)

    def end_requested(self, *, now: float) -> Step:
        """The candidate ended the interview: say the closing line."""
        self._reopen = None
        if self.state in ("closing", "completed"):
            return Ignored(f"end_interview ignored: the interview is already {self.state}")
        if self.started_at is None:
            self.started_at = now
        return self._close("candidate_ended", now=now)

    # --- events from the audio pipeline --------------------------------------------------------

    def line_started(self) -> None:
        """The line made last is being said: the turn before it is closed (what the candidate says now is a
        new turn)."""
        self._reopen = None

    def finished_speaking(self, *, now: float) -> Step:
        """The AI's audio for the last Say finished (or was cut off)."""
        self._reopen = None
        last = self.transcript.last("ai")
        if last is not None and last.ended_at is None:
            last.finish(max(now, last.started_at))
        if self.state == "closing":
            self.state = "completed"
            return Finished(self.end_reason or "completed")
        if self.state in ("opening", "asking") and self._pending is None:
            self.state = "listening"
            return Ignored("listening")
        return Ignored(f"speech ended while {self.state}")

    def candidate_answered(self, text: str, *, now: float, started_at: float | None = None) -> Step:
        """The candidate finished a turn (final transcript). While the line made for their previous turn is not
        said yet (`turn_open`), this is more of that turn: it is heard again whole."""
        text = " ".join(str(text).split())
        if self._reopen is not None and text:
            return self._turn_went_on(text, now=now)
        if self.state not in _ACTIVE:
            return Ignored(f"answer ignored: the interview is {self.state}")
        if not text:
            return self.candidate_silent(now=now)
        before = self._checkpoint()
        self._break_since = None  # back from a break, if there was one
        understood = self._understand(text)
        begin = max(started_at if started_at is not None else now, self._last_start())
        self.transcript.add(Turn("candidate", text, started_at=begin, ended_at=max(now, begin)))
        step = self._react(understood, text, now=now)
        if understood.kind != "end_request":  # "I have to go" is honoured at once, whatever follows
            self._reopen = (before, text, begin)
        return step

    def _turn_went_on(self, text: str, *, now: float) -> Step:
        before, heard, begun = self._reopen
        self._restore(before)
        whole = f"{heard} {text}".strip()
        if heard and self._understand(text).kind == "end_request":  # judged alone: an answer may end "I must go"
            begin = max(begun if begun is not None else now, self._last_start())
            self.transcript.add(Turn("candidate", whole, started_at=begin, ended_at=max(now, begin)))
            return self._close("candidate_ended", now=now)
        return self.candidate_answered(whole, now=now, started_at=begun)

    def _checkpoint(self) -> dict:
        """This machine's state, to go back to if the turn about to be taken goes on (a few ms)."""
        return copy.deepcopy({k: v for k, v in vars(self).items() if k not in ("plan", "prompts", "_reopen")})

    def _restore(self, state: dict) -> None:
        vars(self).update(state)
        self._reopen = None

    def _reopened(self) -> InterviewMachine:
        """A copy of this machine as it was before the open turn (for reading ahead; this one is untouched)."""
        trial = copy.copy(self)
        trial._restore(copy.deepcopy(self._reopen[0]))
        return trial

    def _understand(self, text: str) -> Understanding:
        subject = self.topic.subject
        return understand(text, language=self.plan.language, question=self._current_question or "",
                          topic_terms=(subject,) if subject else ())

    @property
    def _current_question(self) -> str | None:
        return None if self._current is None else self._current.question or self._current.text

    def _react(self, understood: Understanding, text: str, *, now: float) -> Step:
        """Close on a spoken request to end, re-ask what was not answered, else move the interview on."""
        if understood.kind == "end_request":  # said, not sent as end_interview: the same closing, at once
            return self._close("candidate_ended", now=now)
        reaction = reaction_line(understood, prompts=self.prompts, question=self._current_question,
                                 topic=topic_phrase(self.prompts, self.topic), used=self._reactions)
        if reaction is not None and not self._time_is_up(now):
            name, line = reaction
            if name == "pause":  # candidate_answered cleared it for any other turn
                self._break_since = now
            return self._speak(Say("reprompt", line, topic=self.topic, reaction=name), now=now)
        weakness = weakness_probe(understood, prompts=self.prompts, answer=text)
        if understood.kind == "dont_know" and weakness is None:
            return self._after_answer(text, now=now, move_on=True)
        terse = terse_probe(understood, prompts=self.prompts, topic=topic_phrase(self.prompts, self.topic))
        # An admitted weakness is probed even past the topic's follow-up budget: it is what HR most need to hear
        # about, and the question limit still holds.
        step = self._after_answer(text, now=now, move_on=False, probe=weakness or terse,
                                  probe_required=terse is not None, extra_follow_up=weakness is not None)
        if weakness and isinstance(step, NeedQuestion) and step.default_move == "follow_up" \
                and not is_repeat(weakness, self.asked):
            return self._ask_probe(step, now=now)  # an admitted weakness is probed as said, no LLM needed
        return step

    def _ask_probe(self, request: NeedQuestion, *, now: float) -> Say:
        self._pending = None
        self._follow_ups += 1
        return self._ask(Say("question", request.probe, question=request.probe, topic=self.topic, source="probe",
                             reaction="follow_up"), now=now)

    def candidate_silent(self, *, now: float) -> Step:
        """The candidate said nothing for the silence timeout: re-prompt once, then move on."""
        if self.state != "listening" or self._current is None:
            return Ignored(f"silence ignored while {self.state}")
        if self._time_is_up(now):
            return self._close("time_limit", now=now)
        if self._break_since is not None and now - self._break_since < BREAK_SECONDS:
            return Ignored("silence during the break the candidate asked for")
        before = self._checkpoint()
        if self._silences < self.plan.budget.silence_reprompts:
            self._silences += 1
            question = self._current.question or self._current.text
            text = self.prompts.text("lines", "reprompt", question=question)
            step = self._speak(Say("reprompt", text, topic=self._current.topic, reaction="silence"), now=now)
        else:
            step = self._after_answer("", now=now, move_on=True)
        self._reopen = (before, "", None)  # words before the line is said answer the question still asked
        return step

    def time_up(self, *, now: float) -> Step:
        """The time budget ran out: close now."""
        self._reopen = None
        if self.state not in _ACTIVE:
            return Ignored(f"time_up ignored while {self.state}")
        return self._close("time_limit", now=now)

    def error(self, *, now: float, can_speak: bool = True) -> Step:
        """A part failed: say the apology closing line, or finish at once when nothing can be spoken."""
        self._reopen = None
        if self.state == "completed":
            return Ignored("error after the interview completed")
        if not can_speak:
            return self._finish("error" if self.state != "closing" else self.end_reason or "error")
        if self.state == "closing":
            return Ignored("error while closing; the closing line is already under way")
        return self._close("error", now=now)

    def disconnected(self, *, now: float) -> Step:
        """The candidate left the room: finish without speaking."""
        if self.state == "completed":
            return Ignored("disconnect after the interview completed")
        return self._finish(self.end_reason if self.state == "closing" and self.end_reason else "disconnected")

    # --- the LLM's proposal --------------------------------------------------------------------

    def propose(self, proposal: Move | str | None, *, now: float, prompt: str = "",
                request: NeedQuestion | None = None) -> Step:
        """Apply the LLM's proposal (raw completion, a Move, or None when it failed) within the budget;
        `request`, when given, is the NeedQuestion it answers (void once the candidate's turn went on)."""
        if request is not None and request is not self._pending:
            return Ignored("the proposal was for a request made void: the candidate's turn went on")
        request = self._pending
        if request is None:
            return Ignored(f"no question was requested (state {self.state})")
        self._pending = None
        if self._time_is_up(now):
            return self._close("time_limit", now=now)
        if isinstance(proposal, str):
            move = parse_move(proposal, default=request.default_move)
        else:
            move = proposal or Move(request.default_move)
        kind = self._enforce(move.kind, request)
        if kind == "end":
            return self._close("completed", now=now)
        if kind == "next_topic":
            if self._topic_index + 1 >= len(self.plan.topics):
                return self._close("completed", now=now)
            self._topic_index += 1
            self._follow_ups = 0
        else:
            self._follow_ups += 1
        # Wording meant for a move the budget refused is about the wrong topic: use a fallback instead.
        refused = () if kind == move.kind else (f"{move.kind}_not_allowed",)
        wording = move.text if not refused else ""
        say = self._question(wording, request, follow_up=kind == "follow_up", prompt=prompt)
        return self._ask(replace(say, rejected=refused + say.rejected) if refused else say, now=now)

    # --- internals -----------------------------------------------------------------------------

    def _after_answer(self, answer: str, *, now: float, move_on: bool, probe: str | None = None,
                      probe_required: bool = False, extra_follow_up: bool = False) -> Step:
        if self._time_is_up(now):
            return self._close("time_limit", now=now)
        if self.question_count >= self.plan.budget.max_questions:
            return self._close("question_limit", now=now)
        follow_up_allowed = not move_on and (extra_follow_up
                                             or self._follow_ups < self.plan.budget.follow_ups_per_topic)
        next_index = self._topic_index + 1
        next_topic = self.plan.topics[next_index] if next_index < len(self.plan.topics) else None
        if next_topic is None and not follow_up_allowed:
            return self._close("completed", now=now)  # every topic is covered
        worth_probing = len(answer.split()) >= SUBSTANTIVE_ANSWER_WORDS or probe is not None
        default: MoveKind = "follow_up" if follow_up_allowed and (worth_probing or next_topic is None) else "next_topic"
        self.state = "asking"
        self._pending = NeedQuestion(
            question_number=self.question_count + 1, topic=self.topic, next_topic=next_topic,
            follow_up_allowed=follow_up_allowed, default_move=default, answer=answer,
            move_on=move_on, probe=probe, probe_required=probe_required and default == "follow_up",
        )
        return self._pending

    def _enforce(self, kind: MoveKind, request: NeedQuestion) -> MoveKind:
        budget = self.plan.budget
        if kind == "end" and self.question_count < min(budget.min_questions_before_end, budget.max_questions):
            kind = "next_topic"  # too early to end: a small model's "end" is not trusted
        if kind == "next_topic" and request.probe_required:
            kind = "follow_up"
        if kind == "follow_up" and not request.follow_up_allowed:
            kind = "next_topic"
        if kind == "next_topic" and request.next_topic is None:
            kind = "follow_up" if request.follow_up_allowed else "end"
        return kind

    def _question(self, wording: str, request: NeedQuestion, *, follow_up: bool, prompt: str) -> Say:
        language = self.plan.language
        verdict = check_question(
            wording, language=language, asked=self.asked, answer=request.answer, prompt=prompt,
            own_lines=self.transcript.texts("ai"), subject=self.topic.subject, follow_up=follow_up,
        )
        if verdict.ok and follow_up and request.probe_required and not shares_content(verdict.text, request.answer):
            # A terse answer's probe uses the candidate's words; the small model's follow-up there was generic
            # ("What are the most important things you learned...?" after "Kafka, mostly.").
            verdict = replace(verdict, reasons=("not_grounded",))
        if verdict.ok:
            text, source = verdict.text, "llm"
        elif follow_up and request.probe and not is_repeat(request.probe, self.asked):
            text, source = request.probe, "probe"
        else:
            text = fallback_question(self.topic, language=language, asked=self.asked, follow_up=follow_up)
            source = "fallback"
        spoken = f"{self.prompts.text('lines', 'move_on')} {text}" if request.move_on else text
        move = "move_on" if request.move_on else "follow_up" if follow_up else "next_topic"
        return Say("question", spoken, question=text, topic=self.topic, source=source, rejected=verdict.reasons,
                   reaction=move)

    def _ask(self, say: Say, *, now: float) -> Say:
        self.asked.append(say.question or say.text)
        say = replace(say, question_number=self.question_count)
        self._current = say
        self._silences = 0
        self._reactions.clear()
        return self._speak(say, now=now)

    def _speak(self, say: Say, *, now: float) -> Say:
        if self.state != "opening":
            self.state = "closing" if say.kind == "closing" else "asking"
        self.transcript.add(Turn("ai", say.text, started_at=max(now, self._last_start()),
                                 question_number=say.question_number))
        return say

    def _close(self, reason: EndReason, *, now: float) -> Say:
        self._pending = None
        self.end_reason = reason
        self.state = "closing"
        return self._speak(Say("closing", self.prompts.text("closing", reason), end_reason=reason), now=now)

    def _finish(self, reason: EndReason) -> Finished:
        self._pending = None
        self._reopen = None
        self.end_reason = reason
        self.state = "completed"
        return Finished(reason)

    def _time_is_up(self, now: float) -> bool:
        return self.deadline is not None and now >= self.deadline

    def _last_start(self) -> float:
        last = self.transcript.last()
        return last.started_at if last is not None else float("-inf")
