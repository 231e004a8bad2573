#!/usr/bin/env bash
# Regenerates the per-kind option reference in docs/config.md from the binary's option tables
# (tests/e2e/docs_test.cpp fails when they differ). Usage: scripts/update-reference.sh [path/to/sluice]
set -euo pipefail
cd "$(dirname "$0")/.."
binary=${1:-build/daemon/sluice}
python3 - "$binary" <<'PY'
import subprocess, sys
begin, end = "<!-- BEGIN GENERATED REFERENCE -->\n", "<!-- END GENERATED REFERENCE -->"
reference = subprocess.run([sys.argv[1], "check", "--reference"], check=True,
                           capture_output=True, text=True).stdout
doc = open("docs/config.md").read()
head, rest = doc.split(begin, 1)
_, tail = rest.split(end, 1)
open("docs/config.md", "w").write(head + begin + reference + end + tail)
PY
