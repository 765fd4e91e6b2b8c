#!/usr/bin/env bash
# Echo benchmark: wstap's echo servers (the library's WebSocketServer.echo and the `wstap serve --no-tui`
# command), node-ws and python3-websockets echo servers (Debian packages) on 127.0.0.1, each measured by the
# same load generator (EchoLoad: one NIO thread, pre-built masked frames), one after the other in one run.
# Usage (from Benchmarks/): ./echo-benchmark.sh [SECONDS]
#   needs: swift build -c release --product EchoLoad   (and --product wstap for the wstap-serve row)
#   SERVERS="wstap wstap-serve node-ws python3-websockets"   the servers, in this order (the default)
#     an entry echoload@PATH or serve@PATH measures another build's EchoLoad or wstap binary (before/after)
#   With 2 CPUs or more the generator runs on CPU 0 and the server on CPU 1 (taskset).
# After each server's loads it prints the server's resident memory (VmRSS) and its peak (VmHWM).
set -euo pipefail
cd "$(dirname "$0")"
seconds=${1:-5}
load=.build/release/EchoLoad
wstap=.build/release/wstap
peers=../Tests/WSTapNetworkTests/Peers
servers=${SERVERS:-wstap wstap-serve node-ws python3-websockets}
[ -x "$load" ] || swift build -c release --product EchoLoad
generator_cpu=() server_cpu=()
if [ "$(nproc)" -ge 2 ] && command -v taskset > /dev/null; then
    generator_cpu=(taskset -c 0) server_cpu=(taskset -c 1)
fi

start() {  # starts a server, prints the port in the first line it prints (its last number)
    "${server_cpu[@]}" "$@" > /tmp/echo-bench-$$.port 2>/dev/null &
    echo $! > /tmp/echo-bench-$$.pid
    for _ in $(seq 100); do
        port=$(head -1 /tmp/echo-bench-$$.port 2>/dev/null | grep -oE '[0-9]+$' || true)
        [ -n "$port" ] && break
        sleep 0.1
    done
    echo "$port"
}
trap 'kill "$(cat /tmp/echo-bench-$$.pid 2>/dev/null)" 2>/dev/null || true; rm -f /tmp/echo-bench-$$.*' EXIT

echo "# $(date -u '+%F %T') UTC, $(uptime | sed 's/.*load/load/'), ${seconds} s per figure"
for server in $servers; do
    case $server in
        wstap) port=$(start "$load" serve) ;;
        wstap-serve) port=$(start "$wstap" serve --no-tui --listen 127.0.0.1:0) ;;
        echoload@*) port=$(start "${server#echoload@}" serve) ;;
        serve@*) port=$(start "${server#serve@}" serve --no-tui --listen 127.0.0.1:0) ;;
        node-ws) port=$(NODE_PATH=/usr/share/nodejs start /usr/bin/node "$peers/ws_echo_server.js") ;;
        python3-websockets) port=$(start /usr/bin/python3 "$peers/websockets_echo_server.py") ;;
        *) echo "unknown server $server" >&2; exit 2 ;;
    esac
    echo "== $server (port $port)"
    "${generator_cpu[@]}" "$load" load "$port" 16 1 64 "$seconds"
    "${generator_cpu[@]}" "$load" load "$port" 16 16 64 "$seconds"
    "${generator_cpu[@]}" "$load" load "$port" 65536 1 16 "$seconds"
    "${generator_cpu[@]}" "$load" load "$port" 1048576 1 4 "$seconds"
    "${generator_cpu[@]}" "$load" latency "$port" 16 20000
    pid=$(cat /tmp/echo-bench-$$.pid)
    echo "memory after the loads: $(grep -E 'VmRSS|VmHWM' /proc/"$pid"/status | tr -s ' \t\n' ' ')"
    kill "$pid" 2>/dev/null || true
    rm -f /tmp/echo-bench-$$.port
done
