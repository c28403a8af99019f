"""Live rooms at concurrency 1, 2, 4: latency, false cut-offs, CPU per component; and in-process speed-up.

Run: .venv/bin/python -m hrlab.devserver.netns -- .venv/bin/python -m bench.lab_throughput
     [--scenarios en_thinking_pauses ru_rambling_pauses en_short ru_short] [--concurrency 1 2 4] [--speed 5]
Live: at each concurrency N, every scenario, repeated until there are at least N runs, N at a time
(devserver, real agent worker, simulated candidates, all on this machine). Per level: voice-to-voice
(end of the candidate's speech to the first AI audio heard, an acknowledgement included) and time to
the next question, p50 / p95; false cut-offs (the AI spoke inside a scripted thinking pause); CPU
seconds per interview minute, sampled from /proc for the agent worker's components (its threads are
named by component), the runner (simulated candidates), the devserver and festival, over the span
from the first run's start to the last run's end.
In-process: the first scenario rehearsed at `speed`x; the factor is dialogue time over wall time.
Prints markdown tables; numbers go to BENCHMARKS.md.
"""

from __future__ import annotations

import argparse
import asyncio
import math
import tempfile
import time
from datetime import timezone
from pathlib import Path

import pandas as pd

from bench.process_cpu import CpuSampler
from hrlab.lab.batch import BatchRequest, run_in_process
from hrlab.lab.store import load

SCENARIOS = ("en_thinking_pauses", "ru_rambling_pauses", "en_short", "ru_short")
CPU_ROWS = ("stt", "qwen2.5-1.5b", "tts", "turn", "framework", "runner", "devserver", "festival")


def _percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def _p50_p95(values: list[float]) -> str:
    return f"{_percentile(values, 0.5):.2f} / {_percentile(values, 0.95):.2f} s ({len(values)})" if values else "-"


def _epoch(stamp) -> float:
    return pd.Timestamp(stamp).to_pydatetime().replace(tzinfo=timezone.utc).timestamp()


async def live(scenarios: tuple[str, ...], *, concurrency: int, folder: Path, sampler: CpuSampler
               ) -> tuple[str, dict[str, float]]:
    """One concurrency level: the latency row, and CPU seconds per interview minute by bucket."""
    out = folder / f"live-{concurrency}.duckdb"
    repeats = max(1, math.ceil(concurrency / len(scenarios)))
    request = BatchRequest(scenarios=scenarios, repeats=repeats, concurrency=concurrency)
    started = time.perf_counter()
    result = await run_in_process(request, out=out, transport="devserver", resume=False)
    wall = time.perf_counter() - started
    metrics, runs = load(out, "metrics"), load(out, "runs")

    def values(name: str) -> list[float]:
        return [float(v) for v in metrics[metrics["name"] == name]["value"]]

    cutoffs = values("false_cutoff")
    minutes = sum(values("duration_s")) / 60
    span = (_epoch(runs["started_at"].min()), _epoch(runs["ended_at"].max()))
    cpu = {label: seconds / minutes for label, seconds in sampler.between(*span).items()} if minutes else {}
    row = (f"| {concurrency} | {len(result.ok)} ok / {len(result.error)} failed | {wall:.0f} s | "
           f"{_p50_p95(values('latency_s'))} | {_p50_p95(values('time_to_question_s'))} | "
           f"{sum(cutoffs):.0f} / {len(cutoffs)} | {sum(cpu.values()):.1f} |")
    return row, cpu


async def inprocess(scenario: str, *, speed: float, folder: Path) -> str:
    out = folder / "inprocess.duckdb"
    request = BatchRequest(scenarios=(scenario,))
    started = time.perf_counter()
    result = await run_in_process(request, out=out, transport="inprocess", resume=False, speed=speed)
    wall = time.perf_counter() - started
    metrics = load(out, "metrics").set_index("name")
    dialogue = float(metrics.loc["duration_s", "value"]) * speed  # the rehearsal clock runs `speed` times fast
    return (f"| {scenario}, {speed:g}x clock | {len(result.ok)} ok / {len(result.error)} failed | {wall:.0f} s | "
            f"{dialogue / wall:.2f}x real time (dialogue {dialogue:.0f} s, wall incl. model load and assessment) |")


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scenarios", nargs="+", default=list(SCENARIOS))
    parser.add_argument("--concurrency", type=int, nargs="+", default=[1, 2, 4])
    parser.add_argument("--speed", type=float, default=5.0)
    args = parser.parse_args()
    rows, cpu = [], {}
    with tempfile.TemporaryDirectory() as tmp, CpuSampler() as sampler:
        for concurrency in args.concurrency:
            row, cpu[concurrency] = await live(tuple(args.scenarios), concurrency=concurrency, folder=Path(tmp),
                                               sampler=sampler)
            rows.append(row)
        speed_row = await inprocess(args.scenarios[0], speed=args.speed, folder=Path(tmp))
    print(f"live rooms, {time.strftime('%Y-%m-%d')}, scenarios {' '.join(args.scenarios)}")
    print("| at once | runs | wall | voice-to-voice p50 / p95 (n) | time to question p50 / p95 (n) "
          "| false cut-offs | CPU s per interview minute |")
    print("|---|---|---|---|---|---|---|")
    print("\n".join(rows))
    print("\nCPU seconds per interview minute, by component (agent worker threads by name; other processes whole)")
    labels = [label for label in CPU_ROWS if any(label in c for c in cpu.values())]
    labels += sorted({label for c in cpu.values() for label in c} - set(labels))
    print("| component | " + " | ".join(f"{n} at once" for n in cpu) + " |")
    print("|---|" + "---|" * len(cpu))
    for label in labels:
        print(f"| {label} | " + " | ".join(f"{c.get(label, 0.0):.1f}" for c in cpu.values()) + " |")
    print("\n| in-process | runs | wall | speed |\n|---|---|---|---|")
    print(speed_row)


if __name__ == "__main__":
    asyncio.run(main())
