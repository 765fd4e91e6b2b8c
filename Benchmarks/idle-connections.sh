#!/usr/bin/env bash
# Memory per idle connection (docs/performance.md): a server's resident memory (VmRSS) before and after N
# connections (node-ws's client, no message) are open, and after they closed.
# Usage (from Benchmarks/): ./idle-connections.sh [N]      (default 1000)
#   SERVERS="serve@PATH ... node-ws"   servers to measure (default: serve@.build/release/wstap node-ws)
#   IDLE_PORT=44300                    the port wstap serve listens on
set -euo pipefail
cd "$(dirname "$0")"
n=${1:-1000}
servers=${SERVERS:-serve@.build/release/wstap node-ws}
export NODE_PATH=/usr/share/nodejs
ulimit -n "$(ulimit -Hn)"
work=$(mktemp -d)
trap 'kill "$(cat "$work/server.pid" 2>/dev/null)" 2>/dev/null || true; rm -rf "$work"' EXIT
rss() { awk '/VmRSS/ { print $2 }' "/proc/$1/status"; }
echo "# $(date -u '+%F %T') UTC, $(uptime | sed 's/.*load/load/'), $n idle connections"
for server in $servers; do
    case $server in
        serve@*) port=${IDLE_PORT:-44300}
            "${server#serve@}" serve -q --no-tui --listen "127.0.0.1:$port" > "$work/out" 2>&1 &
            echo $! > "$work/server.pid"
            for _ in $(seq 100); do (exec 4<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null && break; sleep 0.1; done ;;
        node-ws) node soak/soak-echo-server.js 0 > "$work/out" 2>&1 & echo $! > "$work/server.pid"
            for _ in $(seq 100); do port=$(head -n 1 "$work/out" 2>/dev/null || true); [ -n "$port" ] && break; sleep 0.1; done ;;
        *) echo "unknown server $server" >&2; exit 2 ;;
    esac
    pid=$(cat "$work/server.pid")
    sleep 1
    before=$(rss "$pid")
    mkfifo "$work/in"
    node clients/ws-idle-clients.js "ws://127.0.0.1:$port/" "$n" < "$work/in" > "$work/clients" &
    clients=$!
    exec 3> "$work/in"
    for _ in $(seq 600); do grep -q '^open' "$work/clients" 2>/dev/null && break; sleep 0.1; done
    sleep 2
    open=$(rss "$pid")
    echo >&3
    for _ in $(seq 600); do grep -q '^closed' "$work/clients" 2>/dev/null && break; sleep 0.1; done
    exec 3>&-
    wait "$clients" || true
    sleep 2
    after=$(rss "$pid")
    awk -v name="${server%%@*}" -v b="$before" -v o="$open" -v a="$after" -v n="$n" 'BEGIN {
        printf "%s: RSS %.1f MiB idle, %.1f MiB with %d connections open (%.1f KiB each), %.1f MiB after they closed\n",
            name, b / 1024, o / 1024, n, (o - b) / n, a / 1024 }'
    kill "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
    rm -f "$work/in"
done
