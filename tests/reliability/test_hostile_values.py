"""Hostile numbers (issue 12): NaN, infinities, doubles near their limit, integers of hundreds or
thousands of digits, negative durations and byte counts, absurd theme sizes and epochs, KV geometry
and event streams at their edges. Each case once ended in an internal error (exit 1), a hang, a
layout failure on a good file, or a slide showing "-400 us"; each now builds, or is one diagnostic
line at a documented exit code (``harness.build`` checks the contract, the test the code and line).
"""

from __future__ import annotations

import json
import re
import shutil
import sqlite3
import tempfile
import time
import warnings
import zipfile
from pathlib import Path

import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st

from .harness import build, fuzz
from .test_fuzz_inputs import EXABYTE, OFFLOADING, POOL, POOL_SIDECAR, TRACES, write_files

TABLE_SLIDES = [{"kind": "chart", "source": "s", "x": "name", "y": "v"}, {"kind": "table", "source": "s"},
                {"kind": "stat", "source": "s", "cards": [{"value": "v", "agg": "sum", "label": "sum"},
                                                          {"value": "v", "row": {"name": "a"}, "label": "a"}]}]
TRACE_SLIDES = [{"kind": "timeline", "source": "s"}, {"kind": "kernel_summary", "source": "s"},
                {"kind": "transfer_summary", "source": "s"}]
MAX_DOUBLE = "1.7976931348623157e308"


def run(cli, tmp_path: Path, files: dict[str, bytes], sources: dict, slides: list[dict], **deck):
    """Write ``files`` and a deck of ``sources`` and ``slides`` into ``tmp_path`` and build it."""
    write_files(tmp_path, files)
    spec = {"title": "hostile", **deck, "sources": sources, "slides": slides}
    (tmp_path / "deck.yaml").write_text(yaml.safe_dump(spec, sort_keys=False))
    return build(cli, tmp_path / "deck.yaml", tmp_path / "out.pptx")


def csv(*cells: str) -> bytes:
    return ("name,v\n" + "".join(f"{chr(97 + i)},{c}\n" for i, c in enumerate(cells))).encode()


TABLE = {"s": {"kind": "table", "path": "t.csv"}}


@pytest.mark.parametrize("cell", ["nan", "inf", "-inf", "NaN", "1e999", "-" + "9" * 400])
def test_non_finite_cell_is_refused_at_its_line(cli, tmp_path, cell):
    r = run(cli, tmp_path, {"t.csv": csv("1", cell)}, TABLE, TABLE_SLIDES)
    assert r.code == 3
    assert r.err.startswith(f"{tmp_path / 't.csv'}:3:1: error: column 'v': ") and "not a finite number" in r.err
    assert len(r.err) < 300, "the message quotes the cell cut short"


@pytest.mark.parametrize("literal", ["NaN", "Infinity", "1e999", "1" + "0" * 400, "9" * 5000])
def test_json_table_with_hostile_number(cli, tmp_path, literal):
    text = '[{"name": "a", "v": 1}, {"name": "b", "v": %s}]' % literal
    r = run(cli, tmp_path, {"t.json": text.encode()}, {"s": {"kind": "table", "path": "t.json"}}, TABLE_SLIDES)
    assert r.code == 3 and "t.json" in r.err and ("finite" in r.err or "out of range" in r.err or "range of a double" in r.err)


@pytest.mark.parametrize("agg", ["sum", "mean"])
def test_stat_aggregate_that_overflows_is_exit_3_at_its_card(cli, tmp_path, agg):
    slides = [{"kind": "stat", "source": "s", "cards": [{"value": "v", "agg": agg, "label": "x"},
                                                        {"value": "v", "agg": "max", "label": "y"}]}]
    r = run(cli, tmp_path, {"t.csv": csv(MAX_DOUBLE, MAX_DOUBLE)}, TABLE, slides)
    assert r.code == 3 and "slides[0].cards.0: the value overflows" in r.err


