#!/usr/bin/env bash
# Start-up overhead of the Argus agent on a hello-world program: median wall time of N runs
# without the agent, with the agent disabled (enabled=false: only the jar is opened), without
# lifecycle events (nothing is sent), with nothing listening (connection refused), and with the
# server up (jvm.start + jvm.stop stored), each beside the baseline in the same hyperfine run.
# The server is argus-service/target/argus-service.jar started here on a free port, unless
# ARGUS_BENCH_URL/ARGUS_BENCH_KEY point at a running one.
# (premain's own duration is printed by the agent with debug=true: "premain done in N ms".)
#
#   mvn -B -q -pl argus-service,argus-javaagent -am package -DskipTests && bash bench/agent/startup.sh
#   BEFORE_AGENT=/tmp/old-argus-agent.jar bash bench/agent/startup.sh   # also an older agent, same run
#   RUNS=20 JAVA=/usr/lib/jvm/temurin-25-jdk-amd64/bin/java bash bench/agent/startup.sh
#   FLOOR=1 bash bench/agent/startup.sh   # also the floors (bench/agent/floor/): an empty agent, one raw
#                                         # socket POST, a lean agent (settings + that POST), same run
#
# Uses hyperfine when installed (apt-get install hyperfine), else a plain loop.
set -euo pipefail
cd "$(dirname "$0")/../.."
RUNS=${RUNS:-15}
JAVA=${JAVA:-java}
AGENT=$PWD/argus-javaagent/target/argus-agent.jar
OUT=$PWD/bench/results/agent
mkdir -p "$OUT/classes"
[ -f "$AGENT" ] || { echo "build the agent first: mvn -pl argus-javaagent package" >&2; exit 1; }

cat > "$OUT/Hello.java" <<'JAVA'
public class Hello {
    public static void main(String[] args) {
        System.out.println("hello");
    }
}
JAVA
"$(dirname "$(readlink -f "$(command -v "$JAVA")")")/javac" --release 11 -nowarn -d "$OUT/classes" "$OUT/Hello.java" 2>/dev/null

SERVICE=$PWD/argus-service/target/argus-service.jar
server_pid=""
work=$(mktemp -d)
trap '[ -n "$server_pid" ] && kill "$server_pid" 2>/dev/null; rm -rf "$work"' EXIT
if [ -z "${ARGUS_BENCH_URL:-}" ] && [ -f "$SERVICE" ]; then
  port=$((30000 + RANDOM % 20000))
  export ARGUS_BENCH_KEY=bench-key-0123456789 ARGUS_BENCH_URL=http://127.0.0.1:$port
  cat > "$work/server.yml" <<YML
server:
  applicationConnectors: [{type: http, bindHost: 127.0.0.1, port: $port}]
  adminConnectors: [{type: http, bindHost: 127.0.0.1, port: $((port + 1))}]
database: {path: "$work/events.db"}
apiKeys: [{key: $ARGUS_BENCH_KEY}]
logging: {level: WARN}
YML
  "$JAVA" -jar "$SERVICE" server "$work/server.yml" > "$work/server.log" 2>&1 &
  server_pid=$!
  for _ in $(seq 1 600); do curl -fs "http://127.0.0.1:$((port + 1))/ping" >/dev/null 2>&1 && break; sleep 0.1; done
fi

REFUSED="url=http://127.0.0.1:9,key=none"
declare -a NAMES=("no agent" "agent, enabled=false" "agent, lifecycle=false" "agent, server down")
declare -a CMDS=(
  "$JAVA -cp $OUT/classes Hello"
  "$JAVA -javaagent:$AGENT=enabled=false -cp $OUT/classes Hello"
  "$JAVA -javaagent:$AGENT=$REFUSED,lifecycle=false -cp $OUT/classes Hello"
  "$JAVA -javaagent:$AGENT=$REFUSED -cp $OUT/classes Hello"
)
if [ -n "${ARGUS_BENCH_URL:-}" ]; then
  NAMES+=("agent, server up")
  CMDS+=("$JAVA -javaagent:$AGENT=url=$ARGUS_BENCH_URL,key=${ARGUS_BENCH_KEY:-},source=bench-startup -cp $OUT/classes Hello")
  if [ -n "${BEFORE_AGENT:-}" ]; then
    NAMES+=("BEFORE_AGENT, server up")
    CMDS+=("$JAVA -javaagent:$BEFORE_AGENT=url=$ARGUS_BENCH_URL,key=${ARGUS_BENCH_KEY:-},source=bench-startup -cp $OUT/classes Hello")
  fi
fi

