#!/usr/bin/env bash
# Builds the libFuzzer harness (Fuzz/) with -sanitize=fuzzer,address and runs it for SECONDS.
#   scripts/fuzz.sh [SECONDS] [extra libFuzzer flags...]
# Corpus: Fuzz/corpus/ (seeds are committed; new inputs libFuzzer finds go to .fuzz-corpus-work/,
# which is gitignored). Crashes: fuzz-artifacts/ (gitignored). Exits non-zero on a crash.
# Environment: FUZZ_NO_BUILD=1 skips the build; FUZZ_MAX_LEN (default 8192) caps input size (the 64 KiB
# seed frame is then read truncated; set 70000 to keep it whole, at about half the runs per second).
set -euo pipefail

seconds="${1:-600}"
shift || true
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
fuzz_dir="$root/Fuzz"
scratch="$fuzz_dir/.build-fuzz"
artifacts="$root/fuzz-artifacts"
work_corpus="$root/.fuzz-corpus-work"
mkdir -p "$artifacts" "$work_corpus"

if [[ "${FUZZ_NO_BUILD:-0}" != 1 ]]; then
    echo "== building the fuzzer (release, -sanitize=fuzzer,address) =="
    swift build --package-path "$fuzz_dir" --scratch-path "$scratch" -c release --product WSTapFuzz \
        -Xswiftc -sanitize=fuzzer,address -Xswiftc -g
fi
binary="$(swift build --package-path "$fuzz_dir" --scratch-path "$scratch" -c release --show-bin-path)/WSTapFuzz"

echo "== fuzzing for ${seconds}s =="
set +e
# The first corpus directory receives new inputs; the committed seeds are read only.
"$binary" "$work_corpus" "$fuzz_dir/corpus" \
    -max_total_time="$seconds" \
    -print_final_stats=1 \
    -artifact_prefix="$artifacts/" \
    -max_len="${FUZZ_MAX_LEN:-8192}" \
    -timeout=10 \
    -rss_limit_mb=4096 \
    "$@" 2>&1 | tee "$artifacts/last-run.log"
status=${PIPESTATUS[0]}
set -e
echo "== libFuzzer exit status: $status =="
grep -E '^#[0-9]+.*(INITED|DONE)' "$artifacts/last-run.log" || true
grep -E '^stat::' "$artifacts/last-run.log" || true
exit "$status"
