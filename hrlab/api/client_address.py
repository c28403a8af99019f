"""The client's address for rate limits: the socket's peer, or what a trusted reverse proxy says it saw."""

from __future__ import annotations

import ipaddress
from collections.abc import Callable, Sequence

from flask import request

Network = ipaddress.IPv4Network | ipaddress.IPv6Network


def _ip(text: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    try:
        return ipaddress.ip_address(text.strip())
    except ValueError:
        return None


def _trusted(address, networks: Sequence[Network]) -> bool:
    return address is not None and any(address in network for network in networks)


def forwarded_client(remote: str, forwarded_for: str, networks: Sequence[Network]) -> str:
    """Walk X-Forwarded-For from the right past trusted proxies; the first other hop is the client.

    Only hops appended by our own proxies can be believed: anything to their left came from the client.
    """
    if not _trusted(_ip(remote), networks):
        return remote
    client = remote
    for hop in reversed([part for part in forwarded_for.split(",") if part.strip()]):
        address = _ip(hop)
        if address is None:
            break  # garbage from the client side: stop at the last hop we trust
        client = str(address)
        if not _trusted(address, networks):
            break
    return client


def client_address_func(networks: Sequence[Network]) -> Callable[[], str]:
    """The limiter's key function for these trusted proxies."""

    def client_address() -> str:
        remote = request.remote_addr or "127.0.0.1"
        if not networks:
            return remote
        return forwarded_client(remote, request.headers.get("X-Forwarded-For", ""), networks)

    return client_address
