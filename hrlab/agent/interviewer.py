"""The livekit-agents `Agent` of the interview: hands each finished candidate turn to the conductor.

Why not an `llm_node` override: the framework cancels an `llm_node` when the candidate resumes
speaking, which would leave the machine with a half-made question (or make two). It never cancels
`on_user_turn_completed`, so the turn goes to the conductor there; `StopResponse` keeps the
framework from generating a reply of its own, and the conductor speaks with `session.say`.
"""

from __future__ import annotations

from collections.abc import AsyncIterable

from livekit import rtc
from livekit.agents import Agent, AgentSession, StopResponse, llm
from livekit.agents.voice.agent import ModelSettings

from hrlab.agent.conductor import Conductor
from hrlab.agent.options import InterviewOptions
from hrlab.agent.turn_taking import CandidateAudio, TurnEndDetector
from hrlab.providers.phrase_stt import PhraseSTT
from hrlab.providers.vad import UTTERANCE_SILENCE

_INSTRUCTIONS = (
    "You are hrlab's structured job interviewer. The interview plan, not free chat, decides what is said."
)


class Interviewer(Agent):
    """Routes each final candidate transcript to the conductor and never lets the framework reply itself."""

    def __init__(self, conductor: Conductor, *, hearing: CandidateAudio | None = None) -> None:
        super().__init__(instructions=_INSTRUCTIONS)
        self.conductor = conductor
        self.hearing = hearing

    async def stt_node(self, audio: AsyncIterable[rtc.AudioFrame], model_settings: ModelSettings):
        """The default STT, with every frame also kept for the turn model (`hearing`)."""
        if self.hearing is not None:
            audio = _tee(audio, self.hearing)
        async for event in Agent.default.stt_node(self, audio, model_settings):
            yield event

    async def on_user_turn_completed(self, turn_ctx: llm.ChatContext, new_message: llm.ChatMessage) -> None:
        self.conductor.on_answer(new_message.text_content or "", report=dict(new_message.metrics or {}))
        raise StopResponse()

    async def llm_node(self, chat_ctx: llm.ChatContext, tools: list, model_settings: ModelSettings) -> None:
        return None  # replies come only from the conductor's plan (see the module docstring)


async def _tee(audio: AsyncIterable[rtc.AudioFrame], hearing: CandidateAudio):
    async for frame in audio:
        hearing.push(frame)
        yield frame


def build_session(*, stt, tts, vad, options: InterviewOptions, turn_detector: TurnEndDetector | None = None,
                  phrase_vad=None) -> AgentSession:
    """An AgentSession wired for interviews: VAD endpointing (its delay chosen by `turn_detector` when
    there is one), a batch STT fed phrase by phrase when `phrase_vad` is given and `options.stt_phrases`
    is on, no preemptive replies, away = silence."""
    if options.stt_phrases and phrase_vad is not None and not stt.capabilities.streaming:
        stt = PhraseSTT(stt, phrase_vad, utterance_silence=getattr(vad, "min_silence_duration", UTTERANCE_SILENCE))
    interruption = {
        "enabled": True, "mode": "vad", "min_duration": options.min_interruption_duration,
        "resume_false_interruption": False, "false_interruption_timeout": None,
    }
    return AgentSession(
        stt=stt, tts=tts, vad=vad,
        turn_handling={
            "turn_detection": turn_detector if turn_detector is not None else "vad",
            "endpointing": {"min_delay": options.min_endpointing_delay, "max_delay": options.max_endpointing_delay},
            "interruption": interruption,
            "preemptive_generation": {"enabled": False},
        },
        user_away_timeout=options.silence_timeout,
        aec_warmup_duration=options.aec_warmup,
        tts_text_transforms=None,
    )
