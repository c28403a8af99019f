"""Scenario files (`scenarios/*.toml`): a resume, a language and the simulated candidate's turns.

See scenarios/README.md for the format. Every turn waits for the AI to finish speaking, waits
`delay_ms`, then acts: `answer` (a WAV with its reference, or text to synthesise, optionally with
thinking pauses and a barge-in), `silence`, `end_interview`, or `drop` (and maybe rejoin).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, replace
from pathlib import Path
from typing import Literal

from hrlab.domain.resume import ParsedResume, extract_resume
from hrlab.errors import HrlabError
from hrlab.lab.fields import NAME, Fields, LabFileError, read_toml
from hrlab.lab.paths import resolve_repo_path, scenarios_dir

Action = Literal["answer", "silence", "end_interview", "drop"]
ACTIONS: tuple[Action, ...] = ("answer", "silence", "end_interview", "drop")
LANGUAGES = ("ru", "en")
RESUME_SUFFIXES = (".md", ".txt", ".json", ".pdf", ".markdown")
DEFAULT_DELAY_MS = 400
DEFAULT_SILENCE_MS = 12_000
MAX_MS = 600_000
# What a turn may expect of the AI's reaction to it (metrics/behaviour.py scores each): key -> what it holds.
EXPECTATIONS = {
    "end_within_ai_turns": "an integer 1..5: the AI closes (end reason candidate_ended) within this many lines",
    "probe_after_terse": "true: the next AI line is a follow-up question on this answer",
    "redirect_after_offtopic": "true: the next AI line redirects to the topic",
    "reask_after_nonanswer": "true: the next AI line re-asks the question",
}
MAX_END_WITHIN = 5


@dataclass(frozen=True)
class ThinkingPause:
    """Silence inserted into an answer at `at_ms` of its own audio, lasting `duration_ms`."""

    at_ms: int
    duration_ms: int


@dataclass(frozen=True)
class CandidateTurn:
    """One thing the simulated candidate does after the AI stops speaking."""

    index: int
    action: Action = "answer"
    audio: str | None = None
    text: str | None = None
    reference: str | None = None
    delay_ms: int = DEFAULT_DELAY_MS
    pauses: tuple[ThinkingPause, ...] = ()
    barge_in_after_ms: int | None = None
    silence_ms: int = DEFAULT_SILENCE_MS
    rejoin_after_ms: int | None = None
    expect: tuple[tuple[str, int | bool], ...] = ()  # (key, value) from EXPECTATIONS, in file order

    @property
    def reference_text(self) -> str | None:
        """What the candidate says: the recorded clip's reference, or the synthesised text."""
        return self.reference if self.audio else self.text

    def audio_path(self, *, root: Path | None = None) -> Path | None:
        """The recorded clip, resolved against the repo root."""
        return resolve_repo_path(self.audio, root=root) if self.audio else None


@dataclass(frozen=True)
class ResumeSource:
    """A resume file (relative to the repo root) or inline resume text."""

    path: str | None = None
    text: str | None = None

    def load(self, *, language: str, root: Path | None = None) -> ParsedResume:
        """Parse the resume; a file path goes through hrlab's resume reader."""
        if self.path is not None:
            from hrlab.resume_files import read_resume_file  # resume readers pull in PDF support

            return read_resume_file(resolve_repo_path(self.path, root=root))
        return extract_resume(self.text or "", language=language)


@dataclass(frozen=True)
class Scenario:
    """A simulated candidate: resume, language, turns."""

    name: str
    file: str
    language: str
    resume: ResumeSource
    turns: tuple[CandidateTurn, ...]
    description: str = ""
    tags: tuple[str, ...] = ()
    timeout_s: float = 300.0

    def parsed_resume(self, *, root: Path | None = None) -> ParsedResume:
        """The scenario's resume, parsed; a bad resume is a LabFileError naming the field."""
        try:
            return self.resume.load(language=self.language, root=root)
        except HrlabError as exc:
            raise LabFileError(self.file, "resume", exc.message) from None

    def to_dict(self) -> dict:
        """A plain-data form (for config hashes and logs)."""
        return asdict(self)


def load_scenario(path: str | Path, *, check_files: bool = True, root: Path | None = None) -> Scenario:
    """Read and check one scenario file; `check_files` also requires every WAV and resume to exist."""
    path = Path(path)
    fields = Fields(read_toml(path), file=path)
    name = fields.string("name", path.stem, pattern=NAME)
    language = fields.string("language", required=True, choices=LANGUAGES)
    resume = _resume(fields, check_files=check_files, root=root)
    turn_tables = fields.tables("turns", required=True)
    if not turn_tables:
        raise fields.error("turns", "needs at least one turn")
    turns = tuple(_turn(i, table, check_files=check_files, root=root) for i, table in enumerate(turn_tables))
    scenario = Scenario(
        name=name, file=str(path), language=language, resume=resume, turns=turns,
        description=fields.string("description", "") or "",
        tags=tuple(fields.string_list("tags")),
        timeout_s=float(fields.number("timeout_s", 300.0, low=5, high=3600)),
    )
    fields.reject_unknown()
    return scenario


