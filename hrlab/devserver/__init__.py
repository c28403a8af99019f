"""A single-process LiveKit-protocol server for local runs and CI (`hrlab devserver`)."""

from __future__ import annotations

from hrlab.devserver.server import serve

__all__ = ["serve"]
