"""What the Runs, Compare and Annotate views read from the DuckDB run log (through hrlab.lab.store).

The file is opened per request and closed after it, so `hrlab run` can write to it between clicks;
reads open it read-only (an older schema is then reported, not migrated behind the user's back).
"""

from __future__ import annotations

import json
import threading
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from hrlab.lab.assessment_metrics import ASSESSMENT_EVENT
from hrlab.lab.evals import STAGE_COLUMNS
from hrlab.lab.store import TRACE_EVENT, RunLog

LIST_LIMIT = 500
ANY = "any"
FILTERS = ("suite", "scenario", "variant", "status", "git_commit")
TURN_METRICS = ("latency_s", "stt_wer")


@dataclass(frozen=True)
class RunFilters:
    suite: str = ANY
    scenario: str = ANY
    variant: str = ANY
    status: str = ANY
    git_commit: str = ANY


@dataclass(frozen=True)
class RunDetail:
    run: dict
    turns: pd.DataFrame  # seq, who, text, reference, start_s, end_s, latency_s, stt_wer
    events: pd.DataFrame
    audio_path: str | None
    annotations: pd.DataFrame
    assessment: dict | None


class RunStore:
    """The run-log file the dashboard shows; one open connection at a time."""

    def __init__(self, path: str | Path):
        self.path = Path(path)
        self._lock = threading.Lock()

    def exists(self) -> bool:
        return self.path.is_file()

    def _query(self, sql: str, params: list | None = None) -> pd.DataFrame:
        with self._lock, RunLog(self.path, read_only=True) as runlog:
            return runlog.query(sql, params)

    def state(self) -> tuple:
        """Changes whenever the file (or its write-ahead log) does: a key for cached results."""
        files = [self.path, Path(f"{self.path}.wal")]
        return tuple((f.stat().st_mtime_ns, f.stat().st_size) if f.exists() else None for f in files)

    def count(self) -> int:
        return int(self._query("SELECT count(*) AS n FROM runs").iloc[0, 0])

    def choices(self) -> dict[str, list[str]]:
        """Distinct values of each filter column, for the dropdowns."""
        parts = " UNION ALL ".join(f"SELECT DISTINCT '{c}' AS col, CAST({c} AS VARCHAR) AS v FROM runs"
                                   for c in FILTERS)
        frame = self._query(parts)
        return {c: [ANY, *sorted(frame.loc[(frame["col"] == c) & frame["v"].notna(), "v"])] for c in FILTERS}

    def list_runs(self, filters: RunFilters = RunFilters()) -> pd.DataFrame:
        """Runs, newest first, narrowed by the filters."""
        where, params = [], []
        for column in FILTERS:
            value = getattr(filters, column)
            if value != ANY:
                where.append(f"{column} = ?")
                params.append(value)
        clause = f"WHERE {' AND '.join(where)}" if where else ""
        return self._query(
            "SELECT run_id, strftime(started_at, '%Y-%m-%d %H:%M:%S') AS started, suite, scenario, variant, repeat,"
            " status, git_commit, left(coalesce(error, ''), 120) AS error FROM runs "
            f"{clause} ORDER BY started_at DESC, run_id LIMIT {LIST_LIMIT}", params)

    def run_detail(self, run_id: str) -> RunDetail | None:
        """One run with its dialogue, per-turn latency and WER, events, recording and annotations."""
        with self._lock, RunLog(self.path, read_only=True) as runlog:
            run = runlog.query("SELECT * FROM runs WHERE run_id = ?", [run_id])
            if run.empty:
                return None
            turns = runlog.query("SELECT seq, who, text, reference, start_s, end_s FROM turns WHERE run_id = ?"
                           " ORDER BY seq", [run_id])
            metrics = runlog.query("SELECT seq, name, value FROM metrics WHERE run_id = ? AND seq IS NOT NULL"
                             f" AND name IN {TURN_METRICS}", [run_id])
            events = runlog.query("SELECT t_s, direction, type, CASE WHEN type = ? THEN NULL ELSE payload END"
                            " AS payload FROM events WHERE run_id = ? ORDER BY t_s, type", [TRACE_EVENT, run_id])
            audio = runlog.execute("SELECT kind, path FROM audio WHERE run_id = ? ORDER BY kind = 'stereo' DESC",
                                   [run_id])
            notes = runlog.query("SELECT annotation_id, seq, author, label, rating, note,"
                           " strftime(created_at, '%Y-%m-%d %H:%M') AS created FROM annotations WHERE run_id = ?"
                           " ORDER BY annotation_id", [run_id])
        per_turn = metrics.pivot_table(index="seq", columns="name", values="value", aggfunc="mean") \
            if not metrics.empty else pd.DataFrame()
        for name in TURN_METRICS:
            turns[name] = turns["seq"].map(per_turn[name]) if name in per_turn else float("nan")
        return RunDetail(run=run.iloc[0].to_dict(), turns=turns, events=events,
                         audio_path=audio[0][1] if audio else None, annotations=notes,
                         assessment=_assessment(events))

    def compare_frames(self, suite: str, variants: list[str], scenarios: list[str]) -> dict[str, pd.DataFrame]:
        """runs, metrics and turns of the chosen suite, variants and scenarios: the columns evals.metric_rows and
        build_report read, no more (at 10,000 runs the turns' texts and the runs' configs were most of the read)."""
        marks = lambda values: ", ".join("?" for _ in values)  # noqa: E731
        where = f"suite = ? AND variant IN ({marks(variants)})"
        params = [suite, *variants]
        if scenarios:
            where += f" AND scenario IN ({marks(scenarios)})"
            params += scenarios
        chosen = f"SELECT run_id FROM runs WHERE {where}"
        with self._lock, RunLog(self.path, read_only=True) as runlog:
            return {
                "runs": runlog.query(f"SELECT run_id, variant, scenario, status FROM runs WHERE {where}", params),
                "metrics": runlog.query(f"SELECT run_id, name, value FROM metrics WHERE run_id IN ({chosen})", params),
                "turns": runlog.query(f"SELECT run_id, {', '.join(STAGE_COLUMNS)} FROM turns"
                                      f" WHERE run_id IN ({chosen})", params),
            }

    def suite_choices(self, suite: str) -> dict[str, list[str]]:
        """The variants and scenarios a suite's runs have."""
        frame = self._query("SELECT DISTINCT variant, scenario FROM runs WHERE suite = ?", [suite])
        return {"variant": sorted(set(frame["variant"])), "scenario": sorted(set(frame["scenario"]))}

    def audio_paths(self) -> list[str]:
        """Every recording path the log names."""
        return list(self._query("SELECT DISTINCT path FROM audio")["path"])

    def annotate(self, run_id: str, **fields) -> int:
        """Store an annotation (RunLog.annotate validates it); opens the file read-write for that moment."""
        with self._lock, RunLog(self.path) as runlog:
            if not runlog.execute("SELECT 1 FROM runs WHERE run_id = ?", [run_id]):
                raise ValueError(f"run {run_id} is not in {self.path}")
            return runlog.annotate(run_id, **fields)


def _assessment(events: pd.DataFrame) -> dict | None:
    """The AI's assessment when the run logged one (an 'assessment' event)."""
    found = events[events["type"] == ASSESSMENT_EVENT]
    if found.empty or found.iloc[-1]["payload"] is None:
        return None
    value = json.loads(found.iloc[-1]["payload"])
    return value if isinstance(value, dict) else None
