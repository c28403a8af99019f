"""The `hrlab` command line over a real SQLite file."""

from __future__ import annotations

from importlib import resources

import pytest
from click.testing import CliRunner

from hrlab.cli import main


@pytest.fixture
def runner(tmp_path, monkeypatch):
    monkeypatch.setenv("HRLAB_DATABASE_URL", f"sqlite:///{tmp_path / 'cli.db'}")
    return CliRunner()


def test_import_list_invite(runner, tmp_path):
    samples = resources.files("hrlab") / "samples"
    bad = tmp_path / "scan.pdf"
    bad.write_bytes(b"%PDF-1.4 nothing readable")
    with resources.as_file(samples / "resume_en.md") as en, resources.as_file(samples / "resume_ru.txt") as ru:
        result = runner.invoke(main, ["resumes", "import", str(en), str(ru), str(bad)])
    assert result.exit_code == 1  # one file failed; the others are still stored
    lines = result.stdout.strip().splitlines()
    assert [line.split("\t")[1] for line in lines] == ["parsed", "parsed", "failed"]
    assert "scan.pdf" in lines[2]
    listed = runner.invoke(main, ["resumes", "list"])
    assert listed.exit_code == 0 and len(listed.output.strip().splitlines()) == 3
    invited = runner.invoke(main, ["invite", "1"])
    assert invited.exit_code == 0 and "/interview/1?invite=" in invited.output
    missing = runner.invoke(main, ["invite", "99"])
    assert missing.exit_code == 1 and "Resume 99 not found" in missing.output


def test_db_upgrade(runner):
    result = runner.invoke(main, ["db", "upgrade"])
    assert result.exit_code == 0 and "revision 0003" in result.output


def test_bad_setting_stops_with_the_variable_named(runner, monkeypatch):
    monkeypatch.setenv("HRLAB_TOKEN_TTL_SECONDS", "0")
    result = runner.invoke(main, ["db", "upgrade"])
    assert result.exit_code == 1
    assert "HRLAB_TOKEN_TTL_SECONDS: Input should be greater than or equal to 60" in result.output


def test_every_command_is_in_the_readme():
    from pathlib import Path

    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text()
    for name, command in main.commands.items():
        subcommands = getattr(command, "commands", {None: None})
        for sub in subcommands:
            assert f"`hrlab {name}{' ' + sub if sub else ''}" in readme, f"hrlab {name} {sub or ''} missing from README"
