"""The API half of `make demo` over real HTTP: sample resumes in, invite, both endpoints, token grants."""

from __future__ import annotations

from hrlab.demo import run_api_demo


def test_api_demo(tmp_path):
    lines: list[str] = []
    results = run_api_demo(echo=lines.append, data_dir=tmp_path)
    assert set(results) == {"resume_en.md", "resume_ru.txt"}
    for name, result in results.items():
        assert result["validate"] == 200 and result["token"] == 200, name
        assert result["sources"] == ["microphone"]
        assert result["room"].startswith("interview_")
    assert any("without invite -> 401" in line for line in lines)
    assert (tmp_path / "demo.db").exists()


def test_the_demo_says_how_to_finish_queued_assessments_and_compare_again(tmp_path):
    from hrlab.demo import _print_assessments
    from hrlab.store.db import Database
    from hrlab.store.migrate import upgrade
    from tests.agent.test_assessment_queue import finished_interview

    database_file = tmp_path / "hrlab.db"
    upgrade(f"sqlite:///{database_file}")
    database = Database(f"sqlite:///{database_file}")
    try:
        finished_interview(database)  # its assessment still queued
    finally:
        database.dispose()
    lines: list[str] = []
    _print_assessments(database_file, lines.append, eval_command="hrlab eval S --refresh-assessments")
    printed = "\n".join(lines)
    assert "assessments: 0 done, 1 still queued, 0 failed" in printed
    assert f"HRLAB_DATABASE_URL=sqlite:///{database_file} hrlab assess --pending" in printed
    assert "then compare with their figures: hrlab eval S --refresh-assessments" in printed
