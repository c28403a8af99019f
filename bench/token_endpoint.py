"""Load the token endpoint: gunicorn + PostgreSQL, wrk on loopback; prints req/s and p50/p99 beside a bare
Flask handler under the same gunicorn and wrk settings, run in the same minutes, and the ratio of the two.
A third row is the floor of any implementation: the bare handler plus the endpoint's one SELECT on a plain
psycopg connection, so the ratio to it says what the endpoint adds beyond its one round trip.

Run: .venv/bin/python -m bench.token_endpoint [--seconds 15] [--connections 16] [--workers 3]
     [--storage redis://127.0.0.1:6379/14]
Needs Debian's wrk and a PostgreSQL server (HRLAB_TEST_POSTGRES_URL, as the tests use).
Target (DESIGN.md): at least 60% of the bare handler's req/s, p99 <= 50 ms at 16 connections.
"""

from __future__ import annotations

import argparse
import os
import re
import resource
import shutil
import subprocess
import sys
import tempfile
import time
import uuid
from datetime import datetime, timedelta, timezone
from pathlib import Path

import httpx
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from hrlab.config import load_settings
from hrlab.domain.resume import ParsedResume
from hrlab.store import resumes
from hrlab.store.db import Database
from hrlab.store.migrate import upgrade

ADMIN_URL = os.environ.get("HRLAB_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres")
SECRET = "bench-upstream-secret"
RESUMES = 500

WRK_SCRIPT = """
math.randomseed(os.time())
wrk.method = "POST"
wrk.headers["X-Hrlab-Upstream-Secret"] = "%s"
request = function()
  return wrk.format(nil, "/api/interview/" .. math.random(1, %d) .. "/token")
end
done = function(summary, latency, requests)
  io.write(string.format("RESULT requests=%%d seconds=%%.3f p50_us=%%d p99_us=%%d errors=%%d non2xx=%%d\\n",
    summary.requests, summary.duration / 1e6, latency:percentile(50), latency:percentile(99),
    summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout,
    summary.errors.status))
end
"""


