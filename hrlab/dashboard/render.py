"""HTML and plots the views show: the dialogue with WER marks and seek buttons, assessments, latency bars."""

from __future__ import annotations

import difflib
import math
from html import escape

import gradio as gr
import pandas as pd

from hrlab.textnorm import transcript_words

AUDIO_ID = "run-audio"
# Runs inside the dialogue's gr.HTML: a click on a turn's button seeks the recording to that turn.
SEEK_JS = """
element.addEventListener('click', (event) => {
  const button = event.target.closest('[data-seek]');
  const audio = element.querySelector('audio');
  if (!button || !audio) return;
  audio.currentTime = parseFloat(button.dataset.seek);
  element.querySelectorAll('tr.chosen').forEach((row) => row.classList.remove('chosen'));
  button.closest('tr').classList.add('chosen');
});
"""
CSS = """
.dialogue td { vertical-align: top; padding: 4px 8px; }
.dialogue tr.chosen { background: #fff4c2; }
.dialogue .ref { color: #666; font-size: 0.9em; }
.dialogue .sub, .dialogue .ins { background: #ffd6d6; }
.dialogue .del { color: #b00; text-decoration: line-through; }
.quote { border-left: 3px solid #8ab; padding-left: 6px; margin: 2px 0; }
"""


def first_cell(event: gr.SelectData):
    """The key (first column) of the table row the user clicked."""
    return event.row_value[0]


def clock(seconds: float | None) -> str:
    if seconds is None or (isinstance(seconds, float) and math.isnan(seconds)):
        return "--:--"
    return f"{int(seconds // 60):02d}:{seconds % 60:04.1f}"


def wer_marks(reference: str, heard: str) -> str:
    """The heard words, with substitutions and insertions marked and deleted reference words struck out."""
    ref, hyp = transcript_words(reference), transcript_words(heard)
    out = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(a=ref, b=hyp, autojunk=False).get_opcodes():
        if op == "equal":
            out += [escape(w) for w in hyp[j1:j2]]
        if op in ("replace", "insert"):
            kind = "sub" if op == "replace" else "ins"
            out += [f'<span class="{kind}">{escape(w)}</span>' for w in hyp[j1:j2]]
        if op in ("replace", "delete"):
            out += [f'<span class="del">{escape(w)}</span>' for w in ref[i1:i2]]
    return " ".join(out)


def dialogue_html(turns: pd.DataFrame, audio_url: str | None) -> str:
    """The run's recording (an <audio> element) above its dialogue; each turn's time button seeks to it."""
    player = (f'<audio id="{AUDIO_ID}" controls preload="metadata" src="{escape(audio_url)}"></audio>'
              if audio_url else "<p><em>No recording was logged for this run.</em></p>")
    rows = []
    for turn in turns.itertuples():
        start = None if pd.isna(turn.start_s) else float(turn.start_s)
        seek = (f'<button class="seek" data-seek="{start:.3f}" data-seq="{turn.seq}">▶ {clock(start)}</button>'
                if start is not None else clock(None))
        text = escape(turn.text or "")
        extra = ""
        if isinstance(turn.reference, str) and turn.reference:
            text = wer_marks(turn.reference, turn.text or "")
            wer = "" if pd.isna(turn.stt_wer) else f" · WER {turn.stt_wer:.0%}"
            extra = f'<div class="ref">reference: {escape(turn.reference)}{wer}</div>'
        latency = "" if pd.isna(turn.latency_s) else f"{turn.latency_s:.2f} s"
        rows.append(f"<tr><td>{seek}</td><td><b>{escape(turn.who)}</b></td><td>{text}{extra}</td>"
                    f"<td title='latency'>{latency}</td></tr>")
    table = ("<table class='dialogue'><tr><th>time</th><th>who</th><th>said (as heard)</th><th>latency</th></tr>"
             + "".join(rows) + "</table>") if rows else "<p><em>This run logged no turns.</em></p>"
    return f"<style>{CSS}</style><div class='dialogue'>{player}{table}</div>"


def assessment_html(feedback: dict) -> str:
    """Each competency's score beside its evidence quotes, then the recommendation and summary."""
    if not feedback:
        return "<p><em>No AI assessment yet (its job may still be queued: `hrlab assess --pending`).</em></p>"
    rows = []
    for item in feedback.get("competencies", []):
        quotes = "".join(f"<div class='quote'>“{escape(q)}”</div>" for q in item.get("evidence", [])) \
            or "<em>no evidence quoted</em>"
        score = item.get("score")
        rows.append(f"<tr><td><b>{escape(str(item.get('name', '')))}</b></td>"
                    f"<td>{'–' if score is None else escape(str(score)) + ' / 5'}</td><td>{quotes}"
                    f"<div>{escape(item.get('comment', ''))}</div></td></tr>")
    return (f"<style>{CSS}</style><p>AI recommendation: <b>{escape(str(feedback.get('recommendation', '?')))}</b>"
            f" (source: {escape(str(feedback.get('source', '?')))})</p>"
            f"<table class='dialogue'><tr><th>competency</th><th>score</th><th>evidence</th></tr>{''.join(rows)}"
            f"</table><p>{escape(str(feedback.get('summary', '')))}</p>")


def latency_bars(turns: pd.DataFrame):
    """A horizontal bar per answered turn: end of the candidate's speech to the AI's first audio."""
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib.figure import Figure

    timed = turns[turns["latency_s"].notna()]
    figure = Figure(figsize=(7, 0.4 * max(len(timed), 2) + 1))
    axes = figure.subplots()
    if timed.empty:
        axes.text(0.5, 0.5, "no per-turn latency logged", ha="center", va="center")
        axes.set_axis_off()
        return figure
    axes.barh([f"turn {s}" for s in timed["seq"]], timed["latency_s"], color="#4a8ab5")
    axes.invert_yaxis()
    axes.set_xlabel("voice-to-voice latency, s")
    figure.tight_layout()
    return figure
