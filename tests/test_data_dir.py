"""HRLAB_DATA_DIR moves everything the runner, the demo and the model assembly write."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]

PROBE = """
import json
from hrlab.config import DATA_DIR, load_settings
from hrlab.lab import paths
from hrlab.providers.model_files import default_model_dir
print(json.dumps({"data": str(DATA_DIR), "runlog": str(paths.default_runlog_path()),
                  "tts": str(paths.default_synthesis_cache()), "recordings": str(paths.default_recordings_dir()),
                  "models": str(default_model_dir()), "db": load_settings().database_url}))
"""


def _probe(env_value: str | None, cwd) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k not in ("HRLAB_DATA_DIR", "HRLAB_DATABASE_URL")}
    if env_value is not None:
        env["HRLAB_DATA_DIR"] = env_value
    return subprocess.run([sys.executable, "-c", PROBE], env=env, cwd=cwd, capture_output=True, text=True)


def test_every_default_path_follows_the_data_dir(tmp_path):
    target = tmp_path / "hrlab-data"
    result = _probe(str(target), tmp_path)
    assert result.returncode == 0, result.stderr
    paths = json.loads(result.stdout)
    assert paths["db"] == f"sqlite:///{target / 'hrlab.db'}"
    del paths["db"]
    assert all(value.startswith(str(target)) for value in paths.values()), paths


def test_a_relative_data_dir_is_taken_from_the_working_directory(tmp_path):
    result = _probe("rel-data", tmp_path)
    assert json.loads(result.stdout)["data"] == str(tmp_path / "rel-data")


def test_a_file_as_data_dir_is_refused_by_name(tmp_path):
    (tmp_path / "not-a-dir").write_text("x")
    result = _probe(str(tmp_path / "not-a-dir"), tmp_path)
    assert result.returncode != 0
    assert "HRLAB_DATA_DIR=" in result.stderr and "is not a directory" in result.stderr


def test_eval_reads_the_run_log_that_run_writes_by_default(tmp_path):
    env = {**os.environ, "HRLAB_DATA_DIR": str(tmp_path)}
    suite = REPO / "evals" / "smoke.toml"
    out = subprocess.run([sys.executable, "-m", "hrlab.cli", "eval", str(suite)], env=env, capture_output=True, text=True)
    assert out.returncode != 0
    assert f"{tmp_path / 'lab' / 'runs.duckdb'}: no run log here" in out.stderr
