"""Turn understanding's cost per turn: the rules, and the learned end-request opinion on top.

Run: .venv/bin/python -m bench.understanding_latency
Every turn of the labelled set is understood REPEATS times; the figures are the median and 99th
percentile per turn (the scorer alone: over the turns short enough to reach it). The scorer's
training (once per process, on first use) is timed on its own.
"""

from __future__ import annotations

import statistics
import time

from hrlab.domain.understanding import understand
from hrlab.domain.understanding.learned import LABELLED, EndRequestScorer, default_scorer, labelled_examples
from hrlab.domain.understanding.pipeline import LEARNED_MAX_WORDS
from tests.domain.test_understanding import labelled

REPEATS = 5


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def main() -> None:
    for language in ("en", "ru"):
        start = time.perf_counter()
        EndRequestScorer.train(labelled_examples(LABELLED, language))
        print(f"train {language}: {(time.perf_counter() - start) * 1000:.0f} ms")
        default_scorer(language)  # trained here, so the turns below time only the scoring
    rows = labelled()
    turn_ms, score_ms = [], []
    for _ in range(REPEATS):
        for row in rows:
            start = time.perf_counter()
            understand(row.text, language=row.language, question=row.question)
            turn_ms.append((time.perf_counter() - start) * 1000)
            if len(row.text.split()) <= LEARNED_MAX_WORDS:  # longer turns never reach the scorer
                start = time.perf_counter()
                default_scorer(row.language).log_odds(row.text)
                score_ms.append((time.perf_counter() - start) * 1000)
    for name, values in (("understand()", turn_ms), ("scorer.log_odds() alone", score_ms)):
        print(f"{name}: median {statistics.median(values):.3f} ms, p99 {_percentile(values, 0.99):.3f} ms, "
              f"max {max(values):.3f} ms over {len(values)} turns")


if __name__ == "__main__":
    main()
