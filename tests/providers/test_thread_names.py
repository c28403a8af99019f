"""Threads are named after the component they work for, and get their own name back afterwards."""

from __future__ import annotations

import sys
import threading

import pytest

from hrlab.providers.thread_names import current_name, working_as

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="thread names are read from /proc")


def test_a_thread_works_under_the_component_name_and_gets_its_own_back():
    seen = {}

    def work():
        seen["before"] = current_name()
        with working_as("stt"):
            seen["during"] = current_name()
            child = threading.Thread(target=lambda: seen.setdefault("child", current_name()))
            child.start()
            child.join()
        seen["after"] = current_name()

    thread = threading.Thread(target=work)
    thread.start()
    thread.join()
    assert seen["during"] == "hr-stt"
    assert seen["child"] == "hr-stt"  # a thread an engine starts while working inherits the name
    assert seen["after"] == seen["before"] != "hr-stt"


def test_the_name_comes_back_when_the_work_fails():
    before = current_name()
    with pytest.raises(RuntimeError):
        with working_as("llm"):
            raise RuntimeError("decoding failed")
    assert current_name() == before
