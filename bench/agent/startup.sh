#!/usr/bin/env bash
# Start-up overhead of the Argus agent on a hello-world program: median wall time of N runs
# without the agent, with the agent disabled (enabled=false: only the jar is opened), without
# lifecycle events (nothing is sent), with nothing listening (connection refused), and - when
# ARGUS_BENCH_URL/ARGUS_BENCH_KEY are set - sending jvm.start/jvm.stop to a running server.
# (premain's own duration is printed by the agent with debug=true: "premain done in N ms".)
#
#   bash bench/agent/startup.sh            # after: mvn -pl argus-annotations,argus-javaagent install
#   RUNS=20 JAVA=/usr/lib/jvm/temurin-25-jdk-amd64/bin/java bash bench/agent/startup.sh
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
fi

echo "machine: $(nproc) cores, $(uname -sr), load $(cut -d' ' -f1-3 /proc/loadavg)"
"$JAVA" -version 2>&1 | head -1
if command -v hyperfine >/dev/null 2>&1; then
  args=()
  for i in "${!CMDS[@]}"; do args+=(-n "${NAMES[$i]}" "${CMDS[$i]}"); done
  hyperfine -N --warmup 2 --runs "$RUNS" --export-json "$OUT/startup.json" "${args[@]}" >/dev/null
  python3 - "$OUT/startup.json" <<'PY'
import json, sys
res = json.load(open(sys.argv[1]))["results"]
base = res[0]["median"]
for r in res:
    print(f'{r["command"]:<24} median {r["median"]*1000:7.1f} ms  (+{(r["median"]-base)*1000:6.1f} ms)  '
          f'min {r["min"]*1000:7.1f}  max {r["max"]*1000:7.1f}  user+sys {(r["user"]+r["system"])*1000:7.1f} ms')
PY
else
  for i in "${!CMDS[@]}"; do
    times=()
    for _ in $(seq "$RUNS"); do
      s=$(date +%s%N); ${CMDS[$i]} >/dev/null 2>&1; e=$(date +%s%N)
      times+=($(( (e - s) / 1000000 )))
    done
    median=$(printf '%s\n' "${times[@]}" | sort -n | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}')
    echo "${NAMES[$i]}: median ${median} ms over $RUNS runs"
  done
fi

