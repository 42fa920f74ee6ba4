"""Stages counted once on real traces: SGLang on MI300X annotates one step twice (a vLLM-style
``execute_..`` range around ``step[..]``), so a nest of one kind is one step, with the outermost
range's duration; ``ProfilerStep#N`` is a step; a trace without a prefill stage still builds the
exabyte deck's trace slides, saying why the window is the whole trace. Expected values come from
the annotations read here with json."""

from __future__ import annotations

import gzip
import json

import pytest

from tfeic.cli import main
from tfeic.core.diagnostics import Pos
from tfeic.deck.model import SlideSpec
from tfeic.directives.kernel_summary import KernelSummaryDirective
from tfeic.directives.timeline import TimelineDirective
from tfeic.domains.timeline import open_trace, prefill_and_decodes

from .conftest import FIXTURES


def annotations(name: str) -> list[dict]:
    with gzip.open(FIXTURES / name, "rt") as f:
        return [e for e in json.load(f)["traceEvents"] if e.get("cat") == "user_annotation"]


def test_the_sglang_extend_step_is_one_prefill(capsys):
    name = "tracelens_sglang_Qwen3-8B_prefilldecode_mi300x.json.gz"
    outer, inner = sorted(annotations(name), key=lambda e: e["ts"])
    assert outer["name"].startswith("execute_15360_context_15(") and inner["name"].startswith("step[EXTEND bs=15")
    assert outer["ts"] <= inner["ts"] and inner["ts"] + inner["dur"] <= outer["ts"] + outer["dur"]  # nested
    assert main(["trace", "summary", str(FIXTURES / name), "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert [(s["name"], s["kind"], s["count"], s["total_ns"]) for s in out["stages"]] == [
        ("Prefill", "prefill", 1, int(round(outer["dur"] * 1000)))]  # 522.7 ms, not 552 ms
    assert {s["name"]: s["count"] for s in out["lanes"]}["Stages"] == 1
    timeline = open_trace(str(FIXTURES / name))
    assert [s.name for s in timeline.stages()] == [outer["name"]]
    lanes = {lane.name: lane for lane in timeline.lanes(timeline.extent())}
    assert [s.name for s in lanes["Stages"].spans] == [outer["name"]]


def test_the_sglang_decode_step_is_one_decode(capsys):
    name = "tracelens_sglang_Qwen3-8B_decode_mi300x.json.gz"
    outer = max(annotations(name), key=lambda e: e["dur"])
    assert main(["trace", "summary", str(FIXTURES / name), "--json"]) == 0
    stages = json.loads(capsys.readouterr().out)["stages"]
    assert [(s["name"], s["count"], s["total_ns"]) for s in stages] == [("Decode", 1, int(round(outer["dur"] * 1000)))]


def test_profiler_step_is_a_stage(capsys):
    name = "tracelens_Qwen1.5-0.5B-Chat_h100.json.gz"
    (step,) = annotations(name)
    assert main(["trace", "summary", str(FIXTURES / name), "--json"]) == 0
    stages = json.loads(capsys.readouterr().out)["stages"]
    assert stages[0] == {"name": "ProfilerStep", "kind": "other", "count": 1, "total_ns": int(round(step["dur"] * 1000)),
                         "mean_ns": float(int(round(step["dur"] * 1000)))}


@pytest.mark.parametrize("name,note", [("tracelens_Qwen1.5-0.5B-Chat_h100.json.gz", "no prefill stage"),
                                       ("hta_inference_rank_1_legacy_kineto.json.gz", "no stage ranges")])
def test_decode_steps_without_a_prefill_show_the_whole_trace_and_say_why(name, note):
    timeline = open_trace(str(FIXTURES / name))
    assert prefill_and_decodes(timeline, 4) is None
    spec = SlideSpec(0, "timeline", {"decode_steps": 4}, Pos("deck.yaml", 3, 5))
    slide = TimelineDirective().expand(spec, {"source": timeline}, None)[0]
    caption = " ".join(s.text for b in slide.blocks if hasattr(b, "paragraphs") for p in b.paragraphs for s in p.spans)
    assert f"(whole trace: {note})" in caption
    kernels = KernelSummaryDirective().expand(SlideSpec(1, "kernel_summary", {"decode_steps": 4}, Pos("deck.yaml", 9, 5)),
                                              {"source": timeline}, None)[0]
    assert kernels.blocks[0].rows[0][0] != "no kernels in this window"


def test_the_exabyte_deck_builds_from_a_trace_without_stages(tmp_path):
    out = tmp_path / "deck.pptx"
    assert main(["build", "decks/exabyte.yaml", "--timeline-json", str(FIXTURES / "hta_inference_rank_1_legacy_kineto.json.gz"),
                 "-o", str(out)]) == 0  # the real trace, not the dry-run twin: main fails here with "no prefill stage"
