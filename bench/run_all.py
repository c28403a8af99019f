"""Run every benchmark, one process each, and print their markdown tables (`make bench`).

The devserver and runner benchmarks use WebRTC clients, so they run in a private network namespace.
Numbers go to BENCHMARKS.md by hand, with the date and what else the machine was doing.
"""

from __future__ import annotations

import subprocess
import sys

BENCHES = [
    ("token endpoint", ["bench.token_endpoint"], False),
    ("providers", ["bench.providers_latency"], False),
    ("Whisper's encoder window", ["bench.whisper_window"], False),
    ("resume terms in the transcript (~15 min the first time; transcripts are cached)", ["bench.stt_terms"], False),
    ("agent", ["bench.agent_latency"], False),
    ("end-of-turn model", ["bench.turn_model"], False),
    ("devserver", ["bench.devserver_latency"], True),
    ("live rooms at concurrency 1, 2, 4 (latency, cut-offs, CPU per component)", ["bench.lab_throughput"], True),
    ("dashboard views", ["bench.dashboard_views"], False),
    ("how well the STT hears each lab voice (~10 min)", ["bench.voice_wer"], False),
    ("assessment models on the labelled set (~40 min)", ["bench.assessment_quality"], False),
]


def main() -> int:
    failed = []
    for title, module, needs_netns in BENCHES:
        command = [sys.executable, "-m", *module]
        if needs_netns:
            command = [sys.executable, "-m", "hrlab.devserver.netns", "--", *command]
        print(f"\n## {title}\n", flush=True)
        if subprocess.call(command) != 0:
            failed.append(title)
    if failed:
        print(f"\nfailed: {', '.join(failed)}", file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
