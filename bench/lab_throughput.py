"""Research runner throughput: live rooms at concurrency 1, 2, 4, and in-process speed-up.

Run: .venv/bin/python -m hrlab.devserver.netns -- .venv/bin/python -m bench.lab_throughput
     [--scenario en_short] [--runs 4] [--concurrency 1 2 4] [--speed 5]
Live: `runs` runs of one scenario at each concurrency (devserver, real agent, simulated
candidates), with every answer's voice-to-voice latency, so the cost of concurrency shows.
In-process: the same scenario rehearsed at `speed`x; the factor is dialogue time over wall time.
Prints a markdown table; numbers go to BENCHMARKS.md.
"""

from __future__ import annotations

import argparse
import asyncio
import tempfile
import time
from pathlib import Path

from hrlab.lab.batch import BatchRequest, run_in_process
from hrlab.lab.store import load


def _percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


async def live(scenario: str, *, runs: int, concurrency: int, folder: Path) -> str:
    out = folder / f"live-{concurrency}.duckdb"
    request = BatchRequest(scenarios=(scenario,), repeats=runs, concurrency=concurrency)
    started = time.perf_counter()
    result = await run_in_process(request, out=out, transport="devserver", resume=False)
    wall = time.perf_counter() - started
    metrics = load(out, "metrics")
    latency = list(metrics[metrics["name"] == "latency_s"]["value"])
    cells = (f"{_percentile(latency, 0.5):.2f} / {_percentile(latency, 0.95):.2f} s" if latency else "-")
    return (f"| live, concurrency {concurrency} | {len(result.ok)} ok / {len(result.error)} failed | "
            f"{wall:.0f} s | {len(result.ok) / wall * 60:.2f} runs/min | {cells} ({len(latency)} answers) |")


async def inprocess(scenario: str, *, speed: float, folder: Path) -> str:
    out = folder / "inprocess.duckdb"
    request = BatchRequest(scenarios=(scenario,))
    started = time.perf_counter()
    result = await run_in_process(request, out=out, transport="inprocess", resume=False, speed=speed)
    wall = time.perf_counter() - started
    metrics = load(out, "metrics").set_index("name")
    dialogue = float(metrics.loc["duration_s", "value"]) * speed  # the rehearsal clock runs `speed` times fast
    return (f"| in-process, {speed:g}x clock | {len(result.ok)} ok / {len(result.error)} failed | {wall:.0f} s | "
            f"{dialogue / wall:.2f}x real time (dialogue {dialogue:.0f} s, wall incl. model load and assessment) | - |")


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scenario", default="en_short")
    parser.add_argument("--runs", type=int, default=4)
    parser.add_argument("--concurrency", type=int, nargs="+", default=[1, 2, 4])
    parser.add_argument("--speed", type=float, default=5.0)
    args = parser.parse_args()
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for concurrency in args.concurrency:
            rows.append(await live(args.scenario, runs=args.runs, concurrency=concurrency, folder=Path(tmp)))
        rows.append(await inprocess(args.scenario, speed=args.speed, folder=Path(tmp)))
    print(f"research runner, {time.strftime('%Y-%m-%d')}, scenario {args.scenario}")
    print("| mode | runs | wall | throughput | voice-to-voice p50 / p95 |")
    print("|---|---|---|---|---|")
    print("\n".join(rows))


if __name__ == "__main__":
    asyncio.run(main())
