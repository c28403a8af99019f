"""A batch of live runs from a suite or from scenario and variant names, with a progress bar.

`run_suite` is what `hrlab run` and notebooks call. With the devserver, WebRTC clients need a
private network namespace (hrlab/devserver/README.md): from a process that is not in one, the
batch runs as a `hrlab run` subprocess inside one, and its progress is relayed here.
"""

from __future__ import annotations

import asyncio
import json
import logging
import os
import sys
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Callable

from hrlab.lab.paths import evals_dir
from hrlab.lab.runner import BatchResult, RunSpec, run_batch
from hrlab.lab.scenario import load_scenarios
from hrlab.lab.suite import load_suite
from hrlab.lab.variant import load_variant, variant_path

CANDIDATE_VOICES = {"en": "piper/en_US-joe", "ru": "festival/ru"}
PROGRESS_PREFIX = "HRLAB-PROGRESS "


@dataclass(frozen=True)
class BatchRequest:
    """What to run: a suite file, or scenario names with variant names, repeats and concurrency."""

    suite: str | None = None
    scenarios: tuple[str, ...] = ()
    variants: tuple[str, ...] = ("default",)
    repeats: int = 1
    concurrency: int = 1

    def specs(self) -> list[RunSpec]:
        """Every run, repeat as the outer loop (a batch cut short still covers every pair)."""
        if self.suite:
            suite = load_suite(_suite_path(self.suite))
            scenarios, variants, repeats, name = suite.load_scenarios(), suite.load_variants(), suite.repeats, suite.name
        else:
            scenarios = load_scenarios(list(self.scenarios))
            variants = [load_variant(variant_path(v)) for v in self.variants]
            repeats, name = self.repeats, "adhoc"
        return [RunSpec(name, s, v, r) for r in range(repeats) for s in scenarios for v in variants]

    def argv(self) -> list[str]:
        """The same request as `hrlab run` arguments."""
        if self.suite:
            return ["--suite", self.suite]
        args = list(self.scenarios)
        for variant in self.variants:
            args += ["--variant", variant]
        return args + ["--repeat", str(self.repeats), "--concurrency", str(self.concurrency)]


def _suite_path(suite: str) -> Path:
    path = Path(suite)
    return path if path.suffix == ".toml" else evals_dir() / f"{suite}.toml"


class LanguageVoices:
    """The simulated candidate's voice per language; each voice is loaded on first use."""

    def __init__(self):
        self._voices = {}

    def for_language(self, language: str):
        from hrlab.lab.voices import synthesizer_for

        if language not in self._voices:
            self._voices[language] = synthesizer_for(CANDIDATE_VOICES[language])
        return self._voices[language]


def work_dir_for(out: Path) -> Path:
    """Where a batch logging to `out` keeps its servers' database, logs and recordings."""
    return out.parent / f"{out.stem}-work"


