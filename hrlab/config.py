"""Typed settings from the environment and `.env`: the one settings object every part receives."""

from __future__ import annotations

import ipaddress
import os
import re
from datetime import timedelta
from pathlib import Path
from typing import Literal

from pydantic import AliasChoices, Field, SecretStr, ValidationError, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from hrlab.errors import ConfigError

REPO_ROOT = Path(__file__).resolve().parent.parent


def _data_dir() -> Path:
    """Where run logs, recordings, caches, assembled models and local databases go.

    HRLAB_DATA_DIR, else `data/` in the checkout. Read once from the process environment (not `.env`),
    because default paths are fixed when modules load.
    """
    value = os.environ.get("HRLAB_DATA_DIR", "")
    if not value.strip():
        return REPO_ROOT / "data"
    path = Path(value).expanduser().resolve()
    if path.exists() and not path.is_dir():
        raise ConfigError(f"HRLAB_DATA_DIR={value!r} is not a directory")
    return path


DATA_DIR = _data_dir()

# Dev credentials of the devserver and local runs; refused when HRLAB_ENV=production. The secret is
# 32 bytes or more, as HS256 keys should be (PyJWT warns about shorter ones).
DEV_API_KEY = "devkey"
DEV_API_SECRET = "hrlab-dev-livekit-secret-not-for-production"
DEV_SECRET_KEY = "hrlab-dev-secret-key-not-for-production"
# HMAC keys shorter than the hash output (32 bytes for SHA-256) weaken what they sign.
MIN_SECRET_BYTES = 32
OPTIONAL_SECRETS = ("HRLAB_UPSTREAM_SECRET", "HRLAB_ADMIN_KEY", "HRLAB_METRICS_TOKEN")  # unset: feature off

_RATE = re.compile(r"^\d+\s*(/|per)\s*\d*\s*(second|minute|hour|day)s?$", re.IGNORECASE)


def _env(name: str, description: str, default, **kwargs):
    return Field(default, validation_alias=AliasChoices(name), description=description, **kwargs)


