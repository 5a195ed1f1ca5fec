#!/usr/bin/env bash
# Issue 15 benchmark: POST /api/updates/manual against POST /events in the same run (8 and 64
# connections, interleaved rounds), and GET /api/updates?task_id=X&limit=50 with TASKS tasks and
# UPDATES stored updates. Not a test. Needs wrk.
#   bench/updates/run.sh                       # TASKS=1000 UPDATES=1000000 DUR=10 ROUNDS=3
#   DUR=5 ROUNDS=2 UPDATES=200000 bench/updates/run.sh
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
jar="${ARGUS_JAR:-$repo/argus-service/target/argus-service.jar}"
DUR="${DUR:-10}"; ROUNDS="${ROUNDS:-3}"; TASKS="${TASKS:-1000}"; UPDATES="${UPDATES:-1000000}"
PORT="${PORT:-18865}"; ADMIN=$((PORT + 1))
export ARGUS_BENCH_KEY="bench-key-0123456789"
work="$(mktemp -d)"; pid=""
cleanup() { [ -n "$pid" ] && kill "$pid" 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT
cat > "$work/bench.yml" <<YML
server:
  applicationConnectors: [{type: http, bindHost: 127.0.0.1, port: $PORT}]
  adminConnectors: [{type: http, bindHost: 127.0.0.1, port: $ADMIN}]
  requestLog: {appenders: []}
database: {path: "$work/events.db"}
apiKeys: [{key: $ARGUS_BENCH_KEY}]
retention: {days: 0, minFreeDiskMb: 0}
logging: {level: WARN}
YML
java -Xmx1g -jar "$jar" server "$work/bench.yml" > "$work/server.log" 2>&1 &
pid=$!
for _ in $(seq 1 300); do curl -fs "http://127.0.0.1:$ADMIN/ping" >/dev/null 2>&1 && break; sleep 0.2; done
base="http://127.0.0.1:$PORT"
H=(-H "X-API-Key: $ARGUS_BENCH_KEY" -H "Content-Type: application/json")
ws=$(curl -fs "${H[@]}" -d '{"name":"bench"}' "$base/api/workstreams" | sed 's/.*"id":"\([^"]*\)".*/\1/')
tasks=()
for i in $(seq 1 "$TASKS"); do
  tasks+=("$(curl -fs "${H[@]}" -d "{\"workstream_id\":\"$ws\",\"name\":\"t$i\"}" "$base/api/tasks" | sed 's/.*"id":"\([^"]*\)".*/\1/')")
done
export ARGUS_BENCH_TASK="${tasks[0]}"
echo "machine: $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg), $(java -version 2>&1 | head -1); DUR=${DUR}s"
rps() { wrk -t1 -c"$1" -d"${DUR}s" -s "$2" "$3" | awk '/Requests\/sec/ {print $2}'; }
echo "| round | connections | POST /events req/s | POST /api/updates/manual req/s | ratio |"
echo "|---|---|---|---|---|"
for r in $(seq 1 "$ROUNDS"); do
  for c in 8 64; do
    e=$(rps "$c" "$repo/bench/service/post-event.lua" "$base/events")
    u=$(rps "$c" "$here/post-update.lua" "$base/api/updates/manual")
    echo "| $r | $c | $e | $u | $(awk -v a="$u" -v b="$e" 'BEGIN {printf "%.2f", a/b}') |"
  done
done
# Seed UPDATES updates spread over the tasks, in batches of 1000 through POST /events/batch.
n=0
while [ "$n" -lt "$UPDATES" ]; do
  awk -v n="$n" -v k="$TASKS" -v list="$(IFS=,; echo "${tasks[*]}")" 'BEGIN {
    split(list, t, ","); printf "[";
    for (i = 0; i < 1000; i++) { if (i) printf ","; printf "{\"source\":\"seed\",\"event_type\":\"update\",\"message\":\"u%d\",\"task_id\":\"%s\"}", n + i, t[((n + i) % k) + 1] }
    printf "]" }' > "$work/batch.json"
  curl -fs -o /dev/null "${H[@]}" --data-binary @"$work/batch.json" "$base/events/batch"
  n=$((n + 1000))
done
export ARGUS_BENCH_TASKS="$(IFS=,; echo "${tasks[*]:0:100}")"
echo
echo "GET /api/updates?task_id=X&limit=50 with $TASKS tasks and $UPDATES updates (4 connections, ${DUR}s):"
wrk -t1 -c4 -d"${DUR}s" --latency -s "$here/get-updates.lua" "$base" | awk '/Requests\/sec/ || $1=="50%" || $1=="99%"'
