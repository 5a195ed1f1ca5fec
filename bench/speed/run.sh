#!/usr/bin/env bash
# Issue 20, the server's hot-path rows, each as a ratio/verdict from ONE run (not a test):
#   - durable POST /events, 64 connections, as a ratio of the same jar's no-op ceiling (/bench/noop)
#   - durable POST /events, 1 connection, p50
#   - POST /events/batch, 100 events per request, events/s
#   - POST -> WebSocket delivery, 1,000 events/s paced, 10 subscribers, p99
# One server (synchronous=FULL, the default; -Dargus.bench.noop=true adds the ceiling route), a
# warm-up of every cell, then ROUNDS interleaved rounds of every cell; the verdict uses the median
# over rounds. Each wrk cell also reports the server's CPU per request (utime+stime from /proc),
# which is steadier than req/s on a shared machine.
#   bench/speed/run.sh                     # DUR=10 s cells, ROUNDS=3 (about 6 minutes)
#   DUR=5 ROUNDS=3 bench/speed/run.sh      # quicker
#   QUERY_EVENTS=5000000 bench/speed/run.sh   # also seeds 5M events and checks GET /events?source=X p99 <= 10 ms
# Needs wrk. ARGUS_JAR=... measures another build. JAVA_OPTS=... is passed to the server.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
svc="$repo/bench/service"
jar="${ARGUS_JAR:-$repo/argus-service/target/argus-service.jar}"
DUR="${DUR:-10}"
WARM="${WARM:-5}"
ROUNDS="${ROUNDS:-3}"
BATCH_CONNS="${BATCH_CONNS:-16}"
SUBSCRIBERS="${SUBSCRIBERS:-10}"
QUERY_EVENTS="${QUERY_EVENTS:-0}"
export ARGUS_BENCH_KEY="bench-key-0123456789"
command -v wrk >/dev/null || { echo "bench: wrk is missing (apt-get install wrk)" >&2; exit 1; }
[ -f "$jar" ] || { echo "bench: build the jar first: mvn -B -q -pl argus-service -am package -DskipTests" >&2; exit 1; }
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'; }
PORT="${PORT:-$(free_port)}"
ADMIN="$(free_port)"
out="$repo/bench/results"; mkdir -p "$out"
raw="$out/speed-$(date -u +%Y%m%dT%H%M%SZ).txt"
work="$(mktemp -d)"
pid=""
cleanup() { [ -n "$pid" ] && kill "$pid" 2>/dev/null; [ -n "$pid" ] && wait "$pid" 2>/dev/null; rm -rf "$work"; }
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
  # shellcheck disable=SC2086
  java -Xmx1g ${JAVA_OPTS:-} -Dargus.bench.noop=true -jar "$jar" server "$work/bench.yml" > "$work/server.log" 2>&1 &
  pid=$!
  for _ in $(seq 1 300); do
    curl -fs "http://127.0.0.1:$ADMIN/ping" >/dev/null 2>&1 && return 0
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.2
  done
  echo "server did not start:"; cat "$work/server.log"; exit 1
}
stop_server() { kill "$pid"; wait "$pid" 2>/dev/null || true; pid=""; }
cpu_ticks() { awk '{print $14 + $15}' "/proc/$pid/stat"; }
# Context switches of every server thread so far (a hand-off between threads costs two).
ctx_switches() { cat /proc/"$pid"/task/*/status 2>/dev/null | awk '/ctxt_switches/ {n += $2} END {print n + 0}'; }
hz=$(getconf CLK_TCK)

# One wrk cell → "rps p50_ms p99_ms cpu_us_per_request ctx_switches_per_request", raw output appended to $raw.
cell() { # label conns script path seconds
  local label="$1" conns="$2" script="$3" path="$4" secs="$5" res t0 t1 s0 s1
  t0=$(cpu_ticks); s0=$(ctx_switches)
  res=$(wrk -t1 -c"$conns" -d"${secs}s" --latency -s "$svc/$script" "http://127.0.0.1:$PORT$path")
  t1=$(cpu_ticks); s1=$(ctx_switches)
  { echo "== $label c$conns ${secs}s"; echo "$res"; } >> "$raw"
  echo "$res" | awk -v ticks=$((t1 - t0)) -v cs=$((s1 - s0)) -v hz="$hz" '
    function ms(v) { if (v ~ /us$/) return v / 1000; if (v ~ /ms$/) return v + 0; if (v ~ /s$/) return v * 1000; return v }
    /Requests\/sec/ {rps = $2} /^ +50%/ {p50 = ms($2)} /^ +99%/ {p99 = ms($2)}
    /requests in/ {n = $1}
    END { printf "%.0f %.3f %.2f %.1f %.2f\n", rps, p50, p99, (n > 0 ? ticks / hz * 1e6 / n : 0), (n > 0 ? cs / n : 0) }'
}

streams() { # seconds → p99 ms of POST->receive, paced 1,000/s, open loop (bench/streams/paced.mjs, Node's WebSocket)
  local res
  res=$(node --experimental-websocket --no-warnings "$repo/bench/streams/paced.mjs" --url "http://127.0.0.1:$PORT" \
        --key "$ARGUS_BENCH_KEY" --subscribers "$SUBSCRIBERS" --seconds "$1" --rate 1000)
  { echo "== streams paced 1000/s, $SUBSCRIBERS subscribers (open loop)"; echo "$res"; } >> "$raw"
  echo "$res" | awk '$2 == "1000/s" {print $7, $5, $11, $12, $4; exit}'   # p99 p50 ack_p50 ack_p99 posted/s
}

# The floor under a durable POST on this disk, in the same run: p50 of fdatasync after a 4 KiB
# write (ms) beside the database, the way the WAL is synced at each commit.
fsync_floor() {
  python3 - "$work" <<'PY'
import os, sys, time
path = os.path.join(sys.argv[1], "fsync.probe")
fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_TRUNC)
t = []
for i in range(500):
    os.pwrite(fd, b"x" * 4096, (i % 64) * 4096)
    s = time.perf_counter(); os.fdatasync(fd); t.append(time.perf_counter() - s)
os.close(fd); os.unlink(path)
t.sort(); print(f"{t[len(t) // 2] * 1000:.3f}")
PY
}

median() { sort -g | awk '{a[NR] = $1} END {print (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2}'; }

command -v node >/dev/null || { echo "bench: node (20+) is missing (apt-get install nodejs)" >&2; exit 1; }
echo "machine: $(nproc) cores, $(java -version 2>&1 | head -1), $(uname -r); load $(cut -d' ' -f1-3 /proc/loadavg); DUR=${DUR}s ROUNDS=$ROUNDS; jar $jar" | tee "$raw"
start_server "$work/ingest.db"
echo "warm-up (${WARM}s per cell, not reported)..."
cell warm 64 post-event.lua /bench/noop "$WARM" > /dev/null
cell warm 64 post-event.lua /events "$WARM" > /dev/null
cell warm 1 post-event.lua /events "$WARM" > /dev/null
cell warm "$BATCH_CONNS" post-batch.lua /events/batch "$WARM" > /dev/null
streams "$WARM" > /dev/null

echo
echo "| round | no-op c64 req/s (µs CPU, switches /req) | POST /events c64 req/s (µs CPU, switches /req) | ratio | no-op c1 p50 | POST /events c1 p50 (req/s; switches/req) | fsync p50 | batch c$BATCH_CONNS events/s (µs CPU/event) | WS 1,000/s p99 (p50; ack p50/p99) |"
echo "|---|---|---|---|---|---|---|---|---|"
: > "$work/ratio"; : > "$work/p50"; : > "$work/batch"; : > "$work/ws"; : > "$work/fsync"
for r in $(seq 1 "$ROUNDS"); do
  read -r n64 _ _ ncpu ncs <<< "$(cell noop 64 post-event.lua /bench/noop "$DUR")"
  read -r e64 _ _ ecpu ecs <<< "$(cell events 64 post-event.lua /events "$DUR")"
  read -r _ n1p50 _ _ _ <<< "$(cell noop 1 post-event.lua /bench/noop "$DUR")"
  read -r e1 e1p50 _ _ e1cs <<< "$(cell events 1 post-event.lua /events "$DUR")"
  fs=$(fsync_floor)
  read -r b _ _ bcpu _ <<< "$(cell batch "$BATCH_CONNS" post-batch.lua /events/batch "$DUR")"
  read -r wsp99 wsp50 ackp50 ackp99 _ <<< "$(streams "$DUR")"
  ratio=$(awk -v a="$e64" -v b="$n64" 'BEGIN {printf "%.2f", a / b}')
  bev=$((b * 100))
  bcpue=$(awk -v c="$bcpu" 'BEGIN {printf "%.1f", c / 100}')
  echo "$ratio" >> "$work/ratio"; echo "$e1p50" >> "$work/p50"; echo "$bev" >> "$work/batch"; echo "$wsp99" >> "$work/ws"; echo "$fs" >> "$work/fsync"
  echo "| $r | $n64 ($ncpu, $ncs) | $e64 ($ecpu, $ecs) | **$ratio** | ${n1p50} ms | **${e1p50} ms** ($e1; $e1cs) | $fs ms | **$bev** ($bcpue) | **$wsp99 ms** ($wsp50; $ackp50/$ackp99) |"
done
curl -s "http://127.0.0.1:$ADMIN/metrics" > "$work/metrics.json"
stop_server

verdict() { awk -v v="$1" -v t="$2" -v op="$3" 'BEGIN { ok = (op == ">=") ? v >= t : v <= t; print ok ? "met" : "missed" }'; }
mr=$(median < "$work/ratio"); mp=$(median < "$work/p50"); mb=$(median < "$work/batch"); mw=$(median < "$work/ws"); mf=$(median < "$work/fsync")
echo
echo "| row (median of $ROUNDS rounds) | measured | target | verdict |"
echo "|---|---|---|---|"
echo "| durable POST /events, 64 connections, / no-op ceiling | $mr | ≥ 0.7 | $(verdict "$mr" 0.7 '>=') |"
echo "| durable POST /events, 1 connection, p50 | $mp ms (fsync of 4 KiB alone: $mf ms) | ≤ 0.3 ms | $(verdict "$mp" 0.3 '<=') |"
echo "| batches of 100, events/s | $mb | ≥ 150,000 | $(verdict "$mb" 150000 '>=') |"
echo "| POST → WebSocket, 1,000/s paced, $SUBSCRIBERS subscribers, p99 | $mw ms | ≤ 3 ms | $(verdict "$mw" 3 '<=') |"
python3 - "$work/metrics.json" <<'PY' || true
import json, sys
m = json.load(open(sys.argv[1]))
h = m["histograms"]["argus.ingest.commit-events"]
print(f"\ncommit sizes over the run: mean {h['mean']:.1f} events, p50 {h['p50']:.0f}, p99 {h['p99']:.0f}, {h['count']} commits")
PY

if [ "$QUERY_EVENTS" -gt 0 ]; then
  echo
  echo "seeding $QUERY_EVENTS events for the query guarantee..."
  start_server "$work/query.db"; stop_server
  java -cp "$jar" "$svc/SeedDatabase.java" "$work/query.db" "$QUERY_EVENTS" >> "$raw"
  start_server "$work/query.db"
  cell warm 1 get.lua "/events?source=source-7&limit=100" 3 > /dev/null
  read -r q _ qp99 _ _ <<< "$(cell query 1 get.lua "/events?source=source-7&limit=100" "$DUR")"
  stop_server
  echo "| GET /events?source=source-7&limit=100 on $QUERY_EVENTS events, p99 | $qp99 ms ($q req/s) | ≤ 10 ms | $(verdict "$qp99" 10 '<=') |"
fi
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg); raw output: $raw"
