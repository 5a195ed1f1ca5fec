#!/usr/bin/env bash
# Starts the built service (defaults, fresh database, permessage-deflate allowed) and runs deflate.py against it.
# Usage: bench/streams/deflate.sh [--events N] [--rounds R]
set -euo pipefail
HERE="$(cd "$(dirname "$0")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
JAR="${JAR:-$ROOT/argus-service/target/argus-service.jar}"
WORK="$(mktemp -d)"
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'; }
PORT="$(free_port)"; ADMIN="$(free_port)"; KEY="bench-$(date +%s)"
cat > "$WORK/config.yml" <<YML
apiKeys: [{key: $KEY}]
database: {path: $WORK/events.db}
server:
  applicationConnectors: [{type: http, bindHost: 127.0.0.1, port: $PORT}]
  adminConnectors: [{type: http, bindHost: 127.0.0.1, port: $ADMIN}]
  requestLog: {appenders: []}
logging: {level: WARN}
streams: {permessageDeflate: true}   # so that the subscriber can choose; off by default
YML
java -Xmx1g -jar "$JAR" server "$WORK/config.yml" > "$WORK/server.log" 2>&1 &
SERVER=$!
trap 'kill $SERVER 2>/dev/null; wait $SERVER 2>/dev/null; rm -rf "$WORK"' EXIT
until curl -sf "http://127.0.0.1:$ADMIN/healthcheck" > /dev/null; do
  kill -0 $SERVER 2>/dev/null || { cat "$WORK/server.log"; exit 1; }
  sleep 0.5
done
echo "machine: $(nproc) cores, $(java -version 2>&1 | head -1), load before: $(cut -d' ' -f1-3 /proc/loadavg)"
python3 "$HERE/deflate.py" "http://127.0.0.1:$PORT" "$KEY" "$SERVER" "$@"
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