class Settings(BaseSettings):
    """Every setting hrlab reads; README's settings table mirrors this class."""

    model_config = SettingsConfigDict(env_file=".env", extra="ignore", populate_by_name=False)

    env: Literal["dev", "production"] = _env(
        "HRLAB_ENV", "`dev` or `production`; production refuses dev credentials and auth mode `none`.", "dev"
    )
    livekit_url: str = _env(
        "LIVEKIT_URL", "LiveKit server URL used by hrlab's own processes (agent, API calls).",
        "ws://127.0.0.1:7880",
    )
    livekit_api_key: str = _env("LIVEKIT_API_KEY", "LiveKit API key.", DEV_API_KEY, min_length=1)
    livekit_api_secret: SecretStr = _env("LIVEKIT_API_SECRET", "LiveKit API secret.", DEV_API_SECRET)
    public_livekit_url: str | None = _env(
        "NEXT_PUBLIC_LIVEKIT_URL", "The `serverUrl` handed to the browser; falls back to LIVEKIT_URL.", None
    )
    database_url: str = _env(
        "HRLAB_DATABASE_URL", "SQLAlchemy URL of the operational database.",
        f"sqlite:///{DATA_DIR / 'hrlab.db'}",
    )
    token_ttl_seconds: int = _env(
        "HRLAB_TOKEN_TTL_SECONDS", "Lifetime of a candidate's LiveKit token, 60..3600 seconds.", 600,
        ge=60, le=3600,
    )
    agent_name: str = _env(
        "HRLAB_AGENT_NAME", "Name the interview agent registers under; tokens dispatch it.",
        "hrlab-interviewer", min_length=1, max_length=64,
    )
    auth_mode: Literal["invite", "upstream", "none"] = _env(
        "HRLAB_AUTH_MODE", "Who may call the interview API: `invite`, `upstream` or `none` (demos only).",
        "invite",
    )
    secret_key: SecretStr = _env(
        "HRLAB_SECRET_KEY", "Key that signs invite links; required in production.", DEV_SECRET_KEY
    )
    invite_ttl_hours: int = _env(
        "HRLAB_INVITE_TTL_HOURS", "Lifetime of an invite link, 1..720 hours.", 72, ge=1, le=720
    )
    upstream_secret: SecretStr | None = _env(
        "HRLAB_UPSTREAM_SECRET", "Shared secret the upstream web app sends in `X-Hrlab-Upstream-Secret`.", None
    )
    admin_key: SecretStr | None = _env(
        "HRLAB_ADMIN_KEY", "Key for the admin API (`X-Hrlab-Admin-Key`); unset disables it.", None
    )
    rate_limit_ip: str = _env(
        "HRLAB_RATE_LIMIT_IP", "Requests per client IP on the interview API, e.g. `120/minute`.", "120/minute"
    )
    rate_limit_resume: str = _env(
        "HRLAB_RATE_LIMIT_RESUME", "Token requests per resume, e.g. `10/minute`.", "10/minute"
    )
    rate_limit_storage_url: str = _env(
        "HRLAB_RATE_LIMIT_STORAGE_URL", "Rate-limit counters: `memory://` or `redis://host:port`.", "memory://"
    )
    rate_limit_admin: str = _env(
        "HRLAB_RATE_LIMIT_ADMIN", "Requests per client IP on the admin API, e.g. `60/minute`.", "60/minute"
    )
    trusted_proxies: str = _env(
        "HRLAB_TRUSTED_PROXIES", "Comma-separated IPs or networks of reverse proxies whose `X-Forwarded-For` "
        "names the client; empty: the socket's address is the client.", "",
    )
    max_live_sessions: int = _env(
        "HRLAB_MAX_LIVE_SESSIONS", "Cap on interviews open at once (token issued or running).", 20, ge=1
    )
    dashboard_users: SecretStr | None = _env(
        "HRLAB_DASHBOARD_USERS",
        "Dashboard logins, `name:hash` separated by commas; make a hash with `hrlab dashboard --hash-password`.",
        None,
    )

    llm_threads: int | None = _env(
        "HRLAB_LLM_THREADS", "CPU threads of the local LLM (llama.cpp), 1..256; unset: half the cores, at least one.",
        None, ge=1, le=256,
    )

    session_heartbeat_timeout_seconds: int = _env(
        "HRLAB_SESSION_HEARTBEAT_TIMEOUT_SECONDS",
        "A running interview whose agent sent no heartbeat (every 15 s) for this long is closed as `agent_lost`, "
        "60..3600 s.", 120, ge=60, le=3600,
    )
    metrics_token: SecretStr | None = _env(
        "HRLAB_METRICS_TOKEN", "Bearer token Prometheus sends to read `/metrics`; unset: open in dev, closed in "
        "production.", None,
    )
    db_connect_timeout_seconds: int = _env(
        "HRLAB_DB_CONNECT_TIMEOUT_SECONDS",
        "Give up connecting to the database (or Redis, or waiting for a pooled connection) after this, 1..60 s.",
        5, ge=1, le=60,
    )
    db_statement_timeout_seconds: int = _env(
        "HRLAB_DB_STATEMENT_TIMEOUT_SECONDS", "PostgreSQL cancels a statement running longer than this, 1..600 s.",
        10, ge=1, le=600,
    )

    @field_validator("livekit_url", "public_livekit_url")
    @classmethod
    def _livekit_scheme(cls, value: str | None) -> str | None:
        if value is not None and not re.match(r"^(wss?|https?)://[^\s/]+", value):
            raise ValueError("must start with ws://, wss://, http:// or https:// and name a host")
        return value

    @field_validator("livekit_api_secret", "secret_key")
    @classmethod
    def _not_empty(cls, value: SecretStr) -> SecretStr:
        if not value.get_secret_value().strip():
            raise ValueError("is empty; unset it to use the dev value, or set a real secret")
        return value

    @field_validator("rate_limit_ip", "rate_limit_resume", "rate_limit_admin")
    @classmethod
    def _rate(cls, value: str) -> str:
        if not _RATE.match(value.strip()):
            raise ValueError("must look like '10/minute' or '100 per hour'")
        return value.strip()

    @field_validator("trusted_proxies")
    @classmethod
    def _networks(cls, value: str) -> str:
        for item in filter(None, (part.strip() for part in value.split(","))):
            try:
                ipaddress.ip_network(item, strict=False)
            except ValueError:
                raise ValueError(f"{item!r} is not an IP address or network") from None
        return value

    @field_validator("rate_limit_storage_url")
    @classmethod
    def _storage(cls, value: str) -> str:
        if not re.match(r"^(memory|redis|rediss)://", value):
            raise ValueError("must be memory:// or a redis:// URL")
        return value

    @model_validator(mode="after")
    def _consistent(self) -> Settings:
        if self.auth_mode == "upstream" and not self.upstream_secret:
            raise ValueError("HRLAB_UPSTREAM_SECRET is required when HRLAB_AUTH_MODE=upstream")
        if self.env == "production":
            if self.auth_mode == "none":
                raise ValueError("HRLAB_AUTH_MODE=none is for local demos; refused when HRLAB_ENV=production")
            problems = production_secret_problems(self)
            if problems:
                raise ValueError("; ".join(problems))
        return self

    @property
    def trusted_proxy_networks(self) -> tuple[ipaddress.IPv4Network | ipaddress.IPv6Network, ...]:
        return tuple(ipaddress.ip_network(part.strip(), strict=False)
                     for part in self.trusted_proxies.split(",") if part.strip())

    @property
    def session_lifetimes(self) -> dict[str, timedelta]:
        """How long an interview session stays live without use: keyword arguments for hrlab.store.sessions."""
        return {"pending_window": timedelta(seconds=self.token_ttl_seconds),
                "heartbeat_timeout": timedelta(seconds=self.session_heartbeat_timeout_seconds)}

    @property
    def browser_livekit_url(self) -> str:
        """The LiveKit URL the candidate's browser connects to."""
        return self.public_livekit_url or self.livekit_url


