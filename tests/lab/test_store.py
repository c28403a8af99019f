from __future__ import annotations

import duckdb
import pytest

from hrlab.lab.metrics import MetricValues
from hrlab.lab.schema import LATEST_VERSION, TABLES
from hrlab.lab.store import RunLog, RunLogError, load, load_all, migrate, schema_version

RUN = {"suite": "smoke", "scenario": "en_short", "variant": "default"}


def test_new_log_has_latest_schema_and_every_table(tmp_path):
    path = tmp_path / "sub" / "runs.duckdb"
    with RunLog(path) as runlog:
        assert runlog.version == LATEST_VERSION
        frames = runlog.frames()
    assert set(frames) == set(TABLES) and all(frame.empty for frame in frames.values())


def test_old_log_migrates_forward_and_keeps_rows(tmp_path):
    path = tmp_path / "v1.duckdb"
    conn = duckdb.connect(str(path))
    assert migrate(conn, target=1) == 1
    conn.execute("INSERT INTO runs (run_id, suite, scenario, variant, repeat, status, started_at)"
                 " VALUES ('old', 'smoke', 's', 'v', 0, 'ok', TIMESTAMP '2026-01-01 10:00:00')")
    conn.close()
    with RunLog(path) as runlog:
        assert runlog.version == LATEST_VERSION
        assert runlog.frame("runs")["run_id"].tolist() == ["old"]
        runlog.annotate("old", author="hr@example.com", label="good answers")
        assert runlog.frame("annotations")["label"].tolist() == ["good answers"]
        versions = [row[0] for row in runlog.execute("SELECT version FROM schema_version ORDER BY version")]
    assert versions == list(range(1, LATEST_VERSION + 1))


def test_newer_schema_is_refused_with_a_clear_error(tmp_path):
    path = tmp_path / "future.duckdb"
    RunLog(path).close()
    conn = duckdb.connect(str(path))
    conn.execute("INSERT INTO schema_version VALUES (99, TIMESTAMP '2030-01-01 00:00:00')")
    conn.close()
    for read_only in (False, True):
        with pytest.raises(RunLogError, match="schema version 99, newer"):
            RunLog(path, read_only=read_only)


def test_read_only_open_refuses_an_outdated_or_missing_log(tmp_path):
    path = tmp_path / "v1.duckdb"
    conn = duckdb.connect(str(path))
    migrate(conn, target=1)
    conn.close()
    with pytest.raises(RunLogError, match="open it read-write once"):
        RunLog(path, read_only=True)
    with pytest.raises(RunLogError, match="does not exist"):
        RunLog(tmp_path / "none.duckdb", read_only=True)


def test_a_full_run_round_trips_to_pandas(tmp_path):
    path = tmp_path / "runs.duckdb"
    with RunLog(path) as runlog:
        run = runlog.start_run(**RUN, repeat=2, git_commit="abc123", config_hash="f00d", transport="devserver",
                               language="en", config={"variant": {"stt": "whisper/base"}})
        run.add_turn(seq=0, who="ai", text="Hello, I am an AI interviewer.", start_s=0.2, end_s=2.5, tts_s=0.3)
        run.add_turn(seq=1, who="candidate", text="hi there", reference="hi there", start_s=3.0, end_s=4.0,
                     stt_s=0.8, figures={"endpointing_s": 0.5})
        run.add_event(t_s=0.1, direction="received", type="question", payload={"type": "question", "n": 1})
        values = MetricValues(run={"ended_properly": 1.0}, turns=[(1, "latency_s", 0.9)])
        run.add_metrics(values)
        run.add_audio(tmp_path / "run.wav")
        run.finish_ok()
    frames = load_all(path)
    row = frames["runs"].iloc[0]
    assert (row["status"], row["repeat"], row["git_commit"], row["transport"]) == ("ok", 2, "abc123", "devserver")
    assert row["ended_at"] >= row["started_at"]
    assert frames["turns"]["who"].tolist() == ["ai", "candidate"]
    assert frames["turns"].set_index("seq").loc[1, "stt_s"] == 0.8
    assert '"n": 1' in frames["events"].iloc[0]["payload"]
    metrics = frames["metrics"].sort_values("name")
    assert metrics["name"].tolist() == ["ended_properly", "latency_s"]
    assert metrics["seq"].isna().tolist() == [True, False]
    assert frames["audio"].iloc[0]["kind"] == "stereo"
    assert load(path, "runs").shape[0] == 1
    with pytest.raises(ValueError, match="unknown run-log table"):
        load(path, "nope")


def test_failed_runs_are_rows_never_exceptions(tmp_path):
    with RunLog(tmp_path / "runs.duckdb") as runlog:
        with runlog.start_run(**RUN, repeat=0) as run:
            run.add_turn(seq=0, who="ai", text="Hello")
            raise TimeoutError("agent never joined the room")
        failed_id = runlog.record_failed_run(error=FileNotFoundError("clip.wav"), **RUN, repeat=1)
        with runlog.start_run(**RUN, repeat=2) as bad_write:
            bad_write.add_turn(seq=0, who="ai", text="kept")
            bad_write.add_turn(seq=1, who="narrator", text="not a party to the interview")
        with pytest.raises(KeyboardInterrupt):
            with runlog.start_run(**RUN, repeat=3):
                raise KeyboardInterrupt
        runs = runlog.frame("runs").set_index("repeat").sort_index()
    assert runs["status"].tolist() == ["error", "error", "error", "interrupted"]
    assert runs.loc[0, "error"] == "TimeoutError: agent never joined the room"
    assert runs.loc[1, "run_id"] == failed_id and "clip.wav" in runs.loc[1, "error"]
    assert "run-log writes failed" in runs.loc[2, "error"]
    assert "kept" in set(load(runlog.path, "turns")["text"])
    assert runs.loc[3, "error"] == "KeyboardInterrupt"


