"""Opening sessions: the live-session cap holds while another transaction is opening one."""

from __future__ import annotations

import threading
from datetime import timedelta

from hrlab.errors import CapacityExceeded
from hrlab.store.sessions import open_or_reuse
from tests.api.conftest import add_resume

WINDOW = timedelta(minutes=10)


def test_cap_counts_a_session_still_being_opened(database):
    """A opens the last slot and has not committed; B, for another resume, must not take a slot too."""
    first, second = add_resume(database), add_resume(database)
    outcome: dict[str, object] = {}
    with database.session(write=True) as session:
        open_or_reuse(session, first, max_live=1, pending_window=WINDOW)

        def open_second():
            try:
                with database.session(write=True) as other:
                    outcome["opened"] = open_or_reuse(other, second, max_live=1, pending_window=WINDOW)
            except CapacityExceeded as error:
                outcome["refused"] = error

        thread = threading.Thread(target=open_second)
        thread.start()
        # The old code let B count 0 and commit at once; the fixed code makes B wait for A. The join's
        # time-out only gives the old code a chance to show the overshoot; it decides nothing.
        thread.join(timeout=1.5)
    thread.join()
    assert "opened" not in outcome, "a second session was opened past the cap"
    assert isinstance(outcome["refused"], CapacityExceeded)

