"""The three server directives, expanded and laid out by the real pipeline from a replayed snapshot:
the layout proof must hold, numbers must reach the slides, and a transcript must never lose text."""

from __future__ import annotations

from dataclasses import replace

import pytest
import yaml

from tfeic.pipeline import BuildOptions, compile_deck
from tfeic.domains.inference.directives.transcript import lines
from tfeic.domains.inference import snapshot
from tfeic.domains.inference.report import percent
from tfeic.domains.inference.synthetic import synthetic_run
from tfeic.ir import ChartBlock, ShapesBlock, TableBlock, TextBlock
from tfeic.layout.placed import PlacedShapes, PlacedTable, PlacedText

PROMPT = "Explain the KV cache.\x00\x1b"
LONG_TEXT = "\n".join(f"line {i:03d}: the keys and values of every earlier token stay in cache blocks" for i in range(240))


def build(tmp_path, run, slides):
    (tmp_path / "session.json").write_bytes(snapshot.encode(run, "session.json"))
    source = {"kind": "server", "url": run.url, "model": run.model, "prompt": PROMPT, "max_tokens": run.max_tokens,
              "snapshot": "session.json"}
    (tmp_path / "deck.yaml").write_text(yaml.safe_dump({"title": "T", "sources": {"server": source}, "slides": slides}))
    return compile_deck(str(tmp_path / "deck.yaml"), BuildOptions(), render=False)


@pytest.fixture
def run():
    return synthetic_run("http://gpu-node:8000", "llama-3.1-8b", (("user", PROMPT),), 200)


def texts(result) -> list[str]:
    out = []
    for slide in result.placed.slides:
        for box in slide.boxes:
            if isinstance(box, PlacedText):
                out += [p.text for p in box.paragraphs]
            elif isinstance(box, PlacedShapes):
                out += [p.text for s in box.shapes for p in s.text]
            elif isinstance(box, PlacedTable):
                out += [" | ".join(r) for r in box.rows]
    return out


def test_request_flow_is_annotated_with_the_run(tmp_path, run):
    result = build(tmp_path, run, [{"kind": "request_flow", "server_label": "llama-server"}])
    [slide] = result.slides
    [diagram] = slide.blocks
    assert isinstance(diagram, ShapesBlock) and len([s for s in diagram.shapes if s.kind == "roundrect"]) == 9
    words = texts(result)
    for expected in ("Client", "TTFT 142 ms", "llama-server", "KV cache manager", f"hit rate {percent(run.cache_hit_rate)}",
                     "6 of 4,096 blocks used", "Host pool", "GDS / NVMe", "Hex dump"):
        assert expected in words
    assert "replayed from a recorded snapshot" in slide.notes


def test_inference_metrics_table_and_chart(tmp_path, run):
    result = build(tmp_path, run, [{"kind": "inference_metrics"}])
    [slide] = result.slides
    table = next(b for b in slide.blocks if isinstance(b, TableBlock))
    assert ("Time to first token", "142 ms") in table.rows and ("Completion tokens", "200") in table.rows
    assert ("KV cache hit rate", percent(run.cache_hit_rate)) in table.rows
    chart = next(b for b in slide.blocks if isinstance(b, ChartBlock))
    [gaps] = chart.series
    # every gap on a numeric token axis: the gap before token 2 is the first (issue 17: numeric x)
    assert chart.numeric_x and chart.categories == () and len(gaps.values) == len(run.inter_token_s)
    assert gaps.x == tuple(float(t) for t in range(2, 2 + len(run.inter_token_s)))
    assert gaps.values[0] == round(run.inter_token_s[0] * 1000, 3) and max(gaps.values) > 0
    assert chart.y_title == "gap before the token (ms)" and chart.x_title == "output token (number)"


def test_not_streamed_run_has_no_chart_but_says_why(tmp_path, run):
    result = build(tmp_path, replace(run, stream=False, frames=()), [{"kind": "inference_metrics"}])
    note = next(b for b in result.slides[0].blocks if isinstance(b, TextBlock))
    assert note.paragraphs[0].text == "No inter-token gaps (not streamed)."


def test_transcript_paginates_and_never_truncates(tmp_path, run):
    result = build(tmp_path, replace(run, text=LONG_TEXT), [{"kind": "transcript"}])
    pages = [s for s in result.placed.slides]
    assert len(pages) > 3
    words = texts(result)
    assert [w for w in words if w.startswith("line ")] == LONG_TEXT.split("\n")
    assert "Explain the KV cache.<NUL><ESC>" in words


def test_control_characters_and_bad_utf8_are_visible():
    [paragraph] = lines("a\x00b\ufffd\x85\ud800\tc")
    assert paragraph.text == "a<NUL>b<?><U+0085><?>    c"
    assert [s.color for s in paragraph.spans] == [None, "accent3", None, "accent3", None]
