"""Fixtures for interview flow tests: a resume, a machine, scripted components, one call to run it all."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass

import pytest

from hrlab.agent.components import Components
from hrlab.agent.local_run import LocalRun, run_local_interview
from hrlab.agent.options import InterviewOptions
from hrlab.domain.plan import Budget, InterviewMachine, InterviewPlan
from hrlab.domain.resume import ParsedResume
from hrlab.prompts import load_prompt_set
from tests.agent.fakes import EnergyVAD, FixedTurnModel, ScriptedCompleter, ScriptedSTT, ToneTTS

RESUME_ID = 7
SPEED = 3.0
RESUME = ParsedResume(candidate_name="Anna", language="en", skills=("Python", "Django", "PostgreSQL"),
                      roles=("Backend developer",), years_experience=5.0, raw_text="")


def make_machine(*, budget: Budget | None = None, resume: ParsedResume = RESUME,
                 resume_id: int = RESUME_ID) -> InterviewMachine:
    plan = InterviewPlan.from_resume(resume, budget=budget or Budget(max_questions=3), resume_id=resume_id)
    return InterviewMachine(plan, load_prompt_set("default", resume.language))


@dataclass
class Scripted:
    """The scripted parts of one run, kept for assertions."""

    stt: ScriptedSTT
    tts: ToneTTS
    completer: ScriptedCompleter
    turn: FixedTurnModel | None = None
    phrase_vad: EnergyVAD | None = None

    def components(self) -> Components:
        return Components(stt=self.stt, tts=self.tts, vad=EnergyVAD(), completer=self.completer, turn=self.turn,
                          phrase_vad=self.phrase_vad,
                          providers={"stt": "scripted", "tts": "tone", "vad": "energy", "llm": "scripted"})


async def run_scripted(
    moves: Sequence, *, transcripts: Sequence[str], completions: Sequence = (), budget: Budget | None = None,
    options: InterviewOptions | None = None, recorder=None, machine: InterviewMachine | None = None,
    timeout: float = 40.0, metrics=None, clock=None, seconds_per_word: float = 0.03, turn: FixedTurnModel | None = None,
    instruct: bool = False, completer: ScriptedCompleter | None = None, phrase_vad: EnergyVAD | None = None,
    stt_delay: float = 0.05,
) -> tuple[LocalRun, Scripted]:
    """Run an interview with scripted parts at SPEED x real time (`turn`: an end-of-turn model, else silence;
    `instruct`: the completer is an instruct model's; `phrase_vad`: the STT hears phrases it cuts, and
    `transcripts` are then one per phrase)."""
    scripted = Scripted(ScriptedSTT(transcripts, delay=stt_delay), ToneTTS(seconds_per_word=seconds_per_word),
                        completer or ScriptedCompleter(completions, instruct=instruct), turn, phrase_vad)
    machine = machine or make_machine(budget=budget)
    run = await run_local_interview(
        machine=machine, components=scripted.components(), moves=moves, resume_id=machine.plan.resume_id or 1,
        options=options or InterviewOptions(silence_timeout=2.0, llm_timeout=1.0, assessment_timeout=2.0),
        recorder=recorder, speed=SPEED, timeout=timeout, metrics=metrics, **({"clock": clock} if clock else {}),
    )
    return run, scripted


@pytest.fixture(autouse=True)
def _quiet_livekit():
    logging.getLogger("livekit").setLevel(logging.WARNING)
    yield
