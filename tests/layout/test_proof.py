"""The proof value and ``check``, which re-verifies hand-made geometry without the engine."""

from __future__ import annotations

import json
import re

from tfeic.core.diagnostics import Pos
from tfeic.ir import Slide, TableBlock, TextBlock
from tfeic.layout import check, layout_slides
from tfeic.layout.placed import PlacedImage, PlacedSlide, PlacedText, Rect, TextStyle, emu

from .conftest import para

ORIGIN = Pos("decks/x.yaml", 12, 5)
STYLE = TextStyle("Arial", "Courier New", 20, "000000")


def box(name: str, x: float, y: float, w: float, h: float, text: str = "ok") -> PlacedText:
    return PlacedText(name, Rect(emu(x), emu(y), emu(w), emu(h)), (para(text),), STYLE)


def hand_made(*boxes) -> PlacedSlide:
    return PlacedSlide(3, "Hand made", tuple(boxes), "", "FFFFFF", ORIGIN)


def test_check_accepts_good_geometry(theme):
    assert check([hand_made(box("a", 36, 24, 400, 100), box("b", 436, 24, 400, 100))], theme) == []


def test_check_finds_an_overlap_with_its_size(theme):
    [d] = check([hand_made(box("a", 36, 24, 400, 100), box("b", 400, 100, 300, 100))], theme)
    assert d.pos == ORIGIN and d.message == 'slide 3 "Hand made": boxes a and b overlap by 36.0 x 24.0 pt'


def test_check_finds_a_box_past_the_margin(theme):
    [d] = check([hand_made(PlacedImage("logo", Rect(emu(900), emu(24), emu(40), emu(40)), "x.png"))], theme)
    assert d.message == 'slide 3 "Hand made", box logo: leaves the content box (slide minus margins) by 16.0 pt'


def test_check_remeasures_text_that_does_not_fit(theme):
    [d] = check([hand_made(box("body", 36, 24, 200, 40, "one two three four five six seven eight"))], theme)
    m = re.fullmatch(r'slide 3 "Hand made", box body: needs ([\d.]+) pt, has 40.0 pt at 20 pt', d.message)
    assert m and float(m.group(1)) >= 3.6 + 2 * 24 + 3.6  # at least two lines of 24 pt


def test_check_catches_table_sums_that_do_not_add_up(theme):
    placed, _ = layout_slides([Slide("T", "title-body", (TableBlock("body", rows=(("a", "b"),)),))], theme)
    table = placed[0].boxes[1]
    broken = table.__class__(**{**table.__dict__, "col_widths": (table.col_widths[0], table.col_widths[1] - 1)})
    [d] = check([PlacedSlide(1, "T", (placed[0].boxes[0], broken), "", "FFFFFF")], theme)
    assert "do not add up" in d.message


def test_proof_json_is_deterministic_and_complete(theme):
    slides = [Slide("One", "two-columns", (TextBlock("left", (para("hello"),)),
                                           TableBlock("right", header=("h",), rows=(("1",), ("2",)))), origin=ORIGIN)]
    first, second = (layout_slides(slides, theme)[1].to_json() for _ in range(2))
    assert first == second
    data = json.loads(first)
    assert list(data) == ["version", "theme", "ok", "slides"] and data["ok"] is True
    [s] = data["slides"]
    assert s["origin"] == "decks/x.yaml:12:5" and [b["name"] for b in s["boxes"]] == ["title", "left", "right"]
    assert len(s["pairs"]) == 3 and not any(p["overlap"] for p in s["pairs"])
    assert all(c["inside"] for c in s["inside"])
    left = s["boxes"][1]
    assert left["lines"] == 1 and left["font_size"] == 20
    assert left["slack"] == round(left["available"] - left["needed"], 2) and left["rect"][2] == 436.0
