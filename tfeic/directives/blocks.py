"""Block builders shared by the core directives and ``columns``.

Each builder turns one kind of block content from a deck (bullets, text, table, image) into an IR
block for a named area, and each comes with the JSON Schema of that content, so a ``bullets`` slide
and a bullets column accept exactly the same thing.
"""

from __future__ import annotations

from typing import Any

from ..core.diagnostics import Diagnostic, Pos, SourceError
from ..ir import ImageBlock, Paragraph, TableBlock, TextBlock
from .inline import paragraphs, parse_inline

MAX_BULLET_DEPTH = 4


def _bullet_items_schema(depth: int) -> dict:
    """Bullet items, nested up to MAX_BULLET_DEPTH levels (written out rather than a recursive
    ``$ref`` so every directive's schema fragment stands alone)."""
    item: list[dict] = [{"type": ["string", "number"]}]
    if depth < MAX_BULLET_DEPTH:
        children = _bullet_items_schema(depth + 1)
        item.append(children)
        item.append(
            {
                "type": "object",
                "properties": {"text": {"type": ["string", "number"]}, "items": children},
                "required": ["text"],
                "additionalProperties": False,
            }
        )
    return {"type": "array", "minItems": 1, "items": {"anyOf": item}}


BULLETS_SCHEMA = {
    **_bullet_items_schema(1),
    "description": "Bullet items: a string (inline **bold**, *italic*, `code`), a list of sub-items "
    "(children of the item before it), or {text, items}.",
}

TEXT_SCHEMA = {"type": "string", "description": "Text with inline **bold**, *italic*, `code`; blank lines separate paragraphs."}

ALIGN = {"enum": ["left", "center", "right"]}
TABLE_PROPERTIES = {
    "header": {"type": "array", "items": {"type": ["string", "number"]}, "description": "Column headings."},
    "rows": {
        "type": "array",
        "items": {"type": "array", "items": {"type": ["string", "number", "boolean", "null"]}},
        "description": "Rows of cells; numbers are written as given.",
    },
    "align": {"type": "array", "items": ALIGN, "description": "Alignment per column."},
    "widths": {"type": "array", "items": {"type": "number", "exclusiveMinimum": 0}, "description": "Relative column widths."},
    "highlight": {
        "type": "array",
        "items": {"type": "array", "items": {"type": "integer", "minimum": 0}, "minItems": 2, "maxItems": 2},
        "description": "[row, column] cells (0-based, rows without the header) to emphasise.",
    },
}
TABLE_SCHEMA = {"type": "object", "properties": TABLE_PROPERTIES, "required": ["rows"], "additionalProperties": False}

IMAGE_PROPERTIES = {
    "path": {"type": "string", "description": "PNG or JPEG file, relative to the deck."},
    "alt": {"type": "string", "description": "Alternative text written into the .pptx (what a screen reader says); default: the caption (or the column heading), else the slide title, else the file name."},
}


def bullets_block(items: list, area: str, paginate: bool = True) -> TextBlock:
    return TextBlock(area=area, paragraphs=tuple(_bullet_paragraphs(items, 0)), paginate="paragraphs" if paginate else "none")


def _bullet_paragraphs(items: list, level: int):
    for item in items:
        if isinstance(item, list):
            yield from _bullet_paragraphs(item, level + 1)
        elif isinstance(item, dict):
            yield Paragraph(parse_inline(str(item["text"])), level=level, bullet=True)
            yield from _bullet_paragraphs(item.get("items", []), level + 1)
        else:
            yield Paragraph(parse_inline(str(item)), level=level, bullet=True)


def text_block(text: str, area: str, role: str = "body", paginate: bool = True, **style: Any) -> TextBlock:
    return TextBlock(area=area, paragraphs=paragraphs(text), role=role, paginate="lines" if paginate else "none", **style)


def cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    return str(value)


def table_block(options: dict, area: str, paginate: bool = True) -> TableBlock:
    header = options.get("header")
    rows = tuple(tuple(cell_text(c) for c in row) for row in options["rows"])
    return TableBlock(
        area=area,
        header=tuple(cell_text(h) for h in header) if header else None,
        rows=rows,
        col_align=tuple(options["align"]) if options.get("align") else None,
        col_weights=tuple(float(w) for w in options["widths"]) if options.get("widths") else None,
        highlight=frozenset((int(r), int(c)) for r, c in options.get("highlight", [])),
        paginate=paginate,
    )


def image_block(path: str, area: str, alt: str, pos: Pos | None, max_pixels: int) -> ImageBlock:
    """Reads only the image header (Pillow is lazy) so layout can keep the aspect ratio. A picture
    of more than ``max_pixels`` (the deck's ``limits.image_pixels``) is refused: a small file can
    declare a huge canvas (a decompression bomb) that any later decoder would have to allocate."""
    import warnings

    from PIL import Image, UnidentifiedImageError

    too_big = Diagnostic(f"image {path} has more than {max_pixels} pixels (limits.image_pixels)", pos,
                         hint="scale it down, or raise limits.image_pixels")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)  # the limit below decides
            with Image.open(path) as im:
                width, height = im.size
                kind = im.format
    except Image.DecompressionBombError:  # beyond twice Pillow's own limit, refused while opening
        raise SourceError(too_big) from None
    except (OSError, UnidentifiedImageError) as e:
        raise SourceError(Diagnostic(f"cannot read image {path}: {e}", pos)) from None
    if width * height > max_pixels:
        raise SourceError(too_big)
    if kind not in ("PNG", "JPEG", "GIF", "BMP"):
        raise SourceError(Diagnostic(f"image {path} is {kind}; use PNG or JPEG", pos))
    return ImageBlock(area=area, path=path, width_px=width, height_px=height, alt=alt)
