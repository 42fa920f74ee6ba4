"""Per-kernel statistics (as ``nsys stats -r cuda_gpu_kern_sum``), totals per class and GPU
utilisation, checked on real traces against values computed here with sqlite3/json, ``statistics``
and a plain interval union written out in this file."""

from __future__ import annotations

import gzip
import json
import sqlite3
import statistics

import jsonschema

from tfeic.cli import main

from .conftest import FIXTURES, build_nsys_sqlite
from .test_cli_and_json import SCHEMA


def summary_json(capsys, path, *flags) -> dict:
    assert main(["trace", "summary", str(path), "--json", *flags]) == 0
    out = json.loads(capsys.readouterr().out)
    jsonschema.validate(out, SCHEMA)
    return out


def union_length(intervals) -> int:
    """Length of the union of [start, end) intervals: sort, then extend or start a run."""
    total, run_start, run_end = 0, None, None
    for start, end in sorted(intervals):
        if run_end is None or start > run_end:
            if run_end is not None:
                total += run_end - run_start
            run_start, run_end = start, end
        else:
            run_end = max(run_end, end)
    return total + (run_end - run_start if run_end is not None else 0)


def test_nsys_statistics_per_kernel_match_sqlite(capsys):
    path = FIXTURES / "testcuda_report1.sqlite"
    db = sqlite3.connect(path)
    durations = sorted(d for (d,) in db.execute('SELECT "end" - start FROM CUPTI_ACTIVITY_KIND_KERNEL'))
    stats = summary_json(capsys, path)["kernels"]["stats"]
    assert [s["name"] for s in stats] == ["add_parallel"]
    s = stats[0]
    assert (s["count"], s["total_ns"], s["min_ns"], s["max_ns"]) == (4, sum(durations), durations[0], durations[-1])
    assert s["median_ns"] == round(statistics.median(durations), 1)  # 4 launches: mean of the middle two
    assert s["stddev_ns"] == round(statistics.stdev(durations), 1)  # sample standard deviation, as nsys
    assert s["mean_ns"] == round(sum(durations) / 4, 1) and s["class"] == "elementwise"


def test_kineto_statistics_and_class_totals_match_json(capsys):
    path = FIXTURES / "tracelens_vllm_eager_trace_b200.json.gz"
    with gzip.open(path, "rt") as f:
        events = json.load(f)["traceEvents"]
    by_name: dict[str, list[int]] = {}
    for e in events:
        if e.get("ph") == "X" and e.get("cat") == "kernel":
            by_name.setdefault(e["name"], []).append(int(round(float(e["dur"]) * 1000)))
    out = summary_json(capsys, path)["kernels"]
    assert len(out["stats"]) == len(by_name)
    for s in out["stats"]:
        d = sorted(by_name[s["name"]])
        assert (s["count"], s["total_ns"], s["min_ns"], s["max_ns"]) == (len(d), sum(d), d[0], d[-1])
        assert s["median_ns"] == round(statistics.median(d), 1)
        assert s["stddev_ns"] == (round(statistics.stdev(d), 1) if len(d) > 1 else 0.0)
    classes = {c["class"]: c for c in out["classes"]}
    assert sum(c["total_ns"] for c in out["classes"]) == sum(map(sum, by_name.values())) == out["total_ns"]
    comm = [n for n in by_name if "nccl" in n or "all_reduce" in n]  # NCCL all-gather and the symmetric-memory all-reduce
    assert classes["communication"]["total_ns"] == sum(sum(by_name[n]) for n in comm)
    assert classes["communication"]["kernels"] == 2
    gemm = [n for n in by_name if n.startswith(("nvjet_", "bmm_"))]  # cuBLASLt nvjet and trtllm-gen bmm: all the GEMMs here
    assert classes["gemm"]["total_ns"] == sum(sum(by_name[n]) for n in gemm)


