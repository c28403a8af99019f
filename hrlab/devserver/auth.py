"""Access-token checks the way livekit-server makes them: signature, expiry, room and grants."""

from __future__ import annotations

from dataclasses import dataclass

import jwt
from livekit import api


class AuthError(Exception):
    """A refused token; `status` is the HTTP status livekit-server answers with."""

    def __init__(self, reason: str, *, status: int = 401) -> None:
        super().__init__(reason)
        self.reason = reason
        self.status = status


@dataclass(frozen=True)
class Credentials:
    """The one API key and secret this devserver accepts."""

    api_key: str
    api_secret: str

    def verify(self, token: str | None) -> api.Claims:
        """Verify signature, issuer and expiry; raise AuthError saying what is wrong."""
        if not token:
            raise AuthError("no access token: pass access_token or an Authorization: Bearer header")
        try:
            return api.TokenVerifier(self.api_key, self.api_secret).verify(token)
        except jwt.ExpiredSignatureError:
            raise AuthError("invalid token: token is expired") from None
        except jwt.ImmatureSignatureError:
            raise AuthError("invalid token: token is not valid yet (nbf in the future)") from None
        except jwt.InvalidIssuerError:
            raise AuthError("invalid token: unknown API key (iss)") from None
        except jwt.InvalidSignatureError:
            raise AuthError("invalid token: signature does not match the API secret") from None
        except jwt.PyJWTError as exc:
            raise AuthError(f"invalid token: {exc}") from None

    def verify_join(self, token: str | None, *, room: str | None = None) -> api.Claims:
        """Verify a token for joining a room: roomJoin grant, a room name and an identity."""
        claims = self.verify(token)
        video = claims.video
        if video is None or not video.room_join:
            raise AuthError("permissions denied: token has no roomJoin grant", status=401)
        if not video.room:
            raise AuthError("permissions denied: token names no room", status=401)
        if room and room != video.room:
            raise AuthError(f"permissions denied: token is for room {video.room!r}, not {room!r}", status=401)
        if not claims.identity:
            raise AuthError("permissions denied: token has no identity", status=401)
        return claims

    def bearer(self, header: str | None) -> api.Claims:
        """Verify the token of an `Authorization: Bearer ...` header."""
        if not header or not header.startswith("Bearer "):
            raise AuthError("authorization header is missing or not a Bearer token")
        return self.verify(header.removeprefix("Bearer ").strip())
