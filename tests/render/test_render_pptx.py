"""render_deck output read back with python-pptx and as XML: geometry, text settings, tables,
drawings, pictures, notes, background and document properties are exactly what was placed."""

from __future__ import annotations

import datetime
import io
import zipfile

import pytest
from conftest import bullets_box, png_bytes, shapes_box, table_box, title_box
from lxml import etree
from pptx import Presentation
from pptx.util import Pt

from tfeic.cli.exit_codes import ExitCode, exit_code
from tfeic.core.diagnostics import Pos, SourceError, SpecError
from tfeic.layout.placed import PlacedDeck, PlacedImage, PlacedSlide, Rect
from tfeic.render import render_deck

NS = {
    "a": "http://schemas.openxmlformats.org/drawingml/2006/main",
    "p": "http://schemas.openxmlformats.org/presentationml/2006/main",
}


@pytest.fixture
def rendered(sample_deck) -> bytes:
    return render_deck(sample_deck)


@pytest.fixture
def prs(rendered):
    return Presentation(io.BytesIO(rendered))


def slide_xml(data: bytes, number: int):
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return etree.fromstring(archive.read(f"ppt/slides/slide{number}.xml"))


def shape_named(slide, name):
    return next(s for s in slide.shapes if s.name == name)


def geometry(shape) -> Rect:
    return Rect(shape.left, shape.top, shape.width, shape.height)


def test_slide_size_and_boxes_are_exact(prs, sample_deck):
    assert (prs.slide_width, prs.slide_height) == (sample_deck.width, sample_deck.height)
    slide = prs.slides[0]
    assert [s.name for s in slide.shapes] == ["title", "body", "table", "diagram", "figure"]
    for box in sample_deck.slides[0].boxes:
        if box.name != "diagram":  # a group's frame is the union of its members, checked below
            assert geometry(shape_named(slide, box.name)) == box.rect
    assert not any(s.is_placeholder for s in slide.shapes)


def test_text_boxes_write_insets_wrap_anchor_and_no_autofit(rendered):
    root = slide_xml(rendered, 1)
    bodies = root.xpath("//p:sp[p:nvSpPr/p:cNvSpPr/@txBox='1']/p:txBody/a:bodyPr", namespaces=NS)
    assert len(bodies) == 2
    for bodyPr in bodies:
        assert (bodyPr.get("lIns"), bodyPr.get("tIns"), bodyPr.get("rIns"), bodyPr.get("bIns")) == (
            "91440", "45720", "91440", "45720"
        )
        assert bodyPr.get("wrap") == "square"
        assert bodyPr.xpath("a:noAutofit", namespaces=NS)
    assert [b.get("anchor") for b in bodies] == ["b", "t"]
    assert b"normAutofit" not in etree.tostring(root) and b"spAutoFit" not in etree.tostring(root)


def test_every_paragraph_has_single_spacing_and_space_before_after_the_first(rendered):
    root = slide_xml(rendered, 1)
    paragraphs = root.xpath("//a:p", namespaces=NS)
    assert paragraphs
    for p in paragraphs:
        assert p.xpath("a:pPr/a:lnSpc/a:spcPct/@val", namespaces=NS) == ["100000"]
    body = root.xpath("//p:sp[.//p:cNvPr/@name='body']//a:p", namespaces=NS)
    assert [p.xpath("string(a:pPr/a:spcBef/a:spcPts/@val)", namespaces=NS) for p in body] == ["0", "600", "600"]


def test_bullets_hang_by_level(rendered):
    body = slide_xml(rendered, 1).xpath("//p:sp[.//p:cNvPr/@name='body']//a:pPr", namespaces=NS)
    assert [(p.get("marL"), p.get("indent")) for p in body] == [
        ("228600", "-228600"), ("457200", "-228600"), ("0", "0")
    ]
    assert [bool(p.xpath("a:buChar", namespaces=NS)) for p in body] == [True, True, False]
    assert body[0].xpath("a:buFont/@typeface", namespaces=NS) == ["Liberation Sans"]  # not OpenSymbol


def test_runs_carry_font_size_weight_and_colour(prs):
    body = shape_named(prs.slides[0], "body").text_frame.paragraphs
    fixed = body[0].runs[1]
    assert (fixed.text, fixed.font.bold, fixed.font.size, fixed.font.name) == ("fixed", True, Pt(18), "Liberation Sans")
    code = body[1].runs[1]
    assert (code.font.name, str(code.font.color.rgb)) == ("Liberation Mono", "C00000")  # via the colour map
    closing = body[2].runs[0]
    assert (closing.font.italic, str(closing.font.color.rgb)) == (True, "00FF00")
    assert str(body[0].runs[0].font.color.rgb) == "222222"
    assert str(shape_named(prs.slides[0], "body").fill.fore_color.rgb) == bullets_box().fill


