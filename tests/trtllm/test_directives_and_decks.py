"""The four directives on the deck data, their spec errors, and both decks end to end."""

from pathlib import Path

import pytest

import tfeic.directives.builtin  # noqa: F401
import tfeic.sources.builtin  # noqa: F401
from tfeic.core.diagnostics import Pos, SpecError
from tfeic.directives import DIRECTIVES, ExpandContext
from tfeic.ir import ShapesBlock, TableBlock
from tfeic.sources import SOURCES, ResolveContext
from tfeic.deck.model import Deck, SlideSpec, SourceSpec

REPO = Path(__file__).resolve().parents[2]
DATA = REPO / "decks" / "data" / "kv-offloading"


def deck():
    return Deck("deck.yaml", str(DATA), "t", "light", {}, [])


def load(kind, **options):
    return SOURCES.get(kind).load(SourceSpec("s", kind, options, Pos("deck.yaml", 2, 3)), ResolveContext(deck()))


def expand(name, data=None, **options):
    spec = SlideSpec(0, name, options, Pos("deck.yaml", 9, 5), positions={"edges/0/to": Pos("deck.yaml", 12, 9)})
    return DIRECTIVES.get(name).expand(spec, {"source": data} if data is not None else {}, ExpandContext(deck(), None))


def test_offload_comparison_highlights_the_run_with_reuse():
    runs = load("trtllm_log", runs=[{"label": "without", "path": "offloading_disabled.log"},
                                    {"label": "with", "path": "offloading_enabled.log"}])
    (slide,) = expand("offload_comparison", runs)
    table, bars = slide.blocks
    assert isinstance(table, TableBlock) and table.header == ("counter", "without", "with")
    rows = {r[0]: r[1:] for r in table.rows}
    assert rows["reused blocks"] == ("0", "2") and rows["cache hit rate"] == ("0%", "25%")
    assert (3, 2) in table.highlight and (3, 1) not in table.highlight
    assert slide.title == "Reused blocks: 0 without, 2 with"
    assert any(s.name == "bar reused blocks with" for s in bars.shapes)
    assert not any(s.name == "bar reused blocks without" for s in bars.shapes)  # zero: no bar, only its label


def test_block_reuse_lanes_follow_parent_chains():
    events = load("kv_events", path="events_with_offloading.json")
    (slide,) = expand("block_reuse", events)
    lanes = [s.name for s in slide.blocks[0].shapes if s.name.startswith("lane")]
    assert len(lanes) == 10
    assert "offloaded to host 9" in slide.blocks[1].paragraphs[0].text


def test_speculation_slide_colours_and_numbers():
    (slide,) = expand("speculation", prompt="a b c d", output="a b c e", window=2, candidates=3)
    text, table = slide.blocks
    colours = [s.color for s in text.paragraphs[2].spans]
    assert colours == [None, "accent", "accent", "accent3"]
    assert dict(table.rows)["acceptance rate"] == "67%"


def test_diagram_places_free_nodes_and_rejects_unknown_edges():
    (slide,) = expand("diagram", nodes=[{"id": "a", "label": "A"}, {"id": "b", "label": "B", "row": 0, "col": 0}],
                      edges=[{"from": "a", "to": "b", "label": "x"}])
    shapes = {s.name: s for s in slide.blocks[0].shapes if s.name}
    assert isinstance(slide.blocks[0], ShapesBlock) and shapes["node b"].x < shapes["node a"].x  # a took the next free cell
    arrow = shapes["edge a->b"]
    assert arrow.w < 0 and arrow.h == 0  # right to left, horizontal
    with pytest.raises(SpecError, match="no node with id 'c'") as e:
        expand("diagram", nodes=[{"id": "a", "label": "A"}], edges=[{"from": "a", "to": "c"}])
    assert e.value.diagnostics[0].pos.line == 12


@pytest.mark.parametrize("name", ["kv-offloading", "trtllm-crash-course"])
def test_deck_builds_with_proof(name, tmp_path, cli):
    out = tmp_path / "deck.pptx"
    result = cli("build", str(REPO / "decks" / f"{name}.yaml"), "-o", str(out), "--proof", str(tmp_path / "proof.json"))
    assert result.code == 0, result.err
    assert out.stat().st_size > 0 and (tmp_path / "proof.json").exists()


def test_missing_log_is_exit_3_with_position(tmp_path, cli):
    spec = tmp_path / "d.yaml"
    spec.write_text("title: t\nsources:\n  logs:\n    kind: trtllm_log\n    runs:\n      - {label: a, path: nope.log}\n"
                    "slides:\n  - kind: offload_comparison\n    source: logs\n")
    result = cli("build", str(spec), "-o", str(tmp_path / "o.pptx"))
    assert result.code == 3 and "d.yaml:6:" in result.err and "nope.log" in result.err
