"""Prompt sets (the interviewer's words and LLM prompts for one variant and language) and rendering."""

from __future__ import annotations

import re
from dataclasses import dataclass
from types import MappingProxyType
from typing import Iterable, Mapping, Sequence

from hrlab.domain.language import Language, check_language
from hrlab.domain.topics import InterviewFacts, Topic, facts_line
from hrlab.domain.transcript import Turn
from hrlab.errors import ConfigError

_PLACEHOLDER = re.compile(r"\{([a-z_]+)\}")
MAX_ANSWER_WORDS_IN_PROMPT = 60
# An instruct model reads the whole dialogue, each answer cut after this many words: cut at its start, an
# answer's line stays the same as it grows, so the prompt read while the candidate spoke stays a prefix.
MAX_ANSWER_WORDS_IN_CHAT = 150
# How to call the completion model with the question prompt: one line, a spoken question's length.
QUESTION_STOP = ("\n",)
QUESTION_MAX_TOKENS = 48

# section -> key -> the placeholders the text must contain (and the only ones it may contain).
SCHEMA: dict[str, dict[str, frozenset[str]]] = {
    # question: above an assessed passage, the question its answer was given to
    "labels": {"ai": frozenset(), "candidate": frozenset(), "no_answer": frozenset(), "question": frozenset()},
    "lines": {
        "disclosure": frozenset(),
        "greeting": frozenset(),
        "greeting_named": frozenset({"name"}),
        "first_question": frozenset(),
        "first_question_role": frozenset({"role"}),
        "reprompt": frozenset({"question"}),
        "move_on": frozenset(),
        "repeat": frozenset({"question"}),
        "reask": frozenset({"question"}),
        "redirect": frozenset({"topic", "question"}),
        "defer": frozenset({"question"}),
        "pause": frozenset({"question"}),
        "probe_terse": frozenset({"answer"}),
        "probe_terse_topic": frozenset({"topic"}),
        "probe_weakness": frozenset({"said"}),
    },
    "closing": {
        "completed": frozenset(),
        "question_limit": frozenset(),
        "time_limit": frozenset(),
        "candidate_ended": frozenset(),
        "error": frozenset(),
    },
    # said the moment a finished answer goes quiet, while the next question is prepared (agent/acknowledgements.py)
    "acknowledgements": {"one": frozenset(), "two": frozenset(), "three": frozenset(), "four": frozenset()},
    "topics": {
        "background": frozenset(), "challenge": frozenset(), "teamwork": frozenset(),
        "motivation": frozenset(), "role": frozenset({"subject"}), "skill": frozenset({"subject"}),
        "project": frozenset({"subject"}), "follow_up": frozenset({"topic"}), "new_topic": frozenset({"topic"}),
        # an instruct model's follow-up: about what the candidate just said, which may have left the topic
        "chat_follow_up": frozenset(),
    },
    "prompts": {
        "question": frozenset({"resume", "topic", "dialogue"}),
        # the same for an instruct model (Qwen, OpenAI): an instruction over the whole dialogue, the topic last
        "question_chat": frozenset({"resume", "topic", "dialogue"}),
        # the assessment of a finished interview (agent/assessor.py): a resume skill on its rubric; each
        # answer specific or vague (communication); which answer tells of a problem, then its score, shown
        # with the question it answered where that is known (a short answer means little without it)
        "assessment_skill": frozenset({"competency", "rubric", "passages"}),
        "assessment_clarity": frozenset({"passages"}),
        "assessment_problem_pick": frozenset({"passages"}),
        "assessment_problem": frozenset({"rubric", "passages"}),
        "assessment_problem_question": frozenset({"rubric", "question", "passages"}),
    },
    # the assessment's score scales, one per kind of competency (domain/assessment.py rubric_kind):
    # lines "N = what a score of N means", 1 to 5
    "rubrics": {"skill": frozenset(), "communication": frozenset(), "problem_solving": frozenset()},
}


def placeholders(template: str) -> set[str]:
    """The `{name}` placeholders in a template (JSON braces like `{"a": 1}` are not placeholders)."""
    return set(_PLACEHOLDER.findall(template))


