"""Category labels proven for a renderer that draws every label (LibreOffice ignores tickLblSkip)
and wraps each to its category's width: crowded labels are thinned to empty strings in the data,
and the drawn ones are checked here with widths read from the font file."""

from __future__ import annotations

from tfeic.ir import ChartBlock, Series, Slide
from tfeic.layout import layout_slides
from tfeic.layout.charts import LINE_EM, PAD_EM
from tfeic.layout.placed import PlacedChart

from .conftest import make_theme
from .fontfiles import SANS_REGULAR, advance_em


def _chart(categories: list[str]) -> tuple[PlacedChart, dict]:
    block = ChartBlock("body", kind="bar", categories=tuple(categories),
                       series=(Series("v", tuple(float(i) for i in range(len(categories)))),), legend=False)
    placed, proof = layout_slides([Slide("Chart", "title-body", (block,))], make_theme())
    chart = next(b for b in placed[0].boxes if isinstance(b, PlacedChart))
    parts = {p.name: p for b in proof.slides[0].boxes for p in b.parts}
    return chart, parts


def test_crowded_labels_are_thinned_and_the_drawn_ones_never_touch():
    labels = [f"step {i}" for i in range(1, 61)]
    chart, _ = _chart(labels)
    drawn = [(i, t) for i, t in enumerate(chart.chart.categories) if t]
    assert 2 <= len(drawn) < len(labels) and all(t == labels[i] for i, t in drawn)
    assert chart.label_skip == 1  # no tickLblSkip: the thinning is in the data
    size, (_, _, w, _) = chart.style.size, chart.plot
    slot = w / len(labels)
    extents = []
    for i, text in drawn:
        width = advance_em(SANS_REGULAR, text) * size
        if width > slot:  # LibreOffice wraps it to the category's width (one character at least)
            width = max(slot, max(advance_em(SANS_REGULAR, c) for c in text) * size)
        centre = (i + 0.5) * slot
        extents.append((centre - width / 2, centre + width / 2))
    assert extents[0][0] >= 0 and extents[-1][1] <= w  # inside the axis
    assert all(b[0] - a[1] >= PAD_EM * size * 0.99 for a, b in zip(extents, extents[1:]))


def test_the_bottom_band_holds_every_line_a_wrapped_label_takes():
    """'step 10' is wider than its category: wrapped at the space it takes two lines."""
    chart, parts = _chart([f"step {i}" for i in range(1, 61)])
    size = chart.style.size
    assert advance_em(SANS_REGULAR, "step 10") * size > chart.plot[2] / 60
    pad, line = PAD_EM * size, LINE_EM * size
    assert parts["bottom band"].needed >= pad + 2 * line + pad
    assert parts["bottom band"].needed <= parts["bottom band"].available


def test_labels_that_fit_are_all_drawn():
    chart, parts = _chart(["prefill", "decode", "total"])
    assert chart.chart.categories == ("prefill", "decode", "total")
    assert parts["category label spacing"].needed <= parts["category label spacing"].available


def test_the_tallest_label_is_found_among_thousands():
    """Labels are visited by visible characters: a short-looking label with more of them counts."""
    from tfeic.layout.charts import _label_rows, label_lines
    from tfeic.layout.measure import Faces

    from .conftest import MONO, SANS

    faces = Faces(SANS, MONO)
    labels = ["a b c d e f g"] * 3000 + ["x y z w v u", "abcdefghij"]  # longest, then fewest visible
    expected = max(label_lines(t, faces, 14, 8.0) for t in set(labels))
    assert label_lines("abcdefghij", faces, 14, 8.0) == expected == _label_rows(labels, faces, 14, 8.0)