def production_secret_problems(settings: Settings) -> list[str]:
    """Why each secret is unfit for production: unset, a dev value, or shorter than MIN_SECRET_BYTES."""
    problems = []
    if settings.livekit_api_key.strip() in ("", DEV_API_KEY):
        problems.append(f"LIVEKIT_API_KEY is {settings.livekit_api_key.strip() or 'empty'!r}, the dev key; "
                        "set the key of your LiveKit project")
    secrets = {"LIVEKIT_API_SECRET": settings.livekit_api_secret, "HRLAB_SECRET_KEY": settings.secret_key,
               "HRLAB_UPSTREAM_SECRET": settings.upstream_secret, "HRLAB_ADMIN_KEY": settings.admin_key,
               "HRLAB_METRICS_TOKEN": settings.metrics_token}
    for name, secret in secrets.items():
        if secret is None and name in OPTIONAL_SECRETS:
            continue
        value = secret.get_secret_value() if secret is not None else ""
        if value in (DEV_API_SECRET, DEV_SECRET_KEY):
            problems.append(f"{name} is the dev value; set a random one for production")
        elif len(value.encode()) < MIN_SECRET_BYTES:
            state = "empty" if not value.strip() else f"{len(value.encode())} bytes"
            problems.append(f"{name} is {state}; production needs at least {MIN_SECRET_BYTES} random bytes "
                            "(e.g. `openssl rand -hex 32`)")
    return problems


def env_names() -> dict[str, str]:
    """Map each setting's environment variable to its description."""
    return {
        field.validation_alias.choices[0]: field.description or ""
        for field in Settings.model_fields.values()
    }


def load_settings(**overrides) -> Settings:
    """Read settings; a missing or malformed value raises ConfigError naming the variable."""
    try:
        return Settings(**_by_env_name(overrides))
    except ValidationError as exc:
        raise ConfigError(_describe(exc)) from None


def _by_env_name(overrides: dict) -> dict:
    fields = Settings.model_fields
    named = {}
    for key, value in overrides.items():
        field = fields.get(key)
        named[field.validation_alias.choices[0] if field else key] = value
    return named


def _describe(exc: ValidationError) -> str:
    lines = []
    for error in exc.errors():
        field = Settings.model_fields.get(str(error["loc"][0])) if error["loc"] else None
        name = field.validation_alias.choices[0] if field else ".".join(map(str, error["loc"]))
        message = error["msg"].removeprefix("Value error, ")
        lines.append(f"{name}: {message}" if error["loc"] else message)
    return "invalid settings: " + "; ".join(lines)
