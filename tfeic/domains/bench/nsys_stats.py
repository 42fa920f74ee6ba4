"""CSV summary reports of ``nsys stats --format csv``: ``cuda_gpu_kern_sum`` (kernels),
``cuda_api_sum`` (CUDA API calls) and ``cuda_gpu_mem_time_sum`` (memory operations).

Their columns come from the report scripts that ship with Nsight Systems
(``reports/cuda_gpu_kern_sum.py``, ``cuda_api_sum.py``, ``cuda_gpu_mem_time_sum.py``, checked in
2025.3.1): ``Time (%),Total Time (ns),<Instances|Num Calls|Count>,Avg (ns),Med (ns),Min (ns),Max (ns),
StdDev (ns),<Name|Operation>``; ``--timeunit`` changes the unit in the headers. When nsys prints to
the terminal it writes ``Processing [...]`` lines first; those are skipped.
"""

from __future__ import annotations

import csv
import io
import re

from .model import BenchError, BenchRun, ProfileRow

TOOL = "nsys stats"
#: third column, last column -> report name
REPORTS = {("Instances", "Name"): "cuda_gpu_kern_sum", ("Num Calls", "Name"): "cuda_api_sum",
           ("Count", "Operation"): "cuda_gpu_mem_time_sum"}
TO_NS = {"ns": 1.0, "nsec": 1.0, "us": 1e3, "usec": 1e3, "ms": 1e6, "msec": 1e6, "s": 1e9, "sec": 1e9}
_TIME = re.compile(r"(?P<name>Total Time|Avg|Med|Min|Max|StdDev) \((?P<unit>\w+)\)")
_NAMES = ("Total Time", "Avg", "Med", "Min", "Max", "StdDev")


def header_line(text: str) -> int | None:
    """Index of the report's header line among the first few, or None: not an nsys stats CSV."""
    for i, line in enumerate(text.splitlines()[:20]):
        if line.startswith("Time (%),Total Time ("):
            return i
    return None


def read_report(text: str, path: str) -> BenchRun:
    start = header_line(text)
    if start is None:
        raise BenchError("no 'Time (%),Total Time (...)' header", path)
    rows = list(csv.reader(io.StringIO("\n".join(text.splitlines()[start:]))))
    header = rows[0]
    report = REPORTS.get((header[2], header[-1])) if len(header) == 9 else None
    times = [_TIME.fullmatch(h) for h in header[1:2] + header[3:8]]
    if report is None or any(t is None or t["unit"] not in TO_NS for t in times) or \
            tuple(t["name"] for t in times if t) != _NAMES:
        raise BenchError(f"an nsys stats report tfeic does not read (header: {','.join(header)})", path, start + 1,
                         "read: cuda_gpu_kern_sum, cuda_api_sum, cuda_gpu_mem_time_sum")
    scale = [TO_NS[t["unit"]] for t in times if t]
    profile = []
    for offset, row in enumerate(rows[1:], start + 2):
        if not row:
            continue
        if len(row) != 9:
            raise BenchError(f"row has {len(row)} cells, the header 9", path, offset)
        try:
            total, avg, med, low, high, std = (float(row[i]) * s for i, s in zip((1, 3, 4, 5, 6, 7), scale))
            profile.append(ProfileRow(row[8], float(row[0]), total, int(row[2]), avg, med, low, high, std))
        except ValueError as e:
            raise BenchError(f"a cell is not a number: {e}", path, offset) from None
    return BenchRun(TOOL, (path,), report=report, profile=tuple(profile))
