"""Typed settings from the environment and `.env`: the one settings object every part receives."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Literal

from pydantic import AliasChoices, Field, SecretStr, ValidationError, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from hrlab.errors import ConfigError

REPO_ROOT = Path(__file__).resolve().parent.parent
DATA_DIR = REPO_ROOT / "data"

# Dev credentials of the devserver and local runs; refused when HRLAB_ENV=production. The secret is
# 32 bytes or more, as HS256 keys should be (PyJWT warns about shorter ones).
DEV_API_KEY = "devkey"
DEV_API_SECRET = "hrlab-dev-livekit-secret-not-for-production"
DEV_SECRET_KEY = "hrlab-dev-secret-key-not-for-production"

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
    max_live_sessions: int = _env(
        "HRLAB_MAX_LIVE_SESSIONS", "Cap on interviews open at once (token issued or running).", 20, ge=1
    )
    dashboard_users: SecretStr | None = _env(
        "HRLAB_DASHBOARD_USERS",
        "Dashboard logins, `name:hash` separated by commas; make a hash with `hrlab dashboard --hash-password`.",
        None,
    )

    @field_validator("livekit_url", "public_livekit_url")
    @classmethod
    def _livekit_scheme(cls, value: str | None) -> str | None:
        if value is not None and not re.match(r"^(wss?|https?)://[^\s/]+", value):
            raise ValueError("must start with ws://, wss://, http:// or https:// and name a host")
        return value

    @field_validator("rate_limit_ip", "rate_limit_resume")
    @classmethod
    def _rate(cls, value: str) -> str:
        if not _RATE.match(value.strip()):
            raise ValueError("must look like '10/minute' or '100 per hour'")
        return value.strip()

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
            if self.livekit_api_secret.get_secret_value() == DEV_API_SECRET:
                raise ValueError("LIVEKIT_API_SECRET is the dev secret; set a real one for production")
            if self.secret_key.get_secret_value() == DEV_SECRET_KEY:
                raise ValueError("HRLAB_SECRET_KEY must be set in production")
        return self

    @property
    def browser_livekit_url(self) -> str:
        """The LiveKit URL the candidate's browser connects to."""
        return self.public_livekit_url or self.livekit_url


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