def log_to_file(path: Path) -> None:
    """Send this process's logs (ours, the SDK's, the servers') to a file, so the terminal shows only progress."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handler = logging.FileHandler(path, encoding="utf-8")
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root = logging.getLogger()
    for old in list(root.handlers):
        root.removeHandler(old)
    root.addHandler(handler)
    root.setLevel(logging.INFO)


def needs_private_network(transport: str) -> bool:
    """Whether this process must hand the batch to a subprocess in a private network namespace."""
    from hrlab.devserver.netns import in_private_network

    return transport == "devserver" and not in_private_network()


async def run_in_process(request: BatchRequest, *, out: Path, transport: str, resume: bool,
                         progress: Callable[[str, str], None] | None = None, speed: float = 1.0) -> BatchResult:
    """Run the batch in this process: live rooms (servers started here) or in-process rehearsals."""
    from hrlab.lab.store import RunLog

    specs = request.specs()
    out.parent.mkdir(parents=True, exist_ok=True)
    work_dir = work_dir_for(out)
    voices = LanguageVoices()
    options = dict(runlog=None, concurrency=_concurrency(request), resume=resume, progress=progress)
    with RunLog(out) as runlog:
        options["runlog"] = runlog
        if transport == "inprocess":
            return await _rehearsals(specs, runlog=runlog, voices=voices, work_dir=work_dir, speed=speed,
                                     options=options)
        from hrlab.lab.assessment_metrics import record_assessments
        from hrlab.lab.live_stack import live_stack
        from hrlab.lab.runner import run_live

        livekit_url = os.environ.get("LIVEKIT_URL") if transport == "livekit" else None
        with live_stack(work_dir, livekit_url=livekit_url) as stack:
            result = await run_batch(specs, run_one=partial(run_live, stack=stack, runlog=runlog, voices=voices,
                                                            out_dir=work_dir), **options)
            await asyncio.to_thread(stack.settle_assessments)
            record_assessments(runlog, stack.database)
            return result


async def _rehearsals(specs, *, runlog, voices, work_dir: Path, speed: float, options: dict) -> BatchResult:
    from hrlab.lab.inprocess import run_inprocess
    from hrlab.providers import ModelRegistry

    registry = ModelRegistry()
    try:
        return await run_batch(specs, run_one=partial(run_inprocess, runlog=runlog, voices=voices,
                                                      work_dir=work_dir, registry=registry, speed=speed), **options)
    finally:
        registry.close()


def _concurrency(request: BatchRequest) -> int:
    if request.suite:
        return load_suite(_suite_path(request.suite)).concurrency
    return request.concurrency


async def run_suite(request: BatchRequest | str, *, out: str | Path | None = None, transport: str = "devserver",
                    resume: bool = False, progress_bar: bool = True, speed: float = 1.0) -> BatchResult:
    """Run a batch (a suite name/path, or a BatchRequest) and log it to DuckDB; awaitable in Jupyter."""
    if isinstance(request, str):
        request = BatchRequest(suite=request)
    from hrlab.lab.paths import default_runlog_path

    out = Path(out) if out else default_runlog_path()
    total = len(request.specs())
    bar = _progress_bar(total, progress_bar)
    try:
        if needs_private_network(transport):
            return await _run_in_namespace(request, out=out, resume=resume, bar=bar)
        return await run_in_process(request, out=out, transport=transport, resume=resume, speed=speed,
                                    progress=lambda run_id, status: _tick(bar, status))
    finally:
        bar.close()


def _progress_bar(total: int, enabled: bool):
    from tqdm.auto import tqdm

    return tqdm(total=total, unit="run", disable=not enabled, desc="runs")


def _tick(bar, status: str) -> None:
    bar.update(1)
    bar.set_postfix_str(status)


async def _run_in_namespace(request: BatchRequest, *, out: Path, resume: bool, bar) -> BatchResult:
    command = [sys.executable, "-m", "hrlab.devserver.netns", "--", sys.executable, "-m", "hrlab.cli", "run",
               *request.argv(), "--out", str(out), "--transport", "devserver", "--progress-json"]
    if resume:
        command.append("--resume")
    process = await asyncio.create_subprocess_exec(*command, stdout=asyncio.subprocess.PIPE)
    result, finished = BatchResult(), False
    async for raw in process.stdout:
        line = raw.decode(errors="replace").rstrip()
        if not line.startswith(PROGRESS_PREFIX):
            continue
        event = json.loads(line.removeprefix(PROGRESS_PREFIX))
        if event.get("done"):
            result.skipped, finished = event.get("skipped", 0), True
            continue
        getattr(result, event["status"]).append(event["run_id"])
        _tick(bar, event["status"])
    status = await process.wait()
    if not finished:  # it never got to the end of the batch: no namespace (not root), or a crash
        raise RuntimeError(f"`hrlab run` in a private network namespace stopped early (exit {status}); its "
                           f"error is above or in {work_dir_for(out) / 'run.log'}. Live rooms on the devserver "
                           "need root, or use --transport livekit (a real server) or inprocess")
    return result


def progress_json(run_id: str, status: str) -> None:
    """One progress line for a parent process (see `_run_in_namespace`)."""
    print(PROGRESS_PREFIX + json.dumps({"run_id": run_id, "status": status}), flush=True)
