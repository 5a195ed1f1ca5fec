#!/usr/bin/env bash
# GET /events?limit=100 latency of two jars side by side (issue 20: the read routes moved from
# Jersey to edge handlers must not get slower). Each round starts each jar through bin/argus
# (same JVM flags, embedded defaults), seeds SEED_S seconds of POST /events, warms up, then runs
# wrk --latency for DUR seconds at 1 and at 8 connections. Rounds interleave the jars.
#
#   BEFORE_JAR=/tmp/before.jar bench/footprint/reads.sh   # "now": this worktree's jar, or NOW_JAR
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
ROUNDS="${ROUNDS:-3}"; DUR="${DUR:-10}"; SEED_S="${SEED_S:-3}"
: "${BEFORE_JAR:?set BEFORE_JAR}"
export ARGUS_BENCH_KEY="bench-key-0123456789"
work="$(mktemp -d)"; pid=""
cleanup() { [ -n "$pid" ] && kill "$pid" 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT
for v in before now; do
  mkdir -p "$work/$v/bin" "$work/$v/argus-service/target"
  cp "$repo/bin/argus" "$work/$v/bin/argus"
  jar="${NOW_JAR:-$repo/argus-service/target/argus-service.jar}"; [ "$v" = before ] && jar="$BEFORE_JAR"
  cp "$jar" "$work/$v/argus-service/target/argus-service.jar"
done
run() { # $1 variant $2 round → "rps1 p50_1 p99_1 rps8 p50_8 p99_8"
  local port=$((20000 + RANDOM % 20000)) home="$work/home-$1-$2"
  mkdir -p "$home"
  ARGUS_HOME="$home" ARGUS_API_KEY="$ARGUS_BENCH_KEY" \
    ARGUS_JAVA_OPTS="-Ddw.server.applicationConnectors[0].port=$port -Ddw.server.adminConnectors[0].port=$((port + 1))" \
    "$work/$1/bin/argus" server > "$home/log" 2>&1 &
  pid=$!
  for _ in $(seq 1 600); do curl -fs "http://127.0.0.1:$((port + 1))/ping" >/dev/null 2>&1 && break; sleep 0.1; done
  local url="http://127.0.0.1:$port/events?limit=100"
  wrk -t1 -c8 -d"${SEED_S}s" -s "$repo/bench/service/post-event.lua" "http://127.0.0.1:$port/events" > /dev/null
  wrk -t1 -c1 -d5s -s "$repo/bench/service/get.lua" "$url" > /dev/null
  local out=""
  for c in 1 8; do
    local r
    r=$(wrk -t1 -c"$c" -d"${DUR}s" --latency -s "$repo/bench/service/get.lua" "$url")
    out="$out $(echo "$r" | awk '/Requests\/sec/ {printf "%.0f", $2}')"
    out="$out $(echo "$r" | awk '$1=="50%" || $1=="99%" {printf "%s ", $2}')"
  done
  kill "$pid"; wait "$pid" 2>/dev/null || true; pid=""
  echo "$out"
}
echo "machine: $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg); GET /events?limit=100, wrk -t1 ${DUR}s, c1 and c8"
echo "columns: req/s p50 p99 at 1 connection | req/s p50 p99 at 8 connections"
for r in $(seq 1 "$ROUNDS"); do
  for v in before now; do echo "round $r $v: $(run "$v" "$r")"; done
done
