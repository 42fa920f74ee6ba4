"""Trace summary cost against the cheapest possible baseline, in the same run.

SQLite: a generated nsys-shaped export (2M kernel rows, 200k NVTX ranges, copies) summarised by
tfeic vs one raw ``GROUP BY`` over the kernel table. Chrome: a generated 1M-event Kineto trace
summarised by tfeic's streaming parser vs a bare ``json.load``. Every measurement runs in its own
child process so ``ru_maxrss`` is that measurement's peak alone. Targets (issue 4): SQLite <= 2x raw
and <= 300 MiB; Chrome <= 1.5x json.load and RSS <= 3x the file size.

    python3 benchmarks/bench_trace.py [--scale 0.1] [--dir DIR]
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import sqlite3
import subprocess
import sys
import tempfile
import time

KERNELS, RANGES, EVENTS = 2_000_000, 200_000, 1_000_000
NAMES = ["flash_fwd_kernel", "sm90_gemm_bf16", "reshape_and_cache_flash_kernel", "rmsnorm_kernel", "silu_and_mul", "xqa_kernel"]


def make_sqlite(path: str, kernels: int, ranges: int) -> None:
    rng = random.Random(1)
    db = sqlite3.connect(path)
    db.execute("CREATE TABLE StringIds (id INTEGER PRIMARY KEY, value TEXT)")
    db.executemany("INSERT INTO StringIds VALUES (?, ?)", enumerate(NAMES + ["Prefill", "Decode[0]", "Offload"], 1))
    db.execute('CREATE TABLE CUPTI_ACTIVITY_KIND_KERNEL (start INTEGER, "end" INTEGER, deviceId INTEGER, streamId INTEGER, correlationId INTEGER, shortName INTEGER, demangledName INTEGER)')
    rows = ((t * 1000, t * 1000 + rng.randint(500, 5000), 0, 7, t, 1 + t % len(NAMES), 1 + t % len(NAMES)) for t in range(kernels))
    db.executemany("INSERT INTO CUPTI_ACTIVITY_KIND_KERNEL VALUES (?,?,?,?,?,?,?)", rows)
    db.execute('CREATE TABLE NVTX_EVENTS (start INTEGER, "end" INTEGER, eventType INTEGER, text TEXT, textId INTEGER, globalTid INTEGER)')
    db.executemany("INSERT INTO NVTX_EVENTS VALUES (?,?,59,NULL,?,1)", ((t * 10_000, t * 10_000 + 9_000, 7 + (t % 3)) for t in range(ranges)))
    db.execute('CREATE TABLE CUPTI_ACTIVITY_KIND_MEMCPY (start INTEGER, "end" INTEGER, bytes INTEGER, copyKind INTEGER)')
    db.executemany("INSERT INTO CUPTI_ACTIVITY_KIND_MEMCPY VALUES (?,?,?,?)", ((t * 50_000, t * 50_000 + 4000, 1 << 20, 1 + t % 2) for t in range(kernels // 100)))
    db.commit()
    db.close()


def make_chrome(path: str, events: int) -> None:
    rng = random.Random(2)
    with open(path, "w") as f:
        f.write('{"schemaVersion": 1, "traceEvents": [\n')
        for i in range(events):
            if i % 50 == 0:
                e = {"ph": "X", "cat": "user_annotation", "name": f"Decode[{i // 50}]", "pid": 1, "tid": 1, "ts": i * 2.0, "dur": 90.0}
            elif i % 10 == 0:
                e = {"ph": "X", "cat": "gpu_memcpy", "name": "Memcpy HtoD (Pinned -> Device)", "pid": 0, "tid": 7, "ts": i * 2.0, "dur": 1.5, "args": {"bytes": 4096}}
            else:
                e = {"ph": "X", "cat": "kernel", "name": NAMES[i % len(NAMES)], "pid": 0, "tid": 7, "ts": i * 2.0 + 0.125, "dur": round(rng.uniform(0.5, 1.9), 3),
                     "args": {"device": 0, "stream": 7, "correlation": i, "grid": [128, 1, 1], "block": [256, 1, 1]}}
            f.write(("," if i else "") + json.dumps(e) + "\n")
        f.write('], "displayTimeUnit": "ms"}\n')


def child(kind: str, path: str) -> None:
    """One measurement; prints {seconds, rss_mib} as JSON."""
    sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
    start = time.perf_counter()
    if kind == "sqlite-raw":
        db = sqlite3.connect(path)
        db.execute('SELECT shortName, COUNT(*), SUM("end" - start) FROM CUPTI_ACTIVITY_KIND_KERNEL GROUP BY shortName').fetchall()
    elif kind == "json-load":
        with open(path) as f:
            json.load(f)
    else:
        from tfeic.domains.timeline import open_trace

        open_trace(path).summary()
    seconds = time.perf_counter() - start
    print(json.dumps({"seconds": seconds, "rss_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))


def measure(kind: str, path: str) -> dict:
    out = subprocess.run([sys.executable, os.path.abspath(__file__), "--child", kind, path], capture_output=True, text=True, check=True)
    return json.loads(out.stdout)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=float, default=1.0, help="fraction of the issue's sizes (quick runs)")
    parser.add_argument("--dir", help="where to write the generated traces (default: a temp dir)")
    parser.add_argument("--child", nargs=2, metavar=("KIND", "PATH"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(*args.child)
        return
    with tempfile.TemporaryDirectory(dir=args.dir) as tmp:
        db, trace = os.path.join(tmp, "bench.sqlite"), os.path.join(tmp, "bench.json")
        make_sqlite(db, int(KERNELS * args.scale), int(RANGES * args.scale))
        make_chrome(trace, int(EVENTS * args.scale))
        size_mib = os.path.getsize(trace) / 2**20
        raw, ours = measure("sqlite-raw", db), measure("tfeic", db)
        print(f"sqlite  {int(KERNELS * args.scale)} kernels: raw GROUP BY {raw['seconds']:.2f}s, tfeic {ours['seconds']:.2f}s "
              f"= {ours['seconds'] / raw['seconds']:.2f}x (target <= 2x); peak RSS {ours['rss_mib']:.0f} MiB (target <= 300)")
        base, ours = measure("json-load", trace), measure("tfeic", trace)
        print(f"chrome  {int(EVENTS * args.scale)} events, {size_mib:.0f} MiB: json.load {base['seconds']:.2f}s ({base['rss_mib']:.0f} MiB), "
              f"tfeic {ours['seconds']:.2f}s = {ours['seconds'] / base['seconds']:.2f}x (target <= 1.5x); "
              f"peak RSS {ours['rss_mib']:.0f} MiB = {ours['rss_mib'] / size_mib:.2f}x file (target <= 3x)")


if __name__ == "__main__":
    main()
