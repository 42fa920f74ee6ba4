"""Timeline, kernel and transfer slides from the synthetic twin and a real trace."""

from __future__ import annotations

import pytest

from tfeic.core.diagnostics import Pos, SpecError
from tfeic.domains.timeline.directives.kernel_summary import KernelSummaryDirective
from tfeic.domains.timeline.directives.timeline import BINS, TimelineDirective
from tfeic.domains.timeline.directives.transfer_summary import TransferSummaryDirective
from tfeic.ir import ShapesBlock, TableBlock
from tfeic.deck.model import SlideSpec
from tfeic.domains.timeline import open_trace, synthetic_trace
from tfeic.domains.timeline.rules import Rules

from .conftest import FIXTURES


def spec(kind: str, **options) -> SlideSpec:
    return SlideSpec(0, kind, options, Pos("deck.yaml", 3, 5))


def test_timeline_shapes_stay_inside_and_labels_never_overlap():
    slide = TimelineDirective().expand(spec("timeline", decode_steps=3), {"source": synthetic_trace()}, None)[0]
    shapes = slide.blocks[0].shapes
    assert isinstance(slide.blocks[0], ShapesBlock) and slide.layout == "body-caption"
    for s in shapes:
        assert 0 <= s.x and s.x + s.w <= 1 + 1e-9 and 0 <= s.y and s.y + s.h <= 1 + 1e-9, s
    labelled = [s for s in shapes if s.text]
    for i, a in enumerate(labelled):
        for b in labelled[i + 1 :]:
            assert not (a.x < b.x + b.w and b.x < a.x + a.w and a.y < b.y + b.h and b.y < a.y + a.h), (a.name, b.name)
    names = [p.text for s in labelled for p in s.text]
    assert {"Stages", "Attention", "Kernels", "KV events", "Prefill"} <= set(names)
    assert {"0.5 ms", "1 ms", "2.5 ms"} <= set(names)  # the time axis has units


def test_dense_lanes_merge_into_density_bars():
    trace = open_trace(str(FIXTURES / "tracelens_vllm_eager_trace_b200.json.gz"))
    slide = TimelineDirective().expand(spec("timeline"), {"source": trace}, None)[0]
    kernel_shapes = [s for s in slide.blocks[0].shapes if s.fill == "muted"]
    assert trace.summary().kernel_count > 600
    assert 0 < len(kernel_shapes) <= BINS // 2 + 1
    assert any(s.name == "density" for s in kernel_shapes)


def test_summary_tables_paginate_and_fold_the_rest():
    trace = open_trace(str(FIXTURES / "tracelens_vllm_eager_trace_b200.json.gz"))
    kernels = KernelSummaryDirective().expand(spec("kernel_summary"), {"source": trace}, None)[0].blocks[0]
    transfers = TransferSummaryDirective().expand(spec("transfer_summary"), {"source": trace}, None)[0].blocks[0]
    assert isinstance(kernels, TableBlock) and kernels.paginate
    assert kernels.rows[-1][0] == "other kernels" and len(kernels.rows) == 11
    assert max(len(r[0]) for r in kernels.rows) <= 40  # C++ signatures shortened to fit a cell
    assert int(kernels.rows[-1][2]) + sum(int(r[2]) for r in kernels.rows[:-1]) == 768
    assert [r[0] for r in transfers.rows[:2]] == ["copy HtoD", "copy DtoD"]


def test_missing_source_and_unknown_range_are_spec_errors():
    with pytest.raises(SpecError):
        TimelineDirective().expand(spec("timeline"), {}, None)
    with pytest.raises(SpecError) as e:
        KernelSummaryDirective().expand(spec("kernel_summary", range="Nope"), {"source": synthetic_trace()}, None)
    assert e.value.diagnostics[0].pos.line == 3


def test_deck_rules_extend_the_presets():
    rules = Rules.from_options({"stages": [{"match": "^warmup", "stage": "Warmup"}], "kv": [{"match": "^evict", "name": "Offload"}]})
    assert (rules.range("warmup 3").label, rules.range("evict_blocks").label) == ("Warmup", "Offload")
    assert rules.range("Decode[2]").label == "Decode"
    only = Rules.from_options({"replace": True, "attention": ["mykernel"]})
    assert (only.kernel("flash_fwd").cls, only.kernel("mykernel_v2").cls) == ("kernel", "attention")
