"""Dashboard logins: scrypt password hashes from HRLAB_DASHBOARD_USERS, checked in constant time."""

from __future__ import annotations

import hashlib
import hmac
import secrets

from hrlab.config import Settings
from hrlab.errors import ConfigError

# scrypt parameters: ~50 ms per check on this machine, slow enough to make guessing expensive.
_N, _R, _P = 2**14, 8, 1
_PREFIX = "scrypt"


def hash_password(password: str, *, salt: bytes | None = None) -> str:
    """`scrypt$N$r$p$salt$hash`, the form HRLAB_DASHBOARD_USERS stores."""
    if not password:
        raise ValueError("the password is empty")
    salt = salt or secrets.token_bytes(16)
    digest = hashlib.scrypt(password.encode("utf-8"), salt=salt, n=_N, r=_R, p=_P)
    return f"{_PREFIX}${_N}${_R}${_P}${salt.hex()}${digest.hex()}"


def check_password(password: str, stored: str) -> bool:
    """True when `password` matches the stored hash."""
    prefix, n, r, p, salt, digest = stored.split("$")
    got = hashlib.scrypt(password.encode("utf-8"), salt=bytes.fromhex(salt), n=int(n), r=int(r), p=int(p))
    return prefix == _PREFIX and hmac.compare_digest(got.hex(), digest)


def parse_users(text: str) -> dict[str, str]:
    """`name:hash,name:hash` -> {name: hash}; a malformed entry raises ConfigError naming it."""
    users = {}
    for entry in filter(None, (part.strip() for part in text.split(","))):
        name, sep, stored = entry.partition(":")
        fields = stored.split("$")
        if not sep or not name.strip() or len(fields) != 6 or fields[0] != _PREFIX:
            raise ConfigError(f"HRLAB_DASHBOARD_USERS: entry {name.strip() or entry[:20]!r} is not "
                              "`name:scrypt$...` (make a hash with `hrlab dashboard --hash-password`)")
        users[name.strip()] = stored
    return users


def dashboard_users(settings: Settings) -> dict[str, str]:
    """The configured logins, or {} when none are set."""
    if settings.dashboard_users is None:
        return {}
    return parse_users(settings.dashboard_users.get_secret_value())


class Authenticator:
    """Gradio's `auth` callable: (username, password) -> bool."""

    def __init__(self, users: dict[str, str]):
        self.users = users

    def __call__(self, username: str, password: str) -> bool:
        stored = self.users.get(username)
        if stored is None:
            check_password(password, hash_password("x"))  # same work for unknown names: no timing hint
            return False
        return check_password(password, stored)
