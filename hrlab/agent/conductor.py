"""The conductor: runs one interview's state machine against a live AgentSession, whatever the transport.

It owns the machine, the LLM calls (with a time-out and a resume-grounded fallback), the data messages,
the silence, time-budget and disconnect timers, and persistence of each turn and of the outcome (which
queues the assessment: assessment_queue.py runs it outside the interview).
Every spoken line goes through `session.say`, so each Say has a speech handle the conductor tracks:
the machine hears `finished_speaking` only for the line it asked for last.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from livekit.agents import AgentSession
from livekit.agents.voice import SpeechHandle
from livekit.agents.voice.events import (
    AgentStateChangedEvent,
    CloseEvent,
    ErrorEvent,
    UserInputTranscribedEvent,
    UserStateChangedEvent,
)

from hrlab.agent.acknowledgements import Acknowledgements
from hrlab.agent.messages import MessageSender
from hrlab.agent.observability import AgentMetrics
from hrlab.agent.options import InterviewOptions
from hrlab.agent.read_ahead import ReadAhead
from hrlab.agent.recorder import DatabaseRecorder
from hrlab.domain.plan import Finished, Ignored, InterviewMachine, NeedQuestion, Say, Step
from hrlab.domain.prompting import QUESTION_MAX_TOKENS, QUESTION_STOP, render_question_prompt
from hrlab.domain.protocol import AiSpeakingEnd, AiSpeakingStart, ServerMessage
from hrlab.providers.completion import TextCompleter
from hrlab.store.interviews import TurnRecord

log = logging.getLogger(__name__)


@dataclass
class SpokenLine:
    """One Say handed to the session, with its timings (epoch seconds)."""

    say: Say
    handle: SpeechHandle
    requested_at: float
    llm_ms: float | None = None
    first_audio_at: float | None = None
    ended_at: float | None = None
    interrupted: bool = False

    @property
    def tts_ms(self) -> float | None:
        if self.first_audio_at is None:
            return None
        return max(0.0, (self.first_audio_at - self.requested_at) * 1000.0)


@dataclass
class InterviewResult:
    """What an interview produced."""

    end_reason: str
    transcript: str
    status: str | None
    spoken: list[SpokenLine] = field(default_factory=list)
    answers: list[TurnRecord] = field(default_factory=list)


class Conductor:
    """Glue between the interview machine and one AgentSession; see the module docstring."""

    def __init__(
        self, *, machine: InterviewMachine, completer: TextCompleter | None, sender: MessageSender,
        options: InterviewOptions | None = None, recorder: DatabaseRecorder | None = None,
        metrics: AgentMetrics | None = None, clock: Callable[[], float] = time.time,
        log_extra: dict[str, Any] | None = None, acknowledgements: Acknowledgements | None = None,
    ) -> None:
        self.machine = machine
        self.completer = completer
        self.sender = sender
        self.options = options or InterviewOptions()
        self.recorder = recorder
        self.metrics = metrics
        self.clock = clock
        self.extra = dict(log_extra or {})
        self.acknowledgements = acknowledgements
        self.acknowledged: list[str] = []  # the acknowledgements said, in order
        self._acked = False  # one acknowledgement per question
        self._ack: SpeechHandle | None = None  # the latest acknowledgement
        self._ack_on_air = False
        self.spoken: list[SpokenLine] = []
        self.answers: list[TurnRecord] = []
        self.answer_reports: list[dict] = []  # the session's metrics report of each answer, aligned with `answers`
        self.done: asyncio.Future[InterviewResult] = asyncio.get_event_loop().create_future()
        self._session: AgentSession | None = None
        self._latest: SpokenLine | None = None
        self._speak_lock = asyncio.Lock()
        self._outbox: asyncio.Queue[tuple[ServerMessage, asyncio.Future[None]]] = asyncio.Queue()
        self._tasks: set[asyncio.Task[Any]] = set()
        self._sender_task: asyncio.Task[Any] | None = None
        self._ready = asyncio.Event()  # set once the session runs: lines wait for it
        self._timers: dict[str, asyncio.TimerHandle] = {}
        self._finishing = False
        self._errored = False
        self._speaking = False
        # An instruct model's prompt is read while the candidate speaks (read_ahead.py); a base model's
        # few-shot prompt keeps only the last turns, so there is nothing stable to read ahead.
        self._chat = bool(completer is not None and completer.instruct)
        self._read_ahead = (ReadAhead(completer, question=self._complete_question,
                                      timeout=self.options.llm_timeout * 3, log_extra=self.extra)
                            if self._chat else None)
        self._heard: list[str] = []  # the final transcripts of the turn in progress, not yet committed
        # Utterances the VAD heard and final transcripts the STT sent: the STT transcribes utterances in order, one
        # final each, so fewer finals than utterances means words still to come (or none: see _candidate_done).
        self._utterances = 0
        self._transcribed = 0
        self._question_call: asyncio.Future | None = None  # the question LLM call in flight
        self._waiting: Say | None = None  # the line waiting for the candidate's pause; None once void or said
        self._out_of_time = False  # the time budget ran out: a closing waits for no pause
        self._quiet_since: float | None = 0.0  # loop time the VAD last heard the candidate stop; None: speaking

    # --- wiring --------------------------------------------------------------------------------

    def bind(self, session: AgentSession) -> None:
        """Listen to the session's state changes; call before `session.start`."""
        self._session = session
        session.on("agent_state_changed", self._on_agent_state)
        session.on("user_state_changed", self._on_user_state)
        session.on("user_input_transcribed", self._on_transcribed)
        session.on("error", self._on_error)
        session.on("close", self._on_close)

    def session_started(self) -> None:
        """The session is running (call after `session.start`); lines asked for earlier are spoken now."""
        self._ready.set()

    def _spawn(self, coro, name: str) -> asyncio.Task[Any]:
        task = asyncio.get_event_loop().create_task(coro, name=f"conductor.{name}")
        self._tasks.add(task)
        task.add_done_callback(self._task_done)
        return task

    def _task_done(self, task: asyncio.Task[Any]) -> None:
        self._tasks.discard(task)
        if not task.cancelled() and task.exception() is not None:
            log.error("interview task %s failed", task.get_name(), exc_info=task.exception(), extra=self.extra)
            if not self._finishing and not self._errored:
                self._errored = True  # one apology; a second failure while closing is only logged
                self._spawn(self._apply(self.machine.error(now=self.clock())), "error")

    def _run(self, step: Step, name: str) -> None:
        self._spawn(self._apply(step), name)

    @property
    def latest_line(self) -> SpokenLine | None:
        """The line the conductor asked the session to say last."""
        return self._latest

    # --- events in -----------------------------------------------------------------------------

    async def start(self) -> None:
        """Begin the interview (the page's start_interview, or the start wait ran out)."""
        await self._apply(self.machine.start(now=self.clock()))

    def on_payload(self, payload: bytes, topic: str | None = None) -> None:
        """A data message from the page, any topic; malformed ones are logged and ignored."""
        step = self.machine.on_payload(payload, now=self.clock())
        if isinstance(step, Ignored):
            log.info("data message ignored: %s", step.reason, extra={**self.extra, "topic": topic})
            return
        self._run(step, "payload")

    def on_answer(self, text: str, *, report: dict | None = None) -> None:
        """A final transcript of the candidate's turn (with the session's per-turn metrics report)."""
        report = report or {}
        now = self.clock()
        self._heard.clear()
        begun = report.get("started_speaking_at")
        stt = report.get("transcription_delay")
        record = TurnRecord("candidate", " ".join(text.split()), started_at=begun or now,
                            ended_at=report.get("stopped_speaking_at") or now,
                            stt_ms=None if stt is None else stt * 1000.0)
        if self.metrics:
            self.metrics.observe_stage("stt", stt)
            self.metrics.observe_stage("end_of_turn", report.get("end_of_turn_delay"))
        log.info("candidate answered (%d chars, stt %s s, end of turn %s s)", len(record.text), _secs(stt),
                 _secs(report.get("end_of_turn_delay")),
                 extra={**self.extra, "chars": len(record.text), "stt_s": stt,
                        "end_of_turn_s": report.get("end_of_turn_delay")})
        went_on = self._line_in_preparation()
        active = went_on or self.machine.state in ("opening", "asking", "listening")
        step = self.machine.candidate_answered(text, now=now, started_at=begun)
        if record.text and active:
            self.answers.append(record)
            self.answer_reports.append(report)
            self._record(record)
        if went_on and not isinstance(step, Ignored):
            self._withdraw()
        if isinstance(step, Ignored) and self.machine.pending is None:
            log.debug("answer: %s", step.reason, extra=self.extra)
            return
        if not isinstance(step, Ignored):
            self._run(step, "answer")

    def candidate_left(self) -> None:
        """The candidate's participant left: end the interview unless they return within the grace period."""
        if self._finishing:
            return
        self._set_timer("disconnect", self.options.disconnect_grace, self._disconnected)

    def candidate_returned(self) -> None:
        """The candidate rejoined within the grace period."""
        self._cancel_timer("disconnect")

    def _disconnected(self) -> None:
        log.info("candidate did not come back within %.0f s", self.options.disconnect_grace, extra=self.extra)
        self._run(self.machine.disconnected(now=self.clock()), "disconnected")

    def _time_up(self) -> None:
        self._out_of_time = True
        self._run(self.machine.time_up(now=self.clock()), "time_up")

    def _set_timer(self, name: str, delay: float, callback: Callable[[], None]) -> None:
        self._cancel_timer(name)
        self._timers[name] = asyncio.get_event_loop().call_later(max(0.0, delay), callback)

    def _cancel_timer(self, name: str) -> None:
        handle = self._timers.pop(name, None)
        if handle is not None:
            handle.cancel()

    # --- session events ------------------------------------------------------------------------

    def acknowledging(self) -> bool:
        """True while the speech playing is an acknowledgement, not an interview line."""
        session = self._session
        return session is not None and self._ack is not None and session.current_speech is self._ack

    def _on_agent_state(self, ev: AgentStateChangedEvent) -> None:
        # An acknowledgement asks for nothing, so the page gets no ai_speaking_start/end for it (README).
        if ev.new_state == "speaking" and not self._speaking and self.acknowledging():
            self._ack_on_air = True
        elif ev.old_state == "speaking" and ev.new_state != "speaking" and self._ack_on_air:
            self._ack_on_air = False
        elif ev.new_state == "speaking" and not self._speaking:
            self._speaking = True
            self._mark_first_audio(ev.created_at)
            self._send(AiSpeakingStart())
        elif ev.old_state == "speaking" and ev.new_state != "speaking" and self._speaking:
            self._speaking = False
            self._send(AiSpeakingEnd())

    def _mark_first_audio(self, at: float) -> None:
        current = self._session.current_speech if self._session else None
        for line in reversed(self.spoken):
            if line.first_audio_at is None and (current is None or line.handle is current):
                line.first_audio_at = at
                if self.metrics:
                    self.metrics.observe_stage("tts_first_audio", (line.tts_ms or 0) / 1000.0)
                return

    def _on_user_state(self, ev: UserStateChangedEvent) -> None:
        if ev.new_state == "speaking":
            self._quiet_since = None
            self._utterances += 1
            if self._read_ahead is not None:
                self._read_ahead.abandon()  # the candidate goes on: the draft would answer half an answer
        elif ev.old_state == "speaking":
            self._quiet_since = asyncio.get_event_loop().time()
        if ev.old_state == "speaking" and ev.new_state == "listening" and self.acknowledgements is not None:
            self._spawn(self._acknowledge(), "acknowledge")
        if ev.new_state != "away":
            return
        if self._session is not None:
            self._session.reset_away_timer()  # the state goes back to listening, so the next silence counts too
        step = self.machine.candidate_silent(now=self.clock())
        if not isinstance(step, Ignored):
            log.info("candidate silent for %.1f s", self.options.silence_timeout, extra=self.extra)
            self._run(step, "silence")

    def _on_transcribed(self, ev: UserInputTranscribedEvent) -> None:
        words = ev.transcript.strip()
        if not words:
            return
        if ev.is_final:
            self._heard.append(words)
            self._transcribed += 1
            if self._line_in_preparation():
                self._stop_question_call()  # the turn goes on: its question is asked again, for all of it
        if self._read_ahead is None:
            return
        if not ev.is_final:  # the phrases of an utterance so far (phrase_stt.py): read them, draft nothing yet
            if not self._llm_busy():
                self._read_ahead.read(self.machine.chat_prefix(" ".join([*self._heard, words])))
            return
        if self._llm_busy():
            return  # the question will be a fallback: reading or drafting would only lengthen the model's queue
        answer = " ".join(self._heard)
        quiet = self._session is None or self._session.user_state != "speaking"
        prompt = self.machine.draft_question_prompt(answer, now=self.clock()) if quiet else None
        if prompt is not None:  # the turn may be over: write the question the machine would ask for it
            self._read_ahead.draft(prompt)
        else:
            self._read_ahead.read(self.machine.chat_prefix(answer))

    def _on_error(self, ev: ErrorEvent) -> None:
        source = type(ev.source).__name__
        log.warning("pipeline error from %s: %s", source, ev.error, extra=self.extra)
        if self.metrics:
            self.metrics.errors.labels(source=source).inc()

    def _on_close(self, ev: CloseEvent) -> None:
        if self._finishing:
            return
        log.warning("session closed before the interview finished (%s)", ev.reason, extra=self.extra)
        self._run(self.machine.error(now=self.clock(), can_speak=False), "closed")

    async def _acknowledge(self) -> None:
        """The candidate stopped speaking: once they have stayed quiet `acknowledge_after` seconds more,
        say "Mm-hm." while STT and the LLM prepare the next line, or while a line ready already waits out
        its longer pause (`line_after`), unless a line was said meanwhile (acknowledgements.py says why).
        Timed from the silence, not from the STT's commit: a long last segment kept Whisper busy 2.4-3.5 s."""
        line_before = self._latest
        await asyncio.sleep(self.options.acknowledge_after)
        if (self.acknowledgements is None or self._acked or self._finishing or self._session is None
                or self._latest is not line_before
                or self.machine.state not in ("listening", "asking")):
            return
        session = self._session
        if session.user_state == "speaking" or session.current_speech is not None:
            return  # the candidate went on, or a line is already playing
        self._acked = True
        text, audio = self.acknowledgements.take()
        try:
            self._ack = session.say(text, **({} if audio is None else {"audio": audio}), allow_interruptions=True,
                                    add_to_chat_ctx=False)
        except RuntimeError as exc:  # the session is closing
            log.debug("no acknowledgement: %s", exc, extra=self.extra)
            return
        self.acknowledged.append(text)
        log.info("acknowledged the answer (%s)", text, extra=self.extra)

    # --- steps ---------------------------------------------------------------------------------

    async def _apply(self, step: Step) -> None:
        llm_ms = None
        while isinstance(step, NeedQuestion):
            step, llm_ms = await self._ask_llm(step)
        if isinstance(step, Say):
            await self._say(step, llm_ms=llm_ms)
        elif isinstance(step, Finished):
            await self._finish(step)
        elif isinstance(step, Ignored):
            log.debug("step ignored: %s", step.reason, extra=self.extra)

    async def _ask_llm(self, request: NeedQuestion) -> tuple[Step, float | None]:
        prompt = self.machine.question_prompt(request, chat=self._chat)
        raw, started, completion = None, time.perf_counter(), None
        draft = self._read_ahead.take(prompt) if self._read_ahead is not None else None
        busy = draft is None and self._llm_busy()
        if busy:
            log.info("question LLM skipped: %d completions in the model already", self.completer.in_flight,
                     extra=self.extra)
        elif draft is None and self._read_ahead is not None:
            await self._read_ahead.settle(timeout=self.options.llm_timeout)
        if self.completer is not None and not busy:
            try:
                call = self._question_call = draft or asyncio.ensure_future(self._complete_question(prompt))
                await asyncio.wait({call}, timeout=self.options.llm_timeout)
                if call.cancelled():  # the candidate went on: `_withdraw` stopped it, the turn is asked again
                    return Ignored("question withdrawn: the candidate went on"), None
                if not call.done():
                    # The fallback is said now; the stopped call leaves llama.cpp at its next token, and the next
                    # read waits for that (read_ahead.py says why).
                    call.cancel()
                    if self._read_ahead is not None:
                        self._read_ahead.wait_for(call)
                    raise asyncio.TimeoutError
                completion = call.result()
                raw = completion.text
                log.debug("completion: %d prompt tokens, %d new, first token after %s s, %.2f s in the model: %r",
                          completion.prompt_tokens, completion.completion_tokens,
                          _secs(completion.first_token_seconds), completion.seconds, raw[:200], extra=self.extra)
            except Exception as exc:  # noqa: BLE001 - a failed proposal becomes a fallback question
                log.warning("question LLM failed: %s", type(exc).__name__ if isinstance(exc, asyncio.TimeoutError)
                            else exc, extra=self.extra)
        seconds = time.perf_counter() - started
        step = self.machine.propose(raw, now=self.clock(), prompt=prompt, request=request)
        if isinstance(step, Ignored):
            return step, None
        source, rejected = getattr(step, "source", type(step).__name__), list(getattr(step, "rejected", ()))
        tokens = (0, 0) if completion is None else (completion.prompt_tokens, completion.cached_tokens)
        log.info("question %s in %.2f s (%s; prompt %d tokens, %d of them cached; rejected %s)", source, seconds,
                 "drafted" if draft is not None else "asked", *tokens, ",".join(rejected) or "nothing",
                 extra={**self.extra, "llm_s": round(seconds, 3), "prompt_tokens": tokens[0],
                        "cached_tokens": tokens[1], "drafted": draft is not None, "source": source,
                        "rejected": rejected})
        if self.metrics:
            self.metrics.observe_stage("llm", seconds)
            if getattr(step, "source", None) == "fallback":
                self.metrics.llm_fallbacks.inc()
        return step, seconds * 1000.0

    def _llm_busy(self) -> bool:
        """The local model holds `llm_busy_limit` calls already: a question would wait past `llm_timeout`.
        Cloud models do not say (no `in_flight`), and are never thought busy."""
        return getattr(self.completer, "in_flight", 0) >= self.options.llm_busy_limit

    def _complete_question(self, prompt: str):
        """The question LLM's call for `prompt` (drafted or asked: the same tokens, stops and temperature)."""
        return self.completer.complete(prompt, max_tokens=QUESTION_MAX_TOKENS, stop=list(QUESTION_STOP),
                                       temperature=self.options.question_temperature)

    async def _say(self, say: Say, *, llm_ms: float | None) -> None:
        # A line made for the candidate's turn (or silence) waits for their pause, and is void if they go on.
        waits = say.kind in ("question", "reprompt") or (self.machine.turn_open and not self._out_of_time)
        if waits:
            self._waiting = say
        await self._ready.wait()
        async with self._speak_lock:
            if waits and not await self._let_the_candidate_pause(say):
                return  # withdrawn: the candidate went on, or a closing came first
            await self._let_acknowledgement_finish()
            if say.kind != "closing" and self.machine.state in ("closing", "completed"):
                return  # superseded by the closing line while this one was prepared
            if waits and self._waiting is not say:
                return  # the candidate went on while the acknowledgement finished
            self._waiting = None
            self.machine.line_started()  # from here on, what the candidate says answers this line
            session = self._require_session()
            if say.kind == "closing" and session.current_speech is not None:
                await self._interrupt(session)
            self._acked = False  # a new line: its answer may be acknowledged again
            message = say.question_message()
            if message is not None:
                await self._send(message)  # the page shows the question before its audio starts
            self._arm_deadline()
            barge_in = self.options.barge_in and say.kind in ("question", "reprompt")
            try:
                handle = session.say(say.text, allow_interruptions=barge_in)
            except RuntimeError as exc:  # the session is closing: nothing can be spoken any more
                log.warning("cannot speak (%s): finishing without audio", exc, extra=self.extra)
                self._run(self.machine.error(now=self.clock(), can_speak=False), "mute")
                return
            line = SpokenLine(say, handle, requested_at=self.clock(), llm_ms=llm_ms)
            self.spoken.append(line)
            self._latest = line
            if self._read_ahead is not None and not self._llm_busy():  # the question is read while it is spoken
                self._read_ahead.read(self.machine.chat_prefix())
            handle.add_done_callback(lambda h, line=line: self._spoken_done(line))

    async def _let_the_candidate_pause(self, say: Say) -> bool:
        """Wait until the candidate has been quiet `line_after` past the VAD's end of speech (2.0 s in all):
        a line ready sooner would land in a thinking pause (drafts made that 2 of 11 pauses, live; at 1.6 s,
        3 of 11 with the STT by phrases). However long they talk on, they are never talked over: the line is
        void if they go on (`_withdraw`), and the time budget still ends the interview. The acknowledgement
        comes first, at its own time. False when the line is not to be said. No wait with acknowledgements
        off, as the turn taking before them (`silence_turns`) had none."""
        loop = asyncio.get_event_loop()
        while self._waiting is say:
            if say.kind != "closing" and self.machine.state in ("closing", "completed"):
                return False
            if say.kind == "closing" and self._out_of_time:
                return True
            if self.acknowledgements is None or self._candidate_done(loop.time()):
                return True
            await asyncio.sleep(0.05)
        return False

    def _candidate_done(self, now: float) -> bool:
        """Quiet `line_after`, and nothing said that the framework has still to commit: a final transcript
        not committed yet (the endpointing delay runs up to 2 s past the VAD's end of speech), or speech the
        STT has not transcribed yet (its delay grew to 2 s under load). Either would commit after the line
        began, as a new answer to it, and the framework would cut the line; live, this happened. Either holds
        the line `transcript_wait` seconds more at most: an utterance the STT finds no words in (a cough) has
        no final and is never committed."""
        since = self._quiet_since
        if since is None or now - since < self.options.line_after:
            return False
        if not self._heard and self._transcribed >= self._utterances:
            return True
        if now - since < self.options.line_after + self.options.transcript_wait:
            return False
        log.info("a line waited %.1f s for words that never came (%d utterances, %d transcripts, %d uncommitted)",
                 self.options.transcript_wait, self._utterances, self._transcribed, len(self._heard),
                 extra=self.extra)
        self._transcribed = self._utterances  # what was not transcribed by now had no words
        return True

    def _line_in_preparation(self) -> bool:
        """A line for the candidate's last turn is prepared or waits to be said: more words of theirs void it.
        (A question can be prepared with the turn closed: an answer given over the opening.)"""
        return self.machine.turn_open or self.machine.pending is not None

    def _withdraw(self) -> None:
        """The candidate went on after the end of their turn was taken: the line prepared for its first part is
        not said, and the question call for it stops (llama.cpp at its next token; the next read waits)."""
        self._waiting = None
        self._stop_question_call()
        log.info("the candidate went on: the line for the first part of the answer is withdrawn", extra=self.extra)

    def _stop_question_call(self) -> None:
        """Stop the question call in flight, if any: its prompt lacks the candidate's latest words. The next
        read or draft waits until llama.cpp has let it go (read_ahead.py says why)."""
        call, self._question_call = self._question_call, None
        if call is not None and not call.done():
            call.cancel()
            if self._read_ahead is not None:
                self._read_ahead.wait_for(call)

    async def _let_acknowledgement_finish(self) -> None:
        """A line waits for an acknowledgement still playing (under a second), so the page gets the
        question message right before the question's own audio, as the protocol promises."""
        ack = self._ack
        if ack is not None and not ack.done():
            try:
                await asyncio.wait_for(ack.wait_for_playout(), 3.0)
            except Exception as exc:  # noqa: BLE001 - the line is said anyway
                log.debug("acknowledgement did not finish: %s", exc, extra=self.extra)

    async def _interrupt(self, session: AgentSession) -> None:
        try:
            await asyncio.wait_for(session.interrupt(force=True), 3.0)
        except Exception as exc:  # noqa: BLE001 - the closing line is said anyway
            log.warning("could not interrupt the current speech: %s", exc, extra=self.extra)

    def _arm_deadline(self) -> None:
        deadline = self.machine.deadline
        if deadline is not None and "deadline" not in self._timers:
            if self.recorder is not None and self.machine.started_at is not None:
                self._spawn(self.recorder.started(at=self.machine.started_at, language=self.machine.plan.language),
                            "started")
            if self.metrics:
                self.metrics.started.inc()
                self.metrics.active.inc()
            self._set_timer("deadline", deadline - self.clock(), self._time_up)
            self._spawn(self._prime_llm(), "prime")

    async def _prime_llm(self) -> None:
        """While the opening plays, have the model read the prompt's fixed part, so the first answer's
        proposal only pays for the new lines (llama.cpp keeps the prefix cached)."""
        if self.completer is None or self._chat:
            return  # an instruct model reads the opening as it is said (_say)
        machine = self.machine  # no dialogue: the few-shot examples and the resume line are the shared prefix
        prompt = render_question_prompt(machine.prompts, facts=machine.plan.facts, topic=machine.topic, recent=(),
                                        follow_up=True)
        try:
            await asyncio.wait_for(self.completer.complete(prompt, max_tokens=1, temperature=0.0),
                                   self.options.llm_timeout * 3)
        except Exception as exc:  # noqa: BLE001 - priming is only an optimisation
            log.debug("priming the LLM failed: %s", exc, extra=self.extra)

    def _spoken_done(self, line: SpokenLine) -> None:
        if self.acknowledgements is not None and len(self.spoken) == 1 and self._session is not None:
            # after the opening, not beside it: the voice is free while the candidate gives the first answer
            self._spawn(self.acknowledgements.prepare(self._session.tts), "acknowledgements")
        line.ended_at = self.clock()
        line.interrupted = line.handle.interrupted
        started = line.first_audio_at or line.requested_at
        self._record(TurnRecord("ai", line.say.text, started_at=started, ended_at=max(line.ended_at, started),
                                llm_ms=line.llm_ms, tts_ms=line.tts_ms, kind=line.say.label))
        if line is not self._latest:
            return  # an older line cut off by a newer one; the machine only tracks the latest
        self._run(self.machine.finished_speaking(now=line.ended_at), "spoken")

    def _record(self, record: TurnRecord) -> None:
        if self.recorder is not None:
            self._spawn(self.recorder.turn(record), "record")

    # --- messages out --------------------------------------------------------------------------

    def _send(self, message: ServerMessage) -> asyncio.Future[None]:
        sent: asyncio.Future[None] = asyncio.get_event_loop().create_future()
        if self._sender_task is None:
            self._sender_task = self._spawn(self._send_loop(), "outbox")
        self._outbox.put_nowait((message, sent))
        return sent

    async def _send_loop(self) -> None:
        while True:  # one at a time, so the page sees messages in the order they were made
            message, sent = await self._outbox.get()
            try:
                await self.sender.send(message)
            finally:
                if not sent.done():
                    sent.set_result(None)

    # --- the end -------------------------------------------------------------------------------

    async def _finish(self, step: Finished) -> None:
        if self._finishing:
            return
        self._finishing = True
        for name in list(self._timers):
            self._cancel_timer(name)
        # The transcript and the queued assessment are committed before anything that can be cancelled.
        transcript = self.machine.transcript.render(language=self.machine.plan.language)
        status = None
        if self.recorder is not None:
            await asyncio.gather(*[t for t in self._tasks if t.get_name() == "conductor.record"])
            status = await self.recorder.finished(end_reason=step.reason, transcript=transcript,
                                                  completed_at=self.clock())
        await self._send(step.message())
        self._observe_end(step)
        result = InterviewResult(step.reason, transcript, status, list(self.spoken), list(self.answers))
        if not self.done.done():
            self.done.set_result(result)

    def _observe_end(self, step: Finished) -> None:
        started = self.machine.started_at
        duration = None if started is None else self.clock() - started
        log.info("interview finished: %s after %s s, %d questions", step.reason, _secs(duration),
                 self.machine.question_count,
                 extra={**self.extra, "end_reason": step.reason, "duration_s": duration,
                        "questions": self.machine.question_count})
        if self.metrics:
            self.metrics.finished.labels(end_reason=step.reason).inc()
            if started is not None:
                self.metrics.interview_seconds.observe(duration)
                self.metrics.active.dec()

    async def aclose(self) -> None:
        """Stop timers and background tasks (after `done`, or to abandon the interview)."""
        for name in list(self._timers):
            self._cancel_timer(name)
        tasks = [t for t in self._tasks if not t.done()]
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        if self._read_ahead is not None:
            await self._read_ahead.aclose()

    def _require_session(self) -> AgentSession:
        if self._session is None:
            raise RuntimeError("Conductor.bind(session) must be called before the interview starts")
        return self._session


def _secs(value: float | None) -> str:
    return "?" if value is None else f"{value:.2f}"
