"""Every real fixture loads, and its summary matches numbers computed here with plain sqlite3/json."""

from __future__ import annotations

import gzip
import json
import sqlite3
from collections import Counter

import pytest

from tfeic.domains.timeline import open_trace

from .conftest import FIXTURES

JSON_FIXTURES = sorted(p.name for p in FIXTURES.glob("*.json.gz"))
SQLITE_FIXTURES = sorted(p.name for p in FIXTURES.glob("*.sqlite"))


@pytest.mark.parametrize("name", JSON_FIXTURES)
def test_chrome_fixture_kernels_and_copies_match_json_load(name):
    doc = json.load(gzip.open(FIXTURES / name))
    events = doc["traceEvents"] if isinstance(doc, dict) else doc
    kernels = [e for e in events if e.get("ph") == "X" and e.get("cat") in ("kernel", "Kernel")]
    copy_bytes = Counter()
    for e in events:
        if e.get("ph") == "X" and e.get("cat") in ("gpu_memcpy", "Memcpy"):
            copy_bytes[e["name"].split()[1]] += int(e.get("args", {}).get("bytes", 0))

    summary = open_trace(str(FIXTURES / name)).summary()

    assert summary.format == "chrome"
    assert summary.kernel_count == len(kernels)
    expected_total = sum(round(e["dur"] * 1000) for e in kernels)
    assert summary.kernel_total_ns == expected_total
    assert {c.direction: c.bytes for c in summary.copies} == dict(copy_bytes)


@pytest.mark.parametrize("name", SQLITE_FIXTURES)
def test_sqlite_fixture_matches_raw_queries(name):
    db = sqlite3.connect(FIXTURES / name)
    tables = {r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    count, total = db.execute('SELECT COUNT(*), COALESCE(SUM("end"-start), 0) FROM CUPTI_ACTIVITY_KIND_KERNEL').fetchone() if "CUPTI_ACTIVITY_KIND_KERNEL" in tables else (0, 0)
    copies = dict(db.execute("SELECT copyKind, SUM(bytes) FROM CUPTI_ACTIVITY_KIND_MEMCPY GROUP BY copyKind")) if "CUPTI_ACTIVITY_KIND_MEMCPY" in tables else {}

    summary = open_trace(str(FIXTURES / name)).summary()

    assert (summary.kernel_count, summary.kernel_total_ns) == (count, total)
    names = {1: "HtoD", 2: "DtoH", 8: "DtoD", 10: "PtoP"}
    assert {c.direction: c.bytes for c in summary.copies} == {names[k]: v for k, v in copies.items()}


def test_testcuda_report_reads_storage_io_and_hides_the_environment():
    summary = open_trace(str(FIXTURES / "testcuda_report1.sqlite")).summary()
    dumped = json.dumps(summary.as_dict())
    assert {s.name for s in summary.io} >= {"read", "fread", "write"}
    assert "PATH" not in dumped and "hangyudu" not in dumped


def test_framework_stage_names_are_classified():
    vllm = open_trace(str(FIXTURES / "tracelens_vllm_eager_trace_b200.json.gz")).summary()
    sglang = open_trace(str(FIXTURES / "tracelens_sglang_Qwen3-8B_decode_mi300x.json.gz")).summary()
    graph = open_trace(str(FIXTURES / "tracelens_vllm_decode_full_graph_execution_mi300.json.gz")).summary()
    assert [(s.name, s.kind) for s in vllm.stages if s.kind != "other"] == [("Prefill", "prefill")]
    assert ("Decode", "decode") in [(s.name, s.kind) for s in sglang.stages]
    assert [s.name for s in sglang.kv_events] == ["store_kvcache"]
    assert "reshape_and_cache" in [s.name for s in graph.kv_events]
    assert any(k.kind == "attention" for k in graph.top_kernels) or graph.kernel_count


def test_legacy_sqlite_without_kernels_is_an_empty_summary():
    summary = open_trace(str(FIXTURES / "dynamicvit_nsys_profile.sqlite")).summary()
    assert (summary.kernel_count, summary.copies, summary.stages) == (0, (), ())
