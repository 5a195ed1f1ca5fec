#!/usr/bin/env bash
# Events/s through POST /v1/logs (OTLP, 100 records per request, protobuf and JSON) as a ratio to
# POST /events/batch (100 events per request), measured in the same run on the same server. Not a test.
#   bench/otlp/run.sh               # DUR=8 s per measurement, 4 connections, 2 rounds
#   DUR=5 ROUNDS=1 bench/otlp/run.sh
# Needs wrk. Prints a markdown table; raw output goes to bench/results/.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
jar="${ARGUS_JAR:-$repo/argus-service/target/argus-service.jar}"
DUR="${DUR:-8}"
CONNS="${CONNS:-4}"
ROUNDS="${ROUNDS:-2}"
PORT="${PORT:-18775}"
ADMIN=$((PORT + 1))
export ARGUS_BENCH_KEY="bench-key-0123456789"
command -v wrk >/dev/null || { echo "bench: wrk is missing (apt-get install wrk)" >&2; exit 1; }
[ -f "$jar" ] || { echo "bench: build the service first (mvn -pl argus-service -am package -DskipTests)" >&2; exit 1; }
out="$repo/bench/results"; mkdir -p "$out"
raw="$out/otlp-$(date -u +%Y%m%dT%H%M%SZ).txt"
work="$(mktemp -d)"
pid=""
cleanup() { [ -n "$pid" ] && kill "$pid" 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT

java -cp "$jar" "$here/MakeOtlpBodies.java" "$work" 100
cat > "$work/bench.yml" <<YML
server:
  applicationConnectors: [{type: http, bindHost: 127.0.0.1, port: $PORT}]
  adminConnectors: [{type: http, bindHost: 127.0.0.1, port: $ADMIN}]
  requestLog: {appenders: []}
database: {path: "$work/otlp.db"}
apiKeys: [{key: $ARGUS_BENCH_KEY}]
retention: {days: 0, minFreeDiskMb: 0}
logging: {level: WARN}
YML
java -Xmx1g -jar "$jar" server "$work/bench.yml" > "$work/server.log" 2>&1 &
pid=$!
for _ in $(seq 1 300); do
  curl -fs "http://127.0.0.1:$ADMIN/ping" >/dev/null 2>&1 && break
  sleep 0.2
done
base="http://127.0.0.1:$PORT"
# One request of each kind must be accepted before anything is timed.
curl -fs -o /dev/null -H "X-API-Key: $ARGUS_BENCH_KEY" -H 'Content-Type: application/x-protobuf' \
  --data-binary @"$work/logs-100.pb" "$base/v1/logs"
curl -fs -o /dev/null -H "X-API-Key: $ARGUS_BENCH_KEY" -H 'Content-Type: application/json' \
  --data-binary @"$work/logs-100.json" "$base/v1/logs"

# wrk → requests/s (non-2xx answers make the run fail)
measure() { # label script url [body-file content-type] [duration]
  local label="$1" script="$2" url="$3" res
  res=$(BODY_FILE="${4:-}" CONTENT_TYPE="${5:-}" wrk -t1 -c"$CONNS" -d"${6:-$DUR}s" --latency -s "$script" "$url")
  echo "== $label" >> "$raw"; echo "$res" >> "$raw"
  if echo "$res" | grep -q 'Non-2xx'; then echo "bench: $label got non-2xx answers" >&2; echo "$res" >&2; exit 1; fi
  echo "$res" | awk '/Requests\/sec/ {print $2}'
}
batch() { measure "POST /events/batch" "$repo/bench/service/post-batch.lua" "$base/events/batch" "" "" "$@"; }
pb() { measure "POST /v1/logs protobuf" "$here/post-file.lua" "$base/v1/logs" "$work/logs-100.pb" application/x-protobuf "$@"; }
js() { measure "POST /v1/logs json" "$here/post-file.lua" "$base/v1/logs" "$work/logs-100.json" application/json "$@"; }

echo "machine: $(nproc) cores, $(java -version 2>&1 | head -1), $(uname -r), load $(cut -d' ' -f1-3 /proc/loadavg); DUR=${DUR}s, $CONNS connections, 100 per request" | tee "$raw"
batch 3 >/dev/null; pb 3 >/dev/null; js 3 >/dev/null   # warm-up (JIT), not reported
echo
echo "| round | /events/batch events/s | /v1/logs protobuf events/s | ratio | /v1/logs JSON events/s | ratio |"
echo "|---|---|---|---|---|---|"
for r in $(seq 1 "$ROUNDS"); do
  b=$(batch); p=$(pb); j=$(js)
  python3 - "$r" "$b" "$p" "$j" <<'PY'
import sys
r, b, p, j = sys.argv[1], *map(float, sys.argv[2:])
print(f"| {r} | {b*100:,.0f} | {p*100:,.0f} | {p/b:.2f} | {j*100:,.0f} | {j/b:.2f} |")
PY
done
echo
echo "raw output: $raw"
