"""Real runs: the simulated candidate and the real agent in a devserver room, rows in DuckDB."""

from __future__ import annotations

import dataclasses
import wave
from functools import partial

import pytest

from hrlab.lab.batch import LanguageVoices
from hrlab.lab.live_stack import live_stack
from hrlab.lab.runner import RunSpec, run_batch, run_live
from hrlab.lab.scenario import load_scenario
from hrlab.lab.store import RunLog
from hrlab.lab.variant import load_variant, variant_path

pytestmark = [pytest.mark.livekit, pytest.mark.slow]


@pytest.fixture(scope="module")
def stack(tmp_path_factory):
    from hrlab.devserver.netns import in_private_network

    if not in_private_network():
        pytest.skip("needs a private network namespace: run via scripts/test-livekit.sh (make test does)")
    with live_stack(tmp_path_factory.mktemp("live")) as running:
        yield running


def _specs() -> list[RunSpec]:
    good = load_scenario("scenarios/en_short.toml")
    broken_turn = dataclasses.replace(good.turns[1], audio="../shared/corpus/no_such_clip.wav")
    broken = dataclasses.replace(good, name="en_short_broken", turns=(good.turns[0], broken_turn, good.turns[2]))
    variant = load_variant(variant_path("default"))
    return [RunSpec("live-test", broken, variant, 0), RunSpec("live-test", good, variant, 0)]


async def test_batch_logs_real_runs_and_isolates_a_broken_one(stack, tmp_path):
    specs = _specs()
    with RunLog(tmp_path / "runs.duckdb") as runlog:
        run_one = partial(run_live, stack=stack, runlog=runlog, voices=LanguageVoices(), out_dir=tmp_path)
        result = await run_batch(specs, run_one=run_one, runlog=runlog)
        runs = runlog.frame("runs").set_index("scenario")
        assert runs.loc["en_short_broken", "status"] == "error"
        assert "no_such_clip.wav" in runs.loc["en_short_broken", "error"]
        assert runs.loc["en_short", "status"] == "ok", runs.loc["en_short", "error"]
        run_id = runs.loc["en_short", "run_id"]
        assert result.ok == [run_id] and len(result.error) == 1

        turns = runlog.frame("turns").query("run_id == @run_id")
        assert list(turns["who"])[:2] == ["ai", "candidate"]
        ai_kinds = list(turns[turns["who"] == "ai"]["kind"])  # the agent's label of each AI line, via its DB row
        assert ai_kinds[0] == "opening:script" and ai_kinds[-1] == "closing:script:candidate_ended", ai_kinds
        answers = turns[turns["who"] == "candidate"]
        assert len(answers) == 2 and answers["reference"].notna().all()
        events = runlog.frame("events").query("run_id == @run_id")
        received = list(events[events["direction"] == "received"]["type"])
        assert received[:3] == ["question", "ai_speaking_start", "ai_speaking_end"]
        assert received[-1] == "interview_complete"
        metrics = runlog.frame("metrics").query("run_id == @run_id")
        latencies = metrics[metrics["name"] == "latency_s"]["value"]
        assert len(latencies) == 2 and (latencies > 0).all()
        assert metrics.set_index("name").loc["ended_properly", "value"] == 1.0
        (audio_path,) = runlog.frame("audio").query("run_id == @run_id")["path"]
        with wave.open(audio_path) as wav:
            assert wav.getnchannels() == 2 and wav.getnframes() > 16_000 * 20

        again = await run_batch(specs, run_one=run_one, runlog=runlog, resume=True)
        assert again.skipped == 2 and not again.ok and not again.error
        assert len(runlog.frame("runs")) == 2
