"""Raw DrawingML tweaks that python-pptx has no API for, or gets wrong for a proven layout.

Kept in one small module (as python-pptx keeps its XML in ``pptx.oxml``) so the rest of render
speaks in shapes and text, not elements. Why each tweak exists:

- python-pptx drops an inset, anchor or margin attribute whose value equals the schema default, and
  a renderer then inherits whatever its master says; the proof assumed exact values, so write them.
- autoshapes and connectors carry a ``p:style`` that pulls fill, line and font colour from the
  theme; every colour here is explicit, so the theme reference is removed.
- tables get python-pptx's "Medium Style 2" id, whose borders and band fills fight ours.
"""

from __future__ import annotations

import functools

from lxml import etree
from pptx.oxml.ns import qn as _qn

# PowerPoint's built-in "No Style, No Grid": every fill and colour comes from the cells themselves.
NO_STYLE_TABLE_ID = "{2D5ABB26-0587-4C30-8999-92F81FD0307C}"

ANCHORS = {"top": "t", "middle": "ctr", "bottom": "b"}
ALIGNMENTS = {"left": "l", "center": "ctr", "right": "r", "justify": "just"}

# Clark names of prefixed tags, memoised: render writes a few hundred thousand elements per deck.
qn = functools.lru_cache(maxsize=None)(_qn)


def sub(parent: etree._Element, tag: str, **attrs: str) -> etree._Element:
    """Append a child ``tag`` (``a:p`` style prefix) with ``attrs`` in the order given."""
    return etree.SubElement(parent, qn(tag), attrs)


def solid_fill(parent: etree._Element, rgb: str) -> etree._Element:
    """Append ``<a:solidFill><a:srgbClr val=rgb/></a:solidFill>``."""
    fill = sub(parent, "a:solidFill")
    sub(fill, "a:srgbClr", val=rgb.upper())
    return fill


def body_properties(
    bodyPr: etree._Element, insets: tuple[int, int, int, int], anchor: str
) -> None:
    """Make ``bodyPr`` exactly what the proof assumed: square wrap, explicit insets and anchor,
    ``noAutofit`` (never ``normAutofit``/``spAutoFit``: renderers disagree on both)."""
    bodyPr.attrib.clear()
    for child in list(bodyPr):
        bodyPr.remove(child)
    left, top, right, bottom = insets
    bodyPr.set("wrap", "square")
    bodyPr.set("lIns", str(left))
    bodyPr.set("tIns", str(top))
    bodyPr.set("rIns", str(right))
    bodyPr.set("bIns", str(bottom))
    bodyPr.set("anchor", ANCHORS[anchor])
    bodyPr.set("rtlCol", "0")
    sub(bodyPr, "a:noAutofit")


def set_alt_text(shape: etree._Element, text: str) -> None:
    """The alternative text of a picture, graphic frame or shape: its ``p:cNvPr`` ``descr`` (what
    PowerPoint's "Edit Alt Text" writes and screen readers read)."""
    shape.find(f".//{qn('p:cNvPr')}").set("descr", text)


# a field's id is a GUID naming it in the document; one fixed value keeps the bytes stable
SLIDE_NUMBER_FIELD_ID = "{B6F15528-21DE-4FAA-801E-634DDDAF4B2B}"


def slide_number_field(txBody: etree._Element) -> None:
    """Turn the first run of ``txBody`` into a slide-number field, ``<a:fld id=".." type="slidenum">``
    with the same ``a:rPr`` and ``a:t`` (CT_TextField; python-pptx's template writes its slide-number
    placeholders' text this way, ppt/slideLayouts/slideLayout6.xml)."""
    run = txBody.find(f"{qn('a:p')}/{qn('a:r')}")
    run.tag = qn("a:fld")
    run.set("id", SLIDE_NUMBER_FIELD_ID)
    run.set("type", "slidenum")


def drop_child(element: etree._Element, tag: str) -> None:
    """Remove ``element``'s child ``tag`` if present: ``p:style`` (so nothing comes from the theme's
    accent colours) or ``p:txBody`` (a shape without text has no text settings to make explicit)."""
    child = element.find(qn(tag))
    if child is not None:
        element.remove(child)


def shape_fill_and_line(spPr: etree._Element, fill: str | None, line: str | None, width: int) -> None:
    """Write an explicit fill (or ``noFill``) and line (or no line) into ``spPr``.

    ``spPr`` children must follow the schema order xfrm, geometry, fill, ln; python-pptx leaves
    only the first two (plus ``noFill`` on text boxes), so drop any fill and append ours.
    """
    for tag in ("a:noFill", "a:solidFill", "a:ln"):
        for old in spPr.findall(qn(tag)):
            spPr.remove(old)
    if fill:
        solid_fill(spPr, fill)
    else:
        sub(spPr, "a:noFill")
    ln = sub(spPr, "a:ln", w=str(width))
    if line:
        solid_fill(ln, line)
    else:
        sub(ln, "a:noFill")


def arrow_head(ln: etree._Element) -> None:
    """Append ``<a:tailEnd type="triangle"/>`` to a line: the arrow points at the end point."""
    sub(ln, "a:tailEnd", type="triangle")


def plain_table(tbl: etree._Element, header: bool, banded: bool) -> None:
    """Point the table at the no-style style; the flags only tell an editor what the rows mean."""
    tblPr = tbl.find(qn("a:tblPr"))
    tblPr.attrib.clear()
    if header:
        tblPr.set("firstRow", "1")
    if banded:
        tblPr.set("bandRow", "1")
    tblPr.find(qn("a:tableStyleId")).text = NO_STYLE_TABLE_ID


def cell_properties(
    tcPr: etree._Element, insets: tuple[int, int, int, int], anchor: str, fill: str | None
) -> None:
    """Explicit cell margins and anchor (python-pptx drops default-valued margins) and a fill."""
    left, top, right, bottom = insets
    tcPr.set("marL", str(left))
    tcPr.set("marR", str(right))
    tcPr.set("marT", str(top))
    tcPr.set("marB", str(bottom))
    tcPr.set("anchor", ANCHORS[anchor])
    if fill:
        solid_fill(tcPr, fill)

