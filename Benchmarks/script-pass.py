#!/usr/bin/env python3
"""The cheapest useful wstap script (docs/scripts.md): passes every message. Benchmarks/script-roundtrip.sh
measures the proxy with it."""
import sys

write = sys.stdout.write
flush = sys.stdout.flush
for line in sys.stdin:
    write('{"action":"pass"}\n')
    flush()
