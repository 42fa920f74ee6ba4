"""Hostile data files (issue 12, "Inputs"): a path that is not a regular file, a file that never
ends, a gzip bomb, a giant name, a million rows, and line separators inside CSV cells. Each is
refused with one diagnostic and exit 3 (exit 2 for a slide limit) well inside the harness bound,
or read correctly; the big cases run in a child process whose peak RSS is checked.

Hostile variants are built from the real fixtures (an HTA Kineto trace, the kv-offloading log).
"""

from __future__ import annotations

import gzip
import json
import os
import subprocess
import sys
import time
import zlib
from pathlib import Path

import pytest
import yaml

from tfeic.core.datafile import InputLimits, open_data
from tfeic.core.diagnostics import SourceError
from tfeic.domains.tables.read import read_rows

from .harness import CASE_SECONDS, build

REPO = Path(__file__).resolve().parents[2]
TRACES = REPO / "tests" / "fixtures" / "traces"
REAL_TRACE = TRACES / "hta_triton_example.json.gz"
REAL_LOG = REPO / "decks" / "data" / "kv-offloading" / "offloading_enabled.log"
TRACE_SLIDES = [{"kind": "kernel_summary", "source": "s"}]
LOG_SLIDES = [{"kind": "offload_comparison", "source": "s"}]
FAST = 5  # seconds: every refusal here is decided before (or within a chunk of) reading
PEAK_MB = 400  # a child that refuses a bomb stays far below what inflating it would take


def write_deck(root: Path, source: dict, slides: list[dict], **limits: int) -> Path:
    deck = {"title": "inputs", "sources": {"s": source}, "slides": slides}
    if limits:
        deck["limits"] = limits
    (root / "deck.yaml").write_text(yaml.safe_dump(deck, sort_keys=False))
    return root / "deck.yaml"


def refused(cli, root: Path, code: int, *words: str, seconds: float = FAST):
    """Build ``root/deck.yaml``: it fails with ``code``, within ``seconds``, naming ``words``."""
    start = time.monotonic()
    result = build(cli, root / "deck.yaml", root / "out.pptx", seconds=CASE_SECONDS)
    assert time.monotonic() - start < seconds
    assert result.code == code, result.err
    for word in words:
        assert word in result.err, result.err
    assert len(result.err.strip().splitlines()) == 1, result.err
    return result


#: the peak RSS of this process in KiB: VmHWM belongs to the process's own memory map, where
#: ``ru_maxrss`` of a child also counts the parent it was forked from
PEAK_SOURCE = ("def PEAK():\n    return next(int(line.split()[1]) for line in open('/proc/self/status')"
               " if line.startswith('VmHWM:'))")


def child_build(deck: Path) -> tuple[int, str, int]:
    """``tfeic build`` in a child process: (exit code, stderr, its peak RSS in MB)."""
    code = (f"import sys\n{PEAK_SOURCE}\nfrom tfeic.cli import main\n"
            "try:\n    rc = main(sys.argv[1:])\nfinally:\n"
            "    print('PEAK', PEAK(), file=sys.stderr)\n"
            "sys.exit(rc)\n")
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    p = subprocess.run([sys.executable, "-c", code, "build", str(deck), "-o", str(deck.parent / "out.pptx"),
                        "--no-cache", "-q"], capture_output=True, text=True, timeout=CASE_SECONDS, env=env)
    lines = p.stderr.strip().splitlines()
    peak = int(lines[-1].split()[1]) // 1024
    return p.returncode, "\n".join(lines[:-1]), peak


