-- 100 events per request (JSON array).
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.headers["X-API-Key"] = os.getenv("ARGUS_BENCH_KEY")
local one = '{"source":"bench","event_type":"request","level":"info","message":"GET /api/items 200 in 12ms",' ..
            '"tags":["bench"],"data":{"path":"/api/items","status":200,"ms":12}}'
local parts = {}
for i = 1, 100 do parts[i] = one end
wrk.body = "[" .. table.concat(parts, ",") .. "]"
