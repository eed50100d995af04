#!/usr/bin/env bash
# Builds the libFuzzer targets of this package (release, with AddressSanitizer) and runs each for a bounded time
# on a scratch copy of its seed corpus in Fixtures/fuzz/<target>/ (new corpus entries are never written back).
# Exits non-zero if any target crashes, times out on an input or runs out of memory, after printing the
# input's path and base64. A crash found here becomes a regression test in Tests/ (see README "Reliability").
#
#   Fuzz/run.sh [seconds per target, default 30] [target ...]     # default targets: $TARGETS below
#
# Reproduce a crash: Fuzz/.build/release/fuzz-<target> <crash file>
set -euo pipefail
cd "$(dirname "$0")"

SECONDS_PER_TARGET=${1:-30}
if [ $# -gt 0 ]; then shift; fi
# The targets CI runs, in one place.
TARGETS=(sql csv jsonl spec segment wal catalog)
if [ $# -gt 0 ]; then TARGETS=("$@"); fi

# Longest input per target, in bytes (the seeds are smaller; SQL is capped by the target too).
max_len() {
    case "$1" in
        sql | spec) echo 4096 ;;
        csv | jsonl | catalog) echo 8192 ;;
        segment | wal) echo 16384 ;;
        *) echo 4096 ;;
    esac
}

# SwiftPM links Linux executables with gold, which fails on these objects (an internal error in
# dwarf_reader.cc); lld links them. Building product by product skips the root package's CLI.
BUILD_FLAGS=(-c release -Xswiftc -sanitize=fuzzer,address -Xswiftc -Xclang-linker -Xswiftc -fuse-ld=lld)
build_start=$(date +%s)
for target in "${TARGETS[@]}"; do
    swift build "${BUILD_FLAGS[@]}" --product "fuzz-$target"
done
echo "fuzz: built ${#TARGETS[@]} targets in $(($(date +%s) - build_start)) s"
BIN=$(swift build "${BUILD_FLAGS[@]}" --show-bin-path)

# Swift's backtracer reads memory in a way AddressSanitizer reports, hiding the real failure: leave crashes
# to libFuzzer's handler. Leak checks are off: blocks decoded on Dispatch worker threads are still
# referenced when libFuzzer checks, so every query "leaks".
export SWIFT_BACKTRACE=enable=no
export ASAN_OPTIONS=detect_leaks=0${ASAN_OPTIONS:+:$ASAN_OPTIONS}

WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
failed=()
for target in "${TARGETS[@]}"; do
    mkdir -p "$WORK/$target/corpus" "$WORK/$target/artifacts"
    cp -R "../Fixtures/fuzz/$target/." "$WORK/$target/corpus/"
    log="$WORK/$target/log"
    status=0
    "$BIN/fuzz-$target" "$WORK/$target/corpus" -max_total_time="$SECONDS_PER_TARGET" -max_len="$(max_len "$target")" \
        -timeout=10 -rss_limit_mb=2048 -detect_leaks=0 -print_final_stats=1 -artifact_prefix="$WORK/$target/artifacts/" \
        >"$log" 2>&1 || status=$?
    runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
    rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -1)
    echo "fuzz-$target: exit $status, ${runs:-?} runs in ${SECONDS_PER_TARGET} s (${rate:-?}/s)"
    if [ "$status" != 0 ]; then
        failed+=("$target")
        grep -v '^#\|^INFO:' "$log" | tail -60
        for artifact in "$WORK/$target/artifacts/"*; do
            [ -f "$artifact" ] || continue
            kept="${TMPDIR:-/tmp}/strata-fuzz-$target-$(basename "$artifact")"
            cp "$artifact" "$kept"
            echo "fuzz-$target: crashing input $kept ($(wc -c <"$artifact") bytes), base64:"
            base64 -w 0 "$artifact"
            echo
        done
    fi
done

if [ ${#failed[@]} -gt 0 ]; then
    echo "fuzz: FAILED: ${failed[*]}"
    exit 1
fi
echo "fuzz: ${#TARGETS[@]} targets ran ${SECONDS_PER_TARGET} s each without a crash"
