"""Render speed: tfeic's render_deck against a plain python-pptx script drawing the same shapes.

Each slide has a title, four bullets, a 6x4 table (header + 5 rows) and speaker notes. Prints
seconds per build and two ratios with their targets:

- render500 / plain500 <= 1.0: render writes its XML as strings, with every text property
  explicit and byte-stable zipping, and still costs less than python-pptx's object model;
- render500 / render50 <= 12: render grows (close to) linearly with the slide count.

Run from the repository root: python3 -m benchmarks.bench_render [--repeat N]
"""

from __future__ import annotations

import argparse
import io
import time

from tfeic.ir import Paragraph, Span
from tfeic.layout.placed import PlacedDeck, PlacedSlide, PlacedTable, PlacedText, Rect, TextStyle, emu
from tfeic.render import render_deck

SIZES = (50, 500)
TITLE = TextStyle("Liberation Sans", "Liberation Mono", 32, "111111", bold=True)
BODY = TextStyle("Liberation Sans", "Liberation Mono", 18, "222222")
CELL = TextStyle("Liberation Sans", "Liberation Mono", 12, "222222")
TITLE_RECT = Rect(emu(36), emu(28), emu(888), emu(50))
BODY_RECT = Rect(emu(36), emu(90), emu(420), emu(400))
TABLE_RECT = Rect(emu(480), emu(90), emu(444), emu(6 * 28))
COLUMNS, ROWS = 4, 5  # + header = 6 rows x 4 columns


def slide_content(i: int) -> tuple[str, list[str], list[str], list[list[str]], str]:
    """Title, bullets, table header, table rows, notes of slide ``i``."""
    bullets = [f"Point {k} of slide {i}: pages are fixed size" for k in range(4)]
    header = [f"col {c}" for c in range(COLUMNS)]
    rows = [[f"{i * r + c}.5" for c in range(COLUMNS)] for r in range(ROWS)]
    return f"Slide {i}", bullets, header, rows, f"Notes for slide {i}."


def placed_deck(n: int) -> PlacedDeck:
    slides = []
    for i in range(1, n + 1):
        title, bullets, header, rows, notes = slide_content(i)
        widths = (TABLE_RECT.w // COLUMNS,) * (COLUMNS - 1)
        widths += (TABLE_RECT.w - sum(widths),)
        boxes = (
            PlacedText("title", TITLE_RECT, (Paragraph((Span(title),)),), TITLE),
            PlacedText("body", BODY_RECT, tuple(Paragraph((Span(b),), bullet=True) for b in bullets), BODY,
                       paragraph_space=6.0),
            PlacedTable("table", TABLE_RECT, tuple(header), tuple(tuple(r) for r in rows), widths,
                        (emu(28),) * (ROWS + 1), CELL, ("left",) + ("right",) * (COLUMNS - 1), frozenset({(0, 1)}),
                        (emu(4), emu(2), emu(4), emu(2)), "1F3864", "FFFFFF", "EEEEEE", "C00000"),
        )
        slides.append(PlacedSlide(i, title, boxes, notes, "FFFFFF"))
    return PlacedDeck(emu(960), emu(540), tuple(slides), title="bench", author="bench", created="2024-01-01T00:00:00Z")


def plain_pptx(n: int) -> bytes:
    """The same shapes through python-pptx's public API alone, as a script would write them."""
    from pptx import Presentation
    from pptx.dml.color import RGBColor
    from pptx.util import Pt

    def style_run(run, style: TextStyle) -> None:
        run.font.size = Pt(style.size)
        run.font.name = style.family
        run.font.bold = style.bold
        run.font.color.rgb = RGBColor.from_string(style.color)

    prs = Presentation()
    prs.slide_width, prs.slide_height = emu(960), emu(540)
    layout = prs.slide_layouts[6]
    for i in range(1, n + 1):
        title, bullets, header, rows, notes = slide_content(i)
        slide = prs.slides.add_slide(layout)
        r = TITLE_RECT
        run = slide.shapes.add_textbox(r.x, r.y, r.w, r.h).text_frame.paragraphs[0].add_run()
        run.text = title
        style_run(run, TITLE)
        r = BODY_RECT
        frame = slide.shapes.add_textbox(r.x, r.y, r.w, r.h).text_frame
        frame.word_wrap = True
        for k, text in enumerate(bullets):
            paragraph = frame.paragraphs[0] if k == 0 else frame.add_paragraph()
            run = paragraph.add_run()
            run.text = text
            style_run(run, BODY)
        r = TABLE_RECT
        table = slide.shapes.add_table(ROWS + 1, COLUMNS, r.x, r.y, r.w, r.h).table
        for row, values in enumerate([header] + rows):
            for col, text in enumerate(values):
                run = table.cell(row, col).text_frame.paragraphs[0].add_run()
                run.text = text
                style_run(run, CELL)
        slide.notes_slide.notes_text_frame.text = notes
    out = io.BytesIO()
    prs.save(out)
    return out.getvalue()


def best_time(build, repeat: int) -> float:
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        build()
        best = min(best, time.perf_counter() - start)
    return best


def compare(label: str, build, repeat: int) -> None:
    """Time ``build(n)`` next to ``plain_pptx(n)`` for every size in one run; print the times and the
    two ratios with their targets (no more than the plain script; linear growth)."""
    ours, plain = {}, {}
    for n in SIZES:
        ours[n] = best_time(lambda: build(n), repeat)
        plain[n] = best_time(lambda: plain_pptx(n), repeat)
        print(f"{n:4d} slides: {label} {ours[n]:7.3f} s   plain python-pptx {plain[n]:7.3f} s")
    small, large = SIZES
    print(f"{label}{large}/plain{large}  = {ours[large] / plain[large]:.2f}  (target <= 1.0)")
    print(f"{label}{large}/{label}{small} = {ours[large] / ours[small]:.2f}  (target <= 12)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=1, help="builds per measurement; the best counts")
    args = parser.parse_args()
    decks = {n: placed_deck(n) for n in SIZES}
    compare("render", lambda n: render_deck(decks[n]), args.repeat)


if __name__ == "__main__":
    main()