def test_derived_inf_minus_inf_is_refused_at_its_row(cli, tmp_path):
    """``v * 10 - v * 10`` is inf - inf (NaN) for v = 1e308: a derived value must be finite."""
    sources = {"s": {"kind": "table", "path": "t.csv", "derive": {"d": {"expr": "v * 10 - v * 10"}}}}
    slides = [{"kind": "stat", "source": "s", "cards": [{"value": "d", "agg": "sum", "label": "x"},
                                                        {"value": "v", "agg": "max", "label": "y"}]}]
    r = run(cli, tmp_path, {"t.csv": csv("1", "1e308")}, sources, slides)
    assert r.code == 3 and "t.csv:3:1: error: derived column 'd'" in r.err and "not a finite number" in r.err


def test_header_only_csv_as_a_chart(cli, tmp_path):
    r = run(cli, tmp_path, {"t.csv": b"name,v\n"}, TABLE, TABLE_SLIDES[:1])
    assert r.code == 3 and "has no rows to chart" in r.err


@pytest.mark.parametrize("kind", ["bar", "stacked_bar", "scatter", "cdf"])
def test_chart_of_doubles_near_the_limit(cli, tmp_path, kind):
    slide = {"kind": "chart", "source": "s", "chart": kind, "x": "v" if kind == "scatter" else "name", "y": "v"}
    r = run(cli, tmp_path, {"t.csv": csv(MAX_DOUBLE, "-" + MAX_DOUBLE)}, TABLE, [slide])
    assert r.code == 3 and "column 'v', row 1" in r.err and "beyond what a chart axis can span" in r.err
    (tmp_path / "out.pptx").unlink(missing_ok=True)
    assert run(cli, tmp_path, {"t.csv": csv("1e300", "-1e300")}, TABLE, [slide]).code == 0


def test_huge_values_print_in_scientific_notation(cli, tmp_path):
    """1e308 in a table and a stat card builds, written 1e+308 (it printed 309 digits)."""
    from tfeic.directives.numbers import format_cell
    from tfeic.domains.kv.memory import human_bytes

    assert format_cell(1e308) == "1e+308" and format_cell(-1e308, ",.2f") == "-1e+308"
    assert format_cell(12345.6) == "12,346" and format_cell(1e14, ".0f") == "100000000000000"
    assert human_bytes(10 ** 30) == "1e+09 ZB"
    assert run(cli, tmp_path, {"t.csv": csv("1e308", "-50")}, TABLE, TABLE_SLIDES[1:]).code == 0
    with zipfile.ZipFile(tmp_path / "out.pptx") as deck:
        slides = "".join(deck.read(n).decode() for n in deck.namelist() if n.startswith("ppt/slides/slide"))
    assert "1e+308" in slides and not re.search(r"\d{20}", slides)


# -- JSON integers and doubles out of range, in every JSON reader ----------------------------------

EVENTS_TEXT = (OFFLOADING / "events_with_offloading.json").read_text()
JSON_INPUTS = {  # name -> (file, text, source, slides)
    "kv events": ("e.json", EVENTS_TEXT, {"kind": "kv_events", "path": "e.json"}, [{"kind": "block_reuse", "source": "s"}]),
    "metrics": ("m.json", (OFFLOADING / "metrics_with_offloading.json").read_text(),
                {"kind": "metrics_snapshot", "path": "m.json"}, [{"kind": "title"}]),
    "KV sidecar": ("p.json", json.dumps(POOL_SIDECAR), {"kind": "kv", "path": "p.bin"}, [{"kind": "kv_legend", "source": "s"}]),
    "snapshot": ("session.json", (EXABYTE / "session.json").read_text(), None, [{"kind": "transcript", "source": "s"}]),
}


@pytest.mark.parametrize("literal", ["1" + "0" * 400, "-" + "9" * 5000, "1e999"])
@pytest.mark.parametrize("name", list(JSON_INPUTS))
def test_json_number_out_of_range_is_exit_3_at_the_file(cli, tmp_path, name, literal):
    from .test_fuzz_inputs import SESSION_SOURCE

    file, text, source, slides = JSON_INPUTS[name]
    at = text.index(":", text.index('"', 10)) + 1  # the value of the first key below the top
    files = {file: (text[:at] + " " + literal + ", " + text[at:]).encode(), "p.bin": POOL}
    r = run(cli, tmp_path, files, {"s": source or SESSION_SOURCE}, slides)
    assert r.code == 3 and file in r.err and ("digits" in r.err or "range of a double" in r.err), r.err


