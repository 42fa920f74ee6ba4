"""nsys exports the fixtures lack, built with sqlite3: NVTX push/pop and start/end ranges named by
``text`` (2022) and by ``textId`` (2023+), cuFile ranges, no ENUM tables, rows out of time order,
non-UTF-8 names."""

from __future__ import annotations

import sqlite3

import pytest

from tfeic.cli.exit_codes import exit_code
from tfeic.domains.timeline import find_range, open_trace, prefill_and_decodes
from tfeic.domains.timeline.model import Window

from .conftest import build_nsys_sqlite

NVTX = [  # deliberately not in time order
    (59, "Decode[1]", 3_000, 3_500),
    (59, "Prefill", 1_000, 2_000),
    (60, "Decode[0]", 2_200, 2_700),
    (60, "cuFileRead", 100, 600),
    (59, "Offload", 3_600, 3_900),
    (34, "a mark", 50, None),
]
KERNELS = [("flash_fwd_kernel", 1_100, 1_400), ("gemm", 1_400, 1_900), ("reshape_and_cache_kernel", 2_300, 2_350)]
MEMCPYS = [(1, 4096, 1_050, 1_090), (2, 1 << 20, 3_650, 3_850), (10, 512, 3_000, 3_010)]


@pytest.mark.parametrize("text_ids,enums", [(True, True), (False, False)], ids=["textId-2024", "text-2022-no-enums"])
def test_nvtx_ranges_copies_and_cufile(tmp_path, text_ids, enums):
    path = build_nsys_sqlite(tmp_path / "t.sqlite", text_ids=text_ids, enums=enums, nvtx=NVTX, kernels=KERNELS, memcpys=MEMCPYS, osrt=[("pread64", 700, 800), ("ioctl", 10, 20)])
    timeline = open_trace(str(path))
    summary = timeline.summary()

    stages = {(s.name, s.kind): (s.count, s.total_ns) for s in summary.stages}
    assert stages == {("Prefill", "prefill"): (1, 1_000), ("Decode", "decode"): (2, 1_000)}
    assert {s.name: s.count for s in summary.kv_events} == {"Offload": 1, "reshape_and_cache": 1}
    assert {s.name: s.total_ns for s in summary.io} == {"cuFileRead": 500, "pread64": 100}
    assert {c.direction: (c.count, c.bytes) for c in summary.copies} == {"HtoD": (1, 4096), "DtoH": (1, 1 << 20), "PtoP": (1, 512)}
    assert summary.window == Window(0, 3_900 - 10)  # t0 = the earliest start read (the ioctl)
    assert [k.kind for k in summary.top_kernels] == ["other", "attention", "kv_write"]
    starts = [s.start_ns for s in timeline.ranges()]
    assert starts == sorted(starts)
    assert find_range(timeline, "Decode[1]").start_ns == 3_000 - 10
    assert prefill_and_decodes(timeline, 1) == Window(1_000 - 10, 2_700 - 10)


def test_window_counts_only_events_starting_inside(tmp_path):
    path = build_nsys_sqlite(tmp_path / "t.sqlite", text_ids=True, nvtx=NVTX, kernels=KERNELS, memcpys=MEMCPYS)
    timeline = open_trace(str(path))
    summary = timeline.summary(Window(1_000 - 100, 2_000 - 100))  # t0 = 100 (cuFileRead)
    assert (summary.kernel_count, summary.kernel_total_ns) == (2, 800)
    lanes = {lane.name: len(lane.spans) for lane in timeline.lanes(Window(900, 1_900))}
    assert lanes == {"Stages": 1, "Attention": 1, "Kernels": 1, "Copies HtoD": 1}


def test_non_utf8_names_are_decoded_with_replacement(tmp_path):
    path = build_nsys_sqlite(tmp_path / "t.sqlite", text_ids=True, kernels=[("k", 0, 10)])
    db = sqlite3.connect(path)
    db.execute("UPDATE StringIds SET value = CAST(X'6B65726EE9' AS TEXT)")  # latin-1 "kerné"
    db.commit()
    db.close()
    assert [k.name for k in open_trace(str(path)).summary().top_kernels] == ["kern\ufffd"]


def test_a_file_that_is_not_a_trace_is_exit_3(tmp_path):
    from tfeic.core.diagnostics import SourceError

    bad = tmp_path / "notes.sqlite"
    bad.write_text("hello")
    with pytest.raises(SourceError) as e:
        open_trace(str(bad))
    assert exit_code(e.value) == 3 and "unrecognised trace format" in str(e.value)
