#!/usr/bin/env bash
# `make test`: the host-network tests, then the livekit tests, each run whatever the other did;
# prints both results and exits non-zero when either failed.
set -uo pipefail
py="$1"; shift
"$py" -m pytest -q -ra -m "not livekit" "$@"
host=$?
bash "$(dirname "$0")/test-livekit.sh" "$py" "$@"
livekit=$?
echo "make test: host-network tests exit $host, livekit tests exit $livekit"
[ "$host" = 0 ] && [ "$livekit" = 0 ]
