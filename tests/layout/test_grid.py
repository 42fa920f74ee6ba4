"""Grid areas: the documented arithmetic, and non-overlap that survives EMU rounding."""

from __future__ import annotations

from itertools import combinations

import pytest

from tfeic.core.diagnostics import LayoutError
from tfeic.layout.grid import content_box, layout_areas
from tfeic.layout.placed import emu
from tfeic.theme import GridLayout

from .conftest import make_theme


def test_title_body_rows_stack_with_the_row_gap(theme):
    areas = layout_areas(theme, "title-body")
    assert areas["title"].as_points() == [36.0, 24.0, 888.0, 52.0]
    assert areas["body"].as_points() == [36.0, 24.0 + 52 + 12, 888.0, 540 - 24 - 24 - 52 - 12]


def test_columns_split_by_the_gutter(theme):
    areas = layout_areas(theme, "two-columns")
    left, right = areas["left"], areas["right"]
    assert right.x - left.right == emu(theme.gutter)
    assert left.w == right.w and areas["title"].w == content_box(theme).w


def test_awkward_numbers_never_overlap_after_rounding():
    theme = make_theme(columns=7, gutter=3.3, row_gap=0.7, margin_left=35.55, margin_top=20.01,
                       layouts={"odd": GridLayout((tuple("abcdefg"), tuple("hijklmn"), ("o",)), ("1fr", "2.7fr", "33.3pt"))})
    areas = layout_areas(theme, "odd")
    content = content_box(theme)
    assert len(areas) == 15
    for a, b in combinations(areas.values(), 2):
        assert not a.overlaps(b)
    assert all(content.contains(r) for r in areas.values())


@pytest.mark.parametrize("layout, message", [
    (GridLayout((("a", "b", "c", "d", "e"),), ("1fr",)), "does not divide 12 columns"),
    (GridLayout((("a", "b", "a"),), ("1fr",)), "area 'a' is not a rectangle"),
    (GridLayout((("a",), ("b",)), ("400pt", "200pt")), "rows need 612.0 pt, the content box has 492.0 pt"),
    (GridLayout((("a",),), ("12px",)), "row height '12px'"),
])
def test_broken_layouts_are_diagnosed_against_the_theme(layout, message):
    theme = make_theme(layouts={"bad": layout})
    with pytest.raises(LayoutError) as err:
        layout_areas(theme, "bad")
    diagnostic = err.value.diagnostics[0]
    assert message in diagnostic.message and diagnostic.pos.path == "themes/test.yaml"
