#!/usr/bin/env bash
# Resident memory of `bin/argus server` on its embedded defaults (no config file, SQLite), issue 20:
# RSS and threads when idle, RSS and threads after 10 s of wrk -t1 -c64 POST /events, and the
# events/s of that load. Medians of ROUNDS rounds, each on a fresh server and a fresh database.
#
#   bench/footprint/run.sh                                # the launcher's defaults
#   BEFORE_JAR=/tmp/old/argus-service.jar bench/footprint/run.sh
#       also runs `java -jar $BEFORE_JAR server` (what the launcher did before) in the same run,
#       rounds interleaved, and prints both and their ratios. EXTRA_OPTS: more JVM flags or
#       -Ddw.* overrides for the bin/argus server; ALT_OPTS: a third variant, bin/argus with these
#       flags added (to try a setting against the defaults in the same run).
#   BEFORE_JAR=... BEFORE_LAUNCHER=1 bench/footprint/run.sh
#       runs the before jar through this bin/argus too (same JVM flags): compares two jars only.
#
# Ports come from -Ddw.* overrides (the defaults would be 8765/8766), the key from ARGUS_API_KEY,
# the database from ARGUS_HOME: nothing else is configured. Needs wrk. Not a test.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
ROUNDS="${ROUNDS:-3}"
DUR="${DUR:-10}"
IDLE="${IDLE:-5}"
PORT="${PORT:-$((20000 + RANDOM % 20000))}"
ADMIN=$((PORT + 1))
export ARGUS_BENCH_KEY="bench-key-0123456789"
command -v wrk >/dev/null || { echo "footprint: wrk is missing (apt-get install wrk)" >&2; exit 1; }
[ -f "$repo/argus-service/target/argus-service.jar" ] || "$repo/bin/argus" --help >/dev/null 2>&1 || true
out="$repo/bench/results"; mkdir -p "$out"
raw="$out/footprint-$(date -u +%Y%m%dT%H%M%SZ).txt"
work="$(mktemp -d)"
pid=""
cleanup() { [ -n "$pid" ] && kill "$pid" 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT

ports="-Ddw.server.applicationConnectors[0].port=$PORT -Ddw.server.adminConnectors[0].port=$ADMIN"

start() { # $1 = variant (now|before), $2 = round
  local home="$work/$1-$2"
  mkdir -p "$home"
  if [ "$1" = now ] || [ "$1" = alt ]; then
    local opts="$ports ${EXTRA_OPTS:-}"
    [ "$1" = alt ] && opts="$opts $ALT_OPTS"
    ARGUS_HOME="$home" ARGUS_API_KEY="$ARGUS_BENCH_KEY" ARGUS_JAVA_OPTS="$opts" \
      "$repo/bin/argus" server > "$home/server.log" 2>&1 &
  elif [ -n "${BEFORE_LAUNCHER:-}" ]; then
    # a copy of bin/argus next to the before jar: the launcher finds its jar relative to itself
    mkdir -p "$work/before/bin" "$work/before/argus-service/target"
    cp "$repo/bin/argus" "$work/before/bin/argus"
    ln -sf "$(readlink -f "$BEFORE_JAR")" "$work/before/argus-service/target/argus-service.jar"
    ARGUS_HOME="$home" ARGUS_API_KEY="$ARGUS_BENCH_KEY" ARGUS_JAVA_OPTS="$ports ${EXTRA_OPTS:-}" \
      "$work/before/bin/argus" server > "$home/server.log" 2>&1 &
  else
    # shellcheck disable=SC2086
    ARGUS_HOME="$home" ARGUS_API_KEY="$ARGUS_BENCH_KEY" java $ports -jar "$BEFORE_JAR" server \
      > "$home/server.log" 2>&1 &
  fi
  pid=$!
  for _ in $(seq 1 600); do
    curl -fs "http://127.0.0.1:$ADMIN/ping" >/dev/null 2>&1 && return 0
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.1
  done
  echo "server did not start:" >&2; cat "$home/server.log" >&2; exit 1
}
stop() { kill "$pid"; wait "$pid" 2>/dev/null || true; pid=""; }
rss_mb() { awk '/^VmRSS/ {printf "%.0f", $2 / 1024}' "/proc/$pid/status"; }
threads() { awk '/^Threads/ {print $2}' "/proc/$pid/status"; }

measure() { # $1 = variant, $2 = round → "rss_idle threads_idle rss_load threads_load events_per_s"
  start "$1" "$2"
  sleep "$IDLE"
  local ri ti rl tl rps res
  ri=$(rss_mb); ti=$(threads)
  res=$(wrk -t1 -c64 -d"${DUR}s" -s "$repo/bench/service/post-event.lua" "http://127.0.0.1:$PORT/events")
  rl=$(rss_mb); tl=$(threads)
  rps=$(echo "$res" | awk '/Requests\/sec/ {printf "%.0f", $2}')
  { echo "== $1 round $2: rss idle $ri MB, threads $ti; after load rss $rl MB, threads $tl"; echo "$res"; } >> "$raw"
  stop
  echo "$ri $ti $rl $tl $rps"
}

median() { sort -n | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }

echo "machine: $(nproc) cores, $(free -g | awk '/Mem:/ {print $2}') GiB, $(java -version 2>&1 | head -1), load $(cut -d' ' -f1-3 /proc/loadavg); ${DUR}s wrk -t1 -c64, ${IDLE}s idle, $ROUNDS rounds" | tee "$raw"
variants=(now)
[ -n "${BEFORE_JAR:-}" ] && variants=(before now)
[ -n "${ALT_OPTS:-}" ] && variants+=(alt)
declare -A rows
for r in $(seq 1 "$ROUNDS"); do
  for v in "${variants[@]}"; do
    m=$(measure "$v" "$r")
    echo "round $r $v: rss idle/load MB, threads idle/load, events/s = $m"
    rows[$v]+="$m"$'\n'
  done
done
echo
echo "| launcher | RSS idle | RSS after ${DUR} s at 64 conns | threads idle / loaded | POST /events, events/s |"
echo "|---|---|---|---|---|"
declare -A med
for v in "${variants[@]}"; do
  for col in 1 2 3 4 5; do
    med[$v,$col]=$(printf '%s' "${rows[$v]}" | awk -v c="$col" 'NF {print $c}' | median)
  done
  case "$v" in
    now) label="bin/argus server (defaults)" ;;
    alt) label="bin/argus server + $ALT_OPTS" ;;
    *) label="java -jar before"; [ -n "${BEFORE_LAUNCHER:-}" ] && label="bin/argus server, before jar" ;;
  esac
  printf '| %s | %s MB | %s MB | %s / %s | %s |\n' "$label" "${med[$v,1]}" "${med[$v,3]}" "${med[$v,2]}" "${med[$v,4]}" "${med[$v,5]}"
done
if [ -n "${BEFORE_JAR:-}" ]; then
  awk -v a="${med[now,1]}" -v b="${med[before,1]}" -v c="${med[now,3]}" -v d="${med[before,3]}" \
      -v e="${med[now,5]}" -v f="${med[before,5]}" \
      'BEGIN {printf "| now / before | %.2f | %.2f | | %.2f |\n", a / b, c / d, e / f}'
fi
echo "raw: $raw"
