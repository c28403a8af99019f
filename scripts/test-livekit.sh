#!/usr/bin/env bash
# Run the tests marked `livekit` (real WebRTC clients) inside a private network namespace:
# libwebrtc never uses loopback addresses, and the namespace gives clients a private one
# (hrlab/devserver/README.md). PostgreSQL and Redis on the host's 127.0.0.1 are not reachable
# in there, so these tests use SQLite. Without root the tests run here and skip with the reason.
set -uo pipefail
py="$1"; shift
if [ "$(id -u)" = 0 ] && command -v ip >/dev/null; then
  exec "$py" -m hrlab.devserver.netns -- "$py" -m pytest -q -ra -m livekit "$@"
fi
echo "test-livekit: not root or no 'ip': livekit tests will skip (they need a private network namespace)" >&2
exec "$py" -m pytest -q -ra -m livekit "$@"
