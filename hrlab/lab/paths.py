"""Where the lab finds things: the repo root, the shared corpus, the scenario and eval folders."""

from __future__ import annotations

from pathlib import Path

import hrlab
from hrlab.config import DATA_DIR


def repo_root() -> Path:
    """The repository root (the folder holding `hrlab/`); scenario paths are relative to it."""
    return Path(hrlab.__file__).resolve().parents[1]


def corpus_dir() -> Path:
    """The shared recorded-speech corpus, `../shared/corpus` beside the repo."""
    return repo_root().parent / "shared" / "corpus"


def scenarios_dir() -> Path:
    return repo_root() / "scenarios"


def evals_dir() -> Path:
    return repo_root() / "evals"


def resolve_repo_path(path: str | Path, *, root: Path | None = None) -> Path:
    """Resolve a path written relative to the repo root (absolute paths are kept)."""
    path = Path(path)
    return path if path.is_absolute() else ((root or repo_root()) / path).resolve()


def lab_data_dir() -> Path:
    """`lab/` in the data directory (HRLAB_DATA_DIR, else the checkout's git-ignored `data/`): the default
    home of run logs, recordings and the TTS cache."""
    return DATA_DIR / "lab"


def work_database_file(work_dir: Path) -> Path:
    """The operational database (SQLite) a live batch keeps in its work folder: sessions, transcripts and the
    assessment queue."""
    return work_dir / "hrlab.db"


def default_runlog_path() -> Path:
    return lab_data_dir() / "runs.duckdb"


def default_synthesis_cache() -> Path:
    return lab_data_dir() / "tts-cache"


def default_recordings_dir() -> Path:
    return lab_data_dir() / "recordings"
