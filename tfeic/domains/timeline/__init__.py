"""Timelines of profiler traces: spans, lanes, windows and classification rules (a domain package).

``open_trace(path)`` detects the format from content and returns a ``Timeline`` whose queries run
where the data is (SQL for nsys exports, one streaming pass for JSON). Imports nothing above it.
"""

from __future__ import annotations

import os

from ...core.datafile import InputLimits
from ...core.diagnostics import Diagnostic, Pos, SourceError, SpecError
from .events import EventBackend, checked
from .model import Span, Timeline, Window
from .rules import Rules


def open_trace(path: str, rules: Rules | None = None, shown: str | None = None,
               limits: InputLimits | None = None) -> Timeline:
    """Open any supported trace. ``shown`` is the path as the user wrote it (for messages); every
    read of it is under ``limits`` (the deck's; defaults for inspection commands)."""
    from . import chrome, detect, nsys_export, nsys_json, nvtx_json
    from .nsys_sqlite import SqliteBackend

    rules = rules or Rules.from_options(None)
    shown = shown or path
    if not os.path.exists(path):
        raise SourceError(Diagnostic(f"no such trace file: {shown}", Pos(shown)))
    fmt = detect.detect(path, limits)
    if fmt == "nsys-rep":
        return Timeline("nsys-sqlite", shown, SqliteBackend(nsys_export.export_sqlite(path, shown), rules, limits),
                        taxonomy=rules.kernel_classes)
    if fmt == "nsys-sqlite":
        return Timeline(fmt, shown, SqliteBackend(path, rules, limits), taxonomy=rules.kernel_classes)
    reader = {"chrome": chrome.events, "nvtx-json": nvtx_json.events, "nsys-json": nsys_json.events}[fmt]
    timeline = Timeline(fmt, shown, EventBackend(fmt, lambda: checked(reader(path, limits), shown), rules),
                        taxonomy=rules.kernel_classes)
    timeline.extent()  # the first pass, which every query needs: a bad file fails here, once, not per slide
    return timeline


def synthetic_trace(seed: int = 0, decode_steps: int = 8, rules: Rules | None = None) -> Timeline:
    from . import synthetic

    events = synthetic.events(seed, decode_steps)
    rules = rules or Rules.from_options(None)
    return Timeline("synthetic", "<synthetic>", EventBackend("synthetic", lambda: iter(events), rules), taxonomy=rules.kernel_classes)


def find_range(timeline: Timeline, name: str, occurrence: int = 0) -> Span | None:
    """The ``occurrence``-th range whose raw name or rule label is ``name`` (``Prefill`` finds a vLLM
    ``execute_context_1(..)_generation_0(0)``)."""
    matches = [s for s in timeline.ranges() if name in (s.name, s.label)]
    return matches[occurrence] if occurrence < len(matches) else None


def prefill_and_decodes(timeline: Timeline, decode_steps: int) -> Window | None:
    """From the first prefill stage to the end of the ``decode_steps``-th decode stage after it."""
    stages = timeline.stages()
    prefill = next((s for s in stages if s.cls == "prefill"), None)
    if prefill is None:
        return None
    decodes = [s for s in stages if s.cls == "decode" and s.start_ns >= prefill.end_ns][:decode_steps]
    end = max([prefill.end_ns, *(d.end_ns for d in decodes)])
    return Window(prefill.start_ns, end)


def choose_window(
    timeline: Timeline,
    window: str | None = None,
    range_name: str | None = None,
    decode_steps: int | None = None,
    pos: Pos | None = None,
) -> Window | None:
    """The window a command or slide asks for: ``"START:END"``, a named range, or the first prefill
    plus ``decode_steps`` decode steps; None means the whole trace. Unknown names are SpecErrors."""
    from .model import parse_window

    if window is not None:
        return parse_window(window, pos)
    if range_name is not None:
        span = find_range(timeline, range_name)
        if span is None:
            names = sorted({s.label for s in timeline.ranges()} | {s.name for s in timeline.ranges()})[:12]
            raise SpecError(Diagnostic(f"no range named {range_name!r} in {timeline.path}", pos, hint="ranges: " + ", ".join(names) if names else "the trace has no named ranges"))
        return Window(span.start_ns, max(span.end_ns, span.start_ns + 1))
    if decode_steps is not None:
        found = prefill_and_decodes(timeline, decode_steps)
        if found is None:
            raise SpecError(Diagnostic(f"{timeline.path} has no prefill stage to start the window at", pos, hint="use window: START:END or range: NAME"))
        return found
    return None


__all__ = ["choose_window", "Rules", "Span", "Timeline", "Window", "find_range", "open_trace", "prefill_and_decodes", "synthetic_trace"]