if [ "${FLOOR:-0}" = 1 ] && [ -n "${ARGUS_BENCH_URL:-}" ]; then
  # Floors in the same run (bench/agent/floor/): what -javaagent costs with an empty premain, what
  # one hand-written socket POST costs a fresh JVM, and a "lean" agent that only reads its settings
  # (optionally patches Thread) and stores jvm.start + jvm.stop in one raw POST at exit, injected
  # into a copy of the real agent jar (same size, same classes to open).
  javac_bin="$(dirname "$(readlink -f "$(command -v "$JAVA")")")/javac"
  jar_bin="$(dirname "$javac_bin")/jar"
  floor="$OUT/floor"; rm -rf "$floor"; mkdir -p "$floor/classes" "$floor/lean"
  "$javac_bin" --release 11 -XDstringConcat=inline -nowarn -d "$floor/classes" \
    bench/agent/floor/EmptyAgent.java bench/agent/floor/RawPost.java
  printf 'Premain-Class: EmptyAgent\n' > "$floor/empty.mf"
  "$jar_bin" cfm "$floor/empty-agent.jar" "$floor/empty.mf" -C "$floor/classes" EmptyAgent.class
  "$javac_bin" --release 11 -XDstringConcat=inline -nowarn -cp "$AGENT" -d "$floor/lean" \
    bench/agent/floor/LeanAgent.java bench/agent/floor/RawPost.java
  cp "$AGENT" "$floor/lean-agent.jar"
  printf 'Premain-Class: dev.argus.agent.LeanAgent\n' > "$floor/lean.mf"
  "$jar_bin" ufm "$floor/lean-agent.jar" "$floor/lean.mf" -C "$floor/lean" dev 2>/dev/null
  bench_port="${ARGUS_BENCH_URL##*:}"
  LEAN="url=$ARGUS_BENCH_URL,key=${ARGUS_BENCH_KEY:-}"
  NAMES+=("empty agent" "no agent, one raw POST" "empty agent, raw POST" "lean agent" "lean agent + Thread patch")
  CMDS+=(
    "$JAVA -javaagent:$floor/empty-agent.jar -cp $OUT/classes Hello"
    "$JAVA -cp $floor/classes dev.argus.agent.RawPost $bench_port ${ARGUS_BENCH_KEY:-}"
    "$JAVA -javaagent:$floor/empty-agent.jar -cp $floor/classes dev.argus.agent.RawPost $bench_port ${ARGUS_BENCH_KEY:-}"
    "$JAVA -javaagent:$floor/lean-agent.jar=$LEAN -cp $OUT/classes Hello"
    "$JAVA -Dlean.patch=1 -javaagent:$floor/lean-agent.jar=$LEAN -cp $OUT/classes Hello"
  )
fi

echo "machine: $(nproc) cores, $(uname -sr), load $(cut -d' ' -f1-3 /proc/loadavg)"
"$JAVA" -version 2>&1 | head -1
if [ "${HYPERFINE:-0}" = 1 ] && command -v hyperfine >/dev/null 2>&1; then
  args=()
  for i in "${!CMDS[@]}"; do args+=(-n "${NAMES[$i]}" "${CMDS[$i]}"); done
  hyperfine -N --warmup 2 --runs "$RUNS" --export-json "$OUT/startup.json" "${args[@]}" >/dev/null
else
  # Default: interleaved rounds. Each round runs every command once in a shuffled order, so the
  # load of a shared machine falls on all of them alike (hyperfine runs one command's runs back
  # to back, and a build starting half-way skews the later commands). CPU = user+sys of the child.
  python3 "$(dirname "$0")/interleave.py" "$OUT/startup.json" "$RUNS" "${#CMDS[@]}" "${NAMES[@]}" "${CMDS[@]}"
fi
python3 - "$OUT/startup.json" <<'PY'
import json, sys
res = json.load(open(sys.argv[1]))["results"]
base = res[0]["median"]
for r in res:
    print(f'{r["command"]:<24} median {r["median"]*1000:7.1f} ms  (+{(r["median"]-base)*1000:6.1f} ms)  '
          f'min {r["min"]*1000:7.1f}  max {r["max"]*1000:7.1f}  user+sys {(r["user"]+r["system"])*1000:7.1f} ms')
up = [r for r in res if r["command"] == "agent, server up"]
if up:
    added = (up[0]["median"] - base) * 1000
    print(f'baseline {base*1000:.1f} ms, agent with the server up {up[0]["median"]*1000:.1f} ms: '
          f'the agent adds {added:.1f} ms (target <= 100 ms: {"met" if added <= 100 else "missed"})')
PY
