"""Who may call the interview API: signed invite links, a trusted upstream, or nobody checks (demos)."""

from __future__ import annotations

import hmac

from flask import request
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer

from hrlab.api.ids import MAX_ID
from hrlab.config import Settings
from hrlab.errors import Forbidden, Unauthorized

INVITE_SALT = "hrlab-invite-v1"
UPSTREAM_HEADER = "X-Hrlab-Upstream-Secret"
ADMIN_HEADER = "X-Hrlab-Admin-Key"


def _serializer(settings: Settings) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(settings.secret_key.get_secret_value(), salt=INVITE_SALT)


def issue_invite(settings: Settings, resume_id: int) -> str:
    """A signed, expiring invite token for one resume."""
    return _serializer(settings).dumps({"resumeId": resume_id})


def invite_resume_id(settings: Settings, invite: str) -> int:
    """The resume an invite was issued for; Unauthorized when it is forged or expired."""
    try:
        payload = _serializer(settings).loads(invite, max_age=settings.invite_ttl_hours * 3600)
    except SignatureExpired:
        raise Unauthorized("The invite link has expired; ask for a new one") from None
    except BadSignature:
        raise Unauthorized("The invite link is not valid") from None
    # Signed with our key but not what issue_invite writes (an old format, a leaked key's experiment):
    # anything but {"resumeId": <int in range>} is refused, never coerced (1.9, true, "1").
    resume_id = payload.get("resumeId") if isinstance(payload, dict) else None
    if type(resume_id) is not int or not 1 <= resume_id <= MAX_ID:
        raise Unauthorized("The invite link is not valid")
    return resume_id


def bearer_token() -> str | None:
    """The credential in `Authorization: Bearer ...`; the scheme is case-insensitive (RFC 7235)."""
    scheme, _, credential = request.headers.get("Authorization", "").partition(" ")
    if scheme.lower() != "bearer":
        return None
    return credential.strip() or None


def _presented_invite() -> str | None:
    return bearer_token() or request.args.get("invite") or None


def authorize_resume(settings: Settings, resume_id: int) -> None:
    """Check the caller may act for this resume under the configured auth mode."""
    if settings.auth_mode == "none":
        return
    if settings.auth_mode == "upstream":
        given = request.headers.get(UPSTREAM_HEADER, "")
        expected = settings.upstream_secret.get_secret_value()
        if not given:
            raise Unauthorized(f"Missing {UPSTREAM_HEADER} header")
        if not hmac.compare_digest(given.encode(), expected.encode()):
            raise Unauthorized(f"Wrong {UPSTREAM_HEADER} header")
        return
    invite = _presented_invite()
    if invite is None:
        raise Unauthorized("An invite is required: send 'Authorization: Bearer <invite>' or ?invite=")
    if invite_resume_id(settings, invite) != resume_id:
        raise Forbidden(f"This invite is not for resume {resume_id}")


def authorize_admin(settings: Settings) -> None:
    """Check the admin key; the admin API is off when no key is configured."""
    if settings.admin_key is None:
        raise Forbidden("The admin API is disabled: set HRLAB_ADMIN_KEY to enable it")
    given = request.headers.get(ADMIN_HEADER, "")
    if not given:
        raise Unauthorized(f"Missing {ADMIN_HEADER} header")
    if not hmac.compare_digest(given.encode(), settings.admin_key.get_secret_value().encode()):
        raise Unauthorized(f"Wrong {ADMIN_HEADER} header")


def authorize_metrics(settings: Settings) -> None:
    """/metrics: with HRLAB_METRICS_TOKEN set, only its bearer; unset, open in dev and closed in production."""
    if settings.metrics_token is None:
        if settings.env == "production":
            raise Forbidden("/metrics is closed in production until HRLAB_METRICS_TOKEN is set")
        return
    given = bearer_token()
    if given is None:
        raise Unauthorized("Send 'Authorization: Bearer <HRLAB_METRICS_TOKEN>' to read /metrics")
    if not hmac.compare_digest(given.encode(), settings.metrics_token.get_secret_value().encode()):
        raise Unauthorized("Wrong metrics token")
