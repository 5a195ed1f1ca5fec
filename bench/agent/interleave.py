"""Interleaved start-up timing for bench/agent/startup.sh: median wall and CPU per command."""
import json, random, resource, shlex, statistics, subprocess, sys, time

out, runs, n = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
names, cmds = sys.argv[4:4 + n], sys.argv[4 + n:4 + 2 * n]
wall = [[] for _ in cmds]
cpu = [[] for _ in cmds]


def run(i):
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t = time.perf_counter()
    subprocess.run(shlex.split(cmds[i]), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
    w = time.perf_counter() - t
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return w, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


for i in range(len(cmds)):  # warm-up (page cache)
    run(i)
    run(i)
for _ in range(runs):
    order = list(range(len(cmds)))
    random.shuffle(order)
    for i in order:
        w, c = run(i)
        wall[i].append(w)
        cpu[i].append(c)
res = [{"command": names[i], "median": statistics.median(wall[i]), "min": min(wall[i]), "max": max(wall[i]),
        "user": statistics.median(cpu[i]), "system": 0.0, "times": wall[i]} for i in range(len(cmds))]
json.dump({"results": res}, open(out, "w"), indent=1)
