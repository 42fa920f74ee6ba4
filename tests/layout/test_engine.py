"""The engine: shrinking, pagination, images, shapes, and diagnostics with positions and numbers."""

from __future__ import annotations

import re

import pytest

from tfeic.core.diagnostics import LayoutError, Pos
from tfeic.ir import ImageBlock, Paragraph, Shape, ShapesBlock, Slide, Span, TableBlock, TextBlock
from tfeic.layout import check, layout_slides
from tfeic.layout.grid import layout_areas
from tfeic.layout.measure import Faces, Spacing, measure_text
from tfeic.layout.placed import EMU_PER_PT, PlacedTable, PlacedText

from .conftest import MONO, SANS, para

ORIGIN = Pos("decks/x.yaml", 41, 7)
WORDS = "tokens flow through the paged KV cache while the scheduler batches requests"


def slide(*blocks, title="KV pages", layout="title-body") -> Slide:
    return Slide(title, layout, tuple(blocks), origin=ORIGIN)


def failures(slides, theme) -> list:
    with pytest.raises(LayoutError) as err:
        layout_slides(slides, theme)
    return err.value.diagnostics


def test_shrink_picks_the_largest_size_that_fits(theme):
    text = tuple(para(WORDS) for _ in range(16))
    placed, proof = layout_slides([slide(TextBlock("body", text))], theme)
    body = placed[0].boxes[1]
    assert isinstance(body, PlacedText) and 12 <= body.style.size < 20
    width, height = body.rect.w / EMU_PER_PT, body.rect.h / EMU_PER_PT
    spacing = Spacing.from_theme(theme)
    assert measure_text(text, Faces(SANS, MONO), body.style.size, width, spacing).height <= height
    assert measure_text(text, Faces(SANS, MONO), body.style.size + 0.5, width, spacing).height > height
    assert proof.slides[0].boxes[1].font_size == body.style.size and proof.ok


def test_bullets_paginate_at_the_preferred_size_onto_cont_slides(theme):
    bullets = tuple(para(f"{i}: {WORDS}", bullet=True) for i in range(30))
    other = slide(TextBlock("body", bullets, paginate="paragraphs"))
    placed, proof = layout_slides([other, slide(title="Next")], theme)
    pages, last = placed[:-1], placed[-1]
    assert len(pages) > 2 and last.title == "Next" and last.index == len(placed)
    assert [p.title for p in pages] == ["KV pages"] + ["KV pages (cont.)"] * (len(pages) - 1)
    bodies = [p.boxes[1] for p in pages]
    assert {b.style.size for b in bodies} == {20}
    assert tuple(q for b in bodies for q in b.paragraphs) == bullets  # whole paragraphs, in order
    assert proof.ok and check(placed, theme) == []


def test_lines_pagination_splits_inside_a_paragraph(theme):
    transcript = (Paragraph((Span(" ".join([WORDS] * 30)),)),)
    placed, _ = layout_slides([slide(TextBlock("body", transcript, paginate="lines", shrink=False))], theme)
    parts = [p.boxes[1].paragraphs[0].text for p in placed]
    assert len(parts) >= 2 and " ".join(parts) == transcript[0].text
    assert check(placed, theme) == []


def test_tables_paginate_with_the_header_repeated(theme):
    rows = tuple((f"request {i}", f"{i * 1.5:.1f} ms", "decode") for i in range(80))
    table = TableBlock("body", header=("request", "latency", "phase"), rows=rows, highlight=frozenset({(79, 1)}))
    placed, proof = layout_slides([slide(table)], theme)
    tables = [p.boxes[1] for p in placed]
    assert len(tables) > 1 and all(isinstance(t, PlacedTable) for t in tables)
    assert all(t.header == ("request", "latency", "phase") for t in tables)
    assert tuple(r for t in tables for r in t.rows) == rows
    assert tables[-1].highlight == {(len(tables[-1].rows) - 1, 1)}
    assert placed[1].title == "KV pages (cont.)" and tables[0].style.size == 14
    assert all(sum(t.row_heights) == t.rect.h and sum(t.col_widths) == t.rect.w for t in tables)
    assert check(placed, theme) == [] and proof.ok


def test_table_columns_follow_content_or_weights(theme):
    rows = (("a", "a much longer cell of text"),)
    natural = layout_slides([slide(TableBlock("body", rows=rows))], theme)[0][0].boxes[1]
    weighted = layout_slides([slide(TableBlock("body", rows=rows, col_weights=(1, 1)))], theme)[0][0].boxes[1]
    assert natural.col_widths[0] < natural.col_widths[1]
    assert abs(weighted.col_widths[0] - weighted.col_widths[1]) <= 1


