#!/usr/bin/env bash
# A bounded soak of `wstap serve`, `wstap proxy` and `wstap connect` at once, with each one's resident memory
# (VmRSS) sampled every 10 s: docs/performance.md, section "Soak". Not part of CI (it takes SECONDS of wall time).
#
# Usage (from Benchmarks/): ./soak.sh [SECONDS]        (default 1800; the load is a fixed count of messages)
#   WSTAP=path/to/wstap   the binary to soak (default ../.build/release/wstap: swift build -c release --product wstap)
#   SOAK_DIR=dir          where the samples and logs go (default /tmp/wstap-soak-PID)
#   SOAK_PORT=44100       the first of four ports used (the node-ws echo server, serve, proxy)
#
# The load, on Debian's node-ws (soak/soak-client.js), all of it checked (byte for byte, in order):
#   serve:   one wave every 10 s of 20 connections x 200 messages (16 B to 64 KiB, one of 1 MiB each), closed
#   proxy:   the same waves through `wstap proxy -q` to a node-ws echo server
#   connect: one `wstap connect --no-tui` to the node-ws echo server, fed 500 lines/s on standard input
# Prints the samples every 2 minutes as a Markdown table, then the first (warm-up) and last thirds compared.
set -euo pipefail
cd "$(dirname "$0")"
seconds=${1:-1800}
wstap=${WSTAP:-../.build/release/wstap}
dir=${SOAK_DIR:-/tmp/wstap-soak-$$}
base=${SOAK_PORT:-44100}
export NODE_PATH=/usr/share/nodejs
mkdir -p "$dir"
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true
waves=$((seconds / 10))
lines=$((seconds * 500))

pids=()
cleanup() { for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done; }
trap cleanup EXIT

wait_port() { for _ in $(seq 200); do (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null && return 0; sleep 0.1; done; return 1; }

node soak/soak-echo-server.js "$((base + 1))" > "$dir/echo.log" 2>&1 & pids+=($!)
"$wstap" serve -q --no-tui --listen "127.0.0.1:$((base + 2))" > "$dir/serve.log" 2>&1 & serve=$!; pids+=($serve)
wait_port $((base + 1)); wait_port $((base + 2))
"$wstap" proxy -q --listen "127.0.0.1:$((base + 3))" --upstream "ws://127.0.0.1:$((base + 1))" \
    > "$dir/proxy.log" 2>&1 & proxy=$!; pids+=($proxy)
wait_port $((base + 3))

echo "# soak $(date -u '+%F %T') UTC, ${seconds} s, $(uptime | sed 's/.*load/load/'), $("$wstap" --version 2>/dev/null || echo wstap)"
node soak/soak-client.js waves "ws://127.0.0.1:$((base + 2))/" "$waves" 20 200 10 > "$dir/serve-client.log" 2>&1 &
serve_client=$!; pids+=($serve_client)
node soak/soak-client.js waves "ws://127.0.0.1:$((base + 3))/" "$waves" 20 200 10 > "$dir/proxy-client.log" 2>&1 &
proxy_client=$!; pids+=($proxy_client)
node soak/soak-client.js lines "$wstap" "ws://127.0.0.1:$((base + 1))/" "$lines" 500 > "$dir/connect-client.log" 2>&1 &
connect_client=$!; pids+=($connect_client)
connect=""
for _ in $(seq 100); do connect=$(ps -o pid= --ppid "$connect_client" | tr -d ' ' | head -n 1 || true); [ -n "$connect" ] && break; sleep 0.1; done

rss() { awk '/VmRSS/ { printf "%.1f", $2 / 1024 }' "/proc/$1/status" 2>/dev/null || echo "-"; }
echo -e "seconds\tserve_MiB\tproxy_MiB\tconnect_MiB\tload1" > "$dir/samples.tsv"
start=$(date +%s)
while kill -0 "$serve_client" 2>/dev/null || kill -0 "$proxy_client" 2>/dev/null || kill -0 "$connect_client" 2>/dev/null; do
    now=$(( $(date +%s) - start ))
    echo -e "$now\t$(rss "$serve")\t$(rss "$proxy")\t$(rss "$connect")\t$(cut -d' ' -f1 /proc/loadavg)" >> "$dir/samples.tsv"
    sleep 10
done
now=$(( $(date +%s) - start ))
echo -e "$now\t$(rss "$serve")\t$(rss "$proxy")\t-\t$(cut -d' ' -f1 /proc/loadavg)  (after the clients left)" >> "$dir/samples.tsv"
status=0
for client in serve proxy connect; do
    echo "$client load: $(tail -n 1 "$dir/$client-client.log")"
done
wait "$serve_client" || status=1; wait "$proxy_client" || status=1; wait "$connect_client" || status=1
echo "peak RSS (VmHWM): serve $(awk '/VmHWM/ {printf "%.1f", $2/1024}' /proc/$serve/status) MiB, proxy $(awk '/VmHWM/ {printf "%.1f", $2/1024}' /proc/$proxy/status) MiB"
echo
echo "| s | serve MiB | proxy MiB | connect MiB | load |"
echo "| --- | --- | --- | --- | --- |"
awk -F'\t' 'NR > 1 { row = "| " $1 " | " $2 " | " $3 " | " $4 " | " $5 " |" }
    NR > 1 && (($1 % 120) < 10 || NR == 2) { print row; printed = NR } END { if (printed != NR) print row }' "$dir/samples.tsv"
echo
# Flat or not: the mean of each third (after warm-up, the second and last thirds should match), and the
# slope of a least-squares line over the last two thirds, in MiB per 10 minutes.
awk -F'\t' 'NR > 1 && $4 != "-" && $1 > 0 { t[n] = $1; for (c = 2; c <= 4; c++) v[c, n] = $c; n++ }
END {
    split("serve proxy connect", name, " ")
    for (c = 2; c <= 4; c++) {
        a = int(n / 3); sx = sy = sxy = sxx = 0; m = 0; s1 = s2 = s3 = 0
        for (i = 0; i < n; i++) { if (i < a) s1 += v[c, i]; else if (i < 2 * a) s2 += v[c, i]; else s3 += v[c, i] }
        for (i = a; i < n; i++) { x = t[i]; y = v[c, i]; sx += x; sy += y; sxy += x * y; sxx += x * x; m++ }
        slope = (m * sxy - sx * sy) / (m * sxx - sx * sx)
        printf "%s: mean RSS by thirds %.1f / %.1f / %.1f MiB; trend over the last two thirds %+.2f MiB per 10 min\n",
            name[c - 1], s1 / a, s2 / a, s3 / (n - 2 * a), slope * 600
    }
}' "$dir/samples.tsv"
echo "samples: $dir/samples.tsv"
exit $status
