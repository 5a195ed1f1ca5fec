#!/usr/bin/env bash
# Ingest, query and discovery benchmarks of argus-service (issue 2). Not a test.
#   bench/service/run.sh            # full run (about 6 minutes; seeds 5M events)
#   DUR=5 EVENTS=1000000 bench/service/run.sh   # quicker
# Needs wrk (apt-get install wrk). Prints a markdown table; raw output goes to bench/results/.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
jar="${ARGUS_JAR:-$repo/argus-service/target/argus-service.jar}"
DUR="${DUR:-10}"
EVENTS="${EVENTS:-5000000}"
PORT="${PORT:-18765}"
ADMIN=$((PORT + 1))
export ARGUS_BENCH_KEY="bench-key-0123456789"
command -v wrk >/dev/null || { echo "bench: wrk is missing (apt-get install wrk)" >&2; exit 1; }
[ -f "$jar" ] || (cd "$repo" && mvn -B -q -ntp -DskipTests -pl argus-service -am install)
out="$repo/bench/results"; mkdir -p "$out"
raw="$out/service-$(date -u +%Y%m%dT%H%M%SZ).txt"
work="$(mktemp -d)"
pid=""
cleanup() { [ -n "$pid" ] && kill "$pid" 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT

start_server() { # $1 = database file
  cat > "$work/bench.yml" <<YML
server:
  applicationConnectors: [{type: http, bindHost: 127.0.0.1, port: $PORT}]
  adminConnectors: [{type: http, bindHost: 127.0.0.1, port: $ADMIN}]
  requestLog: {appenders: []}
database: {path: "$1"}
apiKeys: [{key: $ARGUS_BENCH_KEY}]
retention: {days: 0, minFreeDiskMb: 0}
logging: {level: WARN}
YML
  java -Xmx1g -Dargus.bench.noop=true -jar "$jar" server "$work/bench.yml" > "$work/server.log" 2>&1 &
  pid=$!
  for _ in $(seq 1 300); do
    curl -fs "http://127.0.0.1:$ADMIN/ping" >/dev/null 2>&1 && return 0
    sleep 0.2
  done
  echo "server did not start:"; cat "$work/server.log"; exit 1
}
stop_server() { kill "$pid"; wait "$pid" 2>/dev/null || true; pid=""; }

# wrk → "req/s | p50 | p99" (ms)
run_wrk() { # label conns script url
  local label="$1" conns="$2" script="$3" url="$4" res
  res=$(wrk -t1 -c"$conns" -d"${DUR}s" --latency -s "$here/$script" "$url")
  echo "== $label" >> "$raw"; echo "$res" >> "$raw"
  local rps p50 p99
  rps=$(echo "$res" | awk '/Requests\/sec/ {print $2}')
  p50=$(echo "$res" | awk '$1=="50%" {print $2}')
  p99=$(echo "$res" | awk '$1=="99%" {print $2}')
  printf '| %s | %s | %s | %s | %s |\n' "$label" "$conns" "$rps" "$p50" "$p99"
}

echo "machine: $(nproc) cores, $(java -version 2>&1 | head -1), $(uname -r); DUR=${DUR}s" | tee "$raw"
echo
echo "| run | connections | requests/s | p50 | p99 |"
echo "|---|---|---|---|---|"
start_server "$work/ingest.db"
base="http://127.0.0.1:$PORT"
for c in 1 8 64; do run_wrk "no-op POST (ceiling)" "$c" post-event.lua "$base/bench/noop"; done
for c in 1 8 64; do run_wrk "POST /events" "$c" post-event.lua "$base/events"; done
run_wrk "POST /events with uuid" 64 post-event-uuid.lua "$base/events"
for c in 1 4 16; do run_wrk "POST /events/batch (100/request)" "$c" post-batch.lua "$base/events/batch"; done
curl -s "http://127.0.0.1:$ADMIN/metrics" > "$work/metrics.json"
python3 - "$work/metrics.json" <<'PY' || true
import json, sys
m = json.load(open(sys.argv[1]))
h = m["histograms"]["argus.ingest.commit-events"]
print(f"\ncommit sizes: mean {h['mean']:.1f} events, p50 {h['p50']:.0f}, p99 {h['p99']:.0f}, max {h['max']} over {h['count']} commits")
PY
echo
echo "paced single-event POSTs (latency from scheduled send time):"
echo '{"source":"bench","event_type":"request","level":"info","message":"GET /api/items 200 in 12ms","tags":["bench"],"data":{"path":"/api/items","status":200,"ms":12}}' > "$work/event.json"
for rate in 1000 5000; do
  java "$here/PacedLoad.java" "$base/events" "$ARGUS_BENCH_KEY" "$rate" "$DUR" "$work/event.json" | tee -a "$raw"
done
stop_server

echo
echo "seeding $EVENTS events for the query benchmarks..."
start_server "$work/query.db"; stop_server     # migrations create the schema
java -cp "$jar" "$here/SeedDatabase.java" "$work/query.db" "$EVENTS" | tee -a "$raw"
start_server "$work/query.db"
echo
# Warm-up (JIT, page cache), not reported.
for q in "events?source=source-7&limit=100" "events?limit=100" "sources" "event-types"; do
  wrk -t1 -c1 -d3s -s "$here/get.lua" "$base/$q" > /dev/null
done
echo "| query on $EVENTS events | connections | requests/s | p50 | p99 |"
echo "|---|---|---|---|---|"
run_wrk "GET /events?source=source-7&limit=100" 1 get.lua "$base/events?source=source-7&limit=100"
run_wrk "GET /events?limit=100" 1 get.lua "$base/events?limit=100"
run_wrk "GET /events?level=error&limit=100" 1 get.lua "$base/events?level=error&limit=100"
run_wrk "GET /events?tag=tenth&limit=100" 1 get.lua "$base/events?tag=tenth&limit=100"
run_wrk "GET /sources" 1 get.lua "$base/sources"
run_wrk "GET /event-types" 1 get.lua "$base/event-types"
run_wrk "GET /events?source=source-7&limit=100" 8 get.lua "$base/events?source=source-7&limit=100"
stop_server
echo
echo "raw output: $raw"
