"""The Flask API: the spec's interview endpoints, the admin API, health, metrics, OpenAPI."""

from __future__ import annotations

from flask import Flask

from hrlab.api import admin, interview, meta
from hrlab.api.errors import register_error_handlers
from hrlab.api.limits import install_rate_limits
from hrlab.api.metrics import ApiMetrics
from hrlab.config import Settings, load_settings
from hrlab.store.db import Database


def create_app(settings: Settings | None = None, *, database: Database | None = None) -> Flask:
    """Build the app from settings (read from the environment when not given)."""
    settings = settings or load_settings()
    app = Flask(__name__)
    app.config["MAX_CONTENT_LENGTH"] = 6 * 1024 * 1024
    app.json.sort_keys = False
    app.extensions["hrlab.settings"] = settings
    app.extensions["hrlab.db"] = database or Database(
        settings.database_url, connect_timeout=settings.db_connect_timeout_seconds,
        statement_timeout=settings.db_statement_timeout_seconds,
    )
    ApiMetrics().init_app(app)
    for blueprint in (interview.blueprint, admin.blueprint, meta.blueprint):
        app.register_blueprint(blueprint)
    register_error_handlers(app)
    app.extensions["hrlab.limiter"] = install_rate_limits(app, settings)
    return app
