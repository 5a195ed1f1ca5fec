#!/usr/bin/env bash
# Cost of one Claude Code command-mode hook (bin/argus-hook) to the agent, SPEC §12.4 (target: median
# <= 50 ms with the server up). Runs the script N times with a PreToolUse payload on stdin through
# hyperfine (which subtracts its own shell start-up), against a minimal local responder (answers 200 {} like POST /hooks/claude, so this
# measures the script, not the server), then with no server listening (every payload spooled).
#
#   bench/hooks/command-mode.sh [RUNS]        (default 1000; needs hyperfine, curl, python3)
#   ARGUS_URL=http://127.0.0.1:8765 ARGUS_API_KEY=... bench/hooks/command-mode.sh   (against a real server)
set -euo pipefail
here="$(cd "$(dirname "$0")/../.." && pwd)"
runs=${1:-1000}
work=$(mktemp -d)
trap 'kill "${responder:-}" 2>/dev/null || true; rm -rf "$work"' EXIT
payload="$here/argus-service/src/test/resources/claude-hooks/PreToolUse.json"

if [ -z "${ARGUS_URL:-}" ]; then
  python3 - "$work/port" <<'PY' &
import http.server, sys
class H(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    def do_POST(self):
        self.rfile.read(int(self.headers.get("Content-Length", 0)))
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", "2")
        self.end_headers()
        self.wfile.write(b"{}")
    def log_message(self, *a):
        pass
s = http.server.ThreadingHTTPServer(("127.0.0.1", 0), H)
open(sys.argv[1], "w").write(str(s.server_port))
s.serve_forever()
PY
  responder=$!
  for _ in $(seq 100); do [ -s "$work/port" ] && break; sleep 0.1; done
  export ARGUS_URL="http://127.0.0.1:$(cat "$work/port")" ARGUS_API_KEY=bench-key
fi
export ARGUS_HOME="$work/home"

stats() {
  python3 - "$1" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))["results"][0]
t = sorted(r["times"])
q = lambda p: t[min(len(t) - 1, int(p * len(t)))] * 1000
print(f"  runs {len(t)}  median {q(0.5):.1f} ms  p99 {q(0.99):.1f} ms  max {t[-1]*1000:.1f} ms"
      f"  cpu (user+sys) {(r['user'] + r['system']) * 1000:.1f} ms")
PY
}

echo "server up ($ARGUS_URL):"
hyperfine -w 20 -r "$runs" --export-json "$work/up.json" "sh $here/bin/argus-hook claude < $payload" >/dev/null
stats "$work/up.json"
echo "floor on this machine now: the same post as bare 'cat | curl' (what any curl-based hook costs):"
hyperfine -w 20 -r "$((runs / 5))" --export-json "$work/floor.json" \
  "cat $payload | curl -s -o /dev/null -H 'Content-Type: application/json' --data-binary @- $ARGUS_URL/hooks/claude" >/dev/null
stats "$work/floor.json"

echo "server down (nothing listening; each payload spooled):"
ARGUS_URL=http://127.0.0.1:9 hyperfine -w 5 -r "$((runs / 5))" --export-json "$work/down.json" \
  "sh $here/bin/argus-hook claude < $payload" >/dev/null
stats "$work/down.json"
echo "  spooled: $(ls "$ARGUS_HOME/hook-spool" | wc -l) files"
