from __future__ import annotations

import re

from hrlab.lab.metrics import METRICS
from hrlab.lab.paths import evals_dir, scenarios_dir
from hrlab.lab.scenario import ACTIONS, CandidateTurn


def test_every_metric_is_documented():
    text = (evals_dir() / "README.md").read_text(encoding="utf-8")
    for name in METRICS:
        assert f"`{name}`" in text, name


def test_every_shipped_scenario_and_turn_field_is_documented():
    text = (scenarios_dir() / "README.md").read_text(encoding="utf-8")
    for path in scenarios_dir().glob("*.toml"):
        assert f"`{path.stem}`" in text, path.stem
    for action in ACTIONS:
        assert f"`{action}`" in text
    for field in ("delay_ms", "audio", "reference", "text", "pauses", "barge_in_after_ms", "silence_ms",
                  "rejoin_after_ms", "timeout_s", "tags", "language", "resume"):
        assert f"`{field}" in text, field
    assert set(CandidateTurn.__dataclass_fields__) - {"index", "action"} <= set(re.findall(r"`(\w+)", text))


def test_every_shipped_variant_and_suite_is_documented():
    text = (evals_dir() / "README.md").read_text(encoding="utf-8")
    for path in list((evals_dir() / "variants").glob("*.toml")) + list(evals_dir().glob("*.toml")):
        assert f"`{path.stem}`" in text, path.stem


def test_public_api_resolves_and_scenario_import_stays_light():
    import subprocess
    import sys

    import hrlab.lab as lab

    assert all(getattr(lab, name) is not None for name in lab.__all__)
    code = "import sys, hrlab.lab.scenario, hrlab.lab.variant; print('duckdb' in sys.modules, 'pandas' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.split() == ["False", "False"]
