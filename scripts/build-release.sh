#!/usr/bin/env bash
# Builds the release binary with profile-guided optimisation into build-release/: an
# instrumented build runs the training pipelines in bench/pgo/, then the tree is rebuilt with
# the profile they recorded (docs/development.md). Usage: scripts/build-release.sh [ninja
# targets...]   (default: everything but the tests: sluice and the benchmarks; name `sluice`
# alone to skip the benchmarks)
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/setup.sh
build_dir=build-release
profile_dir="$PWD/$build_dir/pgo-profile"
jobs="${SLUICE_JOBS:-2}"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# A profile left from an older build would describe other code.
rm -rf "$profile_dir"
cmake -S . -B "$build_dir" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DSLUICE_TESTS=OFF \
    -DSLUICE_PGO=generate -DSLUICE_PGO_DIR="$profile_dir" >/dev/null
ninja -C "$build_dir" -j "$jobs" sluice

# Runs the training pipelines with the current build, writing into folder $1.
train() {
    PGO_WORK="$1" "$build_dir/daemon/sluice" run -c bench/pgo/make_input.yaml
    PGO_WORK="$1" "$build_dir/daemon/sluice" run -c bench/pgo/train.yaml
}

echo "training: ${SLUICE_PGO_EVENTS:=300000} events through bench/pgo/train.yaml"
export PGO_EVENTS="$SLUICE_PGO_EVENTS"
train "$work"
if ! compgen -G "$profile_dir/*.gcda" >/dev/null; then
    echo "build-release.sh: the training recorded no profile in $profile_dir" >&2
    exit 1
fi

cmake -S . -B "$build_dir" -DSLUICE_PGO=use >/dev/null
ninja -C "$build_dir" -j "$jobs" "$@"

# The optimised binary must write exactly what the instrumented one wrote from the same input.
# (Influx lines carry the generator's wall-clock timestamps, and the window's output depends on
# the clock, so those are not compared.)
mkdir "$work/check"
train "$work/check"
for output in readings.jsonl alarms.jsonl extremes.jsonl; do
    if ! cmp -s "$work/$output" "$work/check/$output"; then
        echo "build-release.sh: the optimised binary wrote a different $output" >&2
        exit 1
    fi
done
echo "built $build_dir/daemon/sluice (profile-guided; same output as the training run)"
