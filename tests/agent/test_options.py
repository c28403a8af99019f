"""Interview options refuse values that cannot work, naming the option."""

from __future__ import annotations

import pytest

from hrlab.agent.options import InterviewOptions


@pytest.mark.parametrize("changes, message", [
    ({"vad_min_silence": 0}, "vad_min_silence must be a positive number of seconds"),
    ({"vad_threshold": 1.0}, "vad_threshold must be between 0 and 1"),
    ({"vad_threshold": True}, "vad_threshold must be between 0 and 1"),
    ({"line_after": -1}, "line_after must be >= 0 seconds"),
    ({"min_endpointing_delay": 3.0}, "max_endpointing_delay must not be below min_endpointing_delay"),
])
def test_bad_values_are_refused_by_name(changes, message):
    with pytest.raises(ValueError, match=message):
        InterviewOptions(**changes)


def test_the_vad_settings_are_not_scaled_with_the_clock():
    # The VAD counts silence in the audio it hears, which a rehearsal plays faster, not in wall time.
    options = InterviewOptions(vad_min_silence=0.9).scaled(5.0)
    assert options.vad_min_silence == 0.9 and options.min_endpointing_delay == pytest.approx(0.1)
