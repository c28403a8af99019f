"""Checks on a question the LLM proposed, and clean-up of its raw completion text."""

from __future__ import annotations

import re
from dataclasses import dataclass
from difflib import SequenceMatcher
from typing import Iterable, Literal, Sequence

from hrlab.domain.language import Language, detect_language
from hrlab.domain.russian_forms import is_dictionary_word

MoveKind = Literal["follow_up", "next_topic", "end"]
MOVE_KINDS: tuple[MoveKind, ...] = ("follow_up", "next_topic", "end")

MAX_QUESTION_CHARS = 300
MIN_QUESTION_WORDS = 3
REPEAT_RATIO = 0.95
REPEAT_JACCARD = 0.75
INFLECTION_RATIO = 0.6
ECHO_RATIO = 0.85
ECHO_RUN_WORDS = 6
ECHO_LONG_RUN_WORDS = 8
GROUNDING_PREFIX = 4  # letters that must match: Python/Python'е, Django/Djangoй

# Labels a completion may start with or run into; the model continuing the dialogue is cut there.
SPEAKER_LABELS = (
    "Interviewer", "Candidate", "AI", "Assistant", "User", "Question", "Answer", "Q", "A",
    "Интервьюер", "Кандидат", "Вопрос", "Ответ", "ИИ",
)
DIALOGUE_LABELS = ("Interviewer", "Candidate", "Интервьюер", "Кандидат")
STOP_MARKERS = ("<end_of_turn>", "<start_of_turn>", "<eos>", "</s>", "<|endoftext|>", "###", "---")
_LABEL_AT_START = re.compile(r"^\s*(?:" + "|".join(map(re.escape, SPEAKER_LABELS)) + r")\s*[:：]\s*", re.I)
_LABEL_INSIDE = re.compile(r"\s(?:" + "|".join(map(re.escape, DIALOGUE_LABELS)) + r")\s*:", re.I)
_MOVE_TAG = re.compile(r"^\s*\[\s*(follow[_ -]?up|next[_ -]?topic|end)\s*\]\s*", re.I)
_TOKEN = re.compile(r"[^\W_]+", re.UNICODE)

_QUESTION_OPENERS = {
    "en": frozenset(
        "what how why when where which who whom whose could can would will do does did have has had"
        " is are was were tell describe explain walk give share please imagine suppose".split()
    ),
    "ru": frozenset(
        "что как почему зачем когда где куда откуда какой какая какое какие каким какую каких кто чем"
        " сколько расскажите опишите объясните приведите поделитесь назовите можете могли могли бы"
        " представьте был была были было ли приходилось пожалуйста".split()
    ),
}
_STOPWORDS = frozenset(
    "a an the and or but of to in on at by for with about as is are was were be been do does did you your"
    " me my we our it its this that what how why when where which who can could would tell please there"
    " и в во на с со о об а но или что как ли вы вас вам ваш ваша ваши вашем вашей мне мы то к у по за из"
    " для же бы не это этот эта эту эти этого этом расскажите пожалуйста"
    # hedges: "Kafka, mostly." shares nothing with "What are the most important things...?"
    " mostly most mainly basically just really usually основном обычно просто честно говоря".split()
)


@dataclass(frozen=True)
class Verdict:
    """The result of checking a proposed question: `reasons` is empty when it passed."""

    text: str
    reasons: tuple[str, ...] = ()

    @property
    def ok(self) -> bool:
        return not self.reasons


@dataclass(frozen=True)
class Move:
    """What the LLM proposes next: follow up on the topic, go to the next topic, or end."""

    kind: MoveKind
    text: str = ""

    def __post_init__(self) -> None:
        if self.kind not in MOVE_KINDS:
            raise ValueError(f"move kind must be one of {', '.join(MOVE_KINDS)}, got {self.kind!r}")


