"""The ``utilisation`` slide, built into a real .pptx from real traces and read back from the chart's
XML: each bar's parts (compute alone, compute with communication, communication alone, memory alone,
idle) against interval unions written out here over the trace's events read with json/sqlite3."""

from __future__ import annotations

import gzip
import json
import re
import sqlite3
import zipfile
from pathlib import Path
from xml.etree import ElementTree

import pytest

from tfeic.cli import main

from .conftest import FIXTURES, build_nsys_sqlite

C = "{http://schemas.openxmlformats.org/drawingml/2006/chart}"
A = "{http://schemas.openxmlformats.org/drawingml/2006/main}"
RANK0 = FIXTURES / "hta_sampled_ranks" / "sampled_rank-0.json.gz"
H100 = FIXTURES / "tracelens_Qwen1.5-0.5B-Chat_h100.json.gz"
#: the deck's own taxonomy for these tests, so the classes below are plain to see: NCCL is
#: communication, copies and fills are memory, every other kernel is compute (a gemm)
RULES = [(r"nccl", "communication"), (r"copy|fillfunctor", "memory"), (r".", "gemm")]


def union(intervals) -> int:
    """Length of the union of [start, end) intervals: sort, then extend the run or start a new one."""
    total, run = 0, None
    for start, end in sorted(intervals):
        if run is None or start > run[1]:
            total += run[1] - run[0] if run else 0
            run = [start, end]
        else:
            run[1] = max(run[1], end)
    return total + (run[1] - run[0] if run else 0)


def expected_parts(intervals, window_ns: int) -> list[float]:
    """``(kind, start, end)`` intervals (kind compute, communication or memory) -> the stacked bar's
    parts in ms: compute alone, overlap, communication alone, memory alone, idle."""
    of = {k: [(s, e) for kind, s, e in intervals if kind == k] for k in ("compute", "communication", "memory")}
    busy = union([(s, e) for _, s, e in intervals])
    compute, comm = union(of["compute"]), union(of["communication"])
    either = union(of["compute"] + of["communication"])
    overlap = compute + comm - either
    return [v / 1e6 for v in (compute - overlap, overlap, comm - overlap, busy - either, window_ns - busy)]


def build(tmp_path: Path, source: dict, slide: dict) -> Path:
    deck = tmp_path / "deck.yaml"
    deck.write_text(json.dumps({"title": "T", "sources": {"t": {"kind": "trace", **source}},
                                "slides": [{"kind": "utilisation", "source": "t", **slide}]}))
    out = tmp_path / "out.pptx"
    assert main(["build", str(deck), "-o", str(out)]) == 0
    return out


def chart_of(pptx: Path) -> tuple[list[str], dict[str, list[float]], ElementTree.Element, str]:
    """(categories, series name -> values, the chart XML, the slide's text) of the one chart."""
    with zipfile.ZipFile(pptx) as z:
        name = next(n for n in z.namelist() if re.fullmatch(r"ppt/charts/chart\d+\.xml", n))
        root = ElementTree.fromstring(z.read(name))
        text = " ".join(t.text or "" for t in ElementTree.fromstring(z.read("ppt/slides/slide1.xml")).iter(f"{A}t"))
    series, categories = {}, []
    for ser in root.iter(f"{C}ser"):
        label = ser.find(f"{C}tx//{C}v").text
        categories = [pt.find(f"{C}v").text for pt in ser.find(f"{C}cat").iter(f"{C}pt")]
        series[label] = [float(pt.find(f"{C}v").text) for pt in ser.find(f"{C}val").iter(f"{C}pt")]
    return categories, series, root, text


def kineto_intervals(path: Path):
    """(device, stream, kind, start_ns, end_ns) of the GPU events, classified by ``RULES``, and the
    trace's extent: first to last of the events a Kineto reader keeps (kernels, ``gpu_memcpy``,
    ``user_annotation`` ranges; not CPU ops, not the profiler's own ``Trace`` span). Kineto times are
    microseconds: ``round(us * 1000)`` ns, the end as start + rounded duration. ``gpu_memset`` events
    are memory intervals too, but (as an nsys export's memsets) not part of the extent."""
    with gzip.open(path, "rt") as f:
        events = [e for e in json.load(f)["traceEvents"]
                  if e.get("ph") == "X" and e.get("cat") in ("kernel", "gpu_memcpy", "gpu_memset", "user_annotation")]
    out = []
    for e in events:
        start = round(float(e["ts"]) * 1000)
        out.append((e, start, start + round(float(e["dur"]) * 1000)))
    extent = [(s, end) for e, s, end in out if e["cat"] != "gpu_memset"]
    t0, t1 = min(s for s, _ in extent), max(end for _, end in extent)
    records = []
    for e, start, end in out:
        if e["cat"] == "user_annotation":
            continue
        cls = "memory" if e["cat"] in ("gpu_memcpy", "gpu_memset") else next(c for pattern, c in RULES if re.search(pattern, e["name"], re.I))
        kind = cls if cls in ("memory", "communication") else "compute"
        args = e.get("args", {})
        records.append((str(args.get("device", e["pid"])), str(args.get("stream", e["tid"])), kind, start, end))
    return records, t0, t1


