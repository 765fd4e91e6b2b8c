#!/usr/bin/env bash
# A --script's round trip: messages/s through `wstap proxy` between node-ws's echo server and node-ws's load
# client (16-byte binary messages, IN_FLIGHT on their way), without a script, then with a Python script that
# passes everything (Benchmarks/script-pass.py) on both directions, then on the client's messages only
# (--script-filter '~dir c2s'). Each echo is one message each way: with the script on both, two round trips
# through it.
# Usage (from Benchmarks/): ./script-roundtrip.sh [SECONDS] [IN_FLIGHT...]
#   WSTAP=path/to/wstap (default ../.build/release/wstap, else ../.build/debug/wstap); PORT=45900 the proxy's
#   port (the proxy runs with -q: it prints nothing, the script's round trip is all that is measured)
set -euo pipefail
cd "$(dirname "$0")"
seconds=${1:-5}
shift || true
in_flight=("${@:-1 16}")
wstap=${WSTAP:-../.build/release/wstap}
[ -x "$wstap" ] || wstap=../.build/debug/wstap
peers=../Tests/WSTapNetworkTests/Peers
export NODE_PATH=/usr/share/nodejs
pids=()
trap 'kill "${pids[@]}" 2>/dev/null || true; rm -f /tmp/script-bench-$$.*' EXIT

start() {  # starts a command in the background, prints the port in the first line it prints (its last number)
    local out=/tmp/script-bench-$$.$RANDOM
    "$@" > "$out" 2>/dev/null &
    pids+=($!)
    for _ in $(seq 600); do
        port=$(head -1 "$out" 2>/dev/null | grep -oE '[0-9]+' | tail -1 || true)
        [ -n "$port" ] && break
        sleep 0.1
    done
    echo "$port"
}

echo "# $(date -u '+%F %T') UTC, $(uptime | sed 's/.*load/load/'), ${seconds} s per figure, $wstap"
server=$(start /usr/bin/node "$peers/ws_echo_server.js")
for mode in none both c2s; do
    case $mode in
        none) extra=() ;;
        both) extra=(--script "/usr/bin/python3 $PWD/script-pass.py") ;;
        c2s) extra=(--script "/usr/bin/python3 $PWD/script-pass.py" --script-filter '~dir c2s') ;;
    esac
    proxy=${PORT:-45900}
    "$wstap" proxy --listen "127.0.0.1:$proxy" --upstream "ws://127.0.0.1:$server" -q "${extra[@]}" &
    pids+=($!)
    for _ in $(seq 600); do
        (exec 3<>"/dev/tcp/127.0.0.1/$proxy") 2>/dev/null && break
        sleep 0.1
    done
    for n in ${in_flight[*]}; do
        echo "script=$mode $(/usr/bin/node clients/ws-load-client.js "$proxy" 16 "$n" "$seconds")"
    done
    kill "${pids[-1]}"
    unset 'pids[-1]'
done
