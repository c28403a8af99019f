"""The hand-built candidate token is the one livekit-api's AccessToken builds, claim for claim."""

from __future__ import annotations

from datetime import timedelta

import jwt
import pytest
from livekit import api

from hrlab.api.tokens import CANDIDATE_SOURCES, dispatch_metadata, mint_candidate_token, sign_hs256, token_ttl
from hrlab.config import load_settings
from hrlab.store.models import utcnow
from hrlab.store.sessions import OpenedSession

SECRET = "a-livekit-secret-of-at-least-32-bytes!"


def _sdk_token(settings, opened: OpenedSession) -> str:
    """What the endpoint minted before (commit ba4725a): the SDK's builder, kept here as the reference."""
    grants = api.VideoGrants(room_join=True, room=opened.room_name, can_publish=True,
                             can_publish_sources=CANDIDATE_SOURCES, can_subscribe=True, can_publish_data=True,
                             can_update_own_metadata=False)
    room_config = api.RoomConfiguration(
        agents=[api.RoomAgentDispatch(agent_name=settings.agent_name, metadata=dispatch_metadata(opened))])
    return (api.AccessToken(settings.livekit_api_key, settings.livekit_api_secret.get_secret_value())
            .with_identity(f"candidate-{opened.session_id}").with_name(opened.candidate_name or "Candidate")
            .with_grants(grants).with_ttl(token_ttl(settings, opened)).with_room_config(room_config).to_jwt())


SESSIONS = [
    OpenedSession(7, 3, "interview_3_1764547200000", "Ada Lovelace", "en", reused=True),
    OpenedSession(8, 4, "interview_4_1764547200001", "Анна Иванова", "ru", reused=False,
                  expires_at=utcnow() + timedelta(seconds=90)),
    OpenedSession(9, 5, "interview_5_1764547200002", None, "en", reused=False),
]


@pytest.mark.parametrize("opened", SESSIONS, ids=["running", "pending-ru", "no-name"])
def test_claims_match_the_sdk(opened):
    settings = load_settings(livekit_api_key="key-" + "k" * 28, livekit_api_secret=SECRET, token_ttl_seconds=600)
    ours, theirs = mint_candidate_token(settings, opened), _sdk_token(settings, opened)
    ours_claims = jwt.decode(ours, SECRET, algorithms=["HS256"])
    theirs_claims = jwt.decode(theirs, SECRET, algorithms=["HS256"])
    assert list(ours_claims) == list(theirs_claims)
    assert {k: v for k, v in ours_claims.items() if k not in ("nbf", "exp")} == \
        {k: v for k, v in theirs_claims.items() if k not in ("nbf", "exp")}
    for claim in ("nbf", "exp"):  # both read the clock; a second may tick between them
        assert abs(ours_claims[claim] - theirs_claims[claim]) <= 1
    verified = api.TokenVerifier(settings.livekit_api_key, SECRET).verify(ours)
    assert verified.identity == f"candidate-{opened.session_id}" and verified.video.room == opened.room_name


def test_signature_is_pyjwt_byte_for_byte():
    claims = {"name": "Анна", "video": {"room": "r", "roomJoin": True}, "nbf": 1, "exp": 2}
    assert sign_hs256(claims, SECRET) == jwt.encode(claims, SECRET, algorithm="HS256")
    assert sign_hs256(claims, SECRET + "x") == jwt.encode(claims, SECRET + "x", algorithm="HS256")
