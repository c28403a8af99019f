"""Dashboard view load times at 10,000 runs (and 10,000 interviews), beside the same views on a small store.

Run: .venv/bin/python -m bench.dashboard_views [--runs 10000] [--interviews 10000] [--repeat 5]
Seeding: 100 runs and 100 interviews go through hrlab's own writers (tests/dashboard/seed.py); they
are then copied (new ids, spread start times) until the stores hold the asked-for counts, because the
writers take ~70 ms a run on this machine. Each view is timed as the server does it on a click or a
page load (queries + rendering of HTML and plots), median of `repeat` tries; the browser's own
rendering is not included (the lists show at most 500 rows whatever the store size).
The baseline is the same view over the 100-run / 100-interview stores, in the same run. The Compare view
is also timed once with the bootstrap as it was before the shared, windowed resampler
(tests/lab/stats_reference.py), on the same stores in the same run (`--no-before` skips it: ~30 s).
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from pathlib import Path

from sqlalchemy import text

from hrlab.dashboard import interviews_data
from hrlab.dashboard.compare_data import compare, latency_figure
from hrlab.dashboard.render import dialogue_html, latency_bars
from hrlab.dashboard.runs_data import RunFilters, RunStore
from hrlab.lab import evals
from hrlab.lab.store import RunLog
from hrlab.store.db import Database
from tests.dashboard.seed import SUITE, VARIANTS, seed_database, seed_runlog
from tests.lab.stats_reference import ReferenceBootstraps

SEED_RUNS_REPEATS = 25  # x 2 scenarios x 2 variants = 100 runs through the writer
TARGET_S = 1.0


def grow_runlog(path: Path, target: int) -> None:
    """Copy the seeded runs (every table) until the log holds `target` runs."""
    with RunLog(path) as runlog:
        have = base = runlog.execute("SELECT count(*) FROM runs")[0][0]
        copy = 0
        while have < target:
            copy += 1
            take = min(base, target - have)
            suffix = f"'-c{copy}'"
            chosen = f"(SELECT run_id FROM runs WHERE NOT contains(run_id, '-c') ORDER BY run_id LIMIT {take})"
            runlog.execute(f"INSERT INTO runs SELECT * REPLACE (run_id || {suffix} AS run_id, repeat + {copy} * 1000"
                           f" AS repeat, started_at + INTERVAL ({copy}) MINUTE AS started_at) FROM runs"
                           f" WHERE run_id IN {chosen}")
            for table in ("turns", "events", "metrics", "audio"):
                runlog.execute(f"INSERT INTO {table} SELECT * REPLACE (run_id || {suffix} AS run_id) FROM {table}"
                               f" WHERE run_id IN {chosen}")
            have += take


def grow_database(url: str, target: int) -> None:
    """Copy the seeded interviews (resumes, sessions, turns) until the database holds `target` interviews."""
    database = Database(url)
    with database.engine.begin() as conn:
        have = conn.execute(text("SELECT count(*) FROM interview_sessions")).scalar()
        base = have
        copy = 0
        while have < target:
            copy += 1
            take = min(base, target - have)
            offset = copy * 1_000_000
            conn.execute(text(
                f"INSERT INTO resumes (id, status, candidate_name, language, skills, roles, years_experience, raw_text,"
                f" source_name, created_at) SELECT id + {offset}, status, candidate_name || ' {copy}', language,"
                f" skills, roles, years_experience, raw_text, source_name, created_at FROM resumes WHERE id <= {take}"))
            conn.execute(text(
                f"INSERT INTO interview_sessions (id, resume_id, room_name, status, created_at, started_at,"
                f" completed_at, transcript, ai_feedback, language, variant, end_reason) SELECT id + {offset},"
                f" resume_id + {offset}, room_name || '-{copy}', status, created_at, started_at, completed_at,"
                f" transcript, ai_feedback, language, variant, end_reason FROM interview_sessions WHERE id <= {take}"))
            conn.execute(text(
                f"INSERT INTO interview_turns (session_id, seq, speaker, text, started_at, ended_at) SELECT"
                f" session_id + {offset}, seq, speaker, text, started_at, ended_at FROM interview_turns"
                f" WHERE session_id <= {take}"))
            have += take
    database.dispose()


def timed(fn, repeat: int) -> float:
    fn()  # warm: imports (matplotlib) and first connections are paid once per server, not per click
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        fn()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def once_with_old_bootstrap(fn) -> float:
    """One try of `fn` with hrlab eval's bootstrap as it was before (one multinomial per cell and statistic)."""
    current = evals.Bootstraps
    evals.Bootstraps = ReferenceBootstraps
    try:
        started = time.perf_counter()
        fn()
        return time.perf_counter() - started
    finally:
        evals.Bootstraps = current


