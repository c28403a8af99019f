"""Assemble the dashboard (four tabs over the two stores) and serve it behind its login."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import gradio as gr

from hrlab.errors import ConfigError
from hrlab.store.db import Database
from hrlab.dashboard import annotate_view, compare_view, interviews_view, runs_view
from hrlab.dashboard.auth import Authenticator
from hrlab.dashboard.runs_data import RunStore
from hrlab.dashboard.stores import runlog_problem

DEFAULT_HOST = "127.0.0.1"  # candidate data: never on all interfaces unless asked for


def offline_theme() -> gr.themes.Base:
    """Gradio's default look with local fonts: the default theme fetches web fonts, and we stay offline."""
    return gr.themes.Default(font=["system-ui", "sans-serif"], font_mono=["ui-monospace", "monospace"])


@dataclass(frozen=True)
class DashboardConfig:
    runs: Path
    database_url: str | None
    users: dict[str, str] = field(default_factory=dict)
    dev: bool = False

    def check(self) -> None:
        """Refuse to serve candidate data without a login, unless --dev says this is a local trial."""
        if not self.users and not self.dev:
            raise ConfigError("the dashboard shows candidate data, so it needs a login: set HRLAB_DASHBOARD_USERS "
                              "(hashes from `hrlab dashboard --hash-password`), or pass --dev for a local trial")


def build_app(config: DashboardConfig) -> gr.Blocks:
    """The Blocks app; nothing is served until `serve`."""
    database = Database(config.database_url) if config.database_url else None
    store = RunStore(config.runs)
    with gr.Blocks(title="hrlab dashboard", analytics_enabled=False) as app:
        gr.Markdown(f"## hrlab dashboard\nrun log `{config.runs}` · database `{_safe_url(database)}`"
                    + (" · **--dev: no login**" if not config.users else ""))
        with gr.Tabs():
            with gr.Tab("Interviews", id="interviews"):
                interviews_view.build(database, app=app)
            with gr.Tab("Runs", id="runs"):
                opened = runs_view.build(store, app=app)
            with gr.Tab("Compare", id="compare"):
                compare_view.build(store, app=app)
            with gr.Tab("Annotate", id="annotate"):
                annotate_view.build(store, app=app, opened=opened)
    return app


def audio_folders(store: RunStore) -> list[str]:
    """Folders holding the run log's recordings: the only files besides Gradio's own that may be served."""
    folders = {str(store.path.resolve().parent)}
    if not runlog_problem(store):
        folders |= {str(Path(p).resolve().parent) for p in store.audio_paths()}
    return sorted(folders)


def serve(config: DashboardConfig, *, host: str = DEFAULT_HOST, port: int = 7860, block: bool = True):
    """Launch the server; with block=False return (app, url) and leave it running in a thread."""
    config.check()
    app = build_app(config)
    auth = Authenticator(config.users) if config.users else None
    _, url, _ = app.launch(server_name=host, server_port=port, auth=auth, prevent_thread_lock=not block,
                           allowed_paths=audio_folders(RunStore(config.runs)), quiet=True, run_history=False,
                           footer_links=[], ssr_mode=False, auth_message="hrlab dashboard: HR and researchers",
                           theme=offline_theme())
    return app, url


def _safe_url(database: Database | None) -> str:
    return database.engine.url.render_as_string(hide_password=True) if database else "none"
