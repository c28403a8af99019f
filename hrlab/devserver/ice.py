"""ICE on loopback: advertise only 127.0.0.1 and accept only loopback remote candidates.

libwebrtc clients do not gather loopback candidates, so, like livekit-server in dev mode, the
devserver advertises a 127.0.0.1 host candidate and learns the client's address from its
connectivity checks (peer-reflexive). Remote candidates on other addresses are dropped so the
devserver never sends to anything but the loopback network.
"""

from __future__ import annotations

import ipaddress

import aioice.ice

LOOPBACK_HOSTS = ["127.0.0.1"]


def _loopback_host_addresses(use_ipv4: bool, use_ipv6: bool) -> list[str]:
    return list(LOOPBACK_HOSTS) if use_ipv4 else []


def use_loopback_candidates() -> None:
    """Make aioice (in this process) gather host candidates on 127.0.0.1 only."""
    # aioice skips 127.0.0.1 when it enumerates interfaces and has no option to name hosts.
    aioice.ice.get_host_addresses = _loopback_host_addresses


def is_loopback(host: str) -> bool:
    """Whether `host` is a loopback IP address (mDNS names and other hosts are not)."""
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False