def clean_completion(raw: str, *, max_chars: int = 2 * MAX_QUESTION_CHARS) -> str:
    """Cut a raw completion to one utterance: first line, no stop markers or speaker labels, one question."""
    text = raw.lstrip()
    for marker in STOP_MARKERS:
        text = text.split(marker, 1)[0]
    text = text.split("\n", 1)[0]
    previous = None
    while previous != text:  # labels can repeat ("Interviewer: Q: ...")
        previous = text
        text = _LABEL_AT_START.sub("", text, count=1)
    inside = _LABEL_INSIDE.search(text)
    if inside:
        text = text[: inside.start()]
    text = " ".join(text.split()).strip(" \"'«»“”")
    if "?" in text:
        text = text[: text.index("?") + 1]  # one question at a time
    return text[:max_chars].strip()


def parse_move(raw: str, *, default: MoveKind) -> Move:
    """Read an optional `[follow_up]`/`[next_topic]`/`[end]` tag, then clean the wording."""
    tag = _MOVE_TAG.match(raw)
    kind = default
    if tag:
        word = re.sub(r"[_ -]", "", tag.group(1).lower())
        kind = {"followup": "follow_up", "nexttopic": "next_topic", "end": "end"}[word]  # type: ignore[assignment]
        raw = raw[tag.end():]
    return Move(kind=kind, text=clean_completion(raw))


def tokens(text: str) -> list[str]:
    """Lower-case word tokens, with ё folded to е."""
    return _TOKEN.findall(text.casefold().replace("ё", "е"))


def content_stems(text: str) -> set[str]:
    """Crude stems (6-letter prefixes) of the content words, so inflections still match."""
    return {token[:6] for token in tokens(text) if token not in _STOPWORDS and len(token) > 1}


def is_near_duplicate(first: str, second: str) -> bool:
    """True when two questions ask the same thing: the same content words (inflections allowed),
    or one adds a word at most. Swapping the subject ("... used Python?" / "... used Django?") is a
    new question, not a repeat.
    """
    a, b = " ".join(tokens(first)), " ".join(tokens(second))
    if not a or not b:
        return False
    if SequenceMatcher(None, a, b, autojunk=False).ratio() >= REPEAT_RATIO:
        return True
    stems_a, stems_b = content_stems(first), content_stems(second)
    only_a, only_b = _unpaired(stems_a - stems_b, stems_b - stems_a)
    if only_a and only_b:
        return False  # a real substitution: a different subject or angle
    shared = len(stems_a | stems_b) - len(only_a) - len(only_b)
    extras = len(only_a) + len(only_b)
    return shared > 0 and (extras <= 1 or shared / (shared + extras) >= REPEAT_JACCARD)


def _unpaired(only_a: set[str], only_b: set[str]) -> tuple[set[str], set[str]]:
    """Drop pairs of stems that are inflections of one word (решили/решали), keep the rest."""
    left, right = set(only_a), set(only_b)
    for stem in sorted(only_a):
        match = next((other for other in sorted(right) if _same_word(stem, other)), None)
        if match is not None:
            left.discard(stem)
            right.discard(match)
    return left, right


def _same_word(first: str, second: str) -> bool:
    return first[:3] == second[:3] and SequenceMatcher(None, first, second).ratio() >= INFLECTION_RATIO


def is_repeat(text: str, asked: Iterable[str]) -> bool:
    """True when the text is (nearly) a question already asked."""
    return any(is_near_duplicate(text, earlier) for earlier in asked)


def longest_shared_run(text: str, source: str) -> int:
    """The longest run of consecutive words the two texts share."""
    a, b = tokens(text), tokens(source)
    if not a or not b:
        return 0
    return SequenceMatcher(None, a, b, autojunk=False).find_longest_match(0, len(a), 0, len(b)).size


def is_echo(text: str, sources: Iterable[str]) -> bool:
    """True when the text copies a source: a prompt line or the candidate's own answer."""
    words = len(tokens(text))
    for source in sources:
        if not source.strip():
            continue
        run = longest_shared_run(text, source)
        if run >= ECHO_LONG_RUN_WORDS or (run >= ECHO_RUN_WORDS and run >= 0.6 * words) or (
            words >= 3 and run >= 0.8 * words
        ):
            return True
        if SequenceMatcher(None, " ".join(tokens(text)), " ".join(tokens(source))).ratio() >= ECHO_RATIO:
            return True
    return False


