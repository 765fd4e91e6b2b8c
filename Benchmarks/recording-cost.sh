#!/usr/bin/env bash
# What recording costs the proxy, in CPU time per message (a figure the machine's load moves little, unlike
# rates): `wstap proxy -q` with and without `--record FILE`, between EchoLoad (16 B messages, 1 connection,
# 64 in flight, or SIZE/IN_FLIGHT given) and EchoLoad's echo server (wstap's `WebSocketServer.echo`); the proxy's user+system CPU
# seconds (from /proc/PID/stat) over the load, divided by the messages echoed. Several binaries (WSTAPS="a b")
# and rounds alternate in one run.
#
# Usage (from Benchmarks/): ./recording-cost.sh [SECONDS] [ROUNDS] [SIZE] [IN_FLIGHT]   (default 3 2 16 64)
#   needs: swift build -c release --product EchoLoad && (the echo server is EchoLoad serve)
#   WSTAPS="path/to/wstap ..."   the builds to compare (default ../.build/release/wstap)
#   RECORD_DIR=DIR              where recordings go (default a temporary folder; removed after each run)
set -euo pipefail
cd "$(dirname "$0")"
seconds=${1:-3}
rounds=${2:-2}
size=${3:-16}
inflight=${4:-64}
bin=.build/release
wstaps=${WSTAPS:-../.build/release/wstap}
record_dir=${RECORD_DIR:-$(mktemp -d)}
ticks=$(getconf CLK_TCK)
echo "# $(date -u '+%F %T') UTC, $(uptime | sed 's/.*load/load/'); $size B, $inflight in flight, ${seconds}s per run"
"$bin/EchoLoad" serve > /tmp/recording-cost-echo-$$.port &
echo_pid=$!
trap 'kill $echo_pid 2>/dev/null || true; rm -f /tmp/recording-cost-echo-$$.port' EXIT
port=
for _ in $(seq 600); do
    port=$(grep -oE '[0-9]+$' /tmp/recording-cost-echo-$$.port 2>/dev/null || true)
    [ -n "$port" ] && break
    sleep 0.1
done
[ -n "$port" ] || { echo "the echo server did not start" >&2; exit 1; }
cpu_ticks() { awk '{ print $14 + $15 }' "/proc/$1/stat"; }
echo "| round | wstap | recording | messages/s | proxy CPU s | µs of proxy CPU per message | recording MB |"
echo "| --- | --- | --- | --- | --- | --- | --- |"
listen=$((44000 + RANDOM % 900))
for round in $(seq "$rounds"); do
    for wstap in $wstaps; do
        for record in off on; do
            listen=$((listen + 1))
            args=(proxy -q --listen "127.0.0.1:$listen" --upstream "ws://127.0.0.1:$port")
            file="$record_dir/recording-$listen.jsonl"
            [ "$record" = on ] && args+=(--record "$file")
            "$wstap" "${args[@]}" > "$record_dir/proxy-$listen.log" 2>&1 &
            proxy=$!
            for _ in $(seq 200); do
                (echo > "/dev/tcp/127.0.0.1/$listen") 2>/dev/null && break
                sleep 0.05
            done
            before=$(cpu_ticks $proxy)
            out=$("$bin/EchoLoad" load "$listen" "$size" 1 "$inflight" "$seconds" 2>&1 | tail -1)
            after=$(cpu_ticks $proxy)
            kill -TERM $proxy
            wait $proxy 2>/dev/null || true
            rate=$(echo "$out" | grep -oE 'messages_per_s=[0-9.]+' | cut -d= -f2 || echo 0)
            mb=$([ -f "$file" ] && du -m "$file" | cut -f1 || echo "-")
            rm -f "$file" "$file.payloads"
            awk -v r="$round" -v w="$wstap" -v rec="$record" -v rate="$rate" -v b="$before" -v a="$after" \
                -v t="$ticks" -v s="$seconds" -v mb="$mb" 'BEGIN {
                    cpu = (a - b) / t; n = rate * (s + 1)
                    printf "| %s | %s | %s | %s | %.2f | %.2f | %s |\n", r, w, rec, rate, cpu, (n > 0 ? cpu / n * 1e6 : 0), mb }'
        done
    done
done
