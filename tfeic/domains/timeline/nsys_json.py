"""``nsys export --type json`` (best effort: NVIDIA has announced the layout will change; prefer SQLite).

One JSON message per line, integers written as strings; names of kernels are string ids whose
``{"type": "String"}`` records come *after* the events, so the file is read twice: once for the
strings, once for the events. Lines that are not understood are skipped.
"""

from __future__ import annotations

import json
from typing import Iterator

from ...core.datafile import InputLimits
from ...core.diagnostics import Diagnostic, Pos, SourceError
from .aggregate import CUPTI_COPY_KIND
from .chrome import MAX_VALUE, name, open_text
from .events import Event

NVTX_RANGE_TYPES = {59, 60, 70, 71}


def _lines(path: str, limits: InputLimits | None) -> Iterator[dict]:
    with open_text(path, limits) as f:
        for number, line in enumerate(iter(lambda: f.readline(MAX_VALUE + 1), ""), start=1):
            if len(line) > MAX_VALUE:
                raise SourceError(Diagnostic(f"line {number} is longer than {MAX_VALUE} characters", Pos(path)))
            try:
                record = json.loads(line)
            except ValueError:  # malformed, or an integer over Python's 4300-digit limit
                continue
            if isinstance(record, dict):
                yield record


def _strings(path: str, limits: InputLimits | None) -> dict[int, str]:
    return {
        int(r["id"]): name(r.get("value", ""))
        for r in _lines(path, limits)
        if str(r.get("type", "")).lower() == "string" and "id" in r
    }


def events(path: str, limits: InputLimits | None = None) -> Iterator[Event]:
    strings = _strings(path, limits)

    def name_of(value) -> str:
        if isinstance(value, str) and not value.isdigit():
            return name(value)
        try:
            return strings.get(int(value), str(value))
        except (TypeError, ValueError):
            return "?"

    for r in _lines(path, limits):
        try:
            kind = int(r.get("Type", -1))
            if kind in NVTX_RANGE_TYPES and "NvtxEvent" in r:
                e = r["NvtxEvent"]
                if "EndTimestamp" not in e:
                    continue
                text = e.get("Text", e.get("TextId", "?"))
                yield Event("range", name_of(text), int(e["Timestamp"]), int(e["EndTimestamp"]))
            elif "CudaEvent" in r:
                e = r["CudaEvent"]
                start, end = int(e["startNs"]), int(e["endNs"])
                if "kernel" in e:
                    k = e["kernel"]
                    yield Event("kernel", name_of(k.get("shortName", k.get("demangledName", "?"))), start, end)
                elif "memcpy" in e:
                    m = e["memcpy"]
                    direction = CUPTI_COPY_KIND.get(int(m.get("copyKind", 0)), "other")
                    nbytes = int(m.get("sizebytes", m.get("bytes", 0)))
                    yield Event("copy", f"Memcpy {direction}", start, end, nbytes, direction)
        except (KeyError, TypeError, ValueError):
            continue
