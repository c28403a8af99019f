"""Timing knobs of one interview session (silence, time-outs, endpointing, barge-in)."""

from __future__ import annotations

from dataclasses import dataclass

from hrlab.providers.vad import UTTERANCE_SILENCE


@dataclass(frozen=True)
class InterviewOptions:
    """How the interviewer waits and listens; every figure is seconds."""

    silence_timeout: float = 12.0  # both quiet this long after a question: re-prompt, then move on
    llm_timeout: float = 8.0  # a slower question proposal is dropped for a resume-grounded fallback
    # With this many other completions in the local model already, a question would wait past llm_timeout (4
    # interviews at once on 2 cores: every question timed out after 8-16 s of silence), so the fallback is said
    # at once instead. Cloud models are not counted.
    llm_busy_limit: int = 3
    # Bounds a stuck model, not a slow one: Qwen's per-competency calls took 50-85 s, 156-168 s at load 6-9
    # (BENCHMARKS.md), and a time-out stores the quotes-only fallback instead.
    assessment_timeout: float = 300.0
    disconnect_grace: float = 20.0  # the candidate may rejoin within this before the interview ends
    start_grace: float = 1.0  # start once the candidate's microphone has been live this long (start.py says why)
    # start without `start_interview` or a microphone once the candidate has been here this long
    start_wait: float = 30.0
    min_endpointing_delay: float = 0.5
    max_endpointing_delay: float = 2.0  # used when the turn model hears an unfinished answer: covers a 1.5 s pause
    # The turn VAD (providers/vad.py): this much silence ends an utterance; Silero's speech probability threshold.
    vad_min_silence: float = UTTERANCE_SILENCE
    vad_threshold: float = 0.5
    # The STT hears each phrase as it ends (a 0.25 s pause) instead of each utterance (0.55 s), so a long
    # answer is mostly transcribed before it ends (providers/phrase_stt.py); off: livekit's StreamAdapter.
    stt_phrases: bool = True
    turn_end_threshold: float = 0.5  # Smart Turn probability at which an answer counts as finished
    acknowledge: bool = True  # "Mm-hm." while the next question is prepared (acknowledgements.py)
    # ... once the candidate has stayed quiet this long after the VAD heard them stop (itself 0.55 s into the
    # silence): 1.6 s in all, past the 1.5 s thinking pauses an earlier acknowledgement fell into (BENCHMARKS.md)
    acknowledge_after: float = 1.05
    # A question or re-ask after an answer waits until the candidate has been quiet this long after the VAD
    # heard them stop: 2.0 s in all, so a 1.5 s thinking pause ends 0.5 s before it, time for the VAD to hear
    # the candidate go on. At 1.6 s (the acknowledgement's wait) questions drafted from phrases started 0.1 s
    # after the candidate resumed, live, with Silero a little behind (BENCHMARKS.md).
    line_after: float = 1.45
    # ... and, when the candidate spoke after the turn was taken, until the STT has transcribed it (conductor.py
    # `_candidate_done`), this much longer at most.
    transcript_wait: float = 3.0
    barge_in: bool = True  # the candidate may interrupt a question (never the opening or the closing)
    min_interruption_duration: float = 0.5
    aec_warmup: float | None = None  # ignore barge-in this long after the AI starts (echo before AEC settles)
    question_temperature: float = 0.3

    def __post_init__(self) -> None:
        for name in ("silence_timeout", "llm_timeout", "assessment_timeout", "min_endpointing_delay",
                     "max_endpointing_delay", "min_interruption_duration", "vad_min_silence"):
            value = getattr(self, name)
            if not isinstance(value, (int, float)) or isinstance(value, bool) or value <= 0:
                raise ValueError(f"interview option {name} must be a positive number of seconds, got {value!r}")
        for name in ("disconnect_grace", "start_grace", "start_wait", "acknowledge_after", "line_after",
                     "transcript_wait"):
            value = getattr(self, name)
            if not isinstance(value, (int, float)) or isinstance(value, bool) or value < 0:
                raise ValueError(f"interview option {name} must be >= 0 seconds, got {value!r}")
        if isinstance(self.llm_busy_limit, bool) or not isinstance(self.llm_busy_limit, int) \
                or self.llm_busy_limit < 1:
            raise ValueError(f"interview option llm_busy_limit must be an integer >= 1, got {self.llm_busy_limit!r}")
        if isinstance(self.vad_threshold, bool) or not isinstance(self.vad_threshold, (int, float)) \
                or not 0.0 < self.vad_threshold < 1.0:
            raise ValueError(f"interview option vad_threshold must be between 0 and 1, got {self.vad_threshold!r}")
        if isinstance(self.turn_end_threshold, bool) or not 0.0 < self.turn_end_threshold < 1.0:
            raise ValueError("interview option turn_end_threshold must be between 0 and 1, "
                             f"got {self.turn_end_threshold!r}")
        if self.max_endpointing_delay < self.min_endpointing_delay:
            raise ValueError("max_endpointing_delay must not be below min_endpointing_delay")

    def scaled(self, speed: float) -> InterviewOptions:
        """The same options on a clock running `speed` times faster (rehearsals)."""
        if speed <= 0:
            raise ValueError(f"speed must be positive, got {speed!r}")
        fields = ("silence_timeout", "min_endpointing_delay", "max_endpointing_delay", "min_interruption_duration")
        return InterviewOptions(**{**self.__dict__, **{name: getattr(self, name) / speed for name in fields}})
