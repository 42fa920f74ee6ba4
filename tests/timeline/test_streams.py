"""The streaming Chrome parser against json.load, NVTX JSON and nsys JSON."""

from __future__ import annotations

import gzip
import json

import pytest

from tfeic.core.diagnostics import SourceError
from tfeic.domains.timeline import chrome, open_trace

from .conftest import FIXTURES


@pytest.mark.parametrize("name", ["hta_triton_example.json.gz", "tracelens_vllm_decode_full_graph_execution_mi300.json.gz"])
def test_tiny_chunks_yield_exactly_the_events_json_load_sees(monkeypatch, name):
    monkeypatch.setattr(chrome, "CHUNK", 61)  # every event straddles chunk boundaries
    expected = json.load(gzip.open(FIXTURES / name))["traceEvents"]
    assert list(chrome.raw_events(str(FIXTURES / name))) == expected


def test_begin_end_pairs_and_bare_arrays(tmp_path):
    events = [
        {"ph": "B", "name": "Prefill", "pid": 1, "tid": 1, "ts": 10},
        {"ph": "B", "name": "Decode[0]", "pid": 1, "tid": 2, "ts": 12},
        {"ph": "E", "pid": 1, "tid": 1, "ts": 20},
        {"ph": "E", "pid": 1, "tid": 2, "ts": 30},
        {"ph": "X", "cat": "gpu_memcpy", "name": "Memcpy HtoD (Pinned -> Device)", "ts": 11, "dur": 1, "args": {"bytes": 1000}},
    ]
    path = tmp_path / "t.json"
    path.write_text(json.dumps(events))
    summary = open_trace(str(path)).summary()
    assert {s.name: s.total_ns for s in summary.stages} == {"Prefill": 10_000, "Decode": 18_000}
    assert [(c.direction, c.bytes, c.gbps) for c in summary.copies] == [("HtoD", 1000, 1.0)]


def test_truncated_trace_is_a_source_error(tmp_path):
    path = tmp_path / "t.json"
    path.write_text('{"traceEvents": [{"ph": "X", "cat": "kernel", "name": "k", "ts": 1, "dur": 1}, {"ph"')
    with pytest.raises(SourceError):
        open_trace(str(path)).summary()


def test_nvtx_json_is_validated_and_classified(tmp_path):
    good = tmp_path / "ranges.json"
    good.write_text(json.dumps({"version": 1, "ranges": [{"name": "Prefill", "start": 0, "end": 500}, {"name": "Onboard", "start": 600, "end": 700, "lane": "copy"}]}))
    summary = open_trace(str(good)).summary()
    assert summary.format == "nvtx-json"
    assert [(s.name, s.count) for s in summary.kv_events] == [("Onboard", 1)]
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps({"ranges": [{"name": "Prefill", "start": "0", "end": 5}]}))
    with pytest.raises(SourceError) as e:
        open_trace(str(bad)).summary()
    assert "ranges/0/start" in str(e.value)


def test_nsys_json_lines_best_effort(tmp_path):
    lines = [
        {"Type": 59, "NvtxEvent": {"Timestamp": "100", "EndTimestamp": "900", "Text": "Decode[0]", "GlobalTid": "1"}},
        {"Type": 79, "CudaEvent": {"startNs": "200", "endNs": "300", "kernel": {"shortName": "7"}}},
        {"type": "String", "id": "7", "value": "xqa_kernel"},
    ]
    path = tmp_path / "report.json"
    path.write_text("\n".join(json.dumps(line) for line in lines) + "\n")
    summary = open_trace(str(path)).summary()
    assert summary.format == "nsys-json"
    assert [(k.name, k.kind, k.total_ns) for k in summary.top_kernels] == [("xqa_kernel", "attention", 100)]
    assert [s.name for s in summary.stages] == ["Decode"]
