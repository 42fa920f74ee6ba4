"""Text is put in one normal form before it is measured, and the placed (drawn) text is that form:
line separators become line breaks, tabs become spaces, chart labels stay on one line."""

from __future__ import annotations

import pytest

from tfeic.ir import ChartBlock, Paragraph, Series, Slide, Span, TableBlock, TextBlock
from tfeic.layout import layout_slides
from tfeic.layout.normalize import TAB_SPACES, normalize_text, one_line
from tfeic.layout.placed import PlacedChart, PlacedTable, PlacedText

from .conftest import para


@pytest.mark.parametrize("raw,normal", [
    ("a\tb", "a    b"),
    ("one\rtwo", "one\ntwo"),
    ("one\r\ntwo", "one\ntwo"),  # counted once
    ("one\n\rtwo", "one\n\ntwo"),  # two separators, two breaks
    ("a\x0bb\x0cc\x85d\u2028e\u2029f", "a\nb\nc\nd\ne\nf"),
    ("\t", "    "),
    ("plain text", "plain text"),
])
def test_normal_form(raw, normal):
    assert normalize_text(raw) == normal
    assert normalize_text(normal) == normal  # idempotent: measuring placed text again changes nothing
    assert TAB_SPACES == 4


def test_chart_labels_become_one_line():
    assert one_line("a\tb\r\nc\u2028d") == "a b c d"


def _placed(blocks, title="T", layout="title-body", theme=None):
    from .conftest import make_theme

    placed, proof = layout_slides([Slide(title, layout, tuple(blocks))], theme or make_theme())
    return placed[0], proof.slides[0]


def test_placed_text_is_what_was_measured():
    slide, proof = _placed([TextBlock("body", (Paragraph((Span("key\tvalue"), Span("\rnext", bold=True))),))],
                           title="one\ttwo")
    body = next(b for b in slide.boxes if isinstance(b, PlacedText) and b.name == "body")
    assert [s.text for s in body.paragraphs[0].spans] == ["key    value", "\nnext"]
    assert slide.title == "one    two"
    assert {b.name: b.lines for b in proof.boxes}["body"] == 2  # a lone \r is a line break, measured so


def test_table_cells_and_chart_labels_are_normalised():
    table = TableBlock("left", header=("a\tb",), rows=(("x\ry",),))
    chart = ChartBlock("right", kind="bar", categories=("p\tq", "r\u2028s"), series=(Series("v\tw", (1.0, 2.0)),),
                       x_title="x\ntitle")
    slide, _ = _placed([table, chart], layout="two-columns")
    placed_table = next(b for b in slide.boxes if isinstance(b, PlacedTable))
    placed_chart = next(b for b in slide.boxes if isinstance(b, PlacedChart))
    assert placed_table.header == ("a    b",) and placed_table.rows == (("x\ny",),)
    assert placed_chart.chart.categories == ("p q", "r s")
    assert placed_chart.chart.series[0].name == "v w" and placed_chart.chart.x_title == "x title"


def test_a_tab_is_measured_as_the_spaces_drawn():
    """Widths are linear in size, so a tab's true advance (to the next 36 pt stop) could not be one."""
    tabbed = _placed([TextBlock("body", (para("w\t" * 30),))])[1]
    spaced = _placed([TextBlock("body", (para("w    " * 30),))])[1]
    assert [b.to_dict() for b in tabbed.boxes] == [b.to_dict() for b in spaced.boxes]
