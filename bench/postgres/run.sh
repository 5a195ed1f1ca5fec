#!/usr/bin/env bash
# PostgreSQL against SQLite (issue 17). Not a test. Needs wrk and Debian's postgresql (scripts/postgres.sh
# starts a throwaway cluster).
#   bench/postgres/run.sh                     # full run (3 interleaved rounds, seeds 5M events)
#   DUR=5 EVENTS=1000000 bench/postgres/run.sh
#   SKIP_INGEST=1 bench/postgres/run.sh       # only the seeded query part
# POST /events at 64 connections and batches on: SQLite, PostgreSQL with one instance, PostgreSQL with
# two instances on the same database (the connections split across them; both instances' rows summed).
# Reported as medians of 3 rounds that interleave the three setups (the machine's load drifts), and as
# ratios to SQLite. Then GET /events?source=X&limit=100 on EVENTS seeded rows in PostgreSQL.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
svc="$repo/bench/service"
jar="${ARGUS_JAR:-$repo/argus-service/target/argus-service.jar}"
DUR="${DUR:-10}"
EVENTS="${EVENTS:-5000000}"
ROUNDS="${ROUNDS:-3}"
PORT="${PORT:-18865}"
export ARGUS_BENCH_KEY="bench-key-0123456789"
command -v wrk >/dev/null || { echo "bench: wrk is missing (apt-get install wrk)" >&2; exit 1; }
[ -f "$jar" ] || { echo "bench: build the service first (mvn -pl argus-service -am package -DskipTests)" >&2; exit 1; }
out="$repo/bench/results"; mkdir -p "$out"
raw="$out/postgres-$(date -u +%Y%m%dT%H%M%SZ).txt"
work="$(mktemp -d)"; chmod 711 "$work"
pids=()
pgdir="$work/pg"
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  for p in "${pids[@]}"; do wait "$p" 2>/dev/null || true; done
  [ -d "$pgdir/data" ] && bash "$repo/scripts/postgres.sh" stop "$pgdir" >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT

pgurl=$(bash "$repo/scripts/postgres.sh" start "$pgdir")
pgport=$(cat "$pgdir/port"); pgpass=$(cat "$pgdir/password")
pgbin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
psql_() { PGPASSWORD="$pgpass" "$pgbin/psql" -h 127.0.0.1 -p "$pgport" -U argus -v ON_ERROR_STOP=1 -qAt "$@"; }
psql_ -d postgres -c "CREATE DATABASE ingest"
psql_ -d postgres -c "CREATE DATABASE query"

# start_server NAME PORT DATABASE-YAML → background java, waits for /ping
start_server() {
  local name="$1" port="$2" db="$3" admin=$(( $2 + 1 ))
  cat > "$work/$name.yml" <<YML
server:
  applicationConnectors: [{type: http, bindHost: 127.0.0.1, port: $port}]
  adminConnectors: [{type: http, bindHost: 127.0.0.1, port: $admin}]
  requestLog: {appenders: []}
database: $db
apiKeys: [{key: $ARGUS_BENCH_KEY}]
retention: {days: 0, minFreeDiskMb: 0}
logging: {level: WARN}
YML
  java -Xmx768m -jar "$jar" server "$work/$name.yml" > "$work/$name.log" 2>&1 &
  pids+=($!)
  for _ in $(seq 1 300); do
    curl -fs "http://127.0.0.1:$admin/ping" >/dev/null 2>&1 && return 0
    sleep 0.2
  done
  echo "$name did not start:"; cat "$work/$name.log"; exit 1
}
stop_all() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  for p in "${pids[@]}"; do wait "$p" 2>/dev/null || true; done
  pids=()
}

pgyaml() { echo "{url: \"${pgurl}$1\", user: argus, password: \"$pgpass\"}"; }
sqlite="http://127.0.0.1:$PORT"; pga="http://127.0.0.1:$((PORT + 2))"; pgb="http://127.0.0.1:$((PORT + 4))"

