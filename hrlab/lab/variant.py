"""Variant files (`evals/variants/*.toml`): providers, prompt set, plan budget and endpointing."""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import asdict, dataclass, field
from pathlib import Path

from hrlab.domain.plan import Budget
from hrlab.lab.fields import NAME, Fields, LabFileError, read_toml
from hrlab.lab.paths import evals_dir
from hrlab.providers.spec import ProviderError, parse_provider

PROVIDER = re.compile(r"[a-z][a-z0-9_-]*/[A-Za-z0-9][A-Za-z0-9_.:+-]*")
PROMPT_SET = re.compile(r"[a-z0-9][a-z0-9_-]{0,63}")
KINDS = ("stt", "llm", "tts")
LANGUAGES = ("ru", "en")


@dataclass(frozen=True)
class PlanBudget:
    """The interview plan's caps; `to_budget()` gives hrlab.domain.plan.Budget."""

    max_questions: int = 6
    followups_per_topic: int = 1
    max_minutes: float = 10.0

    def to_budget(self) -> Budget:
        return Budget(max_questions=self.max_questions, follow_ups_per_topic=self.followups_per_topic,
                      max_minutes=self.max_minutes, min_questions_before_end=min(3, self.max_questions))


@dataclass(frozen=True)
class Endpointing:
    """When the agent decides the candidate has finished: delays in seconds and VAD settings."""

    min_endpointing_delay: float = 0.5
    max_endpointing_delay: float = 2.0
    vad_threshold: float = 0.5
    vad_min_silence: float = 0.55
    turn_model: str = "smart_turn/v3.2"  # or "silence": the VAD and the minimum delay alone
    acknowledge: bool = True  # "Mm-hm." as soon as a finished answer goes quiet (needs a turn model)
    stt_phrases: bool = True  # the STT hears each phrase as it ends, not each utterance (phrase_stt.py)


@dataclass(frozen=True)
class Variant:
    """One configuration of the interviewer to compare against others."""

    name: str
    file: str
    stt: dict[str, str]
    llm: dict[str, str]
    tts: dict[str, str]
    prompts: str = "default"
    plan: PlanBudget = field(default_factory=PlanBudget)
    endpointing: Endpointing = field(default_factory=Endpointing)
    description: str = ""

    def providers(self, language: str) -> dict[str, str]:
        """The stt/llm/tts provider strings for an interview in `language`."""
        return {"stt": self.stt[language], "llm": self.llm[language], "tts": self.tts[language]}

    def to_dict(self) -> dict:
        """Plain data, without the file path."""
        data = asdict(self)
        data.pop("file")
        return data

    def config_hash(self) -> str:
        """A short hash of everything that changes the variant's behaviour (not its name or text)."""
        data = self.to_dict()
        data.pop("description")
        data.pop("name")
        return config_hash(data)


def config_hash(*parts: object) -> str:
    """16 hex characters of SHA-256 over canonical JSON of `parts`."""
    text = json.dumps(parts, sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=str)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def load_variant(path: str | Path) -> Variant:
    """Read and check one variant file; LabFileError names the file and field."""
    path = Path(path)
    f = Fields(read_toml(path), file=path)
    variant = Variant(
        name=f.string("name", path.stem, pattern=NAME), file=str(path),
        stt=_per_language(f, "stt"), llm=_per_language(f, "llm"), tts=_per_language(f, "tts"),
        prompts=f.string("prompts", "default", pattern=PROMPT_SET), plan=_plan(f.table("plan")),
        endpointing=_endpointing(f.table("endpointing")), description=f.string("description", "") or "",
    )
    f.reject_unknown()
    _check_prompt_set(f, variant.prompts)
    return variant


def variant_path(name: str, *, folder: Path | None = None) -> Path:
    """`evals/variants/<name>.toml`."""
    return (folder or evals_dir() / "variants") / f"{name}.toml"


def _per_language(f: Fields, kind: str) -> dict[str, str]:
    """A provider string for both languages, or a table { en = "...", ru = "..." }."""
    value = f.raw(kind)
    if value is None:
        raise f.error(kind, 'is required: a provider string like "whisper/base" or { en = "...", ru = "..." }')
    if isinstance(value, str):
        one = _known_provider(f, kind, kind, f.string(kind, pattern=PROVIDER))
        return {lang: one for lang in LANGUAGES}
    table = f.table(kind)
    chosen = {lang: _known_provider(table, lang, kind, table.string(lang, required=True, pattern=PROVIDER))
              for lang in LANGUAGES}
    table.reject_unknown()
    return chosen


def _known_provider(f: Fields, key: str, kind: str, text: str) -> str:
    try:
        return str(parse_provider(kind, text))
    except ProviderError as exc:
        raise f.error(key, exc.message) from None


def _plan(f: Fields) -> PlanBudget:
    plan = PlanBudget(
        max_questions=int(f.number("max_questions", 6, low=1, high=50, integer=True)),
        followups_per_topic=int(f.number("followups_per_topic", 1, low=0, high=5, integer=True)),
        max_minutes=float(f.number("max_minutes", 10.0, low=1, high=180)),
    )
    f.reject_unknown()
    return plan


def _endpointing(f: Fields) -> Endpointing:
    low = float(f.number("min_endpointing_delay", 0.5, low=0.0, high=10.0))
    high = float(f.number("max_endpointing_delay", 2.0, low=0.0, high=30.0))
    if high < low:
        raise f.error("max_endpointing_delay", f"must be >= min_endpointing_delay ({low:g}), got {high:g}")
    ep = Endpointing(min_endpointing_delay=low, max_endpointing_delay=high,
                     vad_threshold=float(f.number("vad_threshold", 0.5, low=0.05, high=0.95)),
                     vad_min_silence=float(f.number("vad_min_silence", 0.55, low=0.05, high=5.0)),
                     turn_model=_known_provider(f, "turn_model", "turn", f.string("turn_model", "smart_turn/v3.2")
                                                or ""),
                     acknowledge=f.boolean("acknowledge", True),
                     stt_phrases=f.boolean("stt_phrases", True))
    f.reject_unknown()
    return ep


def _check_prompt_set(f: Fields, name: str) -> None:
    from hrlab.prompts import available_variants

    known = available_variants()
    if name not in known:
        raise LabFileError(f.file, "prompts", f"no prompt set {name!r}; shipped: {', '.join(known) or 'none'}")
