"""How far HR reviewers agree with the AI, from their ratings in the run log's annotations.

Two labels carry a 1..5 rating (the dashboard's Annotate view writes them):
`assessment` on a run (how right the AI's assessment of the candidate was) and `question` on an AI
turn (how good the question was). A reviewer's latest rating of a thing stands.
"""

from __future__ import annotations

import pandas as pd

from hrlab.lab.metrics.registry import JUDGE_PREFIX

ASSESSMENT_LABEL = "assessment"
QUESTION_LABEL = "question"
AGREES_FROM = 4  # an assessment rated 4 or 5 counts as "HR agrees with the AI"
MIN_PAIRS_FOR_CORRELATION = 3
COLUMNS = ["variant", "assessments_rated", "assessment_agreement", "assessment_rating_mean", "questions_rated",
           "question_rating_mean", "judge_correlation"]


def latest_ratings(annotations: pd.DataFrame, label: str) -> pd.DataFrame:
    """(run_id, seq, author, rating): each reviewer's newest rating of each run or turn under `label`."""
    rated = annotations[(annotations["label"] == label) & annotations["rating"].notna()]
    rated = rated.sort_values("annotation_id").drop_duplicates(["run_id", "seq", "author"], keep="last")
    return rated[["run_id", "seq", "author", "rating"]].astype({"rating": float})


def human_agreement(runs: pd.DataFrame, annotations: pd.DataFrame, metrics: pd.DataFrame) -> pd.DataFrame:
    """Per variant: how often HR agrees with the AI's assessment, question ratings, and their rank
    correlation with the AI judge's scores (when a judge ran). Empty when nobody rated anything."""
    if annotations.empty or "rating" not in annotations or annotations["rating"].isna().all():
        return pd.DataFrame(columns=COLUMNS)
    variant_of = runs.set_index("run_id")["variant"]
    assessments = latest_ratings(annotations, ASSESSMENT_LABEL).groupby("run_id")["rating"].mean()
    questions = latest_ratings(annotations, QUESTION_LABEL).groupby("run_id")["rating"].mean()
    judged = metrics[metrics["name"].str.startswith(JUDGE_PREFIX) & metrics["seq"].isna()]
    judge = judged.groupby("run_id")["value"].mean()
    rows = []
    for variant in sorted(set(variant_of.reindex(assessments.index.union(questions.index)).dropna())):
        mine = set(variant_of[variant_of == variant].index)
        a = assessments[assessments.index.isin(mine)]
        q = questions[questions.index.isin(mine)]
        rows.append({"variant": variant, "assessments_rated": len(a),
                     "assessment_agreement": float((a >= AGREES_FROM).mean()) if len(a) else float("nan"),
                     "assessment_rating_mean": float(a.mean()) if len(a) else float("nan"),
                     "questions_rated": len(q), "question_rating_mean": float(q.mean()) if len(q) else float("nan"),
                     "judge_correlation": _rank_correlation(q, judge)})
    return pd.DataFrame(rows, columns=COLUMNS)


def _rank_correlation(human: pd.Series, judge: pd.Series) -> float:
    """Spearman's rho over runs with both a human question rating and a judge score."""
    both = pd.concat([human.rename("human"), judge.rename("judge")], axis=1, join="inner").dropna()
    if len(both) < MIN_PAIRS_FOR_CORRELATION or both["human"].nunique() < 2 or both["judge"].nunique() < 2:
        return float("nan")
    ranks = both.rank()
    return float(ranks["human"].corr(ranks["judge"]))
