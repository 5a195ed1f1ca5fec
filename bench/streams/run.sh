#!/usr/bin/env bash
# Starts the built service on spare loopback ports with a fresh database (synchronous=FULL, the
# default), runs StreamLatencyBench against it and stops it. Usage: bench/streams/run.sh [bench options]
set -euo pipefail
HERE="$(cd "$(dirname "$0")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
JAR="$ROOT/argus-service/target/argus-service.jar"
WORK="$(mktemp -d)"
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'; }
PORT="${PORT:-$(free_port)}"
ADMIN="${ADMIN:-$(free_port)}"
KEY="bench-$(date +%s)"
cat > "$WORK/config.yml" <<YML
apiKeys: [{key: $KEY}]
database: {path: $WORK/events.db}
server:
  applicationConnectors: [{type: http, bindHost: 127.0.0.1, port: $PORT}]
  adminConnectors: [{type: http, bindHost: 127.0.0.1, port: $ADMIN}]
logging: {level: WARN}
YML
java -Xmx1g -jar "$JAR" server "$WORK/config.yml" > "$WORK/server.log" 2>&1 &
SERVER=$!
trap 'kill $SERVER 2>/dev/null; wait $SERVER 2>/dev/null; rm -rf "$WORK"' EXIT
until curl -sf "http://127.0.0.1:$ADMIN/healthcheck" > /dev/null; do
  kill -0 $SERVER 2>/dev/null || { cat "$WORK/server.log"; exit 1; }
  sleep 0.5
done
kill -0 $SERVER 2>/dev/null || { echo "server did not start (port taken?)"; cat "$WORK/server.log"; exit 1; }
echo "machine: $(nproc) cores, $(java -version 2>&1 | head -1), load before: $(cut -d' ' -f1-3 /proc/loadavg)"
java -Xmx1g "$HERE/StreamLatencyBench.java" --url "http://127.0.0.1:$PORT" --key "$KEY" "$@"
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
curl -s "http://127.0.0.1:$ADMIN/metrics" | python3 -c 'import json,sys; m=json.load(sys.stdin)["meters"]; print({k: v["count"] for k, v in m.items() if "streams" in k})'
curl -s "http://127.0.0.1:$ADMIN/metrics" | python3 -c '
import json, sys
t = json.load(sys.stdin)["timers"]["argus.streams.delivery-delay"]
f = {"seconds": 1000.0, "milliseconds": 1.0, "microseconds": 0.001}[t["duration_units"]]
print("server, commit hand-off -> handed to a client socket, ms (decaying sample of all runs):",
      {k: round(t[k] * f, 3) for k in ("p50", "p75", "p95", "p99", "p999", "max")}, "count", t["count"])'
