"""The devserver's aiohttp application: every endpoint on one port."""

from __future__ import annotations

from aiohttp import web

from hrlab.devserver.agents import AgentDispatcher
from hrlab.devserver.auth import Credentials
from hrlab.devserver.ice import use_loopback_candidates
from hrlab.devserver.rooms import RoomRegistry
from hrlab.devserver.rtc_endpoint import RtcEndpoint
from hrlab.devserver.twirp import TwirpServices

REGISTRY_KEY = web.AppKey("registry", RoomRegistry)


async def _health(request: web.Request) -> web.Response:
    return web.Response(text="OK")


_CORS = {
    "Access-Control-Allow-Origin": "*",
    "Access-Control-Allow-Methods": "GET, POST, OPTIONS",
    "Access-Control-Allow-Headers": "*",
    "Access-Control-Max-Age": "86400",
}


@web.middleware
async def _cors(request: web.Request, handler) -> web.StreamResponse:
    # browsers call /rtc/validate (to learn why a join failed) and Twirp from the page's origin,
    # as they do against livekit-server, which allows any origin
    if request.method == "OPTIONS":
        return web.Response(status=204, headers=_CORS)
    response = await handler(request)
    if not response.prepared:
        response.headers.update(_CORS)
    return response


def build_app(credentials: Credentials) -> web.Application:
    """Build the application serving `/`, `/rtc`, `/rtc/validate`, `/agent` and the Twirp APIs."""
    use_loopback_candidates()  # before any peer connection gathers candidates
    app = web.Application(middlewares=[_cors])
    registry = RoomRegistry()
    app[REGISTRY_KEY] = registry
    rtc_endpoint = RtcEndpoint(credentials, registry)
    dispatcher = AgentDispatcher(credentials, registry)
    twirp = TwirpServices(credentials, registry, dispatcher)
    app.router.add_get("/", _health)
    app.router.add_get("/rtc", rtc_endpoint.connect)
    app.router.add_get("/rtc/validate", rtc_endpoint.validate)
    app.router.add_get("/rtc/v1", rtc_endpoint.not_found)
    app.router.add_get("/rtc/v1/validate", rtc_endpoint.not_found)
    app.router.add_get("/agent", dispatcher.worker_endpoint)
    app.router.add_post("/twirp/{service}/{method}", twirp.handle)
    app.on_shutdown.append(_close_rooms)
    return app


async def _close_rooms(app: web.Application) -> None:
    await app[REGISTRY_KEY].close_all()
