"""Logins: hashes check, bad settings are named, the command refuses to serve without a login unless --dev."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from hrlab.cli import main
from hrlab.config import load_settings
from hrlab.dashboard.app import DEFAULT_HOST, DashboardConfig
from hrlab.dashboard.auth import Authenticator, check_password, dashboard_users, hash_password, parse_users
from hrlab.errors import ConfigError


def test_a_hash_accepts_its_password_only():
    stored = hash_password("s3cret pass")
    assert check_password("s3cret pass", stored)
    assert not check_password("s3cret pasS", stored)
    assert hash_password("s3cret pass") != stored  # salted


def test_users_setting_is_parsed_and_checked():
    users = parse_users(f"anna:{hash_password('a')}, boris:{hash_password('b')}")
    login = Authenticator(users)
    assert login("anna", "a") and login("boris", "b")
    assert not login("anna", "b") and not login("nobody", "a")


@pytest.mark.parametrize("text", ["anna", "anna:plaintext", ":scrypt$1$2$3$4$5", "anna:md5$1$2$3$4$5"])
def test_a_malformed_users_entry_is_named(text):
    with pytest.raises(ConfigError, match="HRLAB_DASHBOARD_USERS"):
        parse_users(text)


def test_settings_carry_the_users(monkeypatch):
    monkeypatch.setenv("HRLAB_DASHBOARD_USERS", f"hr:{hash_password('pw')}")
    assert set(dashboard_users(load_settings())) == {"hr"}


def test_no_login_refused_unless_dev(tmp_path):
    with pytest.raises(ConfigError, match="needs a login"):
        DashboardConfig(runs=tmp_path / "r.duckdb", database_url=None).check()
    DashboardConfig(runs=tmp_path / "r.duckdb", database_url=None, dev=True).check()
    assert DEFAULT_HOST == "127.0.0.1"


def test_command_refuses_to_start_without_users(monkeypatch, tmp_path):
    monkeypatch.delenv("HRLAB_DASHBOARD_USERS", raising=False)
    monkeypatch.chdir(tmp_path)  # no .env from the checkout
    result = CliRunner().invoke(main, ["dashboard", "--runs", str(tmp_path / "r.duckdb")])
    assert result.exit_code == 1
    assert "needs a login" in result.output and "--dev" in result.output


def test_command_prints_a_hash_for_the_setting():
    result = CliRunner().invoke(main, ["dashboard", "--hash-password"], input="pw\npw\n")
    assert result.exit_code == 0
    stored = result.output.strip().splitlines()[-1]
    assert check_password("pw", stored)
