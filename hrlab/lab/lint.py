"""Check every shipped scenario, variant and suite at once (for `hrlab lab check` and CI)."""

from __future__ import annotations

from pathlib import Path

from hrlab.lab.fields import LabFileError
from hrlab.lab.paths import evals_dir, scenarios_dir
from hrlab.lab.scenario import load_scenario
from hrlab.lab.suite import load_suite
from hrlab.lab.variant import load_variant


def check_lab_files(*, scenarios: Path | None = None, evals: Path | None = None,
                    check_files: bool = True) -> list[str]:
    """Load every scenario, variant and suite; return one message per broken file (empty when all are fine)."""
    scenarios, evals = scenarios or scenarios_dir(), evals or evals_dir()
    problems: list[str] = []
    for path in sorted(scenarios.glob("*.toml")):
        _try(problems, lambda: load_scenario(path, check_files=check_files).parsed_resume())
    for path in sorted((evals / "variants").glob("*.toml")):
        _try(problems, lambda: load_variant(path))
    for path in sorted(evals.glob("*.toml")):
        _try(problems, lambda: load_suite(path, scenario_folder=scenarios, variant_folder=evals / "variants"))
    return problems


def _try(problems: list[str], load) -> None:
    try:
        load()
    except LabFileError as exc:
        problems.append(str(exc))