def load_scenarios(names: list[str] | None = None, *, folder: Path | None = None,
                   check_files: bool = True) -> list[Scenario]:
    """Load scenarios by name (or glob) from `folder` (default `scenarios/`); all of them if no names."""
    folder = folder or scenarios_dir()
    patterns = names or ["*"]
    found: dict[str, Path] = {}
    for pattern in patterns:
        matches = sorted(folder.glob(f"{pattern}.toml"))
        if not matches:
            raise LabFileError(folder, "scenarios", f"no scenario file matches {pattern!r}")
        for match in matches:
            found.setdefault(match.stem, match)
    return [load_scenario(p, check_files=check_files) for p in found.values()]


def _resume(fields: Fields, *, check_files: bool, root: Path | None) -> ResumeSource:
    value = fields.raw("resume")
    if value is None:
        raise fields.error("resume", "is required: a path like hrlab/samples/resume_en.md or { text = \"...\" }")
    if isinstance(value, str):
        path = fields.string("resume")
        if not path.lower().endswith(RESUME_SUFFIXES):
            raise fields.error("resume", f"file must end with one of {', '.join(RESUME_SUFFIXES)}, got {path!r}")
        if check_files and not resolve_repo_path(path, root=root).is_file():
            raise fields.error("resume", f"file not found: {path} (paths are relative to the repo root)")
        return ResumeSource(path=path)
    table = fields.table("resume")
    text = table.string("text", required=True)
    table.reject_unknown()
    return ResumeSource(text=text)


def _turn(index: int, f: Fields, *, check_files: bool, root: Path | None) -> CandidateTurn:
    action = f.string("action", "answer", choices=ACTIONS)
    turn = CandidateTurn(
        index=index, action=action,
        delay_ms=int(f.number("delay_ms", DEFAULT_DELAY_MS, low=0, high=MAX_MS, integer=True)),
    )
    if action == "answer":
        turn = _answer(turn, f, check_files=check_files, root=root)
    elif action == "silence":
        turn = replace(turn, silence_ms=int(f.number("silence_ms", DEFAULT_SILENCE_MS, low=100, high=MAX_MS,
                                                      integer=True)))
    elif action == "drop":
        rejoin = f.number("rejoin_after_ms", None, low=0, high=MAX_MS, integer=True)
        turn = replace(turn, rejoin_after_ms=None if rejoin is None else int(rejoin))
    if f.has("expect"):
        if action != "answer":
            raise f.error("expect", f"only goes with action = \"answer\" (what the AI does after speech), "
                                    f"not {action!r}")
        turn = replace(turn, expect=_expectations(f.table("expect")))
    f.reject_unknown()
    return turn


def _expectations(f: Fields) -> tuple[tuple[str, int | bool], ...]:
    """A turn's `expect = { ... }`: known keys only, each of the right type; at least one."""
    for key in f.data:
        if key not in EXPECTATIONS:
            known = "; ".join(f"{name} ({meaning})" for name, meaning in EXPECTATIONS.items())
            raise f.error(key, f"unknown expectation; known: {known}")
    if not f.data:
        raise LabFileError(f.file, f.prefix, "needs at least one expectation: " + ", ".join(EXPECTATIONS))
    out: list[tuple[str, int | bool]] = []
    for key in f.data:
        if key == "end_within_ai_turns":
            out.append((key, int(f.number(key, low=1, high=MAX_END_WITHIN, integer=True))))
        else:
            out.append((key, f.boolean(key)))
    return tuple(out)


def _answer(turn: CandidateTurn, f: Fields, *, check_files: bool, root: Path | None) -> CandidateTurn:
    audio, text = f.string("audio"), f.string("text")
    if (audio is None) == (text is None):
        raise f.error("audio", "an answer needs exactly one of `audio` (a WAV path) or `text` (to synthesise)")
    reference = f.string("reference")
    if audio is not None:
        if not audio.lower().endswith(".wav"):
            raise f.error("audio", f"must be a .wav file, got {audio!r}")
        if reference is None:
            raise f.error("reference", "is required with `audio`: the clip's exact transcript")
        if check_files and not resolve_repo_path(audio, root=root).is_file():
            raise f.error("audio", f"file not found: {audio} (paths are relative to the repo root)")
    elif reference is not None:
        raise f.error("reference", "only goes with `audio`; a `text` answer is its own reference")
    barge = f.number("barge_in_after_ms", None, low=0, high=MAX_MS, integer=True)
    return replace(turn, audio=audio, text=text, reference=reference, pauses=_pauses(f),
                    barge_in_after_ms=None if barge is None else int(barge))


def _pauses(f: Fields) -> tuple[ThinkingPause, ...]:
    pauses = []
    for table in f.tables("pauses"):
        at = int(table.number("at_ms", required=True, low=0, high=MAX_MS, integer=True))
        duration = int(table.number("duration_ms", required=True, low=1, high=MAX_MS, integer=True))
        table.reject_unknown()
        if pauses and at <= pauses[-1].at_ms:
            raise table.error("at_ms", f"pauses must be in increasing order of at_ms ({at} after {pauses[-1].at_ms})")
        pauses.append(ThinkingPause(at_ms=at, duration_ms=duration))
    return tuple(pauses)
