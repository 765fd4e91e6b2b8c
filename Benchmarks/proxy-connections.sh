#!/usr/bin/env bash
# The proxy under many concurrent connections (docs/performance.md, section "Proxy: 10,000 connections"):
# `wstap proxy -q` between proxy-bench's checked load (all connections open at once, then MESSAGES messages each,
# 8 in flight, every echo compared byte for byte and in order, a close handshake at the end) and proxy-bench's
# raw echo server in a process of its own. Prints proxy-bench's report, with the proxy's peak RSS (VmHWM).
#
# Usage (from Benchmarks/): ./proxy-connections.sh [CONNECTIONS] [MESSAGES] [ROUNDS]   (default 10000 100 1)
#   needs: swift build -c release --product wstap && swift build -c release --product proxy-bench
#   WSTAP=path/to/wstap   another wstap binary (default .build/release/wstap)
#
# Each proxied connection takes two descriptors in the proxy (the client's and the upstream's): the open-files
# limit is raised here to the hard limit, for this script's processes only (the product does not touch it).
set -euo pipefail
cd "$(dirname "$0")"
connections=${1:-10000}
messages=${2:-100}
rounds=${3:-1}
bin=.build/release
ulimit -n "$(ulimit -Hn)"
echo "# $(date -u '+%F %T') UTC, $(uptime | sed 's/.*load/load/'), open-files limit $(ulimit -n)"
if [ $((connections * 2 + 32)) -gt "$(ulimit -n)" ]; then
    echo "note: $connections connections need $((connections * 2)) descriptors in the proxy; the limit is $(ulimit -n)"
fi
"$bin/proxy-bench" echo > /tmp/proxy-connections-echo-$$.port &
echo_pid=$!
trap 'kill $echo_pid 2>/dev/null || true; rm -f /tmp/proxy-connections-echo-$$.port' EXIT
for _ in $(seq 100); do
    port=$(grep -oE '[0-9]+$' /tmp/proxy-connections-echo-$$.port 2>/dev/null || true)
    [ -n "$port" ] && break
    sleep 0.1
done
"$bin/proxy-bench" --wstap "${WSTAP:-$bin/wstap}" --mitmdump-missing "not measured here" --only-load --echo-port "$port" \
    --load-connections "$connections" --load-messages "$messages" --load-rounds "$rounds"