def gzip_of(*parts: tuple[bytes, int]) -> bytes:
    """A gzip stream of each ``bytes`` repeated ``int`` times, compressed without materialising it."""
    z = zlib.compressobj(9, zlib.DEFLATED, 31)
    out = []
    for piece, times in parts:
        block = piece * max(1, (1 << 20) // len(piece))
        full, rest = divmod(times * len(piece), len(block))
        out += [z.compress(block) for _ in range(full)]
        out.append(z.compress(block[:rest]))
    out.append(z.flush())
    return b"".join(out)


def real_events() -> list[dict]:
    return json.loads(gzip.decompress(REAL_TRACE.read_bytes()))["traceEvents"]


# -- paths that are not regular files ---------------------------------------------------------

FIFO_SOURCES = {
    "table": ({"kind": "table", "path": "f.csv"}, [{"kind": "table", "source": "s"}]),
    "log": ({"kind": "trtllm_log", "path": "f.csv"}, LOG_SLIDES),
    "trace": ({"kind": "trace", "path": "f.csv"}, TRACE_SLIDES),
    "prompt_file": ({"kind": "server", "url": "http://127.0.0.1:9", "prompt_file": "f.csv"},
                    [{"kind": "transcript", "source": "s"}]),
}


@pytest.mark.parametrize("name", FIFO_SOURCES)
def test_a_fifo_as_a_data_file_is_refused_at_once(cli, tmp_path, name):
    os.mkfifo(tmp_path / "f.csv")  # no writer: reading it would block forever
    write_deck(tmp_path, *FIFO_SOURCES[name])
    err = refused(cli, tmp_path, 3, "f.csv: is a FIFO, not a regular file").err
    assert err.startswith(f"{tmp_path / 'deck.yaml'}:")  # at the source's position in the deck


def test_a_fifo_is_refused_by_the_reader_itself(tmp_path):
    """The descriptor is checked, not the name: a path swapped for a FIFO after any earlier check
    still cannot block (O_NONBLOCK open, then fstat)."""
    os.mkfifo(tmp_path / "f")
    start = time.monotonic()
    with pytest.raises(SourceError, match="is a FIFO, not a regular file"):
        open_data(str(tmp_path / "f"), what="table")
    assert time.monotonic() - start < 10  # a blocking open never returns


def test_a_directory_as_a_data_file(cli, tmp_path):
    (tmp_path / "t.csv").mkdir()
    write_deck(tmp_path, {"kind": "table", "path": "t.csv"}, [{"kind": "table", "source": "s"}])
    refused(cli, tmp_path, 3, "t.csv: is a directory, not a regular file")


def test_dev_zero_as_a_data_file_never_grows(tmp_path):
    (tmp_path / "z.log").symlink_to("/dev/zero")
    deck = write_deck(tmp_path, {"kind": "trtllm_log", "path": "z.log"}, LOG_SLIDES)
    start = time.monotonic()
    code, err, peak = child_build(deck)
    assert time.monotonic() - start < CASE_SECONDS
    assert code == 3 and "z.log: is a character device, not a regular file" in err, err
    assert peak < PEAK_MB


def test_a_file_over_the_input_limit_is_refused_before_reading(cli, tmp_path):
    (tmp_path / "t.csv").write_text("name,value\n" + "a,1\n" * 1000)
    write_deck(tmp_path, {"kind": "table", "path": "t.csv"}, [{"kind": "table", "source": "s"}], input_bytes=1000)
    refused(cli, tmp_path, 3, "table is 4011 bytes, more than 1000 (limits.input_bytes)")


def test_the_wall_clock_limit_stops_a_slow_read(tmp_path):
    (tmp_path / "big").write_bytes(b"x" * (3 << 20))  # more than one buffered chunk
    limits = InputLimits.of({"limits": {"read_seconds": 1}})
    with open_data(str(tmp_path / "big"), what="log", limits=limits) as f:
        f.read(10)
        time.sleep(1.1)
        with pytest.raises(SourceError, match=r"took longer than 1 s \(limits.read_seconds\)"):
            f.read()


# -- compressed traces ------------------------------------------------------------------------

def test_whitespace_is_skipped_at_c_speed(cli, tmp_path):
    """A real trace with 48 MB of whitespace around its events reads in seconds (it took a
    Python loop per character) and gives the same kernels as the trace itself."""
    events = real_events()
    pad = b" \n\t" * (4 << 20)
    (tmp_path / "t.json").write_bytes(b'{"traceEvents": [' + pad + b",".join(json.dumps(e).encode() + pad for e in events[:3])
                                      + b"," + json.dumps(events[3:])[1:-1].encode() + b"]}")
    (tmp_path / "plain.json").write_text(json.dumps({"traceEvents": events}))
    from tfeic.domains.timeline import open_trace

    start = time.monotonic()
    padded = open_trace(str(tmp_path / "t.json")).summary()
    assert time.monotonic() - start < 10
    assert padded == open_trace(str(tmp_path / "plain.json")).summary()


def test_a_whitespace_gzip_bomb_is_refused(tmp_path):
    (tmp_path / "t.json.gz").write_bytes(gzip_of((b"[", 1), (b" ", 100 << 20), (b"]", 1)))  # 100 KB -> 100 MB
    deck = write_deck(tmp_path, {"kind": "trace", "path": "t.json.gz"}, TRACE_SLIDES)
    code, err, peak = child_build(deck)
    assert code == 3 and "holds more than 67108864 bytes (limits.inflate_ratio: 100 x" in err, err
    assert peak < PEAK_MB


def test_a_giant_kernel_name_is_refused_without_holding_it(tmp_path):
    head = b'{"traceEvents": [{"ph": "X", "cat": "kernel", "ts": 1, "dur": 1, "name": "'
    (tmp_path / "t.json.gz").write_bytes(gzip_of((head, 1), (b"k", 20 << 20), (b'"}]}', 1)))
    deck = write_deck(tmp_path, {"kind": "trace", "path": "t.json.gz"}, TRACE_SLIDES)
    code, err, peak = child_build(deck)
    assert code == 3 and "one JSON value is longer than 16777216 characters" in err, err
    assert peak < PEAK_MB


def test_a_long_kernel_name_is_cut_with_a_marker(tmp_path):
    from tfeic.domains.timeline import open_trace
    from tfeic.domains.timeline.chrome import MAX_NAME

    events = real_events()
    kernel = next(e for e in events if e.get("cat") == "kernel")
    long_name = "void gemm<" + "T," * 5000 + ">"
    events.append({**kernel, "name": long_name})
    (tmp_path / "t.json").write_text(json.dumps({"traceEvents": events}))
    names = [k.name for k in open_trace(str(tmp_path / "t.json")).summary().top_kernels]
    cut = [n for n in names if n.startswith("void gemm<T,")]
    assert cut == [long_name[:MAX_NAME - 1] + "\u2026"]


def test_an_nvtx_gzip_bomb_is_refused(tmp_path):
    record = b'{"name": "step", "start": 0, "end": 1},'
    data = gzip_of((b'{"ranges": [', 1), (record, (100 << 20) // len(record)), (b'{"name": "x", "start": 0, "end": 1}]}', 1))
    (tmp_path / "n.json.gz").write_bytes(data)
    deck = write_deck(tmp_path, {"kind": "trace", "path": "n.json.gz"}, TRACE_SLIDES)
    code, err, peak = child_build(deck)
    assert code == 3 and f"limits.inflate_ratio: 100 x {len(data)} compressed bytes" in err, err
    assert peak < PEAK_MB


# -- tables -----------------------------------------------------------------------------------

def test_a_million_row_csv_is_refused_early(cli, tmp_path):
    with open(tmp_path / "t.csv", "w") as f:
        f.write("name,value\n")
        f.writelines(f"r{i},{i}\n" for i in range(1_000_000))
    write_deck(tmp_path, {"kind": "table", "path": "t.csv"}, [{"kind": "chart", "source": "s", "x": "name", "y": "value"}])
    refused(cli, tmp_path, 3, "t.csv:100002:1: error: the table has more than 100000 rows (limits.table_rows)",
            "raise limits.table_rows")


def test_a_chart_of_more_rows_than_a_slide_draws(cli, tmp_path):
    (tmp_path / "t.csv").write_text("name,value\n" + "".join(f"r{i},{i}\n" for i in range(30)))
    write_deck(tmp_path, {"kind": "table", "path": "t.csv"}, [{"kind": "chart", "source": "s", "x": "name", "y": "value"}],
               slide_rows=29)
    refused(cli, tmp_path, 2, "slides[0]: chart of 30 rows, more than 29 (limits.slide_rows)")
    write_deck(tmp_path, {"kind": "table", "path": "t.csv"}, [{"kind": "chart", "source": "s", "x": "name", "y": "value"}],
               slide_rows=30)
    assert build(cli, tmp_path / "deck.yaml", tmp_path / "out.pptx").code == 0


@pytest.mark.parametrize("separator", ["\x0b", "\x0c", "\u2028", "\u2029", "\x85", "\x1c"])
def test_line_separators_inside_csv_cells(tmp_path, separator):
    """Rows end only at \\n or \\r\\n: any other separator stays inside its cell, and the line of a
    later error is the file's line."""
    (tmp_path / "t.csv").write_text(f"name,value\na{separator}b,1\nc,2{separator}\nd,3,extra\n", encoding="utf-8", newline="")
    with pytest.raises(Exception) as error:
        read_rows(str(tmp_path / "t.csv"), "csv")
    assert error.value.message == "row has 3 cells, the header has 2" and error.value.pos.line == 4
    (tmp_path / "t.csv").write_text(f"name,value\na{separator}b,1\nc,2{separator}\n", encoding="utf-8", newline="")
    rows = read_rows(str(tmp_path / "t.csv"), "csv")
    assert rows.rows == ((f"a{separator}b", "1"), ("c", f"2{separator}".strip())) and rows.lines == (2, 3)


def test_log_fifo_and_real_log_side_by_side(cli, tmp_path):
    """A run list with one real log and one FIFO: the FIFO is named at its own position."""
    (tmp_path / "ok.log").write_bytes(REAL_LOG.read_bytes())
    os.mkfifo(tmp_path / "f.log")
    write_deck(tmp_path, {"kind": "trtllm_log", "runs": [{"label": "a", "path": "ok.log"}, {"label": "b", "path": "f.log"}]},
               LOG_SLIDES)
    refused(cli, tmp_path, 3, "f.log: is a FIFO, not a regular file")


def test_peak_rss_is_measured_by_the_child(tmp_path):
    """The RSS bound above means something: a child that does allocate 600 MB reports it."""
    code = f"{PEAK_SOURCE}\nb = bytearray(600 << 20)\nb[::4096] = b'x' * len(b[::4096])\nprint(PEAK())"
    peak = int(subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout) // 1024
    assert peak >= 600 > PEAK_MB


def test_a_fifo_as_the_deck_is_a_usage_error(cli, tmp_path):
    os.mkfifo(tmp_path / "deck.yaml")
    refused(cli, tmp_path, 2, "deck.yaml: error: is a FIFO, not a regular file")


def test_the_wall_clock_limit_stops_a_slow_sqlite_query():
    """SQLite queries are interrupted at the deadline (read_seconds 0: the first look at the clock)."""
    from dataclasses import replace

    from tfeic.domains.timeline.nsys_sqlite import SqliteBackend
    from tfeic.domains.timeline.rules import Rules

    fixture = str(TRACES / "testcuda_report1.sqlite")
    assert SqliteBackend(fixture, Rules.from_options(None)).summary(None).kernel_count  # the real query succeeds
    with pytest.raises(SourceError, match=r"took longer than 0 s \(limits.read_seconds\)"):
        SqliteBackend(fixture, Rules.from_options(None), replace(InputLimits.of(), read_seconds=0)).summary(None)
