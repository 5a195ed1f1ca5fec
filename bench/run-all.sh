#!/usr/bin/env bash
# Every benchmark of the project, one after the other (about 25 minutes on 2 cores). Not a test:
# run it on an otherwise idle machine; results are printed and raw output lands in bench/results/.
#   bench/run-all.sh
set -euo pipefail
cd "$(dirname "$0")/.."
if ! command -v wrk >/dev/null || ! command -v hyperfine >/dev/null; then
  SUDO=""; [ "$(id -u)" = 0 ] || SUDO=sudo
  $SUDO apt-get update -qq && $SUDO apt-get install -y -qq wrk hyperfine >/dev/null
fi
mvn -B -q -ntp -DskipTests install

echo "## service: ingest, batch, query, discovery"
bench/service/run.sh

echo "## streams: POST-to-receive latency"
bench/streams/run.sh --subscribers 1,10,100 --seconds 10

echo "## appenders: Logback and Log4j2 side by side"
(cd bench/appenders && mvn -B -q -ntp compile dependency:build-classpath -Dmdep.outputFile=target/cp.txt \
  && java -Xmx2g -cp "target/classes:$(cat target/cp.txt)" dev.argus.bench.AppenderBench ../../argus-service/target/argus-service.jar)

echo "## agent: start-up overhead and @Observed per-call cost"
bash bench/agent/startup.sh
bash bench/agent/run-jmh.sh
