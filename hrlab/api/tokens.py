"""LiveKit access tokens for candidates: one room, microphone only, agent dispatched by the server."""

from __future__ import annotations

import json
from datetime import timedelta

from livekit import api

from hrlab.config import Settings
from hrlab.store.models import utcnow
from hrlab.store.sessions import OpenedSession

CANDIDATE_SOURCES = ["microphone"]


def candidate_identity(session_id: int) -> str:
    """The identity a candidate has in the room; bound to the interview session."""
    return f"candidate-{session_id}"


def dispatch_metadata(opened: OpenedSession) -> str:
    """What the agent's job reads to find its session and resume."""
    return json.dumps({"sessionId": opened.session_id, "resumeId": opened.resume_id, "language": opened.language})


def token_ttl(settings: Settings, opened: OpenedSession) -> timedelta:
    """The token's lifetime: the full TTL, cut to the session's own expiry when nobody joined it yet."""
    ttl = timedelta(seconds=settings.token_ttl_seconds)
    if opened.expires_at is None:
        return ttl
    return max(timedelta(seconds=1), min(ttl, opened.expires_at - utcnow()))


def mint_candidate_token(settings: Settings, opened: OpenedSession) -> str:
    """A JWT that joins only this session's room and dispatches the interview agent into it."""
    grants = api.VideoGrants(
        room_join=True,
        room=opened.room_name,
        can_publish=True,
        can_publish_sources=CANDIDATE_SOURCES,
        can_subscribe=True,
        can_publish_data=True,
        can_update_own_metadata=False,
    )
    room_config = api.RoomConfiguration(
        agents=[api.RoomAgentDispatch(agent_name=settings.agent_name, metadata=dispatch_metadata(opened))]
    )
    return (
        api.AccessToken(settings.livekit_api_key, settings.livekit_api_secret.get_secret_value())
        .with_identity(candidate_identity(opened.session_id))
        .with_name(opened.candidate_name or "Candidate")
        .with_grants(grants)
        .with_ttl(token_ttl(settings, opened))
        .with_room_config(room_config)
        .to_jwt()
    )
