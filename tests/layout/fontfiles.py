"""Independent width arithmetic for the layout tests: advance widths read with fontTools straight
from the font files (no shaping, no kerning), and HarfBuzz shaping written out here, so expected
widths never come from ``tfeic.layout.fonts``."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

LIBERATION = Path("/usr/share/fonts/truetype/liberation")
DEJAVU = Path("/usr/share/fonts/truetype/dejavu")
SANS_REGULAR = str(LIBERATION / "LiberationSans-Regular.ttf")
MONO_REGULAR = str(LIBERATION / "LiberationMono-Regular.ttf")
DEJAVU_SANS = str(DEJAVU / "DejaVuSans.ttf")


@lru_cache(maxsize=None)
def _metrics(path: str) -> tuple[dict[int, str], dict[str, tuple[int, int]], int]:
    from fontTools.ttLib import TTFont

    font = TTFont(path)
    return font.getBestCmap(), font["hmtx"].metrics, font["head"].unitsPerEm


def has(path: str, char: str) -> bool:
    return ord(char) in _metrics(path)[0]


def advance_em(path: str, text: str) -> float:
    """Sum of the characters' advance widths in em (what a renderer draws without kerning)."""
    cmap, hmtx, upem = _metrics(path)
    return sum(hmtx[cmap[ord(c)]][0] for c in text) / upem


def shaped_em(path: str, text: str, kern: bool, direction: str, script: str) -> float:
    """Advance in em of ``text`` shaped by HarfBuzz with an explicit direction and script."""
    import uharfbuzz as hb

    face = hb.Face(hb.Blob.from_file_path(path))
    buf = hb.Buffer()
    buf.add_str(text)
    buf.direction, buf.script = direction, script
    hb.shape(hb.Font(face), buf, {"kern": kern})
    return sum(p.x_advance for p in buf.glyph_positions) / face.upem
