"""A theme taken from a company's own PowerPoint template (theme ``template:``), as pandoc's and
Quarto's ``reference-doc`` take one: the template's slide size, theme colours and fonts, and the
positions of its title and body placeholders become the theme's geometry, and render builds the deck
on the template's own masters and layouts.

Render reads the template (it alone knows the .pptx format) into ``TemplateFacts``; ``apply``
turns them into the theme's values:

- slide size: the template's ``p:sldSz``;
- margins: the box around the title placeholder (of the "Title Only" layout, else the master) and
  the body placeholder (of the "Title and Content" layout, else the master): the title placeholder's
  top and the body's bottom, the leftmost left and the rightmost right;
- layouts: every layout whose first row is all ``title`` gets the title placeholder's height as
  that row, and the gap between title and body becomes the grid's row gap;
- colours: ``text`` = dk1, ``background`` = lt1, ``accent``, ``accent2``, ``accent3``, ``series4``,
  ``series5`` = accent1 to accent5 (``a:clrScheme``, CT_ColorScheme in dml-main.xsd, tests/render/xsd);
- fonts: roles set in the body role's font use the template's minor (body) Latin font, the
  ``title``, ``cover_title`` and ``heading`` roles its major (heading) font. Each must be the
  ``family`` of one of the theme's fonts, whose files measure it; otherwise the build names the
  missing families (the proof would be worthless with another font's metrics).
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from ..core.diagnostics import Diagnostic, Pos, SpecError
from . import GridLayout, Theme

EMU_PER_PT = 12700
HEADING_ROLES = ("title", "cover_title", "heading")
COLOR_SLOTS = (("text", "dk1"), ("background", "lt1"), ("accent", "accent1"), ("accent2", "accent2"),
               ("accent3", "accent3"), ("series4", "accent4"), ("series5", "accent5"))

Box = tuple[int, int, int, int]  # x, y, w, h in EMU


@dataclass(frozen=True)
class TemplateFacts:
    """What render read from a template: sizes in EMU, colours as RRGGBB, font family names."""

    path: str
    width: int
    height: int
    title: Box
    body: Box
    colors: dict[str, str]  # clrScheme slot (dk1, lt1, accent1..6) -> RRGGBB
    major_font: str
    minor_font: str


def apply(theme: Theme, facts: TemplateFacts) -> Theme:
    """``theme`` with the template's geometry, colours and fonts (see the module docstring)."""
    fonts = _fonts(theme, facts)
    tx, ty, tw, th = (v / EMU_PER_PT for v in facts.title)
    bx, by, bw, bh = (v / EMU_PER_PT for v in facts.body)
    width, height = facts.width / EMU_PER_PT, facts.height / EMU_PER_PT
    layouts = {name: _with_title_row(layout, th) for name, layout in theme.layouts.items()}
    colors = dict(theme.colors)
    colors.update({name: f"#{facts.colors[slot]}" for name, slot in COLOR_SLOTS if slot in facts.colors})
    return replace(theme, width=width, height=height, margin_left=min(tx, bx), margin_top=ty,
                   margin_right=width - max(tx + tw, bx + bw), margin_bottom=height - (by + bh),
                   row_gap=max(by - (ty + th), 0.0), layouts=layouts, colors=colors, roles=fonts,
                   template=facts.path)


def _with_title_row(layout: GridLayout, height: float) -> GridLayout:
    if layout.areas and set(layout.areas[0]) == {"title"}:
        return replace(layout, rows=(f"{height:g}pt",) + layout.rows[1:])
    return layout


def _fonts(theme: Theme, facts: TemplateFacts):
    """The roles with their font keys pointing at the faces of the template's fonts."""
    by_family = {face.family: key for key, face in theme.fonts.items()}
    missing = [f"{family} ({what})" for family, what in ((facts.major_font, "headings"), (facts.minor_font, "body"))
               if family not in by_family]
    if missing:
        measured = ", ".join(sorted(by_family))
        raise SpecError(Diagnostic(
            f"template {facts.path} names fonts that theme '{theme.name}' cannot measure: {', '.join(dict.fromkeys(missing))}",
            Pos(theme.source or theme.name),
            f"add each to the theme's fonts: (family: the name, and the files to measure it, e.g. Carlito for "
            f"Calibri from fonts-crosextra-carlito); it measures {measured}"))
    body_font = theme.role("body").font
    roles = {}
    for name, role in theme.roles.items():
        if name in HEADING_ROLES:
            roles[name] = replace(role, font=by_family[facts.major_font])
        elif role.font == body_font:
            roles[name] = replace(role, font=by_family[facts.minor_font])
        else:
            roles[name] = role
    return roles
