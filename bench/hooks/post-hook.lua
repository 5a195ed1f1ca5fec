-- One Claude Code PreToolUse hook payload (~560 bytes) per request to POST /hooks/claude; every
-- request counts for the same session (one row updated per event in the event's transaction).
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.headers["X-API-Key"] = os.getenv("ARGUS_BENCH_KEY")
local f = assert(io.open(os.getenv("ARGUS_HOOK_FIXTURE"), "r"))
wrk.body = f:read("*a")
f:close()
