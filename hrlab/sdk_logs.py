"""Quiet the livekit SDK's expected fallback from single-peer-connection signalling.

The SDK first tries `/rtc/v1`; a server without it (the devserver, livekit-server before single peer
connection mode) answers 404 and the SDK falls back to `/rtc`, logging two warnings on every connection.
They say nothing is wrong, so they are logged at debug here. Any other failure on that path stays a warning.
"""

from __future__ import annotations

import logging

_EXPECTED_FALLBACK = ("signal connection failed on v1 path: Handshake { status: 404 }",
                      "v1 path not found (404), falling back to v0 path")


class SinglePcFallbackFilter(logging.Filter):
    """Demotes the SDK's two 404-fallback warnings to debug; drops them unless debug is enabled."""

    def filter(self, record: logging.LogRecord) -> bool:
        if record.levelno != logging.WARNING or not record.getMessage().endswith(_EXPECTED_FALLBACK):
            return True
        record.levelno, record.levelname = logging.DEBUG, "DEBUG"
        return logging.getLogger(record.name).isEnabledFor(logging.DEBUG)


def quiet_expected_sdk_warnings() -> None:
    """Install the filter on the SDK's logger (idempotent)."""
    sdk = logging.getLogger("livekit")
    if not any(isinstance(f, SinglePcFallbackFilter) for f in sdk.filters):
        sdk.addFilter(SinglePcFallbackFilter())
