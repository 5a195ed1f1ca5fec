#!/usr/bin/env bash
# Per-call overhead of an @Observed method in batch mode (JMH). The forked benchmark JVM runs
# with -javaagent:argus-agent.jar; plain() is the same method without the annotation.
#
#   bash bench/agent/run-jmh.sh                       # agent pointed at a closed port
#   ARGUS_BENCH_URL=http://127.0.0.1:8765 ARGUS_BENCH_KEY=... bash bench/agent/run-jmh.sh
set -euo pipefail
cd "$(dirname "$0")/../.."
AGENT=$PWD/argus-javaagent/target/argus-agent.jar
[ -f "$AGENT" ] || { echo "build the agent first: mvn -pl argus-javaagent package" >&2; exit 1; }
mvn -B -q -f bench/agent/jmh/pom.xml package
URL=${ARGUS_BENCH_URL:-http://127.0.0.1:9}
KEY=${ARGUS_BENCH_KEY:-none}
mkdir -p bench/results/agent
java -jar bench/agent/jmh/target/agent-benchmarks.jar ObservedCallBenchmark \
  -jvmArgsAppend "-javaagent:$AGENT=url=$URL,key=$KEY,source=bench-jmh" \
  -rf json -rff bench/results/agent/jmh.json "$@"
