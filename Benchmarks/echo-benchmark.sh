#!/usr/bin/env bash
# Echo benchmark: wstap's echo server, node-ws and python3-websockets echo servers (Debian packages) on
# 127.0.0.1, each measured by the same load generator (EchoLoad: one NIO thread, pre-built masked frames).
# Usage (from Benchmarks/): ./echo-benchmark.sh [SECONDS]     (needs: swift build -c release --product EchoLoad)
set -euo pipefail
cd "$(dirname "$0")"
seconds=${1:-5}
load=.build/release/EchoLoad
peers=../Tests/WSTapNetworkTests/Peers
[ -x "$load" ] || swift build -c release --product EchoLoad

start() {  # prints the port the server prints first
    "$@" > /tmp/echo-bench-$$.port 2>/dev/null &
    echo $! > /tmp/echo-bench-$$.pid
    for _ in $(seq 100); do
        port=$(head -1 /tmp/echo-bench-$$.port 2>/dev/null || true)
        [ -n "$port" ] && break
        sleep 0.1
    done
    echo "$port"
}
trap 'kill "$(cat /tmp/echo-bench-$$.pid 2>/dev/null)" 2>/dev/null || true; rm -f /tmp/echo-bench-$$.*' EXIT

for server in wstap node-ws python3-websockets; do
    case $server in
        wstap) port=$(start "$load" serve) ;;
        node-ws) port=$(NODE_PATH=/usr/share/nodejs start /usr/bin/node "$peers/ws_echo_server.js") ;;
        python3-websockets) port=$(start /usr/bin/python3 "$peers/websockets_echo_server.py") ;;
    esac
    echo "== $server (port $port)"
    "$load" load "$port" 16 1 64 "$seconds"
    "$load" load "$port" 16 16 64 "$seconds"
    "$load" load "$port" 65536 1 16 "$seconds"
    "$load" load "$port" 1048576 1 4 "$seconds"
    "$load" latency "$port" 16 20000
    kill "$(cat /tmp/echo-bench-$$.pid)" 2>/dev/null || true
    rm -f /tmp/echo-bench-$$.port
done
