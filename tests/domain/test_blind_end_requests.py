"""A blind estimate of end-request recognition: prints the figures, asserts only the set's shape.

The set was written after the rules it measures and scored once (see its header). Its figures are an
estimate of how the rules do on phrasings nobody tuned them on, not a regression check: asserting them
would invite tuning on the set, and then it would no longer be blind. Regressions are caught by
test_understanding.py on the labelled set. Set 1 (2026-12-01, 132 rows) was scored once, then used
for fixes, and is now the labelled set's `heldout3` split; this is set 2, written after those fixes.
"""

from __future__ import annotations

import csv
from functools import lru_cache
from pathlib import Path

from hrlab.domain.understanding import TURN_KINDS, understand

BLIND = Path(__file__).parent / "data" / "end_requests_blind2_2026-12-01.tsv"
LANGUAGES = ("en", "ru")
MIN_ROWS_PER_LANGUAGE = 60
MIN_SHARE_PER_SIDE = 0.4  # about half requests to end, half hard negatives


@lru_cache(maxsize=1)
def blind_rows() -> tuple[tuple[str, str, str, str], ...]:
    with BLIND.open(encoding="utf-8", newline="") as handle:
        lines = [line for line in handle if not line.startswith("#")]
    reader = csv.DictReader(lines, delimiter="\t", quoting=csv.QUOTE_NONE)
    return tuple((r["language"], r["question"], r["text"], r["kind"]) for r in reader)


def _figures(language: str) -> tuple[str, list[str]]:
    """One line of figures for a language and the rows the rules got wrong."""
    tp = fp = fn = correct = n = 0
    misses = []
    for lang, question, text, gold in blind_rows():
        if lang != language:
            continue
        got = understand(text, language=lang, question=question)
        n += 1
        correct += got.kind == gold
        tp += gold == got.kind == "end_request"
        fp += got.kind == "end_request" != gold
        fn += gold == "end_request" != got.kind
        if got.kind != gold:
            misses.append(f"  [{lang}] {gold} -> {got.kind} ({got.reason}): {text}")
    precision = tp / (tp + fp) if tp + fp else 1.0
    recall = tp / (tp + fn) if tp + fn else 1.0
    line = (f"{language}: n={n}, end_request precision {precision:.2f} ({tp}/{tp + fp}), "
            f"recall {recall:.2f} ({tp}/{tp + fn}), accuracy {correct / n:.3f} ({correct}/{n})")
    return line, misses


def test_the_blind_set_has_its_header_and_shape():
    assert BLIND.read_text(encoding="utf-8").startswith("# Blind end-request set 2, written 2026-12-01")
    rows = blind_rows()
    assert {kind for *_, kind in rows} <= set(TURN_KINDS)
    for language in LANGUAGES:
        kinds = [kind for lang, _, _, kind in rows if lang == language]
        ends = sum(kind == "end_request" for kind in kinds)
        assert len(kinds) >= MIN_ROWS_PER_LANGUAGE, language
        assert MIN_SHARE_PER_SIDE <= ends / len(kinds) <= 1 - MIN_SHARE_PER_SIDE, language
    assert len({text for _, _, text, _ in rows}) == len(rows)


def test_blind_figures_are_printed_not_asserted():
    report, misses = [], []
    for language in LANGUAGES:
        line, wrong = _figures(language)
        report.append(line)
        misses += wrong
    print("\nblind end-request set (an estimate, scored once):\n" + "\n".join(report)
          + "\nmisses:\n" + ("\n".join(misses) or "  none"))
    assert len(report) == len(LANGUAGES)
