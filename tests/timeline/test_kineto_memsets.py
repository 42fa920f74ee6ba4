"""Kineto's ``gpu_memset`` events count as memory work in utilisation, as an nsys export's memset rows
do; like those, they are neither copies in a summary nor part of the trace's extent. Checked on HTA's
real trace_compare base trace (6 kernels, 6 memcpys, 6 memsets, two streams), with values computed
here from the JSON."""

from __future__ import annotations

import gzip
import json
import re

from .conftest import FIXTURES
from .test_kernel_stats_and_utilisation import summary_json, union_length

BASE = FIXTURES / "hta_trace_compare_base.json.gz"
#: the shipped taxonomy's memory rule for fills (docs/kernel-taxonomy.md row 5): the one memory-class
#: kernel name of this trace is ``vectorized_elementwise_kernel<4, at::native::FillFunctor<float>>``
MEMORY_KERNEL = r"FillFunctor"


def gpu_events() -> dict[str, list[tuple[int, int, str]]]:
    """(start_ns, end_ns, stream) of the trace's kernels, memcpys and memsets by category; Kineto
    microseconds as ``round(us * 1000)`` ns, the end as start + rounded duration."""
    with gzip.open(BASE, "rt") as f:
        events = json.load(f)["traceEvents"]
    out: dict[str, list[tuple[int, int, str]]] = {"kernel": [], "memory kernel": [], "gpu_memcpy": [], "gpu_memset": []}
    for e in events:
        if e.get("ph") == "X" and e.get("cat") in out:
            start = round(float(e["ts"]) * 1000)
            cat = "memory kernel" if e["cat"] == "kernel" and re.search(MEMORY_KERNEL, e["name"]) else e["cat"]
            out[cat].append((start, start + round(float(e["dur"]) * 1000), str(e["args"]["stream"])))
    return out


def test_memsets_are_memory_time_but_not_copies(capsys):
    gpu = gpu_events()
    assert [len(gpu[c]) for c in ("kernel", "memory kernel", "gpu_memcpy", "gpu_memset")] == [4, 2, 6, 6]
    memset_us = sum(e - s for s, e, _ in gpu["gpu_memset"]) / 1000
    assert memset_us == 11 + 5 + 2 + 4 + 1 + 4  # the six memsets' ``dur`` in the file
    out = summary_json(capsys, BASE)
    (device,) = out["utilisation"]
    memory = gpu["memory kernel"] + gpu["gpu_memcpy"] + gpu["gpu_memset"]
    expected_memory = union_length([(s, e) for s, e, _ in memory])
    without_memsets = union_length([(s, e) for s, e, _ in gpu["memory kernel"] + gpu["gpu_memcpy"]])
    assert device["memory_ns"] == expected_memory
    assert expected_memory - without_memsets == 27_000  # no memset overlaps a copy or a fill here
    everything = [(s, e) for c in gpu.values() for s, e, _ in c]
    assert device["busy_ns"] == union_length(everything)
    stream7 = next(s for s in device["streams"] if s["stream"] == "7")
    assert stream7["count"] == sum(1 for c in gpu.values() for *_, st in c if st == "7") == 16  # 6 kernels, 4 memcpys, 6 memsets
    # a memset is no copy: the summary's copies are the six memcpys (1 DtoD, 5 HtoD), bytes as in the file
    copies = {c["direction"]: (c["count"], c["bytes"]) for c in out["copies"]}
    assert copies == {"DtoD": (1, 1802240), "HtoD": (5, 2 * 3895296 + 3 * 4)}
