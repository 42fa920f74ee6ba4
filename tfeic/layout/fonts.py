"""Text widths from the theme's real font files, shaped by HarfBuzz, in the font that draws them.

Why HarfBuzz: it matches LibreOffice's own layout within 0.54 % (reference/layout.md), where plain
advance widths are off by up to 6.8 %. LibreOffice always kerns and PowerPoint kerns only above a size
threshold, so the width a proof may rely on is ``max(kerned, unkerned)`` plus a 1 % safety margin:
with upper-bound widths greedy line filling can only over-count lines, never under-count them.

Why a chain of fonts: a renderer draws a character the theme's font lacks from another font (on
Linux, fontconfig's fallback: DejaVu Sans for Liberation Sans, DejaVu Sans Mono for Liberation Mono),
and those glyphs can be far wider than any budget a guess could set. So a text is measured against
a *chain* of font files (the face's own file, then its declared fallbacks, see
``theme.FontFace.chain``): it is cut into runs, each drawn by the first file whose character map
holds the run's characters, and every run is shaped by HarfBuzz in its own font (which also handles
right-to-left and joining scripts). A character no file of the chain holds would be drawn from a font
the proof never saw, or as a box: that is ``MissingGlyph``, a layout error naming the character.

Widths are measured once per (font file, text) in font units and scaled linearly by size, so trying
many sizes while shrinking costs arithmetic, not shaping.
"""

from __future__ import annotations

import os
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from ..core.diagnostics import Diagnostic, Pos, SpecError
from ..core.text import REPLACEMENT, XML_ILLEGAL

SAFETY = 1.01  # relative margin over HarfBuzz: its worst observed error against LibreOffice is 0.54 %

Chain = tuple[str, ...]  # font files in fallback order; a single file is a chain of one
MISSING_GLYPH_HINT = ("add a font that has it to the face's 'fallback' list in the theme (Debian: fonts-noto-core, "
                      "fonts-noto-cjk, fonts-noto-color-emoji), or leave the character out")


class MissingGlyph(Exception):
    """A character that no font of the chain holds; ``describe`` names it safely for a terminal."""

    def __init__(self, char: str, chain: Chain):
        self.char, self.chain = char, chain
        fonts = ", ".join(dict.fromkeys(os.path.basename(f) for f in chain))
        super().__init__(f"character {describe(char)} is in none of the fonts the theme measures it with ({fonts})")


def describe(char: str) -> str:
    """``U+05D0 (HEBREW LETTER ALEF)``: the code point and its name, never the raw character."""
    name = unicodedata.name(char, "")
    return f"U+{ord(char):04X}" + (f" ({name})" if name else "")


@dataclass(frozen=True)
class LoadedFont:
    """A shaped-ready HarfBuzz font at its native scale (one unit = 1/upem em) and its character map."""

    font: object  # uharfbuzz.Font
    upem: int
    cmap: frozenset[int]


@lru_cache(maxsize=None)
def load_font(font_file: str) -> LoadedFont:
    """Open a font file once per process. A missing or unreadable file is a theme error: measuring
    with anything else would invalidate every number in the proof."""
    import uharfbuzz as hb

    if not os.path.isfile(font_file):
        raise SpecError(Diagnostic(f"font file not found: {font_file}", Pos(font_file),
                                   hint="install the font package or fix the theme's font_dirs"))
    face = hb.Face(hb.Blob.from_file_path(font_file))
    if face.glyph_count == 0:
        raise SpecError(Diagnostic(f"not a usable font file: {font_file}", Pos(font_file)))
    return LoadedFont(hb.Font(face), face.upem, frozenset(face.unicodes))


def _invisible(char: str) -> bool:
    """Default-ignorable characters (format controls such as ZWJ, variation selectors): a renderer
    draws nothing for them, so no font needs a glyph (HarfBuzz gives them no advance)."""
    code = ord(char)
    return unicodedata.category(char) == "Cf" or 0xFE00 <= code <= 0xFE0F or 0xE0100 <= code <= 0xE01EF


