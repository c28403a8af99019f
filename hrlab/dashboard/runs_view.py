"""The Runs tab: filterable run list; one run's dialogue (reference, WER marks), recording, latency, events."""

from __future__ import annotations

import gradio as gr

from hrlab.dashboard.render import SEEK_JS, dialogue_html, first_cell, latency_bars
from hrlab.dashboard.runs_data import ANY, FILTERS, RunFilters, RunStore
from hrlab.dashboard.stores import runlog_problem

FILE_ROUTE = "/gradio_api/file="  # Gradio serves allowed files here, behind the login


def audio_url(path: str | None) -> str | None:
    return f"{FILE_ROUTE}{path}" if path else None


def build(store: RunStore, *, app: gr.Blocks) -> gr.State:
    """Lay out the tab and wire it; returns the state holding the run that is open (for Annotate)."""
    notice = gr.Markdown(elem_id="runs-notice")
    with gr.Row():
        dropdowns = {name: gr.Dropdown([ANY], value=ANY, label=name.replace("_", " "), elem_id=f"runs-{name}")
                     for name in FILTERS}
    apply = gr.Button("Apply filters", elem_id="runs-apply")
    table = gr.Dataframe(interactive=False, elem_id="runs-list", max_height=360)
    with gr.Row():
        chosen = gr.Textbox(label="run id", elem_id="runs-id")
        open_button = gr.Button("Open run", elem_id="runs-open")
    opened = gr.State("")
    header = gr.Markdown(elem_id="runs-header")
    dialogue = gr.HTML(elem_id="runs-dialogue", js_on_load=SEEK_JS)
    latency = gr.Plot(label="per-turn latency", elem_id="runs-latency")
    events = gr.Dataframe(interactive=False, wrap=True, elem_id="runs-events", label="protocol events",
                          max_height=300)

    def refresh(*values):
        problem = runlog_problem(store)
        if problem:
            return gr.update(value=None), problem
        frame = store.list_runs(RunFilters(**{name: value or ANY for name, value in zip(FILTERS, values)}))
        return frame, f"{len(frame)} run(s) shown (newest first, at most 500: narrow with the filters)."

    def on_load():
        problem = runlog_problem(store)
        choices = store.choices() if not problem else {}
        updates = [gr.update(choices=choices.get(name, [ANY])) for name in FILTERS]
        return (*updates, *refresh(*[ANY] * len(FILTERS)))

    def show(run_id):
        run_id = (run_id or "").strip()
        detail = store.run_detail(run_id) if run_id and not runlog_problem(store) else None
        if detail is None:
            return (f"Run {run_id!r} not found." if run_id else ""), "", None, None, ""
        run = detail.run
        facts = " · ".join(f"**{k}**: {run[k]}" for k in ("run_id", "suite", "scenario", "variant", "repeat",
                                                          "status", "git_commit", "transport", "language")
                           if run.get(k) is not None)
        if run.get("error"):
            facts += f"\n\n**error**: `{run['error']}`"
        return (facts, dialogue_html(detail.turns, audio_url(detail.audio_path)), latency_bars(detail.turns),
                detail.events, run_id)

    outputs = [header, dialogue, latency, events, opened]
    app.load(on_load, None, [*dropdowns.values(), table, notice])
    apply.click(refresh, list(dropdowns.values()), [table, notice])
    table.select(first_cell, None, chosen).then(show, chosen, outputs)
    open_button.click(show, chosen, outputs)
    chosen.submit(show, chosen, outputs)
    return opened
