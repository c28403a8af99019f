"""Notebooks run in CI: their code cells are executed in order, in one namespace, without Jupyter."""

from __future__ import annotations

import ast
import asyncio
import contextlib
import inspect
import io
import json

import pytest

from hrlab.lab import CandidateSpeech, RunLog, RunTrace, Segment
from hrlab.lab.paths import repo_root

NOTEBOOK = repo_root() / "notebooks" / "explore_runs.ipynb"


def run_notebook(path) -> str:
    """Execute the code cells in order, in one namespace; `await` at the top of a cell works, as in Jupyter."""
    out = io.StringIO()
    namespace: dict = {"__name__": "__notebook__"}
    with contextlib.redirect_stdout(out):
        for cell in json.loads(path.read_text(encoding="utf-8"))["cells"]:
            if cell["cell_type"] == "code":
                code = compile("".join(cell["source"]), f"{path.name}:{cell['id']}", "exec",
                               flags=ast.PyCF_ALLOW_TOP_LEVEL_AWAIT)
                result = eval(code, namespace)
                if inspect.iscoroutine(result):
                    asyncio.run(result)
    return out.getvalue()


def test_notebook_on_a_run_log(tmp_path, monkeypatch):
    path = tmp_path / "runs.duckdb"
    with RunLog(path) as runlog:
        for variant, gap in (("default", 0.9), ("tight_endpointing", 0.6)):
            for repeat in range(3):
                with runlog.start_run(suite="smoke", scenario="en_short", variant=variant, repeat=repeat) as run:
                    answers = tuple(CandidateSpeech(seq=i, start=10.0 * i, end=10.0 * i + 4) for i in (1, 3))
                    ai = tuple(Segment(a.end + gap + 0.1 * repeat, a.end + 3) for a in answers)
                    run.add_trace(RunTrace(language="en", candidate=answers, ai_audio=ai, interview_complete=True,
                                           ai_texts=("Tell me about your work.",), duration_s=40.0))
        runlog.annotate(run.run_id, author="hr", label="clear answers")
    monkeypatch.setenv("HRLAB_RUNLOG", str(path))
    monkeypatch.setenv("HRLAB_SUITE", "smoke")
    output = run_notebook(NOTEBOOK)
    assert "found" in output and "tight_endpointing" in output
    assert "gates passed: True" in output and "clear answers" in output


def test_notebook_without_a_run_log_says_what_to_do(tmp_path, monkeypatch):
    monkeypatch.setenv("HRLAB_RUNLOG", str(tmp_path / "none.duckdb"))
    assert "run `hrlab run smoke` first" in run_notebook(NOTEBOOK)


@pytest.mark.livekit
@pytest.mark.slow
def test_quickstart_runs_interviews_and_compares(tmp_path, monkeypatch):
    out = tmp_path / "quickstart.duckdb"
    monkeypatch.setenv("HRLAB_QUICKSTART_OUT", str(out))
    output = run_notebook(repo_root() / "notebooks" / "quickstart.ipynb")
    assert "ok 2, failed 0" in output
    assert out.with_suffix(".latency.png").stat().st_size > 1000
    assert "tight_endpointing" in output and "latency_s" in output


@pytest.mark.parametrize("path", sorted((repo_root() / "notebooks").glob("*.ipynb")), ids=lambda p: p.name)
def test_every_notebook_is_valid_json_with_code(path):
    cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
    assert any(cell["cell_type"] == "code" for cell in cells)
    assert all(not cell.get("outputs") for cell in cells if cell["cell_type"] == "code")  # committed clean
