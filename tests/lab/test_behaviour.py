"""The interviewer's behaviour metrics: grounding, expectations, and the `behaviour` suite over a real DuckDB log."""

from __future__ import annotations

import pytest

from hrlab.lab.evals import evaluate
from hrlab.lab.metrics import AiLine, CandidateSpeech, RunTrace, compute_metrics
from hrlab.lab.metrics.behaviour import expectation_held, line_grounding, lines_after
from hrlab.lab.metrics.grounding import builds_on, content_lemmas
from hrlab.lab.store import RunLog


def test_grounding_matches_content_lemmas_not_boilerplate():
    answer = "I ran A/B tests in BigQuery and reported a confidence interval."
    assert builds_on("What did those tests show about the confidence?", answer, language="en")
    assert not builds_on("What mistakes have you made with Kafka?", answer, language="en")
    # "experience" and "work" are interview boilerplate: sharing them is not building on the answer
    assert not builds_on("Tell me about your work experience.", "My experience is mostly work on APIs.", language="en")
    assert builds_on("Сколько узлов было в кластере?", "Я почти не работал с кластерами Kubernetes.", language="ru")
    assert not builds_on("Расскажите о своём опыте работы.", "Мой опыт работы — шесть лет.", language="ru")
    assert builds_on("Anything else?", None, language="en") is None
    assert "million" in content_lemmas("2 million rows", language="en") and "2" not in content_lemmas("2 rows",
                                                                                                       language="en")


def _line(seq: int, start: float, kind: str | None, text: str = "Next?", answer: str | None = None) -> AiLine:
    return AiLine(seq=seq, start=start, text=text, kind=kind, answer=answer)


def test_an_expectation_looks_at_the_lines_after_its_answer():
    lines = [_line(1, 0.0, "opening:script"), _line(3, 8.0, "reprompt:script:reask"),
             _line(5, 15.0, "question:llm:next_topic"), _line(7, 22.0, "closing:script:candidate_ended")]
    assert expectation_held("reask_after_nonanswer", True, following=lines_after(5.0, lines))
    assert not expectation_held("redirect_after_offtopic", True, following=lines_after(5.0, lines))
    assert not expectation_held("probe_after_terse", True, following=lines_after(10.0, lines))
    assert not expectation_held("end_within_ai_turns", 1, following=lines_after(10.0, lines))
    assert expectation_held("end_within_ai_turns", 2, following=lines_after(10.0, lines))
    assert expectation_held("end_within_ai_turns", 1, following=lines_after(30.0, lines)) is False  # none came
    assert expectation_held("reask_after_nonanswer", True, following=[_line(2, 9.0, None)]) is None  # unlabelled


def _trace(*, honoured: bool, probed: bool, grounded: bool, sources: tuple[str, ...]) -> RunTrace:
    """A run: non-answer at 2 s (re-asked), terse answer at 10 s, off-topic at 20 s, stop request at 30 s."""
    answer = "Mostly Kafka consumers."
    candidate = (
        CandidateSpeech(seq=2, start=2.0, end=3.0, expect=(("reask_after_nonanswer", True),)),
        CandidateSpeech(seq=4, start=10.0, end=11.0, transcript=answer, expect=(("probe_after_terse", True),)),
        CandidateSpeech(seq=6, start=20.0, end=22.0, expect=(("redirect_after_offtopic", True),)),
        CandidateSpeech(seq=8, start=30.0, end=31.0, expect=(("end_within_ai_turns", 1),)),
    )
    follow_up = "How many Kafka consumers did you run?" if grounded else "What do you like about your job?"
    lines = [
        _line(1, 0.0, "opening:script"),
        _line(3, 4.0, "reprompt:script:reask"),
        _line(5, 12.0, f"question:{sources[0]}:{'follow_up' if probed else 'next_topic'}", follow_up, answer),
        _line(7, 23.0, "reprompt:script:redirect"),
        _line(9, 32.0, "closing:script:candidate_ended" if honoured else f"question:{sources[1]}:next_topic"),
    ]
    if not honoured:
        lines.append(_line(11, 40.0, "closing:script:question_limit"))
    return RunTrace(language="en", candidate=candidate, ai_lines=tuple(lines), expectations_unplayed=0)


def test_compute_metrics_scores_each_expectation_on_its_answer_turn():
    values = compute_metrics(_trace(honoured=False, probed=True, grounded=True, sources=("llm", "fallback")))
    turns = {(seq, name): value for seq, name, value in values.turns}
    assert turns[(2, "reask_rate")] == 1.0 and turns[(4, "probe_rate")] == 1.0
    assert turns[(6, "redirect_rate")] == 1.0 and turns[(8, "end_request_honoured")] == 0.0
    assert turns[(5, "followup_grounding")] == 1.0
    assert values.turn_values("llm_question_share") == [1.0, 0.0]
    assert values.turn_values("fallback_share") == [0.0, 1.0]
    assert values.run["expectations_unplayed"] == 0.0


def test_a_trace_keeps_lines_and_expectations_through_json():
    trace = _trace(honoured=True, probed=True, grounded=False, sources=("probe", "llm"))
    assert RunTrace.from_json(trace.to_json()) == trace


