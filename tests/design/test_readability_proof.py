"""The proof covers readability (issue 17): each run against its role's floor and for WCAG AA
contrast on what it is drawn on, as a layout failure at the slide's YAML position (exit 4); text
tfeic colours itself is made readable; text and tables grow to their role's maximum."""

from __future__ import annotations

import textwrap

from tfeic.ir import Paragraph, Shape, ShapesBlock, Slide, Span, TextBlock
from tfeic.layout import check, layout_slides
from tfeic.layout.placed import PlacedShapes, PlacedSlide, PlacedText, Rect, TextStyle, emu
from tfeic.theme.load import load_theme

from .test_theme_scale import wcag_ratio

LIGHT = load_theme("light", ".")


def _deck(tmp_path, slides: str, theme: str | None = None):
    if theme:
        (tmp_path / "mine.yaml").write_text(textwrap.dedent(theme))
    head = "title: t\ndate: '2024-05-01'\n" + ("theme: mine.yaml\n" if theme else "")
    (tmp_path / "deck.yaml").write_text(head + "slides:\n" + textwrap.indent(textwrap.dedent(slides), "  "))
    return str(tmp_path / "deck.yaml")


SPECULATION = """\
- kind: speculation
  title: Prompt lookup
  prompt: "the cat sat on the mat. the cat sat"
  output: "the cat sat on the mat again"
"""


def test_a_span_colour_under_aa_fails_the_build_at_the_slides_line(cli, tmp_path):
    """A theme whose accent is a pale green (fine as a fill) draws the accepted tokens of a
    speculation slide in it: 1.4:1 on white, a proof failure at the slide, no output written."""
    deck = _deck(tmp_path, SPECULATION, """\
        name: mine
        extends: light
        colors:
          accent: "#C8F0A0"
        """)
    out = tmp_path / "o.pptx"
    result = cli("build", deck, "-o", str(out), "--no-cache")
    ratio = wcag_ratio("#C8F0A0", "#FFFFFF")
    assert result.code == 4 and not out.exists(), result.err
    # line 5, column 5: the slide's "kind" (after title, date, theme and "slides:")
    assert 'deck.yaml:5:5: error: slide 1 "Prompt lookup", box text: text "accepted draft" (#C8F0A0 on #FFFFFF' in result.err
    assert f"has contrast {ratio:.2f}:1, WCAG AA needs 3:1" in result.err and len(result.err.splitlines()) == 3


def test_the_same_slide_builds_in_the_shipped_theme(cli, tmp_path):
    assert cli("build", _deck(tmp_path, SPECULATION), "-o", str(tmp_path / "o.pptx"), "--no-cache").code == 0


def _placed(box, background="FFFFFF") -> PlacedSlide:
    return PlacedSlide(1, "t", (box,), "", background)


def test_check_finds_a_run_under_its_floor_and_one_under_aa():
    small = TextStyle("Arial", "Courier New", 10, "1B2430", role="caption")  # 10 pt: under the 12 pt label floor
    pale = TextStyle("Arial", "Courier New", 20, "DDDDDD", role="body")  # 1.36:1 on white
    rect = Rect(emu(36), emu(100), emu(400), emu(200))
    text = (Paragraph((Span("tiny words"),)),)
    [floor] = check([_placed(PlacedText("a", rect, text, small))], LIGHT)
    assert 'box a: text "tiny words" at 10 pt is under the 12 pt floor of \'label\' text' in floor.message
    [low] = check([_placed(PlacedText("b", rect, text, pale))], LIGHT)
    assert f"has contrast {wcag_ratio('#DDDDDD', '#FFFFFF'):.2f}:1, WCAG AA needs 3:1" in low.message
    # the same pale text on a dark fill is fine: the ground is the box's fill, not the slide
    assert check([_placed(PlacedText("c", rect, text, pale, fill="1B2430"))], LIGHT) == []


def test_a_label_on_a_tile_is_judged_on_the_tile_and_drawn_readable():
    """A caption (muted grey, 5.8:1 on white) on a blue tile is 1.5:1: layout draws it in white or
    black, whichever contrasts more with the tile, and the independent check agrees."""
    tile = "#2F80ED"
    shapes = (Shape("rect", 0.0, 0.0, 0.5, 0.5, fill=tile, text=(Paragraph((Span("t0"),)),)),
              Shape("rect", 0.5, 0.0, 0.5, 0.5, text=(Paragraph((Span("t1"),)),)))
    placed, proof = layout_slides([Slide("tiles", "title-body", (ShapesBlock("body", shapes=shapes),))], LIGHT)
    [box] = [b for b in placed[0].boxes if isinstance(b, PlacedShapes)]
    on_tile, on_slide = box.shapes
    white, black = wcag_ratio("#FFFFFF", tile), wcag_ratio("#000000", tile)
    assert on_tile.style is not None and on_tile.style.color == ("FFFFFF" if white >= black else "000000")
    assert on_slide.style is not None and on_slide.style.color == LIGHT.color("muted")  # readable as it is
    assert proof.ok and check(placed, LIGHT) == []


def test_short_body_text_grows_to_the_roles_maximum_and_long_text_stays_in_range():
    short = TextBlock("body", (Paragraph((Span("One line."),)),))
    words = " ".join(["readable"] * 400)
    long = TextBlock("body", (Paragraph((Span(words),)),), paginate="lines")
    placed, proof = layout_slides([Slide("a", "title-body", (short,)), Slide("b", "title-body", (long,))], LIGHT)
    bodies = [b for s in placed for b in s.boxes if isinstance(b, PlacedText) and b.name != "title"]
    body = LIGHT.roles["body"]
    assert body.max_size == 28 and bodies[0].style.size == 28  # grown from its preferred 20 pt
    assert all(body.min_size <= b.style.size <= body.size for b in bodies[1:])  # long text paginates at <= 20 pt
    assert proof.ok
