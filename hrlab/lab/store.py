"""The research run log: one DuckDB file with a versioned schema (see schema.py).

Record a run with `RunLog.start_run(...)`, which returns a RunRecorder; add turns, events, metrics
and audio paths to it, then `finish_ok()` / `finish_error(exc)` / `finish_interrupted()`. Writing
never raises for bad run data: a failed write becomes the run's error text.
"""

from __future__ import annotations

import json
import logging
import threading
import uuid
import warnings
from datetime import datetime, timezone
from pathlib import Path
from typing import Iterable

import duckdb
import pandas as pd

from hrlab.errors import ConfigError
from hrlab.lab.schema import BATCH_COLUMNS, LATEST_VERSION, MIGRATIONS, ORDER_BY, TABLES

log = logging.getLogger(__name__)
RunKey = tuple[str, str, str, int]  # (suite, scenario, variant, repeat)
FINISHED = ("ok", "error")
TRACE_EVENT = "run_trace"
MAX_ERROR_CHARS = 8000


class RunLogError(ConfigError):
    """The run log file cannot be used (newer schema, unreadable, read-only and outdated)."""

    code = "runlog_error"


def _now() -> datetime:
    return datetime.now(timezone.utc).replace(tzinfo=None)


def _json(value: object) -> str | None:
    if value is None:
        return None
    return json.dumps(value, ensure_ascii=False, default=str)


def schema_version(conn: duckdb.DuckDBPyConnection) -> int:
    """The highest applied migration, 0 for an empty database."""
    exists = conn.execute(
        "SELECT count(*) FROM information_schema.tables WHERE table_name = 'schema_version'"
    ).fetchone()[0]
    if not exists:
        return 0
    return conn.execute("SELECT coalesce(max(version), 0) FROM schema_version").fetchone()[0]


def migrate(conn: duckdb.DuckDBPyConnection, *, target: int = LATEST_VERSION, file: str = "run log") -> int:
    """Apply the migrations after the current version up to `target`; refuse a newer database."""
    current = schema_version(conn)
    if current > LATEST_VERSION:
        raise RunLogError(f"{file} has schema version {current}, newer than this hrlab understands "
                          f"({LATEST_VERSION}); upgrade hrlab or use another file")
    if current == 0:
        conn.execute("CREATE TABLE schema_version (version INTEGER PRIMARY KEY, applied_at TIMESTAMP NOT NULL)")
    for version, statements in MIGRATIONS:
        if current < version <= target:
            conn.execute("BEGIN TRANSACTION")
            try:
                for statement in statements:
                    conn.execute(statement)
                conn.execute("INSERT INTO schema_version VALUES (?, ?)", [version, _now()])
                conn.execute("COMMIT")
            except BaseException:
                conn.execute("ROLLBACK")
                raise
            current = version
    return current


