"""The SDK's expected /rtc/v1 fallback is logged at debug; other SDK warnings are untouched."""

from __future__ import annotations

import logging

from hrlab.sdk_logs import quiet_expected_sdk_warnings

FALLBACK = [
    "livekit_signaling:433:livekit_signaling - signal connection failed on v1 path: Handshake { status: 404 }",
    "livekit_signaling:452:livekit_signaling - v1 path not found (404), falling back to v0 path",
]


def test_only_the_expected_fallback_is_demoted(caplog):
    quiet_expected_sdk_warnings()
    quiet_expected_sdk_warnings()
    sdk = logging.getLogger("livekit")
    assert len(sdk.filters) == 1
    with caplog.at_level(logging.INFO, logger="livekit"):
        for line in FALLBACK:
            sdk.warning(line)
        sdk.warning("livekit_signaling:433:livekit_signaling - signal connection failed on v1 path: "
                    "Handshake { status: 500 }")
    assert [(r.levelname, r.getMessage()[-12:]) for r in caplog.records] == [("WARNING", "{ status: 500 }"[-12:])]
    caplog.clear()
    with caplog.at_level(logging.DEBUG, logger="livekit"):
        sdk.warning(FALLBACK[1])
    assert [r.levelname for r in caplog.records] == ["DEBUG"]