# wrk once → "rps p99ms"
wrk_once() { # conns script url
  local res
  res=$(wrk -t1 -c"$1" -d"${DUR}s" --latency -s "$svc/$2" "$3")
  echo "$res" >> "$raw"
  echo "$res" | awk '/Requests\/sec/ {r=$2} $1=="99%" {p=$2; if (p ~ /us$/) {sub(/us$/,"",p); p=p/1000} else if (p ~ /ms$/) {sub(/ms$/,"",p)} else if (p ~ /s$/) {sub(/s$/,"",p); p=p*1000}} END {printf "%s %s\n", r, p}'
}
# measure SETUP CONNS SCRIPT PATH → appends "setup test rps p99" to $work/samples
measure() {
  local setup="$1" conns="$2" script="$3" path="$4" r
  echo "== $setup $path c$conns" >> "$raw"
  case "$setup" in
    sqlite) r=$(wrk_once "$conns" "$script" "$sqlite$path") ;;
    pg1) r=$(wrk_once "$conns" "$script" "$pga$path") ;;
    pg2)
      local half=$(( conns / 2 ))
      wrk_once "$half" "$script" "$pga$path" > "$work/a.out" &
      local w=$!
      wrk_once "$half" "$script" "$pgb$path" > "$work/b.out"
      wait "$w"
      r=$(paste "$work/a.out" "$work/b.out" | awk '{p=($2>$4)?$2:$4; printf "%.1f %s\n", $1+$3, p}') ;;
  esac
  echo "$setup $path:c$conns $r" >> "$work/samples"
}

echo "machine: $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg), $(java -version 2>&1 | head -1), PostgreSQL $("$pgbin/postgres" --version | awk '{print $3}'); DUR=${DUR}s, ROUNDS=$ROUNDS" | tee "$raw"
if [ -z "${SKIP_INGEST:-}" ]; then
start_server sqlite "$PORT" "{path: \"$work/ingest.db\"}"
start_server pga "$((PORT + 2))" "$(pgyaml ingest)"
start_server pgb "$((PORT + 4))" "$(pgyaml ingest)"
for q in sqlite pg1 pg2; do measure "$q" 64 post-event.lua /events > /dev/null; done   # warm-up
: > "$work/samples"
for round in $(seq 1 "$ROUNDS"); do
  for setup in sqlite pg1 pg2; do
    measure "$setup" 64 post-event.lua /events
    measure "$setup" 4 post-batch.lua /events/batch
  done
done
stop_all

python3 - "$work/samples" <<'PY' | tee -a "$raw"
import sys, statistics, collections
rows = collections.defaultdict(list)
for line in open(sys.argv[1]):
    setup, test, rps, p99 = line.split()
    rows[(test, setup)].append((float(rps), float(p99)))
names = {"sqlite": "SQLite", "pg1": "PostgreSQL, 1 instance", "pg2": "PostgreSQL, 2 instances (split)"}
print()
print("| test | setup | requests/s (median) | events/s | p99 ms (median) | vs SQLite |")
print("|---|---|---|---|---|---|")
for test in ["/events:c64", "/events/batch:c4"]:
    per = 100 if "batch" in test else 1
    base = statistics.median(r for r, _ in rows[(test, "sqlite")])
    for setup in ["sqlite", "pg1", "pg2"]:
        s = rows[(test, setup)]
        rps = statistics.median(r for r, _ in s)
        p99 = statistics.median(p for _, p in s)
        label = ("POST /events, 64 conns" if per == 1 else "POST /events/batch (100/request), 4 conns")
        print(f"| {label} | {names[setup]} | {rps:,.0f} | {rps * per:,.0f} | {p99:.1f} | {rps / base:.2f} |")
PY
fi

echo
echo "seeding $EVENTS events into PostgreSQL (one INSERT … SELECT generate_series)..."
start_server pga "$((PORT + 2))" "$(pgyaml query)"; stop_all     # migrations create the schema
t0=$(date +%s)
psql_ -d query -f - <<SQL
$(sed "s/:EVENTS/$EVENTS/g" "$here/seed.sql")
SQL
echo "seeded in $(( $(date +%s) - t0 )) s ($(psql_ -d query -c "SELECT pg_size_pretty(pg_database_size('query'))"))" | tee -a "$raw"
start_server pga "$((PORT + 2))" "$(pgyaml query)"
for _ in 1 2; do wrk -t1 -c1 -d3s -s "$svc/get.lua" "$pga/events?source=source-7&limit=100" > /dev/null; done
echo
echo "| query on $EVENTS events (PostgreSQL) | connections | requests/s | p99 ms |"
echo "|---|---|---|---|"
for q in "events?source=source-7&limit=100" "events?limit=100" "events?level=error&limit=100"; do
  for c in 1 8; do
    echo "== GET /$q c$c" >> "$raw"
    set -- $(wrk_once "$c" get.lua "$pga/$q")
    echo "| GET /$q | $c | $1 | $2 |"
  done
done
stop_all
echo
echo "raw output: $raw"
