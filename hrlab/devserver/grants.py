"""Participant permissions from a token's video grant, as livekit-server derives them."""

from __future__ import annotations

from livekit import api
from livekit.protocol import models

_SOURCES = {
    "camera": models.TrackSource.CAMERA,
    "microphone": models.TrackSource.MICROPHONE,
    "screen_share": models.TrackSource.SCREEN_SHARE,
    "screen_share_audio": models.TrackSource.SCREEN_SHARE_AUDIO,
}


def permission_from_grants(video: api.VideoGrants) -> models.ParticipantPermission:
    """Build the ParticipantPermission a joining participant gets."""
    sources = []
    for name in video.can_publish_sources or []:
        source = _SOURCES.get(str(name).lower())
        if source is None:
            raise ValueError(f"unknown track source {name!r} in canPublishSources")
        sources.append(source)
    return models.ParticipantPermission(
        can_subscribe=video.can_subscribe,
        can_publish=video.can_publish,
        can_publish_data=video.can_publish_data,
        can_publish_sources=sources,
        hidden=bool(video.hidden),
        recorder=bool(video.recorder),
        can_update_metadata=bool(video.can_update_own_metadata),
        agent=bool(video.agent),
        can_subscribe_metrics=bool(video.can_subscribe_metrics),
    )


def may_publish_source(permission: models.ParticipantPermission, source: int) -> bool:
    """Whether this permission allows publishing a track from `source`."""
    if not permission.can_publish:
        return False
    allowed = list(permission.can_publish_sources)
    return not allowed or source in allowed