def make_database() -> tuple[str, str]:
    name = f"hrlab_bench_{uuid.uuid4().hex[:8]}"
    admin = create_engine(ADMIN_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    url = make_url(ADMIN_URL).set(database=name).render_as_string(hide_password=False)
    upgrade(url)
    database = Database(url)
    parsed = ParsedResume("Bench Candidate", "en", ("python",), ("Developer",), 3.0, "Bench resume text")
    with database.session(write=True) as session:
        for _ in range(RESUMES):
            resumes.add_parsed(session, parsed, source_name="bench.md")
    database.dispose()
    return name, url


def drop_database(name: str) -> None:
    admin = create_engine(ADMIN_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE "{name}" WITH (FORCE)'))
    admin.dispose()


def create_bare_app():
    """The baseline: Flask answering the same route with a token-sized JSON body and doing nothing else."""
    from flask import Flask, jsonify

    app = Flask("bare")
    body = {"token": "x" * 620, "roomName": "interview_1_1764547200000", "serverUrl": "ws://127.0.0.1:7880"}

    @app.post("/api/interview/<resume_id>/token")
    def token(resume_id: str):
        return jsonify(body)

    @app.get("/healthz")
    def healthz():
        return jsonify({"status": "ok"})

    return app


def create_select_app():
    """The floor: the bare handler after the endpoint's own SELECT, one psycopg connection per worker."""
    import psycopg
    from flask import Flask, jsonify

    from hrlab.store.sessions import REUSE_QUERY

    url = make_url(os.environ["HRLAB_BENCH_DATABASE_URL"])
    connection = psycopg.connect(url.set(drivername="postgresql").render_as_string(hide_password=False),
                                 autocommit=True)
    compiled = REUSE_QUERY.compile(dialect=create_engine(url).dialect)
    constants = {key: value for key, value in compiled.params.items() if value is not None}
    app = Flask("select")
    body = {"token": "x" * 620, "roomName": "interview_1_1764547200000", "serverUrl": "ws://127.0.0.1:7880"}

    @app.post("/api/interview/<resume_id>/token")
    def token(resume_id: str):
        now = datetime.now(timezone.utc)
        params = {**constants, "resume_id": int(resume_id), "pending_since": now - timedelta(hours=1),
                  "heard_since": now - timedelta(minutes=2)}
        with connection.cursor() as cursor:
            cursor.execute(compiled.string, params)
            cursor.fetchone()
        return jsonify(body)

    @app.get("/healthz")
    def healthz():
        return jsonify({"status": "ok"})

    return app


def start_bare(port: int, workers: int, factory: str = "create_bare_app", env: dict | None = None) -> subprocess.Popen:
    command = [sys.executable, "-m", "gunicorn", "--workers", str(workers), "--threads", "1",
               "--bind", f"127.0.0.1:{port}", f"bench.token_endpoint:{factory}()"]
    process = subprocess.Popen(command, env={**os.environ, **(env or {})},
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return wait_healthy(process, port)


def start_api(url: str, port: int, workers: int, storage: str) -> subprocess.Popen:
    env = {**os.environ, "HRLAB_DATABASE_URL": url, "HRLAB_AUTH_MODE": "upstream",
           "HRLAB_UPSTREAM_SECRET": SECRET, "HRLAB_RATE_LIMIT_IP": "1000000/minute",
           "HRLAB_RATE_LIMIT_RESUME": "1000000/minute", "HRLAB_MAX_LIVE_SESSIONS": "100000",
           "HRLAB_RATE_LIMIT_STORAGE_URL": storage}
    process = subprocess.Popen(
        [sys.executable, "-m", "hrlab.cli", "api", "--port", str(port), "--workers", str(workers)],
        env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    return wait_healthy(process, port)


def wait_healthy(process: subprocess.Popen, port: int) -> subprocess.Popen:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"http://127.0.0.1:{port}/healthz").status_code == 200:
                return process
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    process.kill()
    raise SystemExit(f"the server on port {port} did not come up healthy within 30 s")


def run_wrk(port: int, *, seconds: int, connections: int) -> dict:
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
        script.write(WRK_SCRIPT % (SECRET, RESUMES))
    output = subprocess.run(
        ["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "-s", script.name, f"http://127.0.0.1:{port}"],
        capture_output=True, text=True, check=True,
    ).stdout
    Path(script.name).unlink()
    fields = dict(re.findall(r"(\w+)=([\d.]+)", output.split("RESULT", 1)[1]))
    return {key: float(value) for key, value in fields.items()}


def open_every_session(port: int) -> None:
    """The measured case is the common one, a token re-issued for a live session: open them all first."""
    with httpx.Client(headers={"X-Hrlab-Upstream-Secret": SECRET}) as client:
        for resume_id in range(1, RESUMES + 1):
            client.post(f"http://127.0.0.1:{port}/api/interview/{resume_id}/token").raise_for_status()


def _proc_cpu_seconds(pid: int) -> float:
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0  # exited in between
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")  # utime + stime


def _pids(match) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            comm, rest = stat[stat.index("(") + 1:stat.rindex(")")], stat[stat.rindex(")") + 2:].split()
            if match(comm, int(rest[1])):
                found.append(int(entry.name))
    return found


def _cpu_now(server_pid: int) -> dict:
    """CPU seconds so far of the server (gunicorn master and workers), PostgreSQL, and finished children (wrk)."""
    server = [server_pid, *_pids(lambda _comm, ppid: ppid == server_pid)]
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return {"server": sum(map(_proc_cpu_seconds, server)),
            "postgres": sum(map(_proc_cpu_seconds, _pids(lambda comm, _ppid: comm == "postgres"))),
            "wrk": children.ru_utime + children.ru_stime}


def measure(port: int, server_pid: int, *, seconds: int, connections: int) -> dict:
    """req/s and latency from wrk, and the CPU each part spent per request (robust to other load on the machine)."""
    run_wrk(port, seconds=3, connections=connections)  # warm-up: every worker's pool and caches
    before = _cpu_now(server_pid)
    result = run_wrk(port, seconds=seconds, connections=connections)
    after = _cpu_now(server_pid)
    cpu_ms = {part: (after[part] - before[part]) / result["requests"] * 1000 for part in before}
    return {**result, "rps": result["requests"] / result["seconds"], "cpu_ms": cpu_ms}


def row(label: str, result: dict) -> str:
    cpu = result["cpu_ms"]
    return (f"| {label} | {result['rps']:,.0f} req/s | p50 {result['p50_us'] / 1000:.1f} ms | "
            f"p99 {result['p99_us'] / 1000:.1f} ms | errors {int(result['errors'])}, non-2xx {int(result['non2xx'])} | "
            f"CPU per request: server {cpu['server']:.3f} ms, PostgreSQL {cpu['postgres']:.3f} ms, "
            f"wrk {cpu['wrk']:.3f} ms |")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--seconds", type=int, default=15)
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--workers", type=int, default=3)
    parser.add_argument("--port", type=int, default=18931)
    parser.add_argument("--storage", default="memory://", help="rate-limit storage (memory:// or redis://...)")
    args = parser.parse_args()
    if not shutil.which("wrk"):
        raise SystemExit("wrk is not installed: apt-get install wrk")
    load_settings()  # fail early on a broken environment
    name, url = make_database()
    try:
        api = start_api(url, args.port, args.workers, args.storage)
        try:
            open_every_session(args.port)
            endpoint = measure(args.port, api.pid, seconds=args.seconds, connections=args.connections)
        finally:
            api.terminate()
            api.wait()
        floor = measure_server(args.port + 2, args, "create_select_app", {"HRLAB_BENCH_DATABASE_URL": url})
    finally:
        drop_database(name)
    baseline = measure_server(args.port + 1, args, "create_bare_app")
    setup = f"gunicorn {args.workers} workers, wrk {args.connections} connections, {args.seconds} s"
    print(row(f"token endpoint, PostgreSQL, limits {args.storage}, {setup}", endpoint))
    print(row(f"bare Flask handler, same JSON size, {setup}", baseline))
    print(row(f"bare Flask handler after the endpoint's SELECT (psycopg), {setup}", floor))
    ratio = endpoint["rps"] / baseline["rps"]
    p99_ms = endpoint["p99_us"] / 1000
    verdict = "met" if ratio >= 0.6 and p99_ms <= 50 else "not met"
    print(f"ratio: the endpoint serves {ratio:.0%} of the bare handler's req/s; p99 {p99_ms:.1f} ms "
          f"(target >= 60% and <= 50 ms: {verdict}); by CPU per request it costs {cpu_cost(endpoint, baseline):.2f}x "
          f"a bare request; load average {os.getloadavg()[0]:.2f}")
    print(f"floor: the bare handler with the SELECT serves {floor['rps'] / baseline['rps']:.0%} of the bare "
          f"handler's req/s; the endpoint serves {endpoint['rps'] / floor['rps']:.0%} of the floor's and costs "
          f"{cpu_cost(endpoint, floor):.2f}x its CPU per request")


def measure_server(port: int, args: argparse.Namespace, factory: str, env: dict | None = None) -> dict:
    server = start_bare(port, args.workers, factory, env)
    try:
        return measure(port, server.pid, seconds=args.seconds, connections=args.connections)
    finally:
        server.terminate()
        server.wait()


def cpu_cost(result: dict, reference: dict) -> float:
    """CPU per request (server, PostgreSQL, wrk) as a multiple of the reference's."""
    return sum(result["cpu_ms"].values()) / sum(reference["cpu_ms"].values())


if __name__ == "__main__":
    main()