def test_chrome_trace_integer_over_4300_digits(cli, tmp_path):
    trace = '{"traceEvents": [{"ph": "X", "cat": "kernel", "name": "k", "ts": %s, "dur": 1}]}' % ("9" * 5000)
    r = run(cli, tmp_path, {"t.json": trace.encode()}, {"s": {"kind": "trace", "path": "t.json"}}, TRACE_SLIDES)
    assert r.code == 3 and "t.json: error: a JSON integer of more than 4300 digits" in r.err


# -- traces: spans that are not measurements -------------------------------------------------------

@pytest.mark.parametrize("events, why", [
    ([{"ph": "X", "cat": "kernel", "name": "k", "ts": 100, "dur": -0.4}], "an end before its start"),
    ([{"ph": "X", "cat": "gpu_memcpy", "name": "Memcpy HtoD", "ts": 100, "dur": 4, "args": {"bytes": -50}}],
     "a negative byte count"),
    ([{"ph": "X", "cat": "gpu_memcpy", "name": "Memcpy HtoD", "ts": 100, "dur": 4, "args": {"bytes": 10 ** 30}}],
     "beyond the int64 range"),
    ([{"ph": "B", "name": "r", "ts": 200, "pid": 1, "tid": 1}, {"ph": "E", "ts": 150, "pid": 1, "tid": 1}],
     "an end before its start"),
])
def test_chrome_event_that_is_not_a_measurement(cli, tmp_path, events, why):
    trace = {"traceEvents": [{"ph": "X", "cat": "kernel", "name": "k0", "ts": 50, "dur": 10}, *events]}
    r = run(cli, tmp_path, {"t.json": json.dumps(trace).encode()}, {"s": {"kind": "trace", "path": "t.json"}}, TRACE_SLIDES)
    assert r.code == 3 and r.err.count("\n") == 1 and r.err.startswith("t.json: error: the ") and why in r.err


NSYS = TRACES / "testcuda_report1.sqlite"


@pytest.mark.parametrize("sql, code, message", [
    ('CREATE TABLE k AS SELECT * FROM CUPTI_ACTIVITY_KIND_KERNEL; DROP TABLE CUPTI_ACTIVITY_KIND_KERNEL; '
     'CREATE TABLE CUPTI_ACTIVITY_KIND_KERNEL AS SELECT * FROM k; DROP TABLE k; '
     'UPDATE CUPTI_ACTIVITY_KIND_KERNEL SET "end" = NULL WHERE rowid = 2', 3, "end None is not a span"),
    ('UPDATE CUPTI_ACTIVITY_KIND_KERNEL SET "end" = start - 400000 WHERE rowid = 1', 3, "is not a span"),
    ("UPDATE CUPTI_ACTIVITY_KIND_MEMCPY SET bytes = -5", 3, "bytes -5 is not a span"),
    ('CREATE TABLE "we""ird" (a INTEGER)', 0, ""),
])
def test_nsys_rows_that_are_not_spans(cli, tmp_path, sql, code, message):
    shutil.copy(NSYS, tmp_path / "r.sqlite")
    (tmp_path / "r.sqlite").chmod(0o644)
    with sqlite3.connect(tmp_path / "r.sqlite") as db:
        db.executescript(sql)
    r = run(cli, tmp_path, {}, {"s": {"kind": "trace", "path": "r.sqlite"}}, TRACE_SLIDES)
    assert r.code == code and message in r.err


# -- environment and theme ---------------------------------------------------------------------------

@pytest.mark.parametrize("epoch, code", [("253402300800", 2), ("-5", 2), ("abc", 2), ("9" * 5000, 2),
                                         ("253402300799", 0), ("0", 0)])
def test_source_date_epoch(cli, tmp_path, monkeypatch, epoch, code):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", epoch)
    r = run(cli, tmp_path, {}, {}, [{"kind": "title"}])
    assert r.code == code
    if code:
        assert r.err.startswith("SOURCE_DATE_EPOCH: error: ") and len(r.err) < 200