def views(store: RunStore, database: Database) -> dict:
    """What each view does on a page load or a click, as callables."""
    run_id = store.list_runs(RunFilters(status="ok")).iloc[0]["run_id"]

    def open_run():
        detail = store.run_detail(run_id)
        dialogue_html(detail.turns, detail.audio_path)
        latency_bars(detail.turns)

    def compare_view():
        latency_figure(compare(store, SUITE, list(VARIANTS)))

    return {
        "Interviews: list (page load)": lambda: (interviews_data.filter_choices(database),
                                                 interviews_data.list_interviews(database)),
        "Interviews: filtered (needs decision, name)": lambda: interviews_data.list_interviews(
            database, interviews_data.InterviewFilters(reviewed="needs decision", resume="Grace")),
        "Interviews: open one": lambda: interviews_data.interview_detail(database, 2),
        "Runs: list + filter choices (page load)": lambda: (store.choices(), store.list_runs()),
        "Runs: filtered (variant, status)": lambda: store.list_runs(RunFilters(variant=VARIANTS[1], status="ok")),
        "Runs: open one (dialogue, latency plot)": open_run,
        "Compare: tab load (suites, variants, scenarios)": lambda: (store.choices(), store.suite_choices(SUITE)),
        f"Compare: {SUITE}, 2 variants, all runs (bootstrap CIs, plot)": compare_view,
        "Annotate: load a run": lambda: store.run_detail(run_id),
    }


def build(folder: Path, runs: int, interviews: int) -> tuple[RunStore, Database]:
    path, url = folder / "runs.duckdb", f"sqlite:///{folder / 'hrlab.db'}"
    seed_runlog(path, repeats=SEED_RUNS_REPEATS, error_runs=0, audio_dir=folder)
    seed_database(url, interviews_count=100)
    grow_runlog(path, runs)
    grow_database(url, interviews)
    return RunStore(path), Database(url)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=10_000)
    parser.add_argument("--interviews", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--no-before", action="store_true", help="skip the Compare view with the old bootstrap")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        small_dir, big_dir = Path(tmp, "small"), Path(tmp, "big")
        small_dir.mkdir()
        big_dir.mkdir()
        started = time.perf_counter()
        small = build(small_dir, 100, 100)
        big = build(big_dir, args.runs, args.interviews)
        print(f"seeded in {time.perf_counter() - started:.0f} s: {big[0].count()} runs, "
              f"{args.interviews} interviews\n")
        small_views, big_views = views(*small), views(*big)
        print(f"| view | 100 runs / interviews (baseline) | {args.runs} runs / {args.interviews} interviews "
              f"| under {TARGET_S:.0f} s |")
        print("|---|---|---|---|")
        for name in big_views:
            base, at_scale = timed(small_views[name], args.repeat), timed(big_views[name], args.repeat)
            print(f"| {name} | {base * 1000:.0f} ms | {at_scale * 1000:.0f} ms | "
                  f"{'met' if at_scale < TARGET_S else 'NOT met'} |", flush=True)
            if name.startswith("Compare: " + SUITE) and not args.no_before:
                base, at_scale = once_with_old_bootstrap(small_views[name]), once_with_old_bootstrap(big_views[name])
                print(f"| {name}, before: old bootstrap, 1 try | {base * 1000:.0f} ms | {at_scale * 1000:.0f} ms | "
                      f"{'met' if at_scale < TARGET_S else 'NOT met'} |", flush=True)
        small[1].dispose()
        big[1].dispose()


if __name__ == "__main__":
    main()
