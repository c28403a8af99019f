"""Run the API: gunicorn in production, Flask's development server with --dev."""

from __future__ import annotations

import json
import logging
import os
import sys

from hrlab.config import Settings

log = logging.getLogger(__name__)


def shared_limits_warning(settings: Settings, workers: int) -> str | None:
    """Why the rate limits would not hold: memory:// counters are per process, so N workers allow N times."""
    if workers > 1 and settings.rate_limit_storage_url.startswith("memory://"):
        return (f"HRLAB_RATE_LIMIT_STORAGE_URL=memory:// with {workers} workers: each worker counts on its own, "
                f"so clients get up to {workers}x the configured limits; set it to redis://host:6379")
    return None


def write_json_error(sock, status_int: int, reason: str, mesg: str) -> None:
    """gunicorn's own refusals (414, 431, 400 on a bad request line) in the API's JSON error shape."""
    from gunicorn.util import write_nonblock

    code = reason.lower().replace(" ", "_")
    body = json.dumps({"error": code, "message": mesg or reason}).encode()
    head = (f"HTTP/1.1 {status_int} {reason}\r\nConnection: close\r\nContent-Type: application/json\r\n"
            f"Content-Length: {len(body)}\r\n\r\n").encode("latin-1")
    write_nonblock(sock, head + body)


def run_gunicorn(settings: Settings, *, host: str, port: int, workers: int, threads: int) -> None:
    """Serve the app with gunicorn; each worker builds its own app and database pool."""
    from gunicorn import util as gunicorn_util
    from gunicorn.app.base import BaseApplication

    from hrlab.api import create_app

    warning = shared_limits_warning(settings, workers)
    if warning:
        if logging.getLogger().hasHandlers():
            log.warning(warning)
        else:  # logging's last-resort handler would print it too: once is enough
            print(f"warning: {warning}", file=sys.stderr, flush=True)

    class _Server(BaseApplication):
        def load_config(self):
            self.cfg.set("bind", f"{host}:{port}")
            self.cfg.set("workers", workers)
            self.cfg.set("threads", threads)
            self.cfg.set("accesslog", os.environ.get("HRLAB_ACCESS_LOG"))
            self.cfg.set("timeout", 30)

        def load(self):
            # gunicorn answers malformed requests itself, in HTML; the worker looks this function up
            # on every error, so replacing it here (in the worker process) makes those answers JSON.
            gunicorn_util.write_error = write_json_error
            return create_app(settings)

    _Server().run()


def run_dev_server(settings: Settings, *, host: str, port: int) -> None:
    """Flask's own server, with the reloader off so settings errors show once."""
    from hrlab.api import create_app

    create_app(settings).run(host=host, port=port, debug=False, use_reloader=False)