class RunLog:
    """One DuckDB run-log file; migrates forward on open (read-write), refuses newer schemas."""

    def __init__(self, path: str | Path, *, read_only: bool = False):
        self.path = Path(path)
        self.read_only = read_only
        self._lock = threading.RLock()  # one connection, shared by the runner's concurrent runs
        if not read_only:
            self.path.parent.mkdir(parents=True, exist_ok=True)
        elif not self.path.is_file():
            raise RunLogError(f"run log {self.path} does not exist")
        try:
            self._conn = duckdb.connect(str(self.path), read_only=read_only)
        except duckdb.Error as exc:
            raise RunLogError(f"cannot open run log {self.path}: {exc}") from None
        try:
            self._open_schema()
        except BaseException:
            self._conn.close()
            raise

    def _open_schema(self) -> None:
        version = schema_version(self._conn)
        if version > LATEST_VERSION:
            raise RunLogError(f"{self.path} has schema version {version}, newer than this hrlab understands "
                              f"({LATEST_VERSION}); upgrade hrlab or use another file")
        if self.read_only and version < LATEST_VERSION:
            raise RunLogError(f"{self.path} has schema version {version}, older than {LATEST_VERSION}; "
                              "open it read-write once to migrate it")
        if version < LATEST_VERSION:
            migrate(self._conn, file=str(self.path))

    def close(self) -> None:
        with self._lock:
            self._conn.close()

    def __enter__(self) -> RunLog:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    @property
    def version(self) -> int:
        with self._lock:
            return schema_version(self._conn)

    def execute(self, sql: str, params: Iterable | None = None) -> list[tuple]:
        """Run one statement under the log's lock and return its rows."""
        with self._lock:
            return self._conn.execute(sql, list(params or [])).fetchall()

    # --- recording ------------------------------------------------------------------------

    def start_run(self, *, suite: str, scenario: str, variant: str, repeat: int = 0,
                  git_commit: str | None = None, config_hash: str | None = None, transport: str | None = None,
                  language: str | None = None, config: dict | None = None,
                  run_id: str | None = None) -> RunRecorder:
        """Insert a run in status 'running' and return the recorder for its rows."""
        run_id = run_id or uuid.uuid4().hex
        self.execute(
            "INSERT INTO runs (run_id, suite, scenario, variant, repeat, git_commit, config_hash, status,"
            " started_at, transport, language, config) VALUES (?, ?, ?, ?, ?, ?, ?, 'running', ?, ?, ?, ?)",
            [run_id, suite, scenario, variant, repeat, git_commit, config_hash, _now(), transport, language,
             _json(config)],
        )
        return RunRecorder(self, run_id)

    def record_failed_run(self, *, error: BaseException | str, **run_fields) -> str:
        """A run that failed before it could start (bad scenario, no model): one row with its error."""
        recorder = self.start_run(**run_fields)
        recorder.finish_error(error)
        return recorder.run_id

    def annotate(self, run_id: str, *, author: str, label: str, note: str | None = None,
                 seq: int | None = None, rating: int | None = None) -> int:
        """Add an HR reviewer's label (note, 1..5 rating) to a run or one of its turns; returns its id."""
        if not author.strip() or not label.strip():
            raise ValueError("an annotation needs a non-empty author and label")
        if rating is not None and (isinstance(rating, bool) or rating not in range(1, 6)):
            raise ValueError(f"a rating is a whole number from 1 to 5, got {rating!r}")
        row = self.execute(
            "INSERT INTO annotations (run_id, seq, author, label, note, created_at, rating)"
            " VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING annotation_id", [run_id, seq, author, label, note, _now(), rating])
        return row[0][0]

    def recompute_metrics(self, *, suite: str | None = None, judge=None) -> int:
        """Recompute metrics of every run with a stored trace (optionally one suite); returns runs redone.

        Without a `judge`, the judge scores a run already has are kept: only a judge can redo them."""
        from hrlab.lab.metrics import RunTrace, compute_metrics
        from hrlab.lab.metrics.registry import JUDGE_PREFIX

        rows = self.execute(
            "SELECT e.run_id, e.payload FROM events e JOIN runs r USING (run_id) WHERE e.type = ?"
            " AND (? IS NULL OR r.suite = ?)", [TRACE_EVENT, suite, suite])
        for run_id, payload in rows:
            values = compute_metrics(RunTrace.from_json(json.loads(payload)), judge=judge)
            recorder = RunRecorder(self, run_id)
            # The assessment's figures come from the database after the run (assessment_metrics.py), not the trace.
            self.execute("DELETE FROM metrics WHERE run_id = ? AND NOT starts_with(name, 'assessment_')"
                         " AND (? OR NOT starts_with(name, ?))", [run_id, judge is not None, JUDGE_PREFIX])
            recorder.add_metrics(values)
            recorder.flush()
        return len(rows)

    # --- reading --------------------------------------------------------------------------

    def finished_keys(self, suite: str, *, statuses: Iterable[str] = FINISHED) -> set[RunKey]:
        """(suite, scenario, variant, repeat) of runs that reached one of `statuses`, for `--resume`."""
        statuses = list(statuses)
        marks = ", ".join("?" for _ in statuses)
        rows = self.execute(f"SELECT DISTINCT suite, scenario, variant, repeat FROM runs WHERE suite = ?"
                            f" AND status IN ({marks})", [suite, *statuses])
        return {(s, sc, v, int(r)) for s, sc, v, r in rows}

    def frame(self, table: str) -> pd.DataFrame:
        """One table as a pandas DataFrame, in a stable order (see schema.ORDER_BY)."""
        if table not in TABLES:
            raise ValueError(f"unknown run-log table {table!r}; tables: {', '.join(TABLES)}")
        with self._lock, warnings.catch_warnings():
            # duckdb's pandas conversion still uses an API pandas 3.1 deprecates; not ours to fix.
            warnings.simplefilter("ignore", pd.errors.Pandas4Warning)
            return self._conn.execute(f"SELECT * FROM {table} ORDER BY {ORDER_BY[table]}").df()

    def query(self, sql: str, params: Iterable | None = None) -> pd.DataFrame:
        """One read-only query's rows as a DataFrame (the dashboard's filtered views)."""
        with self._lock, warnings.catch_warnings():
            warnings.simplefilter("ignore", pd.errors.Pandas4Warning)
            return self._conn.execute(sql, list(params or [])).df()

    def frames(self) -> dict[str, pd.DataFrame]:
        """Every table as a DataFrame, keyed by table name."""
        return {table: self.frame(table) for table in TABLES}


