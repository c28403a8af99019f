"""Run the API: gunicorn in production, Flask's development server with --dev."""

from __future__ import annotations

import os

from hrlab.config import Settings


def run_gunicorn(settings: Settings, *, host: str, port: int, workers: int, threads: int) -> None:
    """Serve the app with gunicorn; each worker builds its own app and database pool."""
    from gunicorn.app.base import BaseApplication

    from hrlab.api import create_app

    class _Server(BaseApplication):
        def load_config(self):
            self.cfg.set("bind", f"{host}:{port}")
            self.cfg.set("workers", workers)
            self.cfg.set("threads", threads)
            self.cfg.set("accesslog", os.environ.get("HRLAB_ACCESS_LOG"))
            self.cfg.set("timeout", 30)

        def load(self):
            return create_app(settings)

    _Server().run()


def run_dev_server(settings: Settings, *, host: str, port: int) -> None:
    """Flask's own server, with the reloader off so settings errors show once."""
    from hrlab.api import create_app

    create_app(settings).run(host=host, port=port, debug=False, use_reloader=False)
