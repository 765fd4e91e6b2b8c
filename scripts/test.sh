#!/usr/bin/env bash
# The project's test command (README): installs the third-party peers the tests use when they are
# missing, builds, runs every test, then fuzzes the decoders for a minute.
set -euo pipefail
cd "$(dirname "$0")/.."

missing=()
command -v tshark >/dev/null 2>&1 || missing+=(tshark)
# Debian's own Python (not one on PATH from pyenv or a venv) with its websockets package.
/usr/bin/python3 -c "import websockets" >/dev/null 2>&1 || missing+=(python3 python3-websockets)
# node-ws from Debian, loaded through NODE_PATH by the Node.js on /usr/bin.
NODE_PATH=/usr/share/nodejs /usr/bin/node -e "require('ws')" >/dev/null 2>&1 || missing+=(nodejs node-ws)
# node-faye-websocket from Debian: the hybi-00 (draft-76) peer of the examples' tests.
NODE_PATH=/usr/share/nodejs /usr/bin/node -e "require('faye-websocket')" >/dev/null 2>&1 || missing+=(nodejs node-faye-websocket)
# python3-protobuf makes the protobuf lens's messages and descriptor set; protoc compiles a .proto for --proto.
/usr/bin/python3 -c "import google.protobuf" >/dev/null 2>&1 || missing+=(python3-protobuf)
command -v protoc >/dev/null 2>&1 || missing+=(protobuf-compiler)
# venv for the PyPI peers below.
/usr/bin/python3 -c "import ensurepip" >/dev/null 2>&1 || missing+=(python3-venv)
command -v openssl >/dev/null 2>&1 || missing+=(openssl)
# python3-jsonschema checks every JSON event the CLI tests print against docs/json-events.schema.json.
/usr/bin/python3 -c "import jsonschema" >/dev/null 2>&1 || missing+=(python3-jsonschema)
# jq runs the sample --script in shell (Examples/scripts/shout.sh).
command -v jq >/dev/null 2>&1 || missing+=(jq)
# curl loads pages through the forward proxy in the proxy tests.
command -v curl >/dev/null 2>&1 || missing+=(curl)
# ncursesw for the terminal UI (the CNcursesw target), and tmux for its end-to-end tests.
pkg-config --exists ncursesw 2>/dev/null || missing+=(pkg-config libncursesw5-dev)
command -v tmux >/dev/null 2>&1 || missing+=(tmux)
if [ ${#missing[@]} -gt 0 ]; then
    echo "== installing test peers: ${missing[*]}"
    sudo=""
    [ "$(id -u)" -eq 0 ] || sudo="sudo"
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}" >/dev/null
fi

# PyPI peers (python-socketio's server and client) in a venv of Debian's Python, remade when the pinned
# list changes.
venv=.venv-test
requirements=scripts/test-peers-requirements.txt
if ! cmp -s "$requirements" "$venv/installed-requirements.txt"; then
    echo "== installing PyPI test peers into $venv"
    rm -rf "$venv"
    /usr/bin/python3 -m venv "$venv"
    "$venv/bin/pip" install -q --disable-pip-version-check -r "$requirements"
    cp "$requirements" "$venv/installed-requirements.txt"
fi

echo "== format (swift format lint, .swift-format)"
swift format lint --strict -r Sources Tests Examples

echo "== build"
swift build --build-tests
# Two runs: the endpoint and conformance suites check timing-sensitive behaviour (a peer's close is
# answered within a grace period once the application has read); they run on their own, so that tests
# which wait synchronously (the CLI, tmux and peer-process tests) cannot starve their tasks on a 2-core
# machine. Every test runs in exactly one of the two.
timing_sensitive="WSTapConformanceTests|WSTapNetworkTests"
echo "== test (endpoints and conformance)"
swift test --filter "$timing_sensitive"
echo "== test (everything else)"
swift test --skip "$timing_sensitive"

if [ -x scripts/fuzz.sh ] && [ "${WSTAP_SKIP_FUZZ:-0}" != "1" ]; then
    echo "== fuzz (60 s)"
    scripts/fuzz.sh 60
fi
