"""The baseline of ``bench_build``: a plain python-pptx script, as a user would write it, drawing the
benchmark's slides through python-pptx's public API alone (no notes: their parts would charge the
script for python-pptx's quadratic part naming, its issue 644, which is not what is compared).

Standalone on purpose (it imports python-pptx and nothing of tfeic or the benchmarks), so that a
whole process of it costs what such a script costs:

    python benchmarks/plain_script.py N out.pptx           # title, six bullets, a 5x4 table per slide
    python benchmarks/plain_script.py N out.pptx --chart   # title and a native bar chart per slide

``content`` and ``chart_series`` are also what ``bench_build`` writes the tfeic deck and the pandoc
markdown from, so all three draw the same text and numbers.
"""

from __future__ import annotations

import sys

BULLETS = 6
COLUMNS = 4
ROWS = 4  # + the header row = a 5x4 table
CATEGORIES = ("alpha", "beta", "gamma", "delta", "epsilon")


def content(i: int) -> tuple[str, list[str], list[str], list[list[str]]]:
    """Title, bullets, table header and table rows of slide ``i`` (1-based)."""
    bullets = [f"Point {k} of slide {i}: pages are fixed size" for k in range(1, BULLETS + 1)]
    header = [f"col {c}" for c in range(COLUMNS)]
    rows = [[f"{i * r + c}.5" for c in range(COLUMNS)] for r in range(1, ROWS + 1)]
    return f"Slide {i}", bullets, header, rows


def chart_series(i: int) -> list[float]:
    """The bar heights of slide ``i``'s chart, one per category."""
    return [float((i * 7 + k * 3) % 11 + 1) for k in range(len(CATEGORIES))]


def main(n: int, out: str, chart: bool) -> None:
    from pptx import Presentation
    from pptx.chart.data import CategoryChartData
    from pptx.enum.chart import XL_CHART_TYPE
    from pptx.util import Emu, Pt

    prs = Presentation()
    prs.slide_width, prs.slide_height = Emu(12192000), Emu(6858000)
    layout = prs.slide_layouts[6]  # blank
    for i in range(1, n + 1):
        title, bullets, header, rows = content(i)
        slide = prs.slides.add_slide(layout)
        run = slide.shapes.add_textbox(Emu(457200), Emu(355600), Emu(11277600), Emu(635000)).text_frame.paragraphs[0].add_run()
        run.text = title
        run.font.size, run.font.bold = Pt(32), True
        if chart:
            data = CategoryChartData()
            data.categories = CATEGORIES
            data.add_series("value", chart_series(i))
            slide.shapes.add_chart(XL_CHART_TYPE.COLUMN_CLUSTERED, Emu(457200), Emu(1143000), Emu(11277600),
                                   Emu(5080000), data)
            continue
        frame = slide.shapes.add_textbox(Emu(457200), Emu(1143000), Emu(5334000), Emu(5080000)).text_frame
        frame.word_wrap = True
        for k, text in enumerate(bullets):
            paragraph = frame.paragraphs[0] if k == 0 else frame.add_paragraph()
            paragraph.text = text
            paragraph.font.size = Pt(18)
        table = slide.shapes.add_table(ROWS + 1, COLUMNS, Emu(6096000), Emu(1143000), Emu(5638800), Emu(1778000)).table
        for row, values in enumerate([header, *rows]):
            for col, text in enumerate(values):
                table.cell(row, col).text = text
    prs.save(out)


if __name__ == "__main__":
    main(int(sys.argv[1]), sys.argv[2], "--chart" in sys.argv[3:])