@pytest.mark.parametrize("setting, message", [
    ("slide: {width: .inf}", "slide.width: expected number, got inf (not a finite number)"),
    ("slide: {height: .nan}", "slide.height: expected number, got nan (not a finite number)"),
    ("slide: {width: 5000}", "slide.width: must be <= 4032"),
    ("margins: {top: -.inf}", "margins.top: expected number"),
    ("line_height: 1.0e+300", "line_height: must be <= 10"),
    ("grid: {columns: 1000000000}", "grid.columns: must be <= 96"),
])
def test_theme_number_out_of_range(cli, tmp_path, setting, message):
    files = {"themes/t.yaml": f"extends: light\n{setting}\n".encode()}
    r = run(cli, tmp_path, files, {}, [{"kind": "title"}], theme="t")
    assert r.code == 2 and f"themes/t.yaml:2:" in r.err and message in r.err


def test_deck_option_of_inf_is_a_type_error(cli, tmp_path):
    r = run(cli, tmp_path, {"p.bin": POOL, "p.json": json.dumps(POOL_SIDECAR).encode()},
            {"s": {"kind": "kv", "path": "p.bin"}}, [{"kind": "kv_zoom", "source": "s", "offset": float("inf")}])
    assert r.code == 2 and "not a finite number" in r.err


# -- KV pools and events ------------------------------------------------------------------------------

def _pool(heads: int, tokens: int) -> dict[str, bytes]:
    sidecar = dict(POOL_SIDECAR, blocks=2, layers=1, kv_heads=heads, tokens_per_block=tokens, head_dim=2, block_tokens=[])
    size = 2 * 2 * heads * tokens * 2 * 2  # blocks x K/V x heads x tokens x head_dim x bf16
    return {"p.bin": (bytes(range(256)) * size)[:size], "p.json": json.dumps(sidecar).encode()}


@pytest.mark.parametrize("heads, tokens, code", [(600, 1, 3), (513, 2, 3), (300, 3, 0), (512, 1, 0)])
def test_kv_tiles_of_many_heads(cli, tmp_path, heads, tokens, code):
    """More KV heads than 512 x tokens per block looped forever looking for a token group."""
    slides = [{"kind": "kv_tiles", "source": "s", "block": 1, "layer": 0}]
    r = run(cli, tmp_path, _pool(heads, tokens), {"s": {"kind": "kv", "path": "p.bin"}}, slides)
    assert r.code == code and (not code or f"a plane of {heads} KV heads" in r.err)


@pytest.mark.parametrize("pattern", [b"\x7f\x7f", b"\x80\x7f", b"\xc0\x7f", b"\x80\x7f\x80\xff"])
def test_kv_values_at_the_limits_warn_nothing(cli, tmp_path, pattern):
    """bf16 max (sums overflow float32), +Inf, NaN, +-Inf: no numpy RuntimeWarning may escape."""
    slides = [{"kind": k, "source": "s", "block": 1, "layer": 0} for k in ("kv_tiles", "kv_linear")]
    files = {"p.bin": (pattern * len(POOL))[:len(POOL)], "p.json": json.dumps(POOL_SIDECAR).encode()}
    with warnings.catch_warnings():
        warnings.simplefilter("error", RuntimeWarning)
        assert run(cli, tmp_path, files, {"s": {"kind": "kv", "path": "p.bin"}}, slides).code == 0


@pytest.mark.parametrize("name", ["events_with_offloading.json", "events_without_offloading.json"])
def test_block_reuse_builds_for_every_prefix(cli, tmp_path, name):
    """16 evenly spaced prefixes of a shipped event file, one slide each, in one build."""
    events = json.loads((OFFLOADING / name).read_text())
    counts = sorted({max(1, round(i * len(events) / 16)) for i in range(1, 17)})
    files = {f"e{k}.json": json.dumps(events[:k]).encode() for k in counts}
    sources = {f"e{k}": {"kind": "kv_events", "path": f"e{k}.json"} for k in counts}
    slides = [{"kind": "block_reuse", "source": f"e{k}"} for k in counts]
    r = run(cli, tmp_path, files, sources, slides)
    assert r.code == 0, r.err


