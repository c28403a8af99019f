"""A private network namespace for running LiveKit clients against the devserver on one machine.

libwebrtc never gathers loopback candidates, so a client needs a non-loopback address to run ICE
from. Inside a fresh network namespace we give it one (a veth pair, 10.77.0.1) that exists only
there: nothing can leave the namespace, and the host's own interfaces are invisible.

`python -m hrlab.devserver.netns CMD ...` runs CMD inside such a namespace (root only).
"""

from __future__ import annotations

import ctypes
import os
import subprocess
import sys

CLONE_NEWNET = 0x40000000
PRIVATE_ADDRESS = "10.77.0.1/24"
ENV_MARK = "HRLAB_PRIVATE_NETNS"

_SETUP = [
    ["ip", "link", "set", "lo", "up"],
    ["ip", "link", "add", "hrlab0", "type", "veth", "peer", "name", "hrlab1"],
    ["ip", "addr", "add", PRIVATE_ADDRESS, "dev", "hrlab0"],
    ["ip", "link", "set", "hrlab1", "up"],
    ["ip", "link", "set", "hrlab0", "up"],
]


class NetnsError(RuntimeError):
    """The private network namespace could not be made (not root, or no `ip`/veth)."""


def in_private_network() -> bool:
    """Whether this process already runs in a namespace made by this module."""
    return os.environ.get(ENV_MARK) == "1"


def enter_private_network() -> None:
    """Move the calling thread (and threads and processes it starts later) into a fresh namespace."""
    if in_private_network():
        return
    libc = ctypes.CDLL(None, use_errno=True)
    if libc.unshare(CLONE_NEWNET) != 0:
        raise NetnsError(f"unshare(CLONE_NEWNET) failed: {os.strerror(ctypes.get_errno())} (needs root)")
    for command in _SETUP:
        result = subprocess.run(command, capture_output=True, text=True, check=False)
        if result.returncode != 0:
            raise NetnsError(f"{' '.join(command)} failed: {result.stderr.strip()}")
    os.environ[ENV_MARK] = "1"


def main(argv: list[str] | None = None) -> int:
    """Run a command inside a private network namespace and return its exit status."""
    args = list(sys.argv[1:] if argv is None else argv)
    if args[:1] == ["--"]:
        args = args[1:]
    if not args:
        print("usage: python -m hrlab.devserver.netns [--] COMMAND [ARGS...]", file=sys.stderr)
        return 2
    try:
        enter_private_network()
    except NetnsError as exc:
        print(f"hrlab devserver netns: {exc}", file=sys.stderr)
        return 1
    return subprocess.call(args)


if __name__ == "__main__":
    sys.exit(main())
