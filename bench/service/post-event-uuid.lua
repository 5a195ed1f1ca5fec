-- Like post-event.lua, with a fresh idempotency uuid per request (what the appenders send).
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.headers["X-API-Key"] = os.getenv("ARGUS_BENCH_KEY")
local counter = 0
local prefix = tostring(math.random(1, 1e9))
request = function()
  counter = counter + 1
  local body = '{"source":"bench","event_type":"request","level":"info","message":"GET /api/items 200 in 12ms",' ..
               '"data":{"path":"/api/items","status":200,"ms":12},"uuid":"' .. prefix .. '-' .. counter .. '"}'
  return wrk.format(nil, nil, nil, body)
end
