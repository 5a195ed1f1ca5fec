-- One ~170-byte event per request.
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.headers["X-API-Key"] = os.getenv("ARGUS_BENCH_KEY")
wrk.body = '{"source":"bench","event_type":"request","level":"info","message":"GET /api/items 200 in 12ms",' ..
           '"tags":["bench"],"data":{"path":"/api/items","status":200,"ms":12}}'