def looks_like_question(text: str, *, language: Language) -> bool:
    """True for a question or a request to tell something (ends with ?, or a sentence opens like one)."""
    if text.rstrip().endswith("?"):
        return True
    openers = _QUESTION_OPENERS[language]
    for sentence in re.split(r"(?<=[.!?;:])\s+", text):
        words = tokens(sentence)
        if words and words[0] in openers:
            return True
    return False


def prompt_lines(prompt: str) -> list[str]:
    """The prompt's lines without speaker labels, as echo sources."""
    lines = []
    for line in prompt.splitlines():
        stripped = _LABEL_AT_START.sub("", line).strip()
        if len(tokens(stripped)) >= 3:
            lines.append(stripped)
    return lines


def mentions(text: str, subject: str) -> bool:
    """True when the text names the subject (any of its words, inflected endings allowed)."""
    words = {token[:GROUNDING_PREFIX] for token in tokens(text)}
    wanted = [token for token in tokens(subject) if len(token) > 1]
    return any(token[:GROUNDING_PREFIX] in words for token in wanted)


def shares_content(text: str, source: str) -> bool:
    """True when the text reuses a content word of the source (a follow-up on what was said)."""
    ours = {token[:GROUNDING_PREFIX] for token in tokens(text) if token not in _STOPWORDS and len(token) > 2}
    theirs = {token[:GROUNDING_PREFIX] for token in tokens(source) if token not in _STOPWORDS and len(token) > 2}
    return bool(ours & theirs)


def is_off_topic(text: str, *, subject: str | None, follow_up: bool, answer: str) -> bool:
    """True when a question about a resume fact neither names it nor (for a follow-up) builds on the answer."""
    if not subject or mentions(text, subject):
        return False
    return not (follow_up and shares_content(text, answer))


_RUSSIAN_WORD = re.compile(r"[а-я]{4,}")  # a token (tokens(): lower case, ё as е) worth looking up


def repeats_misheard_words(text: str, answer: str) -> bool:
    """True when a Russian question repeats a word of the answer that no dictionary has: speech recognition's
    mishearing of a term («нацелы, скохауси» for Greenplum, ClickHouse), which an interviewer must not read
    back. Terms the resume spells (Latin) and dictionary words are fine."""
    heard = {token for token in tokens(answer) if _RUSSIAN_WORD.fullmatch(token)}
    return any(token in heard and not is_dictionary_word(token) for token in tokens(text))


def check_question(
    text: str,
    *,
    language: Language,
    asked: Sequence[str] = (),
    answer: str = "",
    prompt: str = "",
    own_lines: Sequence[str] = (),
    subject: str | None = None,
    follow_up: bool = False,
    max_chars: int = MAX_QUESTION_CHARS,
) -> Verdict:
    """Check a cleaned question; reasons: empty, too_long, too_short, wrong_language, not_a_question,
    echo, repeat, off_topic, misheard (a Russian answer's misrecognised word read back).

    `prompt` lines and the `answer` are echo sources, except `own_lines` (what the interviewer said
    before, which the repeat check covers); `subject` is the resume fact the question must be about.
    """
    text = " ".join(text.split())
    if not text:
        return Verdict(text, ("empty",))
    reasons: list[str] = []
    if len(text) > max_chars:
        reasons.append("too_long")
    if len(tokens(text)) < MIN_QUESTION_WORDS:
        reasons.append("too_short")
    if detect_language(text) != language:
        reasons.append("wrong_language")
    if not looks_like_question(text, language=language):
        reasons.append("not_a_question")
    if is_echo(text, [answer, *_foreign_lines(prompt, own_lines)]) or _LABEL_INSIDE.search(" " + text):
        reasons.append("echo")
    if is_repeat(text, asked):
        reasons.append("repeat")
    if is_off_topic(text, subject=subject, follow_up=follow_up, answer=answer):
        reasons.append("off_topic")
    if language == "ru" and repeats_misheard_words(text, answer):
        reasons.append("misheard")
    return Verdict(text, tuple(reasons))


def _foreign_lines(prompt: str, own_lines: Sequence[str]) -> list[str]:
    own = {" ".join(tokens(line)) for line in own_lines}
    return [line for line in prompt_lines(prompt) if " ".join(tokens(line)) not in own]
