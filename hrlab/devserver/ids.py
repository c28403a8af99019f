"""LiveKit-style identifiers: a type prefix and a random suffix (RM_, PA_, TR_, AD_...)."""

from __future__ import annotations

import secrets
import string

_ALPHABET = string.ascii_letters + string.digits


def new_sid(prefix: str) -> str:
    """A fresh identifier such as `PA_x3Yk...` (prefix plus 12 random characters)."""
    return prefix + "".join(secrets.choice(_ALPHABET) for _ in range(12))
