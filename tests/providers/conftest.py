"""Fixtures for provider tests: the shared speech corpus and one ModelRegistry per test session."""

from __future__ import annotations

import csv
import os
import shutil
from pathlib import Path

import pytest

import hrlab

CORPUS = Path(hrlab.__file__).resolve().parents[2] / "shared" / "corpus"


def pytest_configure(config):
    os.environ.setdefault("HF_HUB_OFFLINE", "1")  # any hub download must fail fast, not hang


@pytest.fixture(scope="session")
def corpus() -> Path:
    """The recorded-speech corpus beside the repo; skipped when the checkout has no shared/."""
    if not (CORPUS / "manifest.csv").exists():
        pytest.skip(f"speech corpus not found at {CORPUS} (clone shared/ beside the repo)")
    return CORPUS


@pytest.fixture(scope="session")
def manifest(corpus) -> list[dict]:
    with open(corpus / "manifest.csv", newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


@pytest.fixture(scope="session")
def registry():
    """One registry for the session, as a worker has; models land in the repo's data/models."""
    pytest.importorskip("livekit.agents")
    from hrlab.providers import ModelRegistry

    reg = ModelRegistry()
    yield reg
    reg.close()


def need_program(name: str, debian: str) -> None:
    """Skip with the install command when a Debian program is missing."""
    if shutil.which(name) is None:
        pytest.skip(f"{name} not installed (apt-get install {debian}, or bash scripts/install-system.sh)")


def need_module(name: str) -> None:
    """Skip with the install command when an optional Python package is missing."""
    pytest.importorskip(name, reason=f"{name} not installed: pip install 'hrlab[models]'")
