"""Path ids: positive integers that fit the database's INTEGER column."""

from __future__ import annotations

import re

from hrlab.errors import InvalidInput

MAX_ID = 2**31 - 1
_DIGITS = re.compile(r"[1-9][0-9]{0,9}")


def parse_resume_id(raw: str) -> int:
    """The resume id from the URL; InvalidInput for anything but 1..2147483647 in ASCII digits."""
    if not _DIGITS.fullmatch(raw) or int(raw) > MAX_ID:
        shown = raw if len(raw) <= 40 else raw[:40] + "..."
        raise InvalidInput(f"resumeId must be an integer from 1 to {MAX_ID}, got {shown!r}")
    return int(raw)
