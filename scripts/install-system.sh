#!/usr/bin/env bash
# Debian packages hrlab uses (TTS voices, audio tools, a browser for page tests).
# Installs only what is missing; without root it says what to install and goes on.
set -euo pipefail
wanted=(festival festvox-ru festvox-us-slt-hts espeak-ng sox chromium iproute2)
missing=()
for pkg in "${wanted[@]}"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
done
[ ${#missing[@]} -eq 0 ] && exit 0
if [ "$(id -u)" != 0 ] || ! command -v apt-get >/dev/null; then
  echo "install-system: missing Debian packages: ${missing[*]} (run: apt-get install ${missing[*]}); tests that need them will be skipped" >&2
  exit 0
fi
echo "install-system: apt-get install ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq >/dev/null
apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
