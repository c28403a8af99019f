"""The HR/research dashboard (`hrlab dashboard`): a Gradio app over the two stores.

`app.serve(DashboardConfig(...))` builds four tabs and serves them behind a login (`auth.py`):
Interviews reads the operational database through `interviews_data.py` (hrlab.store) and saves
HR's decision as a `human_reviews` row; Runs, Compare and Annotate read the DuckDB run log through
`runs_data.py` (hrlab.lab.store), Compare computes with `hrlab eval`'s own code (`compare_data.py`),
and Annotate writes ratings to the run log's `annotations`. `stores.py` says what to run when a
store is missing, empty or from an older schema. Needs the `dashboard` extra (gradio).
"""
