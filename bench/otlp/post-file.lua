-- POSTs the file $BODY_FILE with Content-Type $CONTENT_TYPE and the bench key.
wrk.method = "POST"
wrk.headers["Content-Type"] = os.getenv("CONTENT_TYPE")
wrk.headers["X-API-Key"] = os.getenv("ARGUS_BENCH_KEY")
local f = assert(io.open(os.getenv("BODY_FILE"), "rb"))
wrk.body = f:read("*a")
f:close()
