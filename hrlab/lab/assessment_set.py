"""The labelled assessment set (`evals/assessment_set/*.toml`): scripted interviews with a known level
per competency and an expected recommendation, to measure an assessment model on (bench/assessment_quality.py).

One file is one interview: `language`, `resume` (a path from the repo root), `recommendation`, a
`[levels]` table naming every competency the assessment judges (strong, mixed, weak, silent) and
`[[turns]]` of `question` and `answer` ("" is a question left unanswered). Interviews over the same
resume form the rank pairs: on each competency where their levels differ, the stronger should score higher.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from itertools import combinations
from pathlib import Path

from hrlab.domain.assessment import RECOMMENDATIONS, competencies_for, is_generic, passages
from hrlab.domain.resume import ParsedResume
from hrlab.domain.topics import InterviewFacts, facts_from_resume
from hrlab.domain.transcript import Transcript, Turn
from hrlab.lab.fields import LabFileError, read_toml
from hrlab.lab.paths import evals_dir, resolve_repo_path

LEVELS = ("silent", "weak", "mixed", "strong")  # in rising order
SECONDS_PER_TURN = 20.0  # the rendered transcript's clock; the assessment reads only the order


@dataclass(frozen=True)
class RankPair:
    """On `competency`, interview `stronger` showed a higher level than `weaker` (same resume)."""

    competency: str
    stronger: str
    weaker: str


@dataclass(frozen=True)
class LabelledInterview:
    """One scripted interview and its labels."""

    name: str
    file: str
    language: str
    resume: str
    recommendation: str
    levels: dict[str, str]
    turns: tuple[tuple[str, str], ...]  # (question, answer); "" answer: unanswered

    @cached_property
    def parsed_resume(self) -> ParsedResume:
        from hrlab.resume_files import read_resume_file  # resume readers pull in PDF support

        return read_resume_file(resolve_repo_path(self.resume))

    @property
    def facts(self) -> InterviewFacts:
        return facts_from_resume(self.parsed_resume, language=self.language)

    def answers(self) -> tuple[str, ...]:
        """The candidate's non-empty answers, in order (what the assessment may quote)."""
        return tuple(answer for _question, answer in self.turns if answer.strip())

    def questions(self) -> tuple[str, ...]:
        """The question each of `answers()` answered, in the same order."""
        return tuple(question for question, answer in self.turns if answer.strip())

    def transcript_text(self, answers: tuple[str, ...] | None = None) -> str:
        """The transcript as stored after a live interview; `answers` replaces the scripted ones (STT output)."""
        said = iter(answers if answers is not None else self.answers())
        transcript, clock = Transcript(), 0.0
        for question, answer in self.turns:
            lines = [("ai", question)] + ([("candidate", next(said))] if answer.strip() else [])
            for speaker, text in lines:
                transcript.add(Turn(speaker=speaker, text=text, started_at=clock, ended_at=clock + 1.0))
                clock += SECONDS_PER_TURN
        return transcript.render(language=self.language)


def load_interview(path: Path) -> LabelledInterview:
    """Read one labelled interview; a malformed one is a LabFileError naming the file and the field."""
    data = read_toml(path)
    for key in ("language", "resume", "recommendation"):
        if not isinstance(data.get(key), str):
            raise LabFileError(path, key, "is required (a string)")
    if data["recommendation"] not in RECOMMENDATIONS:
        raise LabFileError(path, "recommendation", f"must be one of {', '.join(RECOMMENDATIONS)}")
    levels = data.get("levels")
    if not isinstance(levels, dict) or not all(v in LEVELS for v in levels.values()):
        raise LabFileError(path, "levels", f"must map each competency to one of {', '.join(LEVELS)}")
    turns = data.get("turns")
    if not isinstance(turns, list) or not all(isinstance(t, dict) and isinstance(t.get("question"), str)
                                              and isinstance(t.get("answer"), str) for t in turns):
        raise LabFileError(path, "turns", "must be a list of tables with a question and an answer")
    return LabelledInterview(
        name=path.stem, file=str(path), language=data["language"], resume=data["resume"],
        recommendation=data["recommendation"], levels=dict(levels),
        turns=tuple((t["question"], t["answer"]) for t in turns),
    )


def load_assessment_set(folder: Path | None = None) -> list[LabelledInterview]:
    """Every interview of the set, sorted by name."""
    folder = folder or evals_dir() / "assessment_set"
    return [load_interview(path) for path in sorted(Path(folder).glob("*.toml"))]


def label_problems(interview: LabelledInterview) -> list[str]:
    """Why the labels cannot be right: the levels must name exactly the assessed competencies; a silent
    competency has no passage the assessment could quote (a generic one: no answer at all); any other has one."""
    problems = []
    expected = competencies_for(interview.facts)
    if sorted(interview.levels) != sorted(expected):
        problems.append(f"levels name {sorted(interview.levels)}, the assessment judges {sorted(expected)}")
    answers = interview.answers()
    for competency, level in interview.levels.items():
        if is_generic(competency):
            named = bool(answers)
        else:
            named = bool(passages(competency, answers, questions=interview.questions()))
        if level == "silent" and named:
            problems.append(f"{competency} is labelled silent but an answer gives evidence for it")
        if level != "silent" and not named:
            problems.append(f"{competency} is labelled {level} but no answer names it")
    return problems


def rank_pairs(interviews: list[LabelledInterview]) -> list[RankPair]:
    """Every (competency, stronger, weaker) among interviews over the same resume."""
    pairs = []
    for a, b in combinations(interviews, 2):
        if a.resume != b.resume:
            continue
        for competency in sorted(set(a.levels) & set(b.levels)):
            rank_a, rank_b = LEVELS.index(a.levels[competency]), LEVELS.index(b.levels[competency])
            if rank_a != rank_b:
                stronger, weaker = (a, b) if rank_a > rank_b else (b, a)
                pairs.append(RankPair(competency, stronger.name, weaker.name))
    return pairs
