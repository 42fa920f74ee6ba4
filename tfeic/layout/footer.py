"""The footer band: the slide's bottom margin, holding what the theme's ``footer:`` asks for and the
provenance badge of a slide built from data that was not measured (``tfeic.core.provenance``).

The band spans the content box's width and the whole bottom margin; it is split like the 12-column
grid into a left part of 5 columns (logo, then footer text), a middle one of 5 (the badge, as wide as
its text, centred) and a right one of 2 (the slide number). Every footer box is then fitted and
proven like any other box: inside the band, overlapping nothing, its text fitting at the role's
size or shrunk to its minimum (a margin too small for the footer text is a layout failure).

A slide number is drawn by render as a native slide-number field, which PowerPoint and LibreOffice
recompute; layout proves its box with ``NUMBER_BOUND`` (five digits: Arial and its twins draw every
digit equally wide), so any number a deck reaches fits.
"""

from __future__ import annotations

from ..core.provenance import badge
from ..ir import Block, ImageBlock, Paragraph, Span, TextBlock
from ..theme import Theme
from .measure import Faces, natural_width, words_of
from .placed import Rect, emu

NUMBER_BOUND = "88888"
SLIDE_NUMBER = "slide_number"  # the mark of the slide-number box (``PlacedText.placeholder``)
LEFT, MIDDLE = 5 / 12, 10 / 12  # where the middle and right parts start, as fractions of the band


def footer_band(theme: Theme) -> Rect:
    """The bottom margin under the content box: where footer boxes must lie."""
    top = theme.height - theme.margin_bottom
    return Rect(emu(theme.margin_left), emu(top), emu(theme.width - theme.margin_right) - emu(theme.margin_left),
                emu(theme.height) - emu(top))


def footer_blocks(theme: Theme, modes: tuple[str, ...]) -> list[tuple[Block, Rect, str]]:
    """The footer's blocks of a slide whose data has ``modes``, each with its rectangle and its mark
    ("" or ``SLIDE_NUMBER``); none when the theme asks for nothing and the data needs no badge."""
    footer, band = theme.footer, footer_band(theme)
    gap = emu(theme.gutter) // 2
    left_end, middle_end = band.x + round(band.w * LEFT), band.x + round(band.w * MIDDLE)
    role = theme.footer_role
    blocks: list[tuple[Block, Rect, str]] = []
    text_x = band.x
    if footer.logo:
        width_px, height_px = footer.logo_px
        width = min(band.h * width_px // max(height_px, 1), left_end - gap - band.x)
        blocks.append((ImageBlock(area="footer", path=footer.logo, width_px=width_px, height_px=height_px,
                                  alt="logo", name="footer logo"), Rect(band.x, band.y, width, band.h), ""))
        text_x = band.x + width + 2 * gap
    if footer.text and text_x < left_end - gap:
        blocks.append((_line(footer.text, role, "footer text", "left"), Rect(text_x, band.y, left_end - gap - text_x, band.h), ""))
    words = badge(modes)
    if words:
        block = _line(words, role, "provenance", "center", footer.badge_text, footer.badge_fill)
        zone = Rect(left_end + gap, band.y, middle_end - gap - (left_end + gap), band.h)
        width = min(zone.w, _natural(block, theme))
        blocks.append((block, Rect(zone.x + (zone.w - width) // 2, band.y, width, band.h), ""))
    if footer.slide_numbers:
        blocks.append((_line(NUMBER_BOUND, role, "slide number", "right"),
                       Rect(middle_end + gap, band.y, band.x + band.w - (middle_end + gap), band.h), SLIDE_NUMBER))
    return blocks


def _line(text: str, role: str, name: str, align: str, color: str | None = None, fill: str | None = None) -> TextBlock:
    return TextBlock(area="footer", paragraphs=(Paragraph((Span(text),)),), role=role, align=align, anchor="middle",
                     color=color, fill=fill, name=name)


def _natural(block: TextBlock, theme: Theme) -> int:
    """The width (EMU) of a one-line block at its role's size, insets included, rounded up a point."""
    role = theme.role(block.role)
    face = theme.fonts.get(role.font)
    if face is None:  # the fit reports the missing font
        return emu(theme.width)
    faces = Faces(face, theme.fonts.get("mono", face), role.bold, role.italic)
    width = natural_width(words_of(block.paragraphs[0], faces)) * role.size
    return emu(width + theme.inset_left + theme.inset_right + 1.0)
