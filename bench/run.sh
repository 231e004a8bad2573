#!/usr/bin/env bash
# Runs the benchmark scenarios: bench/run.sh --help. Needs python3 (standard library only),
# and gnuplot for the chart (optional: sudo apt-get install gnuplot-nox).
set -euo pipefail
exec python3 "$(dirname "$0")/run.py" "$@"