def fill(template: str, **values: str) -> str:
    """Replace `{name}` placeholders; raise ValueError naming any placeholder left without a value."""
    missing = placeholders(template) - set(values)
    if missing:
        raise ValueError(f"no value for placeholder(s) {', '.join(sorted(missing))}")
    return _PLACEHOLDER.sub(lambda match: str(values[match.group(1)]), template)


@dataclass(frozen=True)
class PromptSet:
    """Every text of one prompt variant in one language, checked against SCHEMA."""

    variant: str
    language: Language
    sections: Mapping[str, Mapping[str, str]]

    def text(self, section: str, key: str, **values: str) -> str:
        """One text with its placeholders filled."""
        return fill(self.sections[section][key], **values)

    @property
    def ai_label(self) -> str:
        return self.sections["labels"]["ai"]

    @property
    def candidate_label(self) -> str:
        return self.sections["labels"]["candidate"]


def prompt_set_from_mapping(data: Mapping, *, variant: str, language: str) -> PromptSet:
    """Build a PromptSet from parsed TOML; raise ConfigError listing every missing or bad entry."""
    where = f"prompt set {variant!r} ({language})"
    try:
        lang = check_language(language)
    except ValueError as exc:
        raise ConfigError(f"{where}: {exc}") from None
    problems: list[str] = []
    sections: dict[str, Mapping[str, str]] = {}
    for section, keys in SCHEMA.items():
        table = data.get(section)
        if not isinstance(table, Mapping):
            problems.append(f"missing table [{section}]")
            continue
        sections[section] = MappingProxyType({k: v for k, v in table.items() if k in keys})
        problems += _check_table(section, table, keys)
    problems += _check_chat_order(sections.get("prompts", {}))
    if problems:
        raise ConfigError(f"{where}: " + "; ".join(problems))
    return PromptSet(variant=variant, language=lang, sections=MappingProxyType(sections))


def _check_table(section: str, table: Mapping, keys: Mapping[str, frozenset[str]]) -> list[str]:
    problems = []
    for key, required in keys.items():
        value = table.get(key)
        if not isinstance(value, str) or not value.strip():
            problems.append(f"[{section}] {key} is missing or empty")
            continue
        found = placeholders(value)
        if required - found:
            problems.append(f"[{section}] {key} lacks placeholder(s) {_braced(required - found)}")
        if found - required:
            problems.append(f"[{section}] {key} has unknown placeholder(s) {_braced(found - required)}")
    return problems


def _check_chat_order(prompts: Mapping[str, str]) -> list[str]:
    text = prompts.get("question_chat")
    if not isinstance(text, str) or placeholders(text) != SCHEMA["prompts"]["question_chat"]:
        return []  # reported by _check_table
    if not text.index("{resume}") < text.index("{dialogue}") < text.index("{topic}"):
        # what precedes {dialogue} is read while the candidate speaks (chat_question_prefix)
        return ["[prompts] question_chat must name {resume}, {dialogue} and {topic} in this order"]
    return []


def _braced(names: Iterable[str]) -> str:
    return ", ".join("{" + name + "}" for name in sorted(names))


def topic_phrase(prompts: PromptSet, topic: Topic) -> str:
    """The topic in words, e.g. `the project Billing` / `проект «Billing»`."""
    if topic.subject:
        return prompts.text("topics", topic.kind, subject=topic.subject)
    return prompts.text("topics", topic.kind)


def dialogue_lines(prompts: PromptSet, turns: Iterable[Turn], *, keep_start: bool = False) -> str:
    """Turns as `Label: text` lines; silence is marked. Long answers keep their last words, or with
    `keep_start` their first (see MAX_ANSWER_WORDS_IN_CHAT)."""
    lines = []
    for turn in turns:
        words = turn.text.split()
        if turn.speaker == "candidate":
            kept = words[:MAX_ANSWER_WORDS_IN_CHAT] if keep_start else words[-MAX_ANSWER_WORDS_IN_PROMPT:]
            text = " ".join(kept) or prompts.sections["labels"]["no_answer"]
            lines.append(f"{prompts.candidate_label}: {text}")
        else:
            lines.append(f"{prompts.ai_label}: {' '.join(words)}")
    return "\n".join(lines)


