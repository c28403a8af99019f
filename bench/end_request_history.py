"""Rules plus the learned end-request opinion, replayed on each blind set with the rules it was scored with.

Run: .venv/bin/python -m bench.end_request_history   (needs the git history of this repo)
The labelled set's `heldout3` and `heldout4` splits were blind end-request sets 1 and 2, each scored once
with the rules of the commit named below, then used for fixes. Here each set meets those old rules
(taken from git into a temporary folder) and a scorer trained only on the splits that existed then, so
neither saw the set. The same threshold and word cap as today are used, with and without today's veto
table; the veto and the threshold were written after these sets were read, so those columns lean
optimistic, and the "rules then" column is the estimate that was reported at the time.
"""

from __future__ import annotations

import json
import subprocess
import sys
import tarfile
import tempfile
from io import BytesIO
from pathlib import Path

from hrlab.domain.understanding.classify import vetoes_end_request
from hrlab.domain.understanding.learned import THRESHOLDS, EndRequestScorer
from hrlab.domain.understanding.pipeline import LEARNED_MAX_WORDS
from hrlab.domain.understanding.text import read_turn
from tests.domain.test_understanding import labelled

REPO = Path(__file__).resolve().parents[1]
# blind split -> (commit whose rules scored it, splits that existed before it)
REPLAYS = {
    "heldout3": ("8cae8c7", ("dev", "heldout", "heldout2", "live", "dev2")),
    "heldout4": ("fc5d17e", ("dev", "heldout", "heldout2", "live", "dev2", "heldout3")),
}
_VERDICTS = """
import json, sys
from hrlab.domain.understanding import understand
from hrlab.domain.understanding.classify import DEFAULT_REASON
rows = json.load(sys.stdin)
print(json.dumps([[(u := understand(t, language=l, question=q)).kind, u.reason == DEFAULT_REASON] for l, q, t in rows]))
"""


def old_rule_verdicts(commit: str, rows: list[tuple[str, str, str]]) -> list[tuple[str, bool]]:
    """(kind, no rule fired) for each row, from the understanding package as it was at `commit`."""
    archive = subprocess.run(["git", "-C", str(REPO), "archive", commit, "hrlab"], check=True, capture_output=True)
    with tempfile.TemporaryDirectory() as folder:
        tarfile.open(fileobj=BytesIO(archive.stdout)).extractall(folder, filter="data")
        done = subprocess.run([sys.executable, "-c", _VERDICTS], input=json.dumps(rows), text=True, check=True,
                              capture_output=True, cwd=folder, env={"PYTHONPATH": folder})
    return [(kind, open_) for kind, open_ in json.loads(done.stdout)]


def _figures(pairs: list[tuple[bool, bool]]) -> str:
    tp = sum(gold and said for gold, said in pairs)
    fp = sum(said and not gold for gold, said in pairs)
    fn = sum(gold and not said for gold, said in pairs)
    return f"P {tp / max(tp + fp, 1):.2f} ({tp}/{tp + fp}) R {tp / max(tp + fn, 1):.2f} ({tp}/{tp + fn})"


def main() -> None:
    rows = labelled()
    for split, (commit, before) in REPLAYS.items():
        for language in ("en", "ru"):
            scorer = EndRequestScorer.train((r.text, r.kind == "end_request") for r in rows
                                            if r.language == language and r.split in before)
            blind = [r for r in rows if r.language == language and r.split == split]
            verdicts = old_rule_verdicts(commit, [(r.language, r.question, r.text) for r in blind])
            then, plain, vetoed, added = [], [], [], []
            for row, (kind, no_rule) in zip(blind, verdicts):
                gold, rule = row.kind == "end_request", kind == "end_request"
                turn = read_turn(row.text, language=language, question=row.question, topic_terms=())
                learned = (no_rule and turn.spoken_words <= LEARNED_MAX_WORDS
                           and scorer.log_odds(row.text) > THRESHOLDS[language])
                then.append((gold, rule))
                plain.append((gold, rule or learned))
                vetoed.append((gold, rule or (learned and not vetoes_end_request(turn))))
                if learned and not rule:
                    added.append(f"      {'+' if gold else '-'} {row.text}")
            print(f"{split} {language} (rules of {commit}, n={len(blind)}): rules then {_figures(then)}; "
                  f"+ scorer {_figures(plain)}; + scorer with today's veto {_figures(vetoed)}")
            print("\n".join(added))


if __name__ == "__main__":
    main()
