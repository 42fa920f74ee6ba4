"""The fast paths of the trace readers read what the plain ones read: msgspec's typed batches and
their json fallback (Chrome), the first pass's totals and ranges reused (no second parse), and the
stage ranges chosen inside SQLite. Expected values come from json / sqlite3 in the test."""

from __future__ import annotations

import gzip
import json
from collections import Counter

import pytest

from tfeic.domains.timeline import chrome, open_trace

from .conftest import FIXTURES, build_nsys_sqlite


def kernel_counts(events: list) -> Counter:
    return Counter(e["name"] for e in events if isinstance(e, dict) and e.get("ph") == "X" and e.get("cat") in ("kernel", "Kernel"))


@pytest.mark.parametrize("name", ["tracelens_Qwen1.5-0.5B-Chat_mi300.json.gz", "hta_trace_compare_test.json.gz",
                                  "hta_inference_rank_1_legacy_kineto.json.gz"])
def test_typed_batches_read_every_kernel_json_sees(name):
    with gzip.open(FIXTURES / name, "rt") as f:
        expected = kernel_counts(json.load(f)["traceEvents"])
    got = Counter(e.name for e in chrome.events(str(FIXTURES / name)) if e.kind == "kernel")
    assert got == expected and sum(got.values()) > 0


def test_what_msgspec_refuses_is_read_by_json_one_event_at_a_time(tmp_path):
    """NaN (json accepts it, msgspec does not), args that are not an object and a bare number in the
    event array make their batch fall back to json; every kernel is still read, and a kernel whose
    args are a list takes its device and stream from pid and tid."""
    path = tmp_path / "odd.json"
    path.write_text('{"traceEvents": ['
                    '{"ph": "X", "cat": "cpu_op", "name": "aten::mm", "ts": 1, "dur": NaN},'
                    '{"ph": "X", "cat": "kernel", "name": "gemm", "ts": 2, "dur": 3, "pid": 0, "tid": 7, "args": [1, 2]},'
                    '17,'
                    '{"ph": "X", "cat": "kernel", "name": "gemm", "ts": 10, "dur": 1.5, "args": {"device": 1, "stream": 9}}]}')
    kernels = [e for e in chrome.events(str(path)) if e.kind == "kernel"]
    assert [(e.name, e.start, e.end, e.device, e.stream) for e in kernels] == [("gemm", 2000, 5000, "0", "7"), ("gemm", 10000, 11500, "1", "9")]


def test_a_summary_parses_a_large_trace_once(tmp_path, monkeypatch):
    """Above KEEP_EVENTS a trace is streamed: extent and summary (stages included) share one parse."""
    monkeypatch.setattr("tfeic.domains.timeline.events.KEEP_EVENTS", 10)
    events = [{"ph": "X", "cat": "user_annotation", "name": f"Decode[{i}]", "ts": 100 * i, "dur": 50} for i in range(20)]
    events += [{"ph": "X", "cat": "kernel", "name": "k", "ts": 100 * i + 1, "dur": 2} for i in range(20)]
    path = tmp_path / "t.json"
    path.write_text(json.dumps({"traceEvents": events}))
    parses = []
    real = chrome.events
    monkeypatch.setattr(chrome, "events", lambda *a: (parses.append(1), real(*a))[1])
    summary = open_trace(str(path)).summary()
    assert len(parses) == 1
    assert [(s.name, s.count, s.total_ns) for s in summary.stages] == [("Decode", 20, 20 * 50_000)]
    assert (summary.kernel_count, summary.kernel_total_ns) == (20, 20 * 2000)


@pytest.mark.parametrize("text_ids", [True, False])  # names through StringIds (2023+) or in ``text`` (2022)
def test_stage_ranges_from_sqlite_are_the_stage_lane_of_all_ranges(tmp_path, text_ids):
    nvtx = [(59, "Prefill", 0, 100), (59, "layer_0", 10, 20), (59, "Decode[0]", 200, 300), (59, "mlp", 210, 220),
            (59, "step[DECODE bs=4]", 200, 290), (60, "Offload", 400, 410)]
    path = build_nsys_sqlite(tmp_path / "r.sqlite", text_ids=text_ids, nvtx=nvtx, kernels=[("k", 0, 5)])
    backend = open_trace(str(path)).backend
    stages = sorted(backend.stage_ranges(), key=lambda s: (s.start_ns, s.name))
    assert [(s.name, s.start_ns, s.end_ns) for s in stages] == [("Prefill", 0, 100), ("Decode[0]", 200, 300), ("step[DECODE bs=4]", 200, 290)]
    assert stages == sorted((s for s in backend.ranges() if s.lane == "Stages"), key=lambda s: (s.start_ns, s.name))
