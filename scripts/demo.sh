#!/usr/bin/env bash
# Installs what is missing, builds sluice, and runs the demo pipeline until Ctrl-C.
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/setup.sh
scripts/build.sh sluice
exec build/daemon/sluice run -c config/examples/demo.yaml
