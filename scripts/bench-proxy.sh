#!/usr/bin/env bash
# The proxy benchmark (docs/performance.md, section "Proxy"), in one go: builds `wstap` and `proxy-bench`
# in release (in Benchmarks/), installs mitmproxy from PyPI into a virtual environment once, then runs
# direct vs `wstap proxy -q` vs mitmdump vs a plain TCP relay, and the 1,000-connection load check,
# and prints the figures as Markdown tables.
#
# Extra arguments go to proxy-bench, for example: --rounds 3 --seconds 5 --skip-load --only-load
#   --load-connections 1000 --load-messages 100
# WSTAP_MITM_VENV chooses the virtual environment (default ~/.cache/wstap-bench/mitmproxy-venv).
set -euo pipefail
cd "$(dirname "$0")/.."

echo "== uptime before: $(uptime)"

echo "== build (release): wstap and proxy-bench"
(cd Benchmarks && swift build -c release --product wstap && swift build -c release --product proxy-bench)
bin=$(cd Benchmarks && swift build -c release --show-bin-path)

venv=${WSTAP_MITM_VENV:-$HOME/.cache/wstap-bench/mitmproxy-venv}
mitm_args=()
if [ ! -x "$venv/bin/mitmdump" ]; then
    echo "== installing mitmproxy (PyPI) into $venv"
    log=$(mktemp)
    if ! { python3 -m venv "$venv" && "$venv/bin/pip" install -q mitmproxy; } >"$log" 2>&1; then
        echo "   mitmproxy could not be installed; measuring without it:"
        tail -n 3 "$log" | sed 's/^/   /'
    fi
fi
if [ -x "$venv/bin/mitmdump" ]; then
    mitm_args=(--mitmdump "$venv/bin/mitmdump")
    echo "== $("$venv/bin/mitmdump" --version 2>/dev/null | head -n 1)"
else
    mitm_args=(--mitmdump-missing "pip install mitmproxy failed (see the output above)")
fi

# Two or more CPUs: the load generator and echo server on CPU 0, the proxy under test on CPU 1, so the
# proxy has a core of its own; the load check's proxy may use every CPU.
prefix=()
pin_args=()
cpus=$(nproc)
if command -v taskset >/dev/null 2>&1 && [ "$cpus" -ge 2 ]; then
    prefix=(taskset -c 0)
    pin_args=(--cpus-proxy 1 --cpus-load "0-$((cpus - 1))")
fi

# 1,000 connections need about 2,000 descriptors in each process.
if [ "$(ulimit -n)" != unlimited ] && [ "$(ulimit -n)" -lt 8192 ]; then
    ulimit -n "$(ulimit -Hn)" 2>/dev/null || true
fi

echo "== proxy-bench"
"${prefix[@]}" "$bin/proxy-bench" --wstap "$bin/wstap" "${mitm_args[@]}" "${pin_args[@]}" "$@"

echo
echo "== uptime after: $(uptime)"