class RunRecorder:
    """Collects one run's rows and writes them in one transaction when the run finishes (or on flush()).

    Storage errors are logged and kept, never raised, so a batch never crashes; a run whose rows
    could not all be written ends as an error naming them.
    """

    def __init__(self, runlog: RunLog, run_id: str):
        self.runlog = runlog
        self.run_id = run_id
        self.write_errors: list[str] = []
        self._pending: dict[str, list[tuple]] = {}

    def _write(self, table: str, row: tuple) -> None:
        self._pending.setdefault(table, []).append(row)

    def flush(self) -> None:
        """Write the rows collected so far in one transaction (one bulk insert per table); if that
        fails, retry row by row so the good rows are kept and the bad ones are named."""
        pending, self._pending = self._pending, {}
        if "turns" in pending:  # a re-sent turn replaces the earlier one, as INSERT OR REPLACE would
            pending["turns"] = list({row[1]: row for row in pending["turns"]}.values())
        if not pending:
            return
        try:
            self._bulk_insert(pending)
            return
        except Exception as exc:
            log.debug("run %s: bulk write failed (%s); writing row by row", self.run_id, exc)
        for table, rows in pending.items():
            columns = BATCH_COLUMNS[table]
            sql = f"{_insert(table)} INTO {table} VALUES ({', '.join('?' for _ in columns)})"
            for row in rows:
                try:
                    self.runlog.execute(sql, list(row))
                except Exception as exc:  # a bad value must not kill the run; it shows up in the run's error
                    self._failed(exc)

    def _bulk_insert(self, pending: dict[str, list[tuple]]) -> None:
        batches = {table: _frame(table, rows) for table, rows in pending.items()}
        conn = self.runlog._conn
        with self.runlog._lock:
            conn.execute("BEGIN TRANSACTION")
            try:
                for table, frame in batches.items():
                    conn.register("hrlab_batch", frame)
                    try:
                        conn.execute(f"{_insert(table)} INTO {table} SELECT * FROM hrlab_batch")
                    finally:
                        conn.unregister("hrlab_batch")
                conn.execute("COMMIT")
            except BaseException:
                conn.execute("ROLLBACK")
                raise

    def _failed(self, exc: Exception) -> None:
        log.warning("run %s: run-log write failed: %s", self.run_id, exc)
        self.write_errors.append(f"{type(exc).__name__}: {exc}")

    def add_turn(self, *, seq: int, who: str, text: str | None = None, reference: str | None = None,
                 start_s: float | None = None, end_s: float | None = None, stt_s: float | None = None,
                 llm_s: float | None = None, tts_s: float | None = None, figures: dict | None = None,
                 kind: str | None = None, grounded: bool | None = None) -> None:
        """One utterance: who said it, what, when (seconds from run start) and the pipeline's figures; for an
        AI line also what it was (`kind`, hrlab/domain/turn_kinds.py) and whether a follow-up built on the
        answer before it (`grounded`)."""
        self._write("turns", (self.run_id, seq, who, text, reference, start_s, end_s, stt_s, llm_s, tts_s,
                              _json(figures), kind, grounded))

    def add_event(self, *, t_s: float, direction: str, type: str, payload: object = None) -> None:
        """A protocol or timeline event; `direction` is e.g. 'sent', 'received' or 'local'."""
        self._write("events", (self.run_id, t_s, direction, type, _json(payload)))

    def add_metric(self, name: str, value: float | None, *, seq: int | None = None) -> None:
        """A run-level metric, or a turn-level one when `seq` is given."""
        self._write("metrics", (self.run_id, seq, name, None if value is None else float(value)))

    def add_metrics(self, values) -> None:
        """Store a metrics.MetricValues (run-level and per-turn) in one call."""
        for name, value in values.run.items():
            self.add_metric(name, value)
        for seq, name, value in values.turns:
            self.add_metric(name, value, seq=seq)

    def add_trace(self, trace, *, judge=None) -> None:
        """Compute a metrics.RunTrace's metrics and store them, with the trace itself as a 'run_trace'
        event so `recompute_metrics` can redo them after a metric changes. A metric error is kept, not raised."""
        from hrlab.lab.metrics import compute_metrics

        self.add_event(t_s=trace.duration_s or 0.0, direction="local", type=TRACE_EVENT, payload=trace.to_json())
        try:
            self.add_metrics(compute_metrics(trace, judge=judge))
        except Exception as exc:  # a judge or metric bug must not lose the run
            self._failed(exc)

    def add_audio(self, path: str | Path, *, kind: str = "stereo") -> None:
        """Where this run's recording lives (kind: 'stereo', 'candidate' or 'ai')."""
        self._write("audio", (self.run_id, kind, str(path)))

    def finish_ok(self) -> None:
        """Write the rows and mark the run done; rows that could not be written make it an error."""
        self.flush()
        if self.write_errors:
            self._finish("error", "run-log writes failed: " + "; ".join(self.write_errors[:5]))
        else:
            self._finish("ok", None)

    def finish_error(self, error: BaseException | str) -> None:
        """Mark the run failed with the error's type and message."""
        text = error if isinstance(error, str) else f"{type(error).__name__}: {error}"
        self._finish("error", text)

    def finish_interrupted(self, reason: str = "interrupted") -> None:
        """Mark a run cut short by Ctrl-C or cancellation."""
        self._finish("interrupted", reason)

    def _finish(self, status: str, error: str | None) -> None:
        self.flush()
        if error is not None and len(error) > MAX_ERROR_CHARS:
            error = error[:MAX_ERROR_CHARS] + " [truncated]"
        try:
            self.runlog.execute("UPDATE runs SET status = ?, error = ?, ended_at = ? WHERE run_id = ?",
                                [status, error, _now(), self.run_id])
        except Exception as exc:
            log.error("run %s: cannot record status %s: %s", self.run_id, status, exc)

    def __enter__(self) -> RunRecorder:
        return self

    def __exit__(self, exc_type, exc, tb) -> bool:
        """Exit ok, error (exception swallowed: a failed run is data) or interrupted (re-raised)."""
        if exc is None:
            self.finish_ok()
            return False
        if isinstance(exc, Exception):
            log.warning("run %s failed: %s: %s", self.run_id, type(exc).__name__, exc)
            self.finish_error(exc)
            return True
        self.finish_interrupted(type(exc).__name__)
        return False


def _insert(table: str) -> str:
    return "INSERT OR REPLACE" if table == "turns" else "INSERT"


def _frame(table: str, rows: list[tuple]) -> pd.DataFrame:
    """Rows as a DataFrame with nullable dtypes, so a NULL stays NULL (not NaN) in integer columns."""
    columns = list(zip(*rows))
    return pd.DataFrame({name: pd.array(list(values), dtype=dtype)
                         for (name, dtype), values in zip(BATCH_COLUMNS[table], columns)})


def load(path: str | Path, table: str = "runs") -> pd.DataFrame:
    """Read one run-log table into pandas (read-only)."""
    with RunLog(path, read_only=True) as runlog:
        return runlog.frame(table)


def load_all(path: str | Path) -> dict[str, pd.DataFrame]:
    """Read every run-log table into pandas (read-only)."""
    with RunLog(path, read_only=True) as runlog:
        return runlog.frames()