@pytest.fixture
def behaviour_log(tmp_path):
    """Four runs of the `behaviour` suite's default variant, written through the recorder as the runner does."""
    path = tmp_path / "runs.duckdb"
    runs = [dict(honoured=True, probed=True, grounded=True, sources=("llm", "llm")),
            dict(honoured=True, probed=True, grounded=True, sources=("llm", "probe")),
            dict(honoured=True, probed=False, grounded=False, sources=("fallback", "llm")),
            dict(honoured=False, probed=True, grounded=False, sources=("llm", "fallback"))]
    with RunLog(path) as runlog:
        for repeat, shape in enumerate(runs):
            with runlog.start_run(suite="behaviour", scenario="en_terse_probe", variant="default",
                                  repeat=repeat) as run:
                trace = _trace(**shape)
                for line in trace.ai_lines:
                    run.add_turn(seq=line.seq, who="ai", text=line.text, start_s=line.start, kind=line.kind,
                                 grounded=line_grounding(line, language="en"))
                run.add_trace(trace)
    return path


def test_the_behaviour_suite_reports_each_rate_and_gates_on_it(behaviour_log):
    report = evaluate(behaviour_log, "behaviour")
    means = report.summary.set_index("metric")["mean"]
    assert means["end_request_honoured"] == pytest.approx(3 / 4)
    assert means["probe_rate"] == pytest.approx(3 / 4)
    assert means["reask_rate"] == 1.0 and means["redirect_rate"] == 1.0
    # follow-ups: runs 1, 2 and 4 probed; runs 1 and 2 grounded
    assert means["followup_grounding"] == pytest.approx(2 / 3)
    # questions after the opening, pooled over runs: 1 + 1 + 1 + 2, of which the LLM worded 1 + 1 + 0 + 1
    assert means["llm_question_share"] == pytest.approx(3 / 5)
    assert means["fallback_share"] == pytest.approx(2 / 5)
    verdicts = {g.gate: g.passed for g in report.gates}
    assert verdicts == {
        "mean(run_error) <= 0": True, "mean(end_request_honoured) >= 1": False, "mean(reask_rate) >= 1": True,
        "mean(probe_rate) >= 0.9": False, "mean(redirect_rate) >= 0.9": True,
        "mean(followup_grounding) >= 0.7": False, "mean(llm_question_share) >= 0.5": True,
    }
    assert not report.gates_passed


def test_turn_kinds_and_grounding_are_stored_and_metrics_recompute_the_same(behaviour_log):
    with RunLog(behaviour_log) as runlog:
        turns = runlog.frame("turns")
        assert "closing:script:candidate_ended" in set(turns["kind"])
        assert sorted(turns["grounded"].dropna()) == [False, True, True]  # the three follow-ups
        before = runlog.frame("metrics").sort_values(["run_id", "name", "seq"]).reset_index(drop=True)
        assert runlog.recompute_metrics(suite="behaviour") == 4
        after = runlog.frame("metrics").sort_values(["run_id", "name", "seq"]).reset_index(drop=True)
    assert before.equals(after)


def test_an_in_process_rehearsal_keeps_each_lines_label_and_the_expectations():
    from pathlib import Path

    from hrlab.agent.rehearse import DialogueLine, RehearsalResult
    from hrlab.lab.inprocess import rehearsal_trace
    from hrlab.lab.runner import RunSpec
    from hrlab.lab.scenario import load_scenario
    from hrlab.lab.variant import load_variant, variant_path

    scenario = load_scenario("scenarios/en_nonanswer.toml", check_files=False)
    dialogue = (
        DialogueLine("ai", "Hello. Tell me about yourself.", 0.0, 4.0, kind="opening", label="opening:script"),
        DialogueLine("candidate", "Hi, yes, I'm ready.", 5.0, 6.0),
        DialogueLine("ai", "Sure. Tell me about yourself.", 7.0, 9.0, kind="reprompt", label="reprompt:script:reask"),
        DialogueLine("candidate", "I lead the backend team at Northwind Payments.", 10.0, 14.0),
        DialogueLine("ai", "How big is the backend team?", 15.0, 17.0, kind="question", source="llm",
                     label="question:llm:follow_up"),
    )
    result = RehearsalResult(session_id=1, language="en", end_reason="question_limit", dialogue=dialogue,
                             latencies=(), messages=(), assessment={}, audio_path=Path("a.wav"),
                             transcript_path=Path("t.json"), wall_seconds=20.0, providers={})
    spec = RunSpec("behaviour", scenario, load_variant(variant_path("default")), 0)
    trace = rehearsal_trace(result, spec=spec, answers={0: None, 1: None, 2: None, 3: None})
    values = compute_metrics(trace)
    assert [line.kind for line in trace.ai_lines] == ["opening:script", "reprompt:script:reask",
                                                      "question:llm:follow_up"]
    assert values.turn_values("reask_rate") == [1.0] and values.turn_values("followup_grounding") == [1.0]
    assert values.run["expectations_unplayed"] == 2.0  # the bare "Yes." and the stop request never came
