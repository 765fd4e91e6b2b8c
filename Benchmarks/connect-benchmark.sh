#!/usr/bin/env bash
# wstap as a client against node-ws's echo server (Debian's node-ws), next to node-ws's own client, in one run
# (docs/performance.md, section "wstap connect and the library client").
#
# Usage (from Benchmarks/): ./connect-benchmark.sh [LINES] [SECONDS]     (default 200000 lines, 3 s per figure)
#   needs: swift build -c release --product EchoLoad && swift build -c release --product wstap
#   CONNECTS="wstap@PATH ..."   `wstap connect` builds to compare (default: wstap@.build/release/wstap)
#   LOADS="load@PATH ..."       EchoLoad builds to compare (default: load@.build/release/EchoLoad)
#
# 1. Pipe mode: LINES lines (10-40 bytes) on standard input of `wstap connect --no-tui ws://...`, each sent as a
#    text message and printed back; the time from start to exit (after every echo came back), as lines per
#    second; the output is checked against the input. The same with node-ws's client (clients/ws-pipe-client.js).
# 2. The library client (EchoLoad client): 16 B binary messages, 64 in flight on one connection, through each
#    of its APIs (events / seed / stream), its task on the event loop or on the shared pool; beside it the raw
#    generator (EchoLoad load: pre-built frames, replies only counted) and node-ws's client
#    (clients/ws-load-client.js). Then 64 KiB messages, 16 in flight.
# Nothing is pinned to a CPU: pinned to one core, the old client's thread hops cost far less than they do
# when its threads wake each other across cores (27-31k lines/s pinned, 6-12k not, in the same hour), and
# users do not pin it. CLIENT_CPU=0 SERVER_CPU=1 pin the clients and the server (taskset) all the same.
set -euo pipefail
cd "$(dirname "$0")"
count=${1:-200000}
seconds=${2:-3}
connects=${CONNECTS:-wstap@.build/release/wstap}
loads=${LOADS:-load@.build/release/EchoLoad}
export NODE_PATH=/usr/share/nodejs
client_cpu=() server_cpu=()
[ -n "${CLIENT_CPU:-}" ] && client_cpu=(taskset -c "$CLIENT_CPU")
[ -n "${SERVER_CPU:-}" ] && server_cpu=(taskset -c "$SERVER_CPU")
work=$(mktemp -d)
trap 'kill "$(cat "$work/server.pid" 2>/dev/null)" 2>/dev/null || true; rm -rf "$work"' EXIT
"${server_cpu[@]}" node soak/soak-echo-server.js 0 > "$work/port" & echo $! > "$work/server.pid"
for _ in $(seq 100); do port=$(head -n 1 "$work/port" 2>/dev/null || true); [ -n "$port" ] && break; sleep 0.1; done
python3 -c "
import sys
with open(sys.argv[1], 'w') as f:
    for i in range(int(sys.argv[2])): f.write('line %d %s\n' % (i, 'x' * (i % 30)))
" "$work/lines" "$count"

echo "# $(date -u '+%F %T') UTC, $(uptime | sed 's/.*load/load/'); node-ws echo server on port $port"
pipe() {  # NAME COMMAND...: one pipe-mode run
    local name=$1; shift
    local start end
    start=$(date +%s.%N)
    "${client_cpu[@]}" "$@" < "$work/lines" > "$work/out"
    end=$(date +%s.%N)
    local check=ok; cmp -s "$work/out" "$work/lines" || check="OUTPUT DIFFERS"
    awk -v n="$count" -v s="$start" -v e="$end" -v name="$name" -v check="$check" \
        'BEGIN { printf "pipe %s: %d lines in %.2f s = %.0f lines/s (%s)\n", name, n, e - s, n / (e - s), check }'
}
for round in 1 2; do
    for entry in $connects; do pipe "${entry%%@*}" "${entry#*@}" connect --no-tui "ws://127.0.0.1:$port/"; done
    pipe node-ws node clients/ws-pipe-client.js "ws://127.0.0.1:$port/"
done
for size_flight in "16 64" "65536 16"; do
    set -- $size_flight
    echo "node-ws client: $("${client_cpu[@]}" node clients/ws-load-client.js "$port" "$1" "$2" "$seconds")"
    for entry in $loads; do
        load=${entry#*@}
        echo "${entry%%@*} raw generator: $("${client_cpu[@]}" "$load" load "$port" "$1" 1 "$2" "$seconds")"
        for api in events seed stream; do
            for on in loop pool; do
                echo "${entry%%@*} $("${client_cpu[@]}" "$load" client "$port" "$1" "$2" "$seconds" "$api" "$on" 2>&1)"
            done
        done
    done
done
echo "# end $(date -u '+%T') UTC, $(uptime | sed 's/.*load/load/')"
