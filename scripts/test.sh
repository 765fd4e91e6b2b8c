#!/usr/bin/env bash
# The project's test command (README): installs the third-party peers the tests use when they are
# missing, builds, runs every test, then fuzzes the decoders for a minute.
set -euo pipefail
cd "$(dirname "$0")/.."

missing=()
command -v tshark >/dev/null 2>&1 || missing+=(tshark)
if [ ${#missing[@]} -gt 0 ]; then
    echo "== installing test peers: ${missing[*]}"
    sudo=""
    [ "$(id -u)" -eq 0 ] || sudo="sudo"
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}" >/dev/null
fi

echo "== build"
swift build --build-tests
echo "== test"
swift test

if [ -x scripts/fuzz.sh ] && [ "${WSTAP_SKIP_FUZZ:-0}" != "1" ]; then
    echo "== fuzz (60 s)"
    scripts/fuzz.sh 60
fi
