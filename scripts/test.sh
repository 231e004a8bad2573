#!/usr/bin/env bash
# Installs what is missing, builds, and runs the whole test suite through ctest.
# Usage: scripts/test.sh [--sanitize]   (--sanitize: the same suite under ASan + UBSan)
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/setup.sh
build_dir=build
if [ "${1:-}" = "--sanitize" ]; then
    build_dir=build-sanitize
    # ASan keeps up to 256 MiB of freed memory in quarantine by default, which the memory-bound
    # tests would read as growth; a smaller quarantine still catches use after recent frees.
    export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1:quarantine_size_mb=16
    export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
fi
scripts/build.sh "$@"
cd "$build_dir"
ctest --output-on-failure -j 2 --timeout 300
