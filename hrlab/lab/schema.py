"""The run log's DuckDB schema, as numbered migrations applied in order; `schema_version` records each."""

from __future__ import annotations

MIGRATIONS: tuple[tuple[int, tuple[str, ...]], ...] = (
    (1, (
        """CREATE TABLE runs (
            run_id VARCHAR PRIMARY KEY, suite VARCHAR NOT NULL, scenario VARCHAR NOT NULL,
            variant VARCHAR NOT NULL, repeat INTEGER NOT NULL, git_commit VARCHAR, config_hash VARCHAR,
            status VARCHAR NOT NULL CHECK (status IN ('running', 'ok', 'error', 'interrupted')),
            error VARCHAR, started_at TIMESTAMP NOT NULL, ended_at TIMESTAMP, transport VARCHAR,
            language VARCHAR, config JSON)""",
        """CREATE TABLE turns (
            run_id VARCHAR NOT NULL, seq INTEGER NOT NULL,
            who VARCHAR NOT NULL CHECK (who IN ('ai', 'candidate')), text VARCHAR, reference VARCHAR,
            start_s DOUBLE, end_s DOUBLE, stt_s DOUBLE, llm_s DOUBLE, tts_s DOUBLE, figures JSON,
            PRIMARY KEY (run_id, seq))""",
        """CREATE TABLE events (
            run_id VARCHAR NOT NULL, t_s DOUBLE NOT NULL, direction VARCHAR NOT NULL,
            type VARCHAR NOT NULL, payload JSON)""",
        """CREATE TABLE metrics (
            run_id VARCHAR NOT NULL, seq INTEGER, name VARCHAR NOT NULL, value DOUBLE)""",
        """CREATE TABLE audio (
            run_id VARCHAR NOT NULL, kind VARCHAR NOT NULL, path VARCHAR NOT NULL)""",
    )),
    # v2: HR reviewers' notes on runs and turns, for the dashboard.
    (2, (
        "CREATE SEQUENCE annotation_ids START 1",
        """CREATE TABLE annotations (
            annotation_id BIGINT PRIMARY KEY DEFAULT nextval('annotation_ids'), run_id VARCHAR NOT NULL,
            seq INTEGER, author VARCHAR NOT NULL, label VARCHAR NOT NULL, note VARCHAR,
            created_at TIMESTAMP NOT NULL DEFAULT current_timestamp)""",
    )),
    # v3: what each AI turn was (the agent's kind:source:reaction label, hrlab/domain/turn_kinds.py) and,
    # for a follow-up, whether it builds on the candidate's previous answer (lab/metrics/grounding.py).
    (3, (
        "ALTER TABLE turns ADD COLUMN kind VARCHAR",
        "ALTER TABLE turns ADD COLUMN grounded BOOLEAN",
    )),
    # v4: a 1..5 rating on an annotation (a question's quality, agreement with the AI's assessment).
    (4, (
        "ALTER TABLE annotations ADD COLUMN rating INTEGER",
    )),
)

LATEST_VERSION = MIGRATIONS[-1][0]
TABLES = ("runs", "turns", "events", "metrics", "audio", "annotations")
# How loaders sort each table, so frames come back in the same order every time.
ORDER_BY = {
    "runs": "started_at, run_id", "turns": "run_id, seq", "events": "run_id, t_s, type",
    "metrics": "run_id, seq NULLS FIRST, name", "audio": "run_id, kind", "annotations": "annotation_id",
}

# Column order and pandas dtypes of the per-run tables, for bulk inserts from a DataFrame.
_S, _I, _F, _B = "string", "Int64", "Float64", "boolean"
BATCH_COLUMNS: dict[str, tuple[tuple[str, str], ...]] = {
    "turns": (("run_id", _S), ("seq", _I), ("who", _S), ("text", _S), ("reference", _S), ("start_s", _F),
              ("end_s", _F), ("stt_s", _F), ("llm_s", _F), ("tts_s", _F), ("figures", _S), ("kind", _S),
              ("grounded", _B)),
    "events": (("run_id", _S), ("t_s", _F), ("direction", _S), ("type", _S), ("payload", _S)),
    "metrics": (("run_id", _S), ("seq", _I), ("name", _S), ("value", _F)),
    "audio": (("run_id", _S), ("kind", _S), ("path", _S)),
}
