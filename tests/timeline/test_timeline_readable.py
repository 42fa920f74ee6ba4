"""Timeline slides people can read: a lane per stream when kernels run on several (nsys sample: 4
streams), runs of decode steps too narrow to label merged with their count and mean, a titled time
axis, and labels in a colour readable on their fill (WCAG 2 contrast, computed here)."""

from __future__ import annotations

import sqlite3

from tfeic.core.diagnostics import Pos
from tfeic.deck.model import SlideSpec
from tfeic.domains.timeline.directives.timeline import TimelineDirective
from tfeic.domains.timeline import open_trace, synthetic_trace
from tfeic.domains.timeline.synthetic import events as synthetic_events
from tfeic.theme.load import load_theme
from wcag import contrast

from .conftest import FIXTURES


def timeline_slide(trace, **options):
    return TimelineDirective().expand(SlideSpec(0, "timeline", options, Pos("deck.yaml", 3, 5)), {"source": trace}, None)[0]


def texts(slide) -> list[str]:
    return [span.text for shape in slide.blocks[0].shapes for p in shape.text for span in p.spans]


def test_kernels_of_several_streams_get_a_lane_each():
    path = FIXTURES / "testcuda_report1.sqlite"
    streams = sorted(s for (s,) in sqlite3.connect(path).execute("SELECT DISTINCT streamId FROM CUPTI_ACTIVITY_KIND_KERNEL"))
    assert len(streams) == 4
    trace = open_trace(str(path))
    lanes = trace.lanes(trace.extent())
    assert [lane.name for lane in lanes if lane.base == "Kernels"] == [f"stream {s}" for s in streams]
    assert [len(lane.spans) for lane in lanes if lane.base == "Kernels"] == [1, 1, 1, 1]
    slide = timeline_slide(trace, lanes=["Kernels", "Copies HtoD"])
    assert [t for t in texts(slide) if t.startswith(("stream", "Copies"))] == [f"stream {s}" for s in streams] + ["Copies HtoD"]


def test_short_decode_steps_merge_into_one_labelled_bar():
    decodes = [(e.start, e.end) for e in synthetic_events(0, 24) if e.kind == "range" and e.name.startswith("Decode")]
    assert len(decodes) == 24
    mean_us = sum(end - start for start, end in decodes) / 24 / 1000
    slide = timeline_slide(synthetic_trace(decode_steps=24))
    labels = texts(slide)
    assert f"Decode ×24, {mean_us:.3g} us mean" in labels
    assert "Prefill" in labels and "Decode" not in labels  # no step drawn on its own


def test_the_time_axis_has_a_title_with_its_unit():
    slide = timeline_slide(synthetic_trace(), decode_steps=3)
    assert "time since the trace start (ms)" in texts(slide)


def test_labels_on_fills_get_a_readable_colour():
    """The caption colour stays where it meets WCAG AA on the fill (4.5:1 at caption size), else
    black or white, whichever contrasts more (tfeic.theme.contrast.readable_on, which layout uses)."""
    from tfeic.theme.contrast import readable_on

    theme = load_theme("light", ".")
    caption, size = theme.color("muted"), theme.role("caption").size
    for fill in ("accent", "accent2", "k_plane", "muted", "background"):
        rgb = theme.color(fill)
        chosen = readable_on(rgb, caption, size, False)
        if contrast(rgb, caption) >= 4.5:
            assert chosen == caption, fill
        else:
            assert chosen == max(("000000", "FFFFFF"), key=lambda c: contrast(rgb, c)), fill
            assert contrast(rgb, chosen) >= 4.5


def test_a_trace_without_stage_ranges_says_so_in_the_stages_row():
    path = FIXTURES / "hta_inference_rank_1_legacy_kineto.json.gz"
    trace = open_trace(str(path))
    assert trace.stages() == [] and trace.ranges() == []  # its events: 4 kernels, runtime calls, flows
    labels = texts(timeline_slide(trace))
    assert labels[:2] == ["Stages", "no stage ranges in this trace"]
    assert "no stage ranges in this trace" not in texts(timeline_slide(synthetic_trace()))


def test_a_long_stream_id_from_the_trace_is_cut_in_its_lane_label():
    from tfeic.domains.timeline.model import Span, stream_lanes

    spans = [Span("Kernels", "k", 0, 1, "kernel", device="0", stream="s" * 40), Span("Kernels", "k", 0, 2, "kernel", device="0", stream="7")]
    assert [lane.name for lane in stream_lanes(spans)] == ["stream 7", "stream " + "s" * 11 + "\u2026"]
