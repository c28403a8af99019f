"""The Interviews tab: filterable list (which still need a human decision), one interview, the review form."""

from __future__ import annotations

from datetime import date

import gradio as gr

from hrlab.domain.assessment import RECOMMENDATIONS
from hrlab.errors import HrlabError
from hrlab.store.db import Database
from hrlab.store.models import REVIEW_DECISIONS
from hrlab.dashboard import interviews_data as data
from hrlab.dashboard.render import assessment_html, first_cell
from hrlab.dashboard.stores import database_problem

REVIEWED = (data.ANY, "needs decision", "decided")


def _day(text: str, name: str) -> date | None:
    text = (text or "").strip()
    if not text:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise gr.Error(f"{name}: write the date as YYYY-MM-DD, got {text!r}") from None


def reviewer_name(request: gr.Request | None, typed: str) -> str:
    """The logged-in user when there is a login; the typed name only in --dev mode (no login)."""
    user = getattr(request, "username", None) if request else None
    return user or (typed or "").strip()


def build(database: Database | None, *, app: gr.Blocks) -> None:
    """Lay out the tab and wire its events."""
    notice = gr.Markdown(elem_id="interviews-notice")
    with gr.Row():
        date_from = gr.Textbox(label="from (YYYY-MM-DD)", elem_id="iv-from")
        date_to = gr.Textbox(label="to (YYYY-MM-DD)", elem_id="iv-to")
        status = gr.Dropdown([data.ANY], value=data.ANY, label="status", elem_id="iv-status")
        resume = gr.Textbox(label="resume (id or name)", elem_id="iv-resume")
        language = gr.Dropdown([data.ANY], value=data.ANY, label="language", elem_id="iv-language")
        recommendation = gr.Dropdown([data.ANY, *RECOMMENDATIONS], value=data.ANY, label="AI recommendation",
                                     elem_id="iv-recommendation")
        reviewed = gr.Dropdown(list(REVIEWED), value=data.ANY, label="human decision", elem_id="iv-reviewed")
    apply = gr.Button("Apply filters", elem_id="iv-apply")
    table = gr.Dataframe(headers=data.LIST_COLUMNS, interactive=False, elem_id="iv-list", max_height=360)
    with gr.Row():
        chosen = gr.Number(label="interview (session id)", precision=0, elem_id="iv-id")
        open_button = gr.Button("Open interview", elem_id="iv-open")
    header = gr.Markdown(elem_id="iv-header")
    with gr.Row():
        transcript = gr.Dataframe(headers=["#", "time", "speaker", "text"], interactive=False, wrap=True,
                                  elem_id="iv-transcript", label="transcript")
        assessment = gr.HTML(elem_id="iv-assessment", js_on_load=None)
    gr.Markdown("### Human decision (the AI never decides alone)")
    with gr.Row():
        decision = gr.Radio(list(REVIEW_DECISIONS), label="decision", elem_id="iv-decision")
        reviewer = gr.Textbox(label="reviewer (your login; typed only in --dev)", elem_id="iv-reviewer")
    notes = gr.Textbox(label="notes", lines=3, elem_id="iv-notes")
    save = gr.Button("Save review", variant="primary", elem_id="iv-save")
    saved = gr.Markdown(elem_id="iv-saved")
    history = gr.Dataframe(headers=["time", "reviewer", "decision", "notes"], interactive=False,
                           elem_id="iv-history", label="reviews (newest last; the last one stands)")
    filters = [date_from, date_to, status, resume, language, recommendation, reviewed]

    def refresh(f_from, f_to, f_status, f_resume, f_language, f_rec, f_reviewed):
        if database is None:
            return gr.update(), "No operational database given (`--db URL` or HRLAB_DATABASE_URL)."
        problem = database_problem(database)
        if problem and "No interviews" not in problem:
            return gr.update(), problem
        frame = data.list_interviews(database, data.InterviewFilters(
            date_from=_day(f_from, "from"), date_to=_day(f_to, "to"), status=f_status or data.ANY,
            resume=f_resume or "", language=f_language or data.ANY, recommendation=f_rec or data.ANY,
            reviewed=f_reviewed or data.ANY))
        waiting = (frame["human decision"] == "NEEDS DECISION").sum()
        return frame, problem or f"{len(frame)} interview(s) shown; **{waiting} still need a human decision**."

    def on_load(request: gr.Request):
        choices = data.filter_choices(database) if database is not None and not _broken(database) else {}
        user = getattr(request, "username", None)
        return (gr.update(choices=choices.get("status", [data.ANY])), gr.update(choices=choices.get(
            "language", [data.ANY])), gr.update(value=user or "", interactive=user is None),
            *refresh("", "", data.ANY, "", data.ANY, data.ANY, data.ANY))

    def show(session_id):
        if database is None or session_id is None:
            return "", None, "", None
        detail = data.interview_detail(database, int(session_id))
        if detail is None:
            return f"Interview {int(session_id)} not found.", None, "", None
        facts = " · ".join(f"**{k}**: {v}" for k, v in detail.header.items() if v not in (None, ""))
        return facts, detail.turns, assessment_html(detail.assessment), detail.reviews

    def save_review(session_id, choice, typed, text, f_from, f_to, f_status, f_resume, f_language, f_rec,
                    f_reviewed, request: gr.Request):
        if session_id is None or not choice:
            raise gr.Error("open an interview and choose advance, hold or reject first")
        try:
            data.save_review(database, int(session_id), decision=choice, reviewer=reviewer_name(request, typed),
                             notes=text or "")
        except HrlabError as error:
            raise gr.Error(error.message) from None
        return (f"Saved: **{choice}** on interview {int(session_id)}.", *show(session_id)[3:],
                *refresh(f_from, f_to, f_status, f_resume, f_language, f_rec, f_reviewed))

    app.load(on_load, None, [status, language, reviewer, table, notice])
    apply.click(refresh, filters, [table, notice])
    table.select(first_cell, None, chosen).then(show, chosen, [header, transcript, assessment, history])
    open_button.click(show, chosen, [header, transcript, assessment, history])
    save.click(save_review, [chosen, decision, reviewer, notes, *filters], [saved, history, table, notice])


def _broken(database: Database) -> bool:
    problem = database_problem(database)
    return bool(problem) and "No interviews" not in problem