def test_table_is_native_with_exact_grid_and_explicit_cell_styling(prs, rendered):
    box = table_box()
    frame = shape_named(prs.slides[0], "table")
    table = frame.table
    assert tuple(c.width for c in table.columns) == box.col_widths
    assert tuple(r.height for r in table.rows) == box.row_heights
    assert [table.cell(0, c).text for c in range(3)] == list(box.header)
    assert [table.cell(2, c).text for c in range(3)] == list(box.rows[1])
    header = table.cell(0, 0)
    assert str(header.fill.fore_color.rgb) == "1F3864"
    run = header.text_frame.paragraphs[0].runs[0]
    assert (run.font.bold, str(run.font.color.rgb), run.font.size) == (True, "FFFFFF", Pt(12))
    assert str(table.cell(2, 0).fill.fore_color.rgb) == "EEEEEE"  # second data row is banded
    highlighted = table.cell(1, 1).text_frame.paragraphs[0].runs[0]
    assert (highlighted.font.bold, str(highlighted.font.color.rgb)) == (True, "C00000")
    assert table.cell(1, 2).text_frame.paragraphs[0].runs[0].font.bold is False
    root = slide_xml(rendered, 1)
    assert root.xpath("string(//a:tableStyleId)", namespaces=NS) == "{2D5ABB26-0587-4C30-8999-92F81FD0307C}"
    margins = root.xpath("//a:tcPr", namespaces=NS)[0]
    assert [margins.get(k) for k in ("marL", "marR", "marT", "marB")] == ["50800", "50800", "25400", "25400"]
    assert root.xpath("//a:tc[2]//a:pPr/@algn", namespaces=NS)[0] == "r"


def test_drawing_is_a_group_of_native_shapes_with_explicit_colours(prs, rendered):
    group = shape_named(prs.slides[0], "diagram")
    members = list(group.shapes)
    assert len(members) == len(shapes_box().shapes)
    for member, spec in zip(members[:3], shapes_box().shapes[:3]):
        assert geometry(member) == spec.rect
    rect = members[0]
    assert (rect.name, str(rect.fill.fore_color.rgb), str(rect.line.color.rgb)) == ("box-a", "DDEEFF", "1F3864")
    assert rect.text_frame.text == "prefill"
    root = slide_xml(rendered, 1)
    assert not root.xpath("//p:style", namespaces=NS)  # nothing inherited from theme accents


def test_arrows_end_in_a_triangle_and_lines_keep_their_direction(prs, rendered):
    arrow, line = list(shape_named(prs.slides[0], "diagram").shapes)[3:]
    spec = shapes_box().shapes[4].rect
    assert (line.begin_x, line.begin_y, line.end_x, line.end_y) == (spec.x, spec.y, spec.x + spec.w, spec.y + spec.h)
    tails = slide_xml(rendered, 1).xpath("//p:cxnSp/p:spPr/a:ln/a:tailEnd/@type", namespaces=NS)
    assert tails == ["triangle"]  # the arrow only, not the plain line
    assert arrow.name == "flow" and str(arrow.line.color.rgb) == "444444"


def test_picture_is_embedded_with_alt_text(prs, rendered):
    picture = shape_named(prs.slides[0], "figure")
    assert picture.image.blob == png_bytes()
    assert slide_xml(rendered, 1).xpath("string(//p:pic//p:cNvPr/@descr)", namespaces=NS) == "heat map"


def test_notes_only_where_given_and_background_per_slide(prs):
    first, second = prs.slides
    assert first.notes_slide.notes_text_frame.text == "Say why pages are fixed size."
    assert not second.has_notes_slide
    assert str(first.background.fill.fore_color.rgb) == "FFFFFF"
    assert str(second.background.fill.fore_color.rgb) == "202020"


def test_document_properties_come_from_the_deck(prs, rendered):
    core = prs.core_properties
    assert (core.title, core.author, core.last_modified_by, core.revision) == ("KV deck", "tfeic tests", "tfeic tests", 1)
    assert core.created == core.modified == datetime.datetime(2024, 5, 1, 12, 0, 0)
    assert core.comments == "" and core.last_printed is None
    with zipfile.ZipFile(io.BytesIO(rendered)) as archive:
        assert b"python-pptx" not in archive.read("docProps/core.xml")


def test_created_time_must_be_iso(sample_deck):
    bad = PlacedDeck(sample_deck.width, sample_deck.height, sample_deck.slides, created="yesterday")
    with pytest.raises(SpecError) as err:
        render_deck(bad)
    assert "yesterday" in err.value.diagnostics[0].message and exit_code(err.value) == ExitCode.USAGE


def test_missing_image_is_a_source_error_at_the_directive(tmp_path, sample_deck):
    missing = PlacedImage("figure", Rect(0, 0, 12700, 12700), str(tmp_path / "absent.png"))
    origin = Pos("decks/x.yaml", 12, 5)
    slide = PlacedSlide(1, None, (title_box(), missing), "", "FFFFFF", origin=origin)
    with pytest.raises(SourceError) as err:
        render_deck(PlacedDeck(sample_deck.width, sample_deck.height, (slide,)))
    diagnostic = err.value.diagnostics[0]
    assert diagnostic.pos == origin and "absent.png" in diagnostic.message
