from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from hrlab.lab.paths import corpus_dir


@pytest.fixture
def write(tmp_path: Path):
    """Write a dedented TOML file under tmp_path and return its path."""

    def _write(name: str, text: str) -> Path:
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text), encoding="utf-8")
        return path

    return _write


@pytest.fixture
def corpus() -> Path:
    folder = corpus_dir()
    if not (folder / "manifest.csv").is_file():
        pytest.skip(f"shared corpus not found at {folder} (clone shared/ beside the repo)")
    return folder
