wrk.headers["X-API-Key"] = os.getenv("ARGUS_BENCH_KEY")
