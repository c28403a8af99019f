"""Settings: defaults, clear errors naming the variable, production guards, README table in sync."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from hrlab.config import Settings, env_names, load_settings
from hrlab.errors import ConfigError

README = Path(__file__).resolve().parents[1] / "README.md"


def test_defaults_run_offline_demo():
    settings = load_settings()
    assert settings.livekit_url == "ws://127.0.0.1:7880"
    assert settings.browser_livekit_url == settings.livekit_url
    assert settings.token_ttl_seconds == 600
    assert settings.auth_mode == "invite"


def test_public_url_overrides_for_browser(monkeypatch):
    monkeypatch.setenv("NEXT_PUBLIC_LIVEKIT_URL", "wss://lk.example.com")
    assert load_settings().browser_livekit_url == "wss://lk.example.com"


@pytest.mark.parametrize(
    ("variable", "value", "expected"),
    [
        ("HRLAB_TOKEN_TTL_SECONDS", "7200", "HRLAB_TOKEN_TTL_SECONDS: Input should be less than or equal to 3600"),
        ("HRLAB_TOKEN_TTL_SECONDS", "ten", "HRLAB_TOKEN_TTL_SECONDS: Input should be a valid integer"),
        ("LIVEKIT_URL", "localhost:7880", "LIVEKIT_URL: must start with ws://"),
        ("HRLAB_AUTH_MODE", "open", "HRLAB_AUTH_MODE: Input should be 'invite', 'upstream' or 'none'"),
        ("HRLAB_RATE_LIMIT_IP", "lots", "HRLAB_RATE_LIMIT_IP: must look like '10/minute'"),
        ("HRLAB_RATE_LIMIT_STORAGE_URL", "memcached://x", "HRLAB_RATE_LIMIT_STORAGE_URL: must be memory://"),
        ("HRLAB_AUTH_MODE", "upstream", "HRLAB_UPSTREAM_SECRET is required when HRLAB_AUTH_MODE=upstream"),
        ("HRLAB_TRUSTED_PROXIES", "10.0.0.1, proxy.local", "HRLAB_TRUSTED_PROXIES: 'proxy.local' is not an IP"),
        ("HRLAB_RATE_LIMIT_ADMIN", "many", "HRLAB_RATE_LIMIT_ADMIN: must look like '10/minute'"),
    ],
)
def test_malformed_values_name_the_variable(monkeypatch, variable, value, expected):
    monkeypatch.setenv(variable, value)
    with pytest.raises(ConfigError) as info:
        load_settings()
    assert expected in info.value.message


STRONG = "k" * 32


def test_production_refuses_dev_credentials(monkeypatch):
    monkeypatch.setenv("HRLAB_ENV", "production")
    with pytest.raises(ConfigError, match="LIVEKIT_API_SECRET is the dev value"):
        load_settings()
    for name in ("LIVEKIT_API_SECRET", "HRLAB_SECRET_KEY"):
        monkeypatch.setenv(name, STRONG)
    with pytest.raises(ConfigError, match="LIVEKIT_API_KEY is 'devkey', the dev key"):
        load_settings()
    monkeypatch.setenv("LIVEKIT_API_KEY", "APIrealkey")
    assert load_settings().env == "production"
    monkeypatch.setenv("HRLAB_AUTH_MODE", "none")
    with pytest.raises(ConfigError, match="refused when HRLAB_ENV=production"):
        load_settings()


@pytest.mark.parametrize(
    ("variable", "value", "expected"),
    [
        ("LIVEKIT_API_SECRET", "", "LIVEKIT_API_SECRET: is empty"),
        ("HRLAB_SECRET_KEY", "", "HRLAB_SECRET_KEY: is empty"),
        ("LIVEKIT_API_SECRET", "x", "LIVEKIT_API_SECRET is 1 bytes; production needs at least 32"),
        ("HRLAB_SECRET_KEY", "k" * 31, "HRLAB_SECRET_KEY is 31 bytes; production needs at least 32"),
        ("HRLAB_ADMIN_KEY", "short", "HRLAB_ADMIN_KEY is 5 bytes"),
        ("HRLAB_UPSTREAM_SECRET", "   ", "HRLAB_UPSTREAM_SECRET is empty"),
        ("LIVEKIT_API_KEY", "", "LIVEKIT_API_KEY"),
        ("HRLAB_SECRET_KEY", "hrlab-dev-secret-key-not-for-production", "HRLAB_SECRET_KEY is the dev value"),
    ],
)
def test_production_refuses_weak_secrets(monkeypatch, variable, value, expected):
    """Each secret is checked on its own: set all others strong, then weaken one."""
    monkeypatch.setenv("HRLAB_ENV", "production")
    monkeypatch.setenv("LIVEKIT_API_KEY", "APIrealkey")
    for name in ("LIVEKIT_API_SECRET", "HRLAB_SECRET_KEY"):
        monkeypatch.setenv(name, STRONG)
    monkeypatch.setenv(variable, value)
    with pytest.raises(ConfigError) as info:
        load_settings()
    assert expected in info.value.message


def test_dev_keeps_dev_defaults_but_refuses_empty_secrets(monkeypatch):
    assert load_settings().livekit_api_key == "devkey"
    monkeypatch.setenv("LIVEKIT_API_SECRET", "")
    with pytest.raises(ConfigError, match="LIVEKIT_API_SECRET: is empty"):
        load_settings()


def test_dotenv_file_is_read(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / ".env").write_text("HRLAB_AGENT_NAME=from-dotenv\n")
    assert load_settings().agent_name == "from-dotenv"


def test_readme_table_matches_settings():
    rows = re.findall(r"^\| `([A-Z_]+)` \|", README.read_text(), flags=re.MULTILINE)
    assert rows, "README has no settings table"
    assert sorted(rows) == sorted(env_names())
    assert len(env_names()) == len(Settings.model_fields)
