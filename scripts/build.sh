#!/usr/bin/env bash
# Configures and builds sluice. Usage: scripts/build.sh [--sanitize] [ninja targets...]
# Builds into build/ (or build-sanitize/ with --sanitize).
set -euo pipefail
cd "$(dirname "$0")/.."

build_dir=build
cmake_args=(-G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo)
if [ "${1:-}" = "--sanitize" ]; then
    shift
    build_dir=build-sanitize
    cmake_args+=(-DSLUICE_SANITIZE=ON -DSLUICE_BENCH=OFF)
fi

cmake -S . -B "$build_dir" "${cmake_args[@]}" >/dev/null
ninja -C "$build_dir" -j "${SLUICE_JOBS:-2}" "$@"
