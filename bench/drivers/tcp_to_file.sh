#!/usr/bin/env bash
# Throughput of the hot path over a real socket: 1,000,000 JSON lines sent over TCP into a
# tcp_server source -> filter -> file sink, with sluice pinned to one core (socat, the sender,
# on another). Prints events/s through the filter (every line counts as an event in).
# Usage: bench/drivers/tcp_to_file.sh [path/to/sluice] [lines]
set -euo pipefail
sluice=${1:-build/daemon/sluice}
lines=${2:-1000000}
work=$(mktemp -d)
trap 'kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; rm -rf "$work"' EXIT

port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
python3 - "$work/in.jsonl" "$lines" <<'PY'
import sys
with open(sys.argv[1], "w") as f:
    for i in range(int(sys.argv[2])):
        f.write('{"sensor":"s%d","seq":%d,"temp":%.2f,"ok":true}\n' % (i % 16, i, 20 + (i % 300) / 10))
PY
cat > "$work/pipeline.yaml" <<YAML
version: 1
sources:
  in: {type: tcp_server, listen: 127.0.0.1:$port}
stages:
  warm:
    type: filter
    inputs: [in]
    condition: temp > 30
sinks:
  out: {type: file, inputs: [warm], path: $work/out.jsonl}
YAML
expected=$(python3 -c "print(sum(1 for i in range($lines) if 20 + (i % 300) / 10 > 30))")

taskset -c 0 "$sluice" run -c "$work/pipeline.yaml" 2>"$work/err" &
pid=$!
until grep -q "listening" "$work/err" 2>/dev/null; do sleep 0.05; done
start=$(date +%s.%N)
taskset -c 1 socat -u "FILE:$work/in.jsonl" "TCP:127.0.0.1:$port"
sent=$(date +%s.%N)
until [ "$(wc -l < "$work/out.jsonl" 2>/dev/null || echo 0)" -ge "$expected" ]; do sleep 0.01; done
end=$(date +%s.%N)
cpu=$(awk '{print ($14 + $15) / 100}' "/proc/$pid/stat")
echo "sent after $(python3 -c "print(round($sent - $start, 3))") s"
python3 - "$start" "$end" "$lines" "$cpu" <<'PY'
import sys
start, end, lines, cpu = float(sys.argv[1]), float(sys.argv[2]), int(sys.argv[3]), float(sys.argv[4])
elapsed = end - start
print(f"{lines} events in {elapsed:.3f} s: {lines / elapsed:,.0f} events/s "
      f"(sluice CPU {cpu:.2f} s: {lines / cpu:,.0f} events per CPU-second)")
PY
