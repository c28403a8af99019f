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
