"""schemathesis (its CLI, as CI would run it) drives the real app over HTTP from its OpenAPI document."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from hrlab.api.serving import serving
from tests.api.conftest import ADMIN_KEY, add_resume

SCHEMATHESIS = Path(sys.executable).with_name("schemathesis")


@pytest.mark.slow
def test_api_conforms_to_its_openapi(make_app, database, tmp_path):
    # Stored resumes so generated ids sometimes hit real rows, not only 404s.
    add_resume(database)
    add_resume(database, status="failed")
    with serving(make_app()) as base_url:
        result = subprocess.run(
            [str(SCHEMATHESIS), "--config-file", str(Path(__file__).with_name("schemathesis.toml")),
             "run", f"{base_url}/openapi.json", "--checks", "all",
             "--header", f"X-Hrlab-Admin-Key: {ADMIN_KEY}", "--max-examples", "25", "--seed", "1",
             "--generation-database", "none", "--report-dir", str(tmp_path)],
            capture_output=True, text=True, timeout=600, cwd=tmp_path,
        )
    assert result.returncode == 0, result.stdout[-6000:] + result.stderr[-2000:]
