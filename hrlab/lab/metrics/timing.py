"""Timing metrics on one clock (seconds from run start), from the audio the candidate receives."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Sequence

import numpy as np

DEFAULT_MAX_REACTION_S = 1.0


@dataclass(frozen=True)
class Segment:
    """A span of audio, [start, end) in seconds."""

    start: float
    end: float

    def __post_init__(self) -> None:
        if not (math.isfinite(self.start) and math.isfinite(self.end)) or self.end < self.start:
            raise ValueError(f"segment must have finite start <= end, got [{self.start}, {self.end})")

    def contains(self, t: float) -> bool:
        return self.start <= t < self.end


def voice_to_voice_latencies(candidate: Sequence[Segment], ai_audio: Sequence[Segment]) -> list[float | None]:
    """Per candidate answer: its end to the next AI audio start, before the candidate's next answer.

    None when the AI said nothing in that window. AI audio already playing when the answer ended is
    not a response (it started before the candidate finished).
    """
    starts = sorted(seg.start for seg in ai_audio)
    ordered = sorted(candidate, key=lambda seg: seg.start)
    latencies = []
    for i, turn in enumerate(ordered):
        window_end = ordered[i + 1].start if i + 1 < len(ordered) else math.inf
        first = next((s for s in starts if turn.end <= s < window_end), None)
        latencies.append(None if first is None else first - turn.end)
    return latencies


def times_to_next_line(candidate: Sequence[Segment], line_starts: Sequence[float],
                       ai_audio: Sequence[Segment]) -> list[float | None]:
    """Per candidate answer: its end to the first audio of the agent's next interview line (a question,
    a re-ask or the closing; never an acknowledgement, which the agent does not log as a line).

    The line's start is when the agent asked for it; its audio is the AI audio from then on, so a line
    queued behind an acknowledgement counts from when it became audible. None when no line followed
    before the next answer.
    """
    starts = sorted(line_starts)
    ordered = sorted(candidate, key=lambda seg: seg.start)
    audio = sorted(ai_audio, key=lambda seg: seg.start)
    out: list[float | None] = []
    for i, turn in enumerate(ordered):
        window_end = ordered[i + 1].start if i + 1 < len(ordered) else math.inf
        line = next((s for s in starts if turn.end < s < window_end), None)
        heard = None if line is None else next((max(seg.start, line) for seg in audio if seg.end > line), None)
        out.append(None if heard is None or heard >= window_end else heard - turn.end)
    return out


def false_cutoffs(pauses: Sequence[Segment], answer_end: float, ai_audio: Sequence[Segment],
                  line_starts: Sequence[float] = ()) -> list[bool]:
    """Per scripted pause in one answer: did AI audio, or an interview line, start between the pause's start
    and the answer's end?

    The AI reacts late, so a reply triggered by the pause often starts after the candidate resumed;
    that still cuts the answer off, hence the window runs to the answer's end, not the pause's end.
    A line the agent began there counts even when barge-in silenced it before any audio came through: its
    question message was sent, and the rest of the answer was taken for the answer to it.
    """
    starts = [seg.start for seg in ai_audio] + list(line_starts)
    return [any(pause.start <= s < answer_end for s in starts) for pause in pauses]


def barge_in_reaction(barge_at: float, ai_audio: Sequence[Segment]) -> float | None:
    """Seconds from the candidate starting over the AI to that AI audio ending; None if the AI was silent."""
    for seg in ai_audio:
        if seg.contains(barge_at):
            return seg.end - barge_at
    return None


def speech_segments(pcm: np.ndarray, *, sample_rate: int = 16_000, offset_s: float = 0.0, frame_ms: int = 20,
                    threshold_dbfs: float = -45.0, merge_gap_s: float = 0.5) -> list[Segment]:
    """Find where int16 audio is audible (frame RMS above `threshold_dbfs`), merging short gaps."""
    frame = max(1, sample_rate * frame_ms // 1000)
    usable = len(pcm) // frame * frame
    if usable == 0:
        return []
    frames = pcm[:usable].astype(np.float64).reshape(-1, frame) / 32768.0
    rms = np.sqrt(np.mean(frames**2, axis=1))
    loud = 20 * np.log10(np.maximum(rms, 1e-10)) > threshold_dbfs
    segments: list[Segment] = []
    step = frame / sample_rate
    for index in np.flatnonzero(loud):
        start = offset_s + index * step
        if segments and start - segments[-1].end <= merge_gap_s:
            segments[-1] = Segment(segments[-1].start, start + step)
        else:
            segments.append(Segment(start, start + step))
    return segments
