"""Run the devserver: `serve()` blocks until interrupted."""

from __future__ import annotations

import logging

from aiohttp import web

from hrlab.config import DEV_API_KEY, DEV_API_SECRET
from hrlab.devserver.app import build_app
from hrlab.devserver.auth import Credentials


def serve(*, host: str = "127.0.0.1", port: int = 7880, api_key: str = DEV_API_KEY, api_secret: str = DEV_API_SECRET) -> None:
    """Serve the LiveKit protocol on host:port until interrupted; prints the URL and credentials."""
    if not api_key or not api_secret:
        raise ValueError("api_key and api_secret must not be empty")
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    logging.getLogger("aiohttp.access").setLevel(logging.WARNING)
    logging.getLogger("aioice").setLevel(logging.WARNING)  # one line per ICE step otherwise
    app = build_app(Credentials(api_key, api_secret))
    print(f"hrlab devserver: ws://{host}:{port}  api key: {api_key}  api secret: {api_secret}", flush=True)
    web.run_app(app, host=host, port=port, print=None, shutdown_timeout=5)