def _events(n: int, chain: bool) -> str:
    """``n`` stored blocks, each the child of the one before (one chain) or a root of its own."""
    items = [{"event_id": i, "window_size": 48, "data": {"type": "stored", "parent_hash": (i - 1) if chain and i else None,
              "blocks": [{"block_hash": i, "tokens": [], "cache_level": 0}]}} for i in range(n)]
    return json.dumps(items, indent=1)


def test_block_reuse_events_parse_in_linear_time():
    """Naming each item's line once cost a count from the file start (50 k events: 75 s). Time
    per event may not grow with the file: 4x the events within 8x the time (quadratic: 16x)."""
    from tfeic.domains.trtllm.events import parse_events

    def seconds(n: int) -> float:
        text = _events(n, chain=False)
        start = time.perf_counter()
        parse_events("e.json", text)
        return time.perf_counter() - start

    small, large = min(seconds(5_000) for _ in range(2)), seconds(20_000)
    assert large < 8 * small + 0.5, (small, large)


def test_block_reuse_of_a_long_chain(cli, tmp_path):
    """A prompt of 5000 blocks is a parent chain 5000 deep (the lane order recursed)."""
    r = run(cli, tmp_path, {"e.json": _events(5000, chain=True).encode()}, {"s": {"kind": "kv_events", "path": "e.json"}},
            [{"kind": "block_reuse", "source": "s"}])
    assert r.code == 0, r.err


# -- fuzz: hostile numbers through chart, stat, table and timeline slides ----------------------------

HOSTILE = ["nan", "inf", "-inf", "1e308", "-1e308", "1" + "0" * 400, "-0.0", "-1" + "0" * 300, "0", "1.5"]


def _json_number(text: str) -> str:
    return {"nan": "NaN", "inf": "Infinity", "-inf": "-Infinity"}.get(text, text)


@fuzz(25)
@given(values=st.lists(st.sampled_from(HOSTILE), min_size=1, max_size=4), as_json=st.booleans(),
       trace=st.lists(st.sampled_from(HOSTILE + ["100", "-400"]), min_size=3, max_size=3))
def test_hostile_numbers(cli, values, as_json, trace):
    if as_json:
        rows = ", ".join('{"name": "r%d", "v": %s}' % (i, _json_number(v)) for i, v in enumerate(values))
        table = {"t.json": f"[{rows}]".encode()}
    else:
        table = {"t.json": ("name,v\n" + "".join(f"r{i},{v}\n" for i, v in enumerate(values))).encode()}
    ts, dur, nbytes = (_json_number(v) for v in trace)
    events = ('{"traceEvents": [{"ph": "X", "cat": "kernel", "name": "k", "ts": 5, "dur": 3}, '
              '{"ph": "X", "cat": "gpu_memcpy", "name": "Memcpy HtoD", "ts": %s, "dur": %s, "args": {"bytes": %s}}]}'
              % (ts, dur, nbytes))
    slides = [{**s, "source": "s"} for s in TABLE_SLIDES]
    slides[2]["cards"][1]["row"] = {"name": "r0"}
    slides += [{**s, "source": "tr"} for s in TRACE_SLIDES]
    files = {**table, "tr.json": events.encode()}
    sources = {"s": {"kind": "table", "path": "t.json", "format": "json" if as_json else "csv"},
               "tr": {"kind": "trace", "path": "tr.json"}}
    with tempfile.TemporaryDirectory() as tmp:
        run(cli, Path(tmp), files, sources, slides)


LOG = (OFFLOADING / "offloading_enabled.log").read_text()


@pytest.mark.parametrize("line, value", [("reused tokens:                       32", "inf"),
                                         ("reused tokens:                       32", "nan"),
                                         ("percentage (%): 16.67", "-50"), ("percentage (%): 16.67", "1e400")])
def test_trtllm_log_counter_out_of_range(cli, tmp_path, line, value):
    """int(inf) and int(nan) were internal errors; a negative percentage was shown as '-50.0%'."""
    log = LOG.replace(line, line.rsplit(" ", 1)[0] + " " + value, 1)
    assert log != LOG
    r = run(cli, tmp_path, {"a.log": log.encode()}, {"s": {"kind": "trtllm_log", "path": "a.log"}},
            [{"kind": "offload_comparison", "source": "s"}])
    assert r.code == 3 and "a.log:" in r.err and f"found '{value}'" in r.err