@lru_cache(maxsize=None)
def _joins(char: str) -> bool:
    """A mark or an invisible character: it belongs to the character before it."""
    return unicodedata.category(char) in ("Mn", "Mc", "Me") or _invisible(char)


def _clusters(text: str) -> list[str]:
    """A base character with the marks and invisible characters that follow it: drawn by one font."""
    clusters: list[str] = []
    for char in text:
        if clusters and _joins(char):
            clusters[-1] += char
        else:
            clusters.append(char)
    return clusters


def font_runs(text: str, chain: Chain) -> list[tuple[str, str]]:
    """``text`` as (font file, run) pairs: each cluster in the first file of ``chain`` that holds all
    its visible characters, neighbours in one file joined. Raises ``MissingGlyph``."""
    if text and set(map(ord, text)) <= load_font(chain[0]).cmap:  # the common case: the face has every character
        return [(chain[0], text)]
    runs: list[tuple[str, str]] = []
    for cluster in _clusters(text):
        needed = {ord(c) for c in cluster if not _invisible(c)}
        font_file = next((f for f in chain if needed <= load_font(f).cmap), None)
        if font_file is None:
            anywhere = set().union(*(load_font(f).cmap for f in chain))
            raise MissingGlyph(next((c for c in cluster if ord(c) in needed - anywhere), cluster[0]), chain)
        if runs and runs[-1][0] == font_file:
            runs[-1] = (font_file, runs[-1][1] + cluster)
        else:
            runs.append((font_file, cluster))
    return runs


@lru_cache(maxsize=None)
def _advance_units(font_file: str, text: str, kerned: bool) -> int:
    """Shaped advance of ``text`` in font units, all of it drawn with ``font_file``."""
    import uharfbuzz as hb

    loaded = load_font(font_file)
    buf = hb.Buffer()
    buf.add_str(text)
    buf.guess_segment_properties()
    hb.shape(loaded.font, buf, {"kern": kerned})
    for info in buf.glyph_infos:
        if info.codepoint == 0:  # .notdef: shaping found no glyph where the character map promised one
            raise MissingGlyph(text[info.cluster], (font_file,))
    return sum(pos.x_advance for pos in buf.glyph_positions)


def text_width(text: str, font_file: str, size_pt: float, kerned: bool) -> float:
    """Width in points of ``text`` set in ``font_file`` alone at ``size_pt``, with or without kerning."""
    return _advance_units(font_file, text, kerned) * size_pt / load_font(font_file).upem


@lru_cache(maxsize=None)
def proof_em(text: str, chain: Chain | str) -> float:
    """Upper-bound width of ``text`` per point of font size, each run in the font of ``chain`` that
    draws it: the sum over runs of max(kerned, unkerned) x SAFETY / upem. Raises ``MissingGlyph``."""
    if isinstance(chain, str):
        chain = (chain,)
    text = XML_ILLEGAL.sub(REPLACEMENT, text)  # render writes these as U+FFFD: measure what is drawn
    return sum(max(_advance_units(f, run, True), _advance_units(f, run, False)) * SAFETY / load_font(f).upem
               for f, run in font_runs(text, chain))


@lru_cache(maxsize=None)
def widest_cluster_em(text: str, chain: Chain) -> float:
    """Upper-bound width per point of size of the widest character (with its marks) of ``text``:
    the most a renderer that breaks ``text`` between characters can leave empty at a line end.
    Memoised like ``proof_em``: decks repeat their words (~3% of laying out a 500-slide deck)."""
    chars = set(text)
    pieces = set(_clusters(text)) if any(map(_joins, chars)) else chars
    return max((proof_em(c, chain) for c in pieces), default=0.0)


def proof_width(text: str, chain: Chain | str, size_pt: float) -> float:
    """The width the proof uses for ``text`` at ``size_pt``, in points."""
    return proof_em(text, chain) * size_pt
