"""The Annotate tab: HR rate a run's questions and its assessment; ratings go to the run log's annotations."""

from __future__ import annotations

import gradio as gr

from hrlab.errors import HrlabError
from hrlab.lab.agreement import ASSESSMENT_LABEL, QUESTION_LABEL
from hrlab.dashboard.interviews_view import reviewer_name
from hrlab.dashboard.render import assessment_html
from hrlab.dashboard.runs_data import RunStore
from hrlab.dashboard.stores import runlog_problem

RATINGS = ["1", "2", "3", "4", "5"]


def build(store: RunStore, *, app: gr.Blocks, opened: gr.State) -> None:
    """Lay out the tab and wire it; `opened` is the run open in the Runs tab."""
    gr.Markdown("Rate each AI question (1 poor .. 5 excellent) and how right the AI's assessment of the "
                "candidate was (1 wrong .. 5 exactly right). `hrlab eval` reports the agreement.")
    with gr.Row():
        run_id = gr.Textbox(label="run id (the run open in Runs)", elem_id="ann-run")
        load = gr.Button("Load run", elem_id="ann-load")
    author = gr.Textbox(label="reviewer (your login; typed only in --dev)", elem_id="ann-author")
    with gr.Row():
        question = gr.Dropdown([], label="AI question", elem_id="ann-question")
        question_rating = gr.Radio(RATINGS, label="question rating", elem_id="ann-question-rating")
    question_note = gr.Textbox(label="note on the question", elem_id="ann-question-note")
    save_question = gr.Button("Save question rating", elem_id="ann-save-question")
    assessment = gr.HTML(elem_id="ann-assessment", js_on_load=None)
    assessment_rating = gr.Radio(RATINGS, label="how right is the AI's assessment?", elem_id="ann-assessment-rating")
    assessment_note = gr.Textbox(label="note on the assessment", elem_id="ann-assessment-note")
    save_assessment = gr.Button("Save assessment rating", elem_id="ann-save-assessment")
    status = gr.Markdown(elem_id="ann-status")
    existing = gr.Dataframe(interactive=False, elem_id="ann-list", label="annotations of this run")

    def show(rid):
        rid = (rid or "").strip()
        problem = runlog_problem(store)
        detail = store.run_detail(rid) if rid and not problem else None
        if detail is None:
            return gr.update(choices=[], value=None), "", None, problem or (f"Run {rid!r} not found." if rid else "")
        asked = detail.turns[detail.turns["who"] == "ai"]
        choices = [(f"{row.seq}: {row.text}", int(row.seq)) for row in asked.itertuples()]
        return (gr.update(choices=choices, value=None), assessment_html(detail.assessment or {}),
                detail.annotations, f"{len(choices)} AI turn(s) in run {rid}.")

    def save(rid, seq, rating, note, label, typed, request):
        rid = (rid or "").strip()
        if not rid or not rating or (label == QUESTION_LABEL and seq is None):
            raise gr.Error("load a run, choose what to rate and a rating first")
        author_name = reviewer_name(request, typed)
        try:
            store.annotate(rid, author=author_name, label=label, note=note or None, rating=int(rating),
                           seq=int(seq) if label == QUESTION_LABEL else None)
        except ValueError as error:
            raise gr.Error(str(error)) from None
        except HrlabError as error:  # e.g. `hrlab run` is writing the log right now: nothing was stored
            raise gr.Error(f"not saved: {error.message}") from None
        detail = store.run_detail(rid)
        return detail.annotations, f"Saved {label} rating {rating} on run {rid}."

    def on_load(request: gr.Request):
        user = getattr(request, "username", None)
        return gr.update(value=user or "", interactive=user is None)

    def save_question_rating(rid, seq, rating, note, typed, request: gr.Request):
        return save(rid, seq, rating, note, QUESTION_LABEL, typed, request)

    def save_assessment_rating(rid, rating, note, typed, request: gr.Request):
        return save(rid, None, rating, note, ASSESSMENT_LABEL, typed, request)

    outputs = [question, assessment, existing, status]
    app.load(on_load, None, author)
    opened.change(lambda rid: rid, opened, run_id).then(show, run_id, outputs)
    load.click(show, run_id, outputs)
    save_question.click(save_question_rating, [run_id, question, question_rating, question_note, author],
                        [existing, status])
    save_assessment.click(save_assessment_rating, [run_id, assessment_rating, assessment_note, author],
                          [existing, status])