def test_overflowing_text_is_a_tex_style_diagnostic(theme):
    text = tuple(para(WORDS) for _ in range(40))
    [d] = failures([slide(TextBlock("body", text))], theme)
    assert d.pos == ORIGIN
    m = re.fullmatch(r'slide 1 "KV pages", box body: needs ([\d.]+) pt, has ([\d.]+) pt '
                     r'\(overfull by ([\d.]+) pt\) at the 12 pt minimum', d.message)
    assert m, d.message
    needs, has, over = map(float, m.groups())
    body = layout_areas(theme, "title-body")["body"]
    assert has == round(body.h / EMU_PER_PT, 1) and needs > has and abs(needs - has - over) < 0.11


def test_a_too_long_word_names_the_word_and_the_widths(theme):
    word = "Supercalifragilisticexpialidocious" * 3
    [d] = failures([slide(TextBlock("left", (para(word),)), TextBlock("right", (para("ok"),)), layout="two-columns")],
                   theme)
    left = layout_areas(theme, "two-columns")["left"]
    box = left.w / EMU_PER_PT - 14.4
    assert d.pos == ORIGIN and d.message.startswith(f"slide 1 \"KV pages\", box left: word '{word}' is ")
    assert f"the box has {box:.1f} pt at the 12 pt minimum" in d.message


def test_two_blocks_in_one_area_overlap(theme):
    [d] = failures([slide(TextBlock("body", (para("one"),), name="first"),
                          TextBlock("body", (para("two"),), name="second"))], theme)
    body = layout_areas(theme, "title-body")["body"]
    assert d.pos == ORIGIN
    assert d.message == (f'slide 1 "KV pages": boxes first and second overlap by '
                         f'{body.w / EMU_PER_PT:.1f} x {body.h / EMU_PER_PT:.1f} pt')


def test_every_failure_of_every_slide_is_reported(theme):
    diagnostics = failures([slide(TextBlock("nowhere", (para("x"),))), slide(title="fine"),
                            Slide("Odd", "no-such-layout", (), origin=ORIGIN)], theme)
    assert [d.message for d in diagnostics] == [
        "slide 1 \"KV pages\", box nowhere: layout 'title-body' has no area 'nowhere' (areas: body, title)",
        "slide 3 \"Odd\": theme 'test' has no layout 'no-such-layout' "
        "(layouts: cover, three-columns, title-body, two-columns)",
    ]


def test_images_fit_centred_with_their_aspect(theme):
    placed, _ = layout_slides([slide(ImageBlock("body", path="x.png", width_px=1000, height_px=1000))], theme)
    image, body = placed[0].boxes[1], layout_areas(theme, "title-body")["body"]
    assert image.rect.w == image.rect.h == body.h
    assert abs((image.rect.x - body.x) - (body.right - image.rect.right)) <= 1


def test_shapes_map_fractions_and_shrink_their_text(theme):
    shapes = (Shape("rect", 0.0, 0.0, 0.5, 0.5, text=(para("K plane"),)),
              Shape("arrow", 1.0, 1.0, -1.0, -1.0, name="back"))
    placed, proof = layout_slides([slide(ShapesBlock("body", shapes, aspect=2.0, name="diagram"))], theme)
    drawing = placed[0].boxes[1]
    assert drawing.rect.w == 2 * drawing.rect.h
    rect, arrow = drawing.shapes[0].rect, drawing.shapes[1].rect
    assert (rect.x, rect.y, rect.w) == (drawing.rect.x, drawing.rect.y, drawing.rect.w // 2)
    assert (arrow.x, arrow.w) == (drawing.rect.right, -drawing.rect.w)
    assert drawing.shapes[0].style.size == 12 and proof.slides[0].boxes[1].parts[0].lines == 1


def test_a_shape_text_that_cannot_fit_names_the_shape(theme):
    tiny = Shape("rect", 0.0, 0.0, 0.02, 0.02, text=(para("far too much text for this"),), name="kv block")
    [d] = failures([slide(ShapesBlock("body", (tiny,), name="diagram"))], theme)
    assert d.message.startswith("slide 1 \"KV pages\", box diagram, shape 'kv block': ")
    assert d.message.endswith("at the 8 pt minimum")


def test_500_slides_with_bullets_and_a_table_lay_out_and_prove(theme):
    """Speed is measured by benchmarks/bench_build (whole processes against a baseline), not here."""
    bullets = tuple(para(f"point {i}: {WORDS}", bullet=True) for i in range(4))
    rows = tuple((f"r{i}", "12.5 ms", "prefill and decode", f"{i}") for i in range(5))
    slides = [Slide(f"Slide {i}", "two-columns", (TextBlock("left", bullets),
                                                  TableBlock("right", header=("a", "b", "c", "d"), rows=rows)))
              for i in range(500)]
    placed, proof = layout_slides(slides, theme)
    assert len(placed) == 500 and proof.ok


def test_a_role_whose_font_the_theme_lacks_is_a_failure_not_a_crash(theme):
    from dataclasses import replace

    from tfeic.theme import TextRole

    odd = replace(theme, roles={**theme.roles, "quote": TextRole("serif", 18)})
    [d] = failures([slide(TextBlock("body", (para("x"),), role="quote"))], odd)
    assert d.message == "slide 1 \"KV pages\", box body: text role 'quote' uses font 'serif', which the theme does not define"