def render_question_prompt(
    prompts: PromptSet, *, facts: InterviewFacts, topic: Topic, recent: Iterable[Turn], follow_up: bool
) -> str:
    """The few-shot completion prompt whose next line is the interviewer's question."""
    phrase = topic_phrase(prompts, topic)
    topic_line = prompts.text("topics", "follow_up" if follow_up else "new_topic", topic=phrase)
    return prompts.text(
        "prompts", "question", resume=facts_line(facts), topic=topic_line,
        dialogue=dialogue_lines(prompts, recent),
    )


def render_chat_question_prompt(
    prompts: PromptSet, *, facts: InterviewFacts, topic: Topic, dialogue: Sequence[Turn], follow_up: bool
) -> str:
    """The instruction an instruct model answers with the next question: the whole dialogue, then the topic.

    Each turn only appends to it, so llama.cpp's prefix cache keeps what earlier turns read, and
    `chat_question_prefix` can be read while the candidate is still speaking.
    """
    topic_line = (prompts.text("topics", "chat_follow_up") if follow_up
                  else prompts.text("topics", "new_topic", topic=topic_phrase(prompts, topic)))
    return prompts.text("prompts", "question_chat", resume=facts_line(facts), topic=topic_line,
                        dialogue=dialogue_lines(prompts, dialogue, keep_start=True))


def chat_question_prefix(prompts: PromptSet, *, facts: InterviewFacts, dialogue: Sequence[Turn]) -> str:
    """The part of `render_chat_question_prompt` that does not depend on the next topic: up to the last turn."""
    lines = dialogue_lines(prompts, dialogue, keep_start=True)
    template = prompts.sections["prompts"]["question_chat"]
    return fill(template[:template.index("{dialogue}")], resume=facts_line(facts)) + lines


ASSESSMENT_PROMPTS = ("assessment_skill", "assessment_clarity", "assessment_problem_pick", "assessment_problem",
                      "assessment_problem_question")


def render_assessment_prompt(prompts: PromptSet, key: str, *, passages: Sequence[str], competency: str = "",
                             rubric_kind: str | None = None, numbered_text: str | None = None,
                             question: str = "", questions: Sequence[str] = ()) -> str:
    """One assessment prompt (`key` of ASSESSMENT_PROMPTS) over the candidate's numbered passages.

    Each opens with what the interview's other calls share, so llama.cpp's prefix cache covers it (prompt
    reading is most of the time on a CPU): the skill rubric, or all the answers. Only the candidate's
    words are shown, with the interviewer's questions where `numbered_text` (the transcript, each of
    `passages` marked with its number: domain/assessment.py `numbered_transcript`) is given, or `question`,
    the one the passage answered (for "assessment_problem_question"), or `questions`, the one each passage
    answered ("" where not known), on a line above it.
    """
    if questions and len(questions) != len(passages):
        raise ValueError(f"{len(questions)} questions for {len(passages)} passages")
    label = prompts.sections["labels"]["question"]
    listed = "\n".join(
        (f"{label}: {_one_line(asked)}\n" if asked.strip() else "") + f"[{n}] {passage}"
        for n, (passage, asked) in enumerate(zip(passages, questions or [""] * len(passages)), 1))
    values = {"passages": numbered_text or listed}
    if key == "assessment_skill":
        values["competency"] = competency
    if key == "assessment_problem_question":
        values["question"] = _one_line(question)
    if rubric_kind is not None:
        values["rubric"] = rubric_text(prompts, rubric_kind)
    return prompts.text("prompts", key, **values)


def _one_line(text: str) -> str:
    """`text` with its line breaks and runs of spaces made single spaces (a question spoken over two lines)."""
    return " ".join(text.split())


def rubric_text(prompts: PromptSet, kind: str) -> str:
    """The score scale for one kind of competency, as the prompt set writes it."""
    return prompts.sections["rubrics"][kind].strip()


def rubric_anchor(prompts: PromptSet, kind: str, score: int) -> str:
    """What `score` means on the kind's rubric (its "N = ..." line without the number), "" if absent."""
    for line in rubric_text(prompts, kind).splitlines():
        number, _, meaning = line.partition("=")
        if number.strip() == str(score):
            return meaning.strip()
    return ""