def test_finished_keys_for_resume(tmp_path):
    with RunLog(tmp_path / "runs.duckdb") as runlog:
        runlog.start_run(**RUN, repeat=0).finish_ok()
        runlog.start_run(**RUN, repeat=1).finish_error("boom")
        runlog.start_run(**RUN, repeat=2).finish_interrupted()
        runlog.start_run(**RUN, repeat=3)  # still running: a crashed batch leaves these
        runlog.start_run(**{**RUN, "suite": "full"}, repeat=0).finish_ok()
        assert runlog.finished_keys("smoke") == {("smoke", "en_short", "default", 0),
                                                 ("smoke", "en_short", "default", 1)}
        assert runlog.finished_keys("smoke", statuses=["ok"]) == {("smoke", "en_short", "default", 0)}
        assert runlog.finished_keys("other") == set()
        finished = runlog.finished_keys("smoke")

    from dataclasses import replace

    from hrlab.lab.suite import load_suite, suite_path

    suite = replace(load_suite(suite_path("smoke"), check_refs=False), repeats=4, variants=("default",))
    assert suite.pending_keys(["en_short"], finished=finished) == [("en_short", "default", 2),
                                                                   ("en_short", "default", 3)]


def test_annotations_need_author_and_label(tmp_path):
    with RunLog(tmp_path / "runs.duckdb") as runlog:
        run_id = runlog.start_run(**RUN).run_id
        first = runlog.annotate(run_id, author="hr", label="off-topic", note="drifted to football", seq=3)
        second = runlog.annotate(run_id, author="hr", label="strong")
        assert second > first
        with pytest.raises(ValueError):
            runlog.annotate(run_id, author=" ", label="x")
        notes = runlog.frame("annotations")
    assert notes["seq"].isna().tolist() == [False, True]


def test_schema_version_of_empty_database_is_zero():
    assert schema_version(duckdb.connect()) == 0


def test_trace_is_stored_with_its_metrics_and_can_be_recomputed(tmp_path):
    from hrlab.lab.metrics import CandidateSpeech, RunTrace, Segment

    trace = RunTrace(language="en", candidate=(CandidateSpeech(seq=1, start=1.0, end=2.0, reference="a b",
                                                               transcript="a c", pauses=(Segment(1.2, 1.5),)),),
                     ai_audio=(Segment(2.5, 3.0),), questions=("Why Python?",), resume_terms=("Python",),
                     interview_complete=True, duration_s=3.0, dialogue=(("ai", "Why Python?"),))
    assert RunTrace.from_json(trace.to_json()) == trace
    with RunLog(tmp_path / "runs.duckdb") as runlog:
        with runlog.start_run(**RUN) as run:
            run.add_trace(trace)
        before = runlog.frame("metrics").sort_values(["name", "value"]).reset_index(drop=True)
        runlog.execute("DELETE FROM metrics")
        assert runlog.recompute_metrics(suite="smoke") == 1
        assert runlog.recompute_metrics(suite="other") == 0
        after = runlog.frame("metrics").sort_values(["name", "value"]).reset_index(drop=True)
    assert set(before["name"]) >= {"latency_s", "stt_wer", "false_cutoff", "resume_grounding", "ended_properly"}
    assert before.equals(after)


def test_a_recompute_without_a_judge_keeps_the_judge_scores_and_one_with_a_judge_redoes_them(tmp_path):
    from hrlab.lab.metrics import RunTrace
    from tests.lab.test_metrics import RubricJudge

    trace = RunTrace(language="en", dialogue=(("ai", "Why Python?"), ("candidate", "Speed."), ("ai", "Thanks.")))
    with RunLog(tmp_path / "runs.duckdb") as runlog:
        with runlog.start_run(**RUN) as run:
            run.add_trace(trace, judge=RubricJudge())
            run.add_metric("assessment_done", 1.0)

        def judged() -> dict:
            metrics = runlog.frame("metrics")
            return dict(zip(metrics["name"], metrics["value"]))

        assert judged()["judge_relevance"] == 0.5
        assert runlog.recompute_metrics() == 1
        assert judged()["judge_relevance"] == 0.5 and judged()["assessment_done"] == 1.0
        assert runlog.recompute_metrics(judge=RubricJudge({"clarity": 1.0})) == 1
        assert judged()["judge_relevance"] == 0.5 and judged()["judge_clarity"] == 1.0
        assert list(runlog.frame("metrics")["name"]).count("judge_relevance") == 1


def test_a_resent_turn_replaces_the_earlier_one(tmp_path):
    with RunLog(tmp_path / "runs.duckdb") as runlog:
        run = runlog.start_run(**RUN)
        run.add_turn(seq=0, who="ai", text="draft")
        run.add_turn(seq=0, who="ai", text="within one batch")
        run.flush()
        run.add_turn(seq=0, who="ai", text="final", stt_s=None, figures={"interrupted": True})
        run.add_metric("latency_s", 1, seq=None)
        run.finish_ok()
        turns = runlog.frame("turns")
        seqs = runlog.execute("SELECT seq IS NULL FROM metrics")
    assert turns["text"].tolist() == ["final"] and seqs == [(True,)]
