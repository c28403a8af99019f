"""Every metric's name, level, unit and which direction is better, defined once."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Level = Literal["turn", "run"]
Better = Literal["lower", "higher"] | None


@dataclass(frozen=True)
class MetricInfo:
    name: str
    level: Level
    better: Better
    unit: str
    doc: str


METRICS: dict[str, MetricInfo] = {m.name: m for m in (
    MetricInfo("latency_s", "turn", "lower", "s", "end of candidate speech to the first AI audio heard"),
    MetricInfo("time_to_question_s", "turn", "lower", "s",
               "end of candidate speech to the first audio of the next question, re-ask or closing (not an "
               "acknowledgement)"),
    MetricInfo("no_response", "turn", "lower", "0/1", "1 when the AI never spoke after a candidate answer"),
    MetricInfo("stt_wer", "turn", "lower", "ratio", "word error rate of the agent's transcript of one answer"),
    MetricInfo("false_cutoff", "turn", "lower", "0/1", "per scripted pause: 1 when the AI started speaking in it"),
    MetricInfo("barge_in_reaction_s", "turn", "lower", "s", "candidate starts over the AI → AI audio stops"),
    MetricInfo("barge_in_ignored", "turn", "lower", "0/1", "1 when the AI kept talking past the reaction limit"),
    MetricInfo("stt_s", "turn", "lower", "s", "framework figure: STT time of the turn"),
    MetricInfo("llm_s", "turn", "lower", "s", "framework figure: LLM time to first token"),
    MetricInfo("tts_s", "turn", "lower", "s", "framework figure: TTS time to first audio"),
    MetricInfo("stt_wer_run", "run", "lower", "ratio", "word error rate pooled over the run's answers"),
    MetricInfo("questions_asked", "run", None, "count", "`question` messages the candidate received"),
    MetricInfo("repeated_questions", "run", "lower", "count", "questions nearly identical to an earlier one"),
    MetricInfo("resume_grounding", "run", "higher", "ratio", "share of questions naming a resume skill or role"),
    MetricInfo("language_consistency", "run", "higher", "ratio", "share of AI utterances in the interview language"),
    MetricInfo("ended_properly", "run", "higher", "0/1", "1 when interview_complete was received"),
    MetricInfo("duration_s", "run", None, "s", "run start to end"),
    MetricInfo("run_error", "run", "lower", "0/1", "1 when the run ended in error (from the runs table)"),
    # The interviewer's behaviour (metrics/behaviour.py defines each precisely). Per AI question or per
    # scripted expectation, 0/1: the mean over a variant's runs is the share or rate the name says.
    MetricInfo("end_request_honoured", "turn", "higher", "0/1",
               "per spoken request to end: 1 when a candidate_ended closing came within the expected AI turns"),
    MetricInfo("probe_rate", "turn", "higher", "0/1", "per terse answer: 1 when the next AI line is a follow-up"),
    MetricInfo("redirect_rate", "turn", "higher", "0/1", "per off-topic answer: 1 when the next AI line redirects"),
    MetricInfo("reask_rate", "turn", "higher", "0/1", "per non-answer: 1 when the next AI line re-asks"),
    MetricInfo("followup_grounding", "turn", "higher", "0/1",
               "per follow-up question: 1 when it shares a content lemma with the answer before it"),
    MetricInfo("llm_question_share", "turn", "higher", "0/1", "per question after the opening: 1 when the LLM "
               "worded it"),
    MetricInfo("fallback_share", "turn", "lower", "0/1", "per question after the opening: 1 when a fallback "
               "template worded it"),
    # The assessment, recorded after the batch (lab/assessment_metrics.py); all but the first only when done.
    MetricInfo("assessment_done", "run", "higher", "0/1", "1 when the assessment was done when the batch ended"),
    MetricInfo("assessment_llm", "run", "higher", "0/1", "1 when the LLM wrote it, 0 for the evidence-only fallback"),
    MetricInfo("assessment_s", "run", "lower", "s", "time the assessment job took"),
    MetricInfo("assessment_scored_share", "run", None, "ratio", "share of competencies given a score"),
    MetricInfo("assessment_quotes_verbatim", "run", "higher", "ratio",
               "share of evidence quotes found verbatim in what the agent heard"),
    MetricInfo("expectations_unplayed", "run", None, "count",
               "scripted expectations on turns never played (the interview ended first)"),
)}
JUDGE_PREFIX = "judge_"


def metric_info(name: str) -> MetricInfo | None:
    """The registered metric, a judge score (higher is better), or None for an unknown name."""
    if name in METRICS:
        return METRICS[name]
    if name.startswith(JUDGE_PREFIX):
        return MetricInfo(name, "run", "higher", "score", "LLM-as-judge rubric score")
    return None