def test_utilisation_of_the_nsys_sample_matches_an_interval_union(capsys):
    path = FIXTURES / "testcuda_report1.sqlite"
    db = sqlite3.connect(path)
    kernels = [(s, e, st) for s, e, st in db.execute('SELECT start, "end", streamId FROM CUPTI_ACTIVITY_KIND_KERNEL')]
    copies = [(s, e, st) for s, e, st in db.execute('SELECT start, "end", streamId FROM CUPTI_ACTIVITY_KIND_MEMCPY')]
    t0 = min(v for (v,) in db.execute('SELECT MIN(start) FROM CUPTI_ACTIVITY_KIND_KERNEL UNION ALL SELECT MIN(start) FROM '
                                      'CUPTI_ACTIVITY_KIND_MEMCPY UNION ALL SELECT MIN(start) FROM OSRT_API'))
    t1 = max(v for (v,) in db.execute('SELECT MAX("end") FROM CUPTI_ACTIVITY_KIND_KERNEL UNION ALL SELECT MAX("end") FROM '
                                      'CUPTI_ACTIVITY_KIND_MEMCPY UNION ALL SELECT MAX("end") FROM OSRT_API'))
    out = summary_json(capsys, path)
    (device,) = out["utilisation"]
    busy = union_length([(s, e) for s, e, _ in kernels + copies])
    assert device["window_ns"] == t1 - t0
    assert (device["busy_ns"], device["idle_ns"]) == (busy, t1 - t0 - busy)
    assert device["compute_ns"] == union_length([(s, e) for s, e, _ in kernels])  # add_parallel: elementwise, compute
    assert device["memory_ns"] == union_length([(s, e) for s, e, _ in copies])
    assert (device["communication_ns"], device["overlap_ns"]) == (0, 0)
    streams = {s["stream"]: s["busy_ns"] for s in device["streams"]}
    expected = {}
    for stream in {st for _, _, st in kernels + copies}:
        expected[str(stream)] = union_length([(s, e) for s, e, st in kernels + copies if st == stream])
    assert streams == expected and len(streams) >= 4


def test_compute_communication_overlap_on_two_streams(tmp_path, capsys):
    """A GEMM on stream 7 [100, 300), an NCCL all-reduce on stream 9 [200, 400), a copy [350, 450):
    busy 100..450 = 350, compute 200, communication 200, memory 100, overlap 200..300 = 100."""
    path = build_nsys_sqlite(tmp_path / "t.sqlite", text_ids=True, kernels=[("volta_sgemm_64x64_nn", 100, 300), ("ncclDevKernel_AllReduce_Sum_f32_RING_LL", 200, 400)],
                             memcpys=[(1, 4096, 350, 450)])
    db = sqlite3.connect(path)
    db.execute("UPDATE CUPTI_ACTIVITY_KIND_KERNEL SET streamId = 9 WHERE start = 200")
    db.execute("ALTER TABLE CUPTI_ACTIVITY_KIND_MEMCPY ADD COLUMN deviceId INTEGER DEFAULT 0")
    db.execute("ALTER TABLE CUPTI_ACTIVITY_KIND_MEMCPY ADD COLUMN streamId INTEGER DEFAULT 11")
    db.commit()
    db.close()
    (device,) = summary_json(capsys, path)["utilisation"]
    assert {k: device[k] for k in ("window_ns", "busy_ns", "idle_ns", "compute_ns", "communication_ns", "memory_ns", "overlap_ns")} == {
        "window_ns": 350, "busy_ns": 350, "idle_ns": 0, "compute_ns": 200, "communication_ns": 200, "memory_ns": 100, "overlap_ns": 100}
    assert device["overlap_share"] == 0.5
    assert {s["stream"]: s["busy_ns"] for s in device["streams"]} == {"7": 200, "9": 200, "11": 100}


def test_a_window_clips_utilisation(tmp_path, capsys):
    path = build_nsys_sqlite(tmp_path / "t.sqlite", text_ids=True, kernels=[("volta_sgemm_64x64_nn", 0, 1000)], osrt=[("read", 0, 4000)])
    (device,) = summary_json(capsys, path, "--window", "500:2000")["utilisation"]
    assert (device["window_ns"], device["busy_ns"], device["idle_ns"]) == (1500, 500, 1000)
