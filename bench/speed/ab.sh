#!/usr/bin/env bash
# Same-run A/B of two server jars on the hot-path cells (issue 20): both servers up at once,
# cells alternated A,B / B,A per round, so that the machine's load hits both alike. Prints per
# cell and jar: req/s, p50, p99, server CPU µs per request, context switches per request (the last
# two move much less with load than req/s).
#   A=/tmp/old.jar B=argus-service/target/argus-service.jar DUR=5 ROUNDS=3 bench/speed/ab.sh
#   CELLS="events64 noop64 events1 batch16 ws" (default) picks the cells (also noop1; ws = POST -> WebSocket p99).
#   A_OPTS / B_OPTS: JVM flags for one server only (after JAVA_OPTS), e.g. one jar twice:
#   A=x.jar B=x.jar B_OPTS=-XX:TieredStopAtLevel=1 bench/speed/ab.sh
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
svc="$repo/bench/service"
: "${A:?A=jar}" "${B:?B=jar}"
DUR="${DUR:-5}"; WARM="${WARM:-4}"; ROUNDS="${ROUNDS:-3}"
CELLS="${CELLS:-events64 noop64 events1 batch16 ws}"
key="bench-key-0123456789"; export ARGUS_BENCH_KEY="$key"
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'; }
work="$(mktemp -d)"
declare -A pid port
cleanup() { for j in A B; do [ -n "${pid[$j]:-}" ] && kill "${pid[$j]}" 2>/dev/null; done; wait 2>/dev/null; rm -rf "$work"; }
trap cleanup EXIT
start() { # name jar opts
  local p a; p=$(free_port); a=$(free_port)
  cat > "$work/$1.yml" <<YML
server:
  applicationConnectors: [{type: http, bindHost: 127.0.0.1, port: $p}]
  adminConnectors: [{type: http, bindHost: 127.0.0.1, port: $a}]
  requestLog: {appenders: []}
database: {path: "$work/$1.db"}
apiKeys: [{key: $key}]
retention: {days: 0, minFreeDiskMb: 0}
logging: {level: WARN}
YML
  # shellcheck disable=SC2086
  java -Xmx1g ${JAVA_OPTS:-} ${3:-} -Dargus.bench.noop=true -jar "$2" server "$work/$1.yml" > "$work/$1.log" 2>&1 &
  pid[$1]=$!; port[$1]=$p
  for _ in $(seq 1 300); do curl -fs "http://127.0.0.1:$a/ping" >/dev/null 2>&1 && return 0; sleep 0.2; done
  cat "$work/$1.log"; exit 1
}
hz=$(getconf CLK_TCK)
cell() { # name conns script path secs
  local t0 t1 s0 s1 res p=${pid[$1]}
  t0=$(awk '{print $14 + $15}' /proc/$p/stat); s0=$(cat /proc/$p/task/*/status 2>/dev/null | awk '/ctxt_switches/ {n += $2} END {print n + 0}')
  res=$(wrk -t1 -c"$2" -d"$5s" --latency -s "$svc/$3" "http://127.0.0.1:${port[$1]}$4")
  t1=$(awk '{print $14 + $15}' /proc/$p/stat); s1=$(cat /proc/$p/task/*/status 2>/dev/null | awk '/ctxt_switches/ {n += $2} END {print n + 0}')
  echo "$res" | awk -v ticks=$((t1 - t0)) -v cs=$((s1 - s0)) -v hz="$hz" '
    function ms(v) { if (v ~ /us$/) return v / 1000; if (v ~ /ms$/) return v + 0; if (v ~ /s$/) return v * 1000; return v }
    /Requests\/sec/ {rps = $2} /^ +50%/ {p50 = ms($2)} /^ +99%/ {p99 = ms($2)} /requests in/ {n = $1}
    END { printf "%8.0f req/s  p50 %7.3f ms  p99 %8.2f ms  %7.1f us CPU/req  %5.2f switches/req\n", rps, p50, p99, (n > 0 ? ticks / hz * 1e6 / n : 0), (n > 0 ? cs / n : 0) }'
}
run() { # name cellname secs
  case "$2" in
    events64) cell "$1" 64 post-event.lua /events "$3" ;;
    noop64) cell "$1" 64 post-event.lua /bench/noop "$3" ;;
    events1) cell "$1" 1 post-event.lua /events "$3" ;;
    noop1) cell "$1" 1 post-event.lua /bench/noop "$3" ;;
    batch16) cell "$1" 16 post-batch.lua /events/batch "$3" ;;
    ws) node --experimental-websocket --no-warnings "$repo/bench/streams/paced.mjs" --url "http://127.0.0.1:${port[$1]}" \
          --key "$key" --subscribers 10 --seconds "$3" --rate 1000 \
          | awk '$2 == "1000/s" {printf "WS 1,000/s, 10 subscribers: p50 %s ms  p99 %s ms  (ack p50 %s, p99 %s; posted/s %s)\n", $5, $7, $11, $12, $4; exit}' ;;
  esac
}
start A "$A" "${A_OPTS:-}"; start B "$B" "${B_OPTS:-}"
echo "load $(cut -d' ' -f1-3 /proc/loadavg); A=$A ${A_OPTS:-} B=$B ${B_OPTS:-} JAVA_OPTS=${JAVA_OPTS:-} DUR=${DUR}s ROUNDS=$ROUNDS"
for c in $CELLS; do run A "$c" "$WARM" >/dev/null; run B "$c" "$WARM" >/dev/null; done
for r in $(seq 1 "$ROUNDS"); do
  order="A B"; [ $((r % 2)) -eq 0 ] && order="B A"
  for c in $CELLS; do for j in $order; do printf "round %d %-9s %s %s" "$r" "$c" "$j" "$(run "$j" "$c" "$DUR")"; echo; done; done
done
echo "load after $(cut -d' ' -f1-3 /proc/loadavg)"
