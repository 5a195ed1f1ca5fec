-- GET /api/updates?task_id=X&limit=50 over the tasks listed in ARGUS_BENCH_TASKS (comma-separated).
local tasks = {}
for t in string.gmatch(os.getenv("ARGUS_BENCH_TASKS"), "[^,]+") do tasks[#tasks + 1] = t end
local i = 0
request = function()
  i = i + 1
  return wrk.format("GET", "/api/updates?task_id=" .. tasks[(i % #tasks) + 1] .. "&limit=50",
                    {["X-API-Key"] = os.getenv("ARGUS_BENCH_KEY")})
end
