-- One manual update (SPEC §13.2) per request, to the task in ARGUS_BENCH_TASK.
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.headers["X-API-Key"] = os.getenv("ARGUS_BENCH_KEY")
wrk.body = '{"task_id":"' .. os.getenv("ARGUS_BENCH_TASK") .. '","message":"GET /api/items 200 in 12ms",' ..
           '"level":"info","tags":["bench"],"data":{"path":"/api/items","status":200,"ms":12}}'
