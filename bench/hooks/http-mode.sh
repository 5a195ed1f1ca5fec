#!/usr/bin/env bash
# Hook cost in http mode and sustained /hooks/claude throughput (issue 14). Not a test.
#   bench/hooks/http-mode.sh                 # 1,000 hooks for the latency; DUR=10 s per wrk run
#   N=1000 DUR=5 bench/hooks/http-mode.sh
# Starts the built jar (argus-service/target/argus-service.jar) on a fresh database, then:
#  1. HookLatency.java: N hooks one after another on one kept-alive connection (as Claude Code's
#     http hooks post them), median/p99 of the request time;
#  2. wrk, 8 connections: POST /hooks/claude (a PreToolUse payload, every event updating one
#     session row in its transaction) and POST /events (a ~170-byte event), same run, same server.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
jar="${ARGUS_JAR:-$repo/argus-service/target/argus-service.jar}"
N="${N:-1000}"
DUR="${DUR:-10}"
PORT="${PORT:-18775}"
ADMIN=$((PORT + 1))
export ARGUS_BENCH_KEY="bench-key-0123456789"
export ARGUS_HOOK_FIXTURE="$repo/argus-service/src/test/resources/claude-hooks/PreToolUse.json"
command -v wrk >/dev/null || { echo "bench: wrk is missing" >&2; exit 1; }
work="$(mktemp -d)"
pid=""
cleanup() { [ -n "$pid" ] && kill "$pid" 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT
cat > "$work/bench.yml" <<YML
server:
  applicationConnectors: [{type: http, bindHost: 127.0.0.1, port: $PORT}]
  adminConnectors: [{type: http, bindHost: 127.0.0.1, port: $ADMIN}]
  requestLog: {appenders: []}
database: {path: "$work/hooks.db"}
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
echo "machine: $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg), $(java -version 2>&1 | head -1)"
java "$here/HookLatency.java" "$base" "$ARGUS_BENCH_KEY" "$N" "$repo/argus-service/src/test/resources/claude-hooks"
rps() { awk '/Requests\/sec/ {print $2}'; }
hooks=$(wrk -t1 -c8 -d"${DUR}s" --latency -s "$here/post-hook.lua" "$base/hooks/claude")
events=$(wrk -t1 -c8 -d"${DUR}s" --latency -s "$repo/bench/service/post-event.lua" "$base/events")
h=$(echo "$hooks" | rps); e=$(echo "$events" | rps)
hp99=$(echo "$hooks" | awk '$1=="99%" {print $2}'); ep99=$(echo "$events" | awk '$1=="99%" {print $2}')
echo "8 connections, ${DUR} s each: /hooks/claude $h req/s (p99 $hp99), POST /events $e req/s (p99 $ep99), ratio $(python3 -c "print(round($h/$e, 2))")"