def deck_rules() -> dict:
    return {"kernel_classes": [{"match": p, "class": c} for p, c in RULES]}


def test_rank0_bars_per_device_and_stream_match_interval_unions(tmp_path):
    """HTA's sampled rank 0 (V100 training step with NCCL): one device, five streams, communication
    overlapping compute."""
    records, t0, t1 = kineto_intervals(RANK0)
    out = build(tmp_path, {"path": str(RANK0), "rules": deck_rules()}, {})
    categories, series, root, text = chart_of(out)
    streams = sorted({st for _, st, *_ in records}, key=int)
    assert len(streams) == 5 and {d for d, *_ in records} == {"0"}
    # the first category is drawn at the bottom: the device bar is last in the data, on top of the chart
    assert categories == [f"stream {s}" for s in reversed(streams)] + ["device 0"]
    assert list(series) == ["compute", "overlap", "communication", "memory", "idle"]
    window = t1 - t0
    bars = {"device 0": [(k, s - t0, e - t0) for _, _, k, s, e in records]}
    for st in streams:
        bars[f"stream {st}"] = [(k, s - t0, e - t0) for _, stream, k, s, e in records if stream == st]
    for i, category in enumerate(categories):
        got = [series[name][i] for name in series]
        assert got == pytest.approx(expected_parts(bars[category], window), abs=1e-6), category
        assert sum(got) == pytest.approx(window / 1e6, abs=1e-5)  # each bar is the whole window
    device = expected_parts(bars["device 0"], window)
    assert device[1] > 50 and device[2] > 300  # ms: real overlap, and more communication alone
    busy = window / 1e6 - device[4]
    comm = device[1] + device[2]
    assert f"device 0 busy {100 * busy / (window / 1e6):.1f}%" in text
    assert f"overlap {100 * device[1] / comm:.1f}% of its communication" in text
    assert "docs/utilisation.md" in text and "the whole trace" in text


def test_the_time_axis_is_zero_based_with_its_unit_and_the_bars_stack(tmp_path):
    _, _, root, _ = chart_of(build(tmp_path, {"path": str(RANK0)}, {}))
    bar = root.find(f".//{C}barChart")
    assert bar.find(f"{C}barDir").get("val") == "bar" and bar.find(f"{C}grouping").get("val") == "stacked"
    value_axis = root.find(f".//{C}valAx")
    assert float(value_axis.find(f"{C}scaling/{C}min").get("val")) == 0
    title = "".join(t.text for t in value_axis.find(f"{C}title").iter(f"{A}t"))
    assert title == "time in the window (ms)"  # 1.23 s of trace: ms, the unit of the largest value below 2 s


def test_a_window_clips_every_interval(tmp_path):
    """The H100 trace, 10 to 20 ms after its start: one device, one stream, so one bar."""
    records, t0, _ = kineto_intervals(H100)
    lo, hi = t0 + 10_000_000, t0 + 20_000_000
    clipped = [(k, max(s, lo), min(e, hi)) for _, _, k, s, e in records if min(e, hi) > max(s, lo)]
    categories, series, root, text = chart_of(build(tmp_path, {"path": str(H100), "rules": deck_rules()}, {"window": "10ms:20ms"}))
    assert categories == ["device 0"]
    want = dict(zip(("compute", "overlap", "communication", "memory", "idle"), expected_parts(clipped, hi - lo)))
    assert {k: v for k, v in want.items() if v} == pytest.approx({k: v[0] for k, v in series.items()}, abs=1e-6)
    assert sum(v[0] for v in series.values()) == pytest.approx(10.0)  # ms
    assert "Window 10 ms to 20 ms:" in text and "whole trace" not in text


def test_at_most_eight_bars_the_busiest_streams_stay(tmp_path):
    """An nsys export with ten streams, stream k busy (k + 1) x 100 ns: the device bar and the seven
    busiest streams (9 down to 3) are drawn, the caption says three were not."""
    path = build_nsys_sqlite(tmp_path / "t.sqlite", text_ids=True,
                             kernels=[("volta_sgemm_64x64_nn", 1000 * k, 1000 * k + 100 * (k + 1)) for k in range(10)])
    db = sqlite3.connect(path)
    db.execute("UPDATE CUPTI_ACTIVITY_KIND_KERNEL SET streamId = start / 1000")
    db.commit()
    db.close()
    categories, series, _, text = chart_of(build(tmp_path, {"path": str(path)}, {}))
    assert categories == [f"stream {k}" for k in range(9, 2, -1)] + ["device 0"]
    assert series["compute"] == pytest.approx([(k + 1) * 100 / 1e3 for k in range(9, 2, -1)] + [sum(range(1, 11)) * 100 / 1e3])
    assert "3 less busy streams not drawn" in text


def test_a_window_without_gpu_work_is_one_idle_bar(tmp_path):
    path = build_nsys_sqlite(tmp_path / "t.sqlite", text_ids=True, kernels=[("volta_sgemm_64x64_nn", 0, 100)], osrt=[("read", 0, 5000)])
    categories, series, _, text = chart_of(build(tmp_path, {"path": str(path)}, {"window": "1us:3us"}))
    assert (categories, series) == (["no GPU activity"], {"idle": [2.0]})  # a 2 us window is drawn in us
    assert "no kernels or copies" in text
