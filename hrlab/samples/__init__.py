"""Sample resumes (ru and en, text, Markdown and JSON) for demos, tests and scenarios."""

from __future__ import annotations

from pathlib import Path

SAMPLES_DIR = Path(__file__).resolve().parent
