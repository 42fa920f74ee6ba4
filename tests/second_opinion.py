"""An independent second opinion on a built deck: what does LibreOffice actually draw?

tfeic proves its layout with its own font measurements. A proof checked only by the code that made
it can share that code's mistakes, so this checker shares nothing with ``tfeic.layout``: it reads
the .pptx XML directly (zip + ElementTree), has LibreOffice render the deck to PDF, and reads every
glyph's position back with PyMuPDF. It then reports, as plain values:

- ``overflow``: a non-space glyph outside its shape's inset rectangle (beyond a tolerance). Text
  that does not fit a ``noAutofit`` box is drawn outside it, so its glyphs land outside the insets.
- ``overlap``: two top-level shapes whose rectangles intersect. Shapes named ``drawing:...`` are
  parts of one drawing and may overlap each other by design; they are left out of this check.
- ``off-slide``: a top-level shape that reaches past the slide edge.
- ``autofit``: ``normAutofit``/``spAutoFit`` in the XML (PowerPoint and LibreOffice disagree on
  both, so a proven deck never asks for them).
- ``font``: a font in the PDF that is neither a typeface the deck names nor its metric-compatible
  twin (DejaVu appearing means LibreOffice fell back because a font is missing). A fallback font
  (``FALLBACK_FAMILIES``) is fine for a character that none of the deck's installed fonts has:
  there it is how every renderer draws the character, and what the layout must have measured.
- ``chart-text``: two glyphs of a chart's own text (axis labels, titles, legend) drawn on top of
  each other, e.g. category labels that collide because the renderer draws every one of them.
- ``unmatched-text``: drawn text that belongs to no shape and lies in no shape.
- ``unplaced``: a shape without its own position (a placeholder inheriting one).
- ``pages``: page count or page size differs from the slide count or slide size.

Glyphs are assigned to shapes by their text, not by where they are, because overflowing text is by
definition where it should not be: a run of glyphs belongs to the shape whose text contains it, and
when several do, to the nearest of them.

Everything here is measured in points; 1 pt = 12700 EMU.
"""

from __future__ import annotations

import functools
import os
import shutil
import subprocess
import tempfile
import unicodedata
import zipfile
from dataclasses import dataclass, field
from itertools import combinations
from pathlib import Path
from xml.etree import ElementTree as ET

EMU_PER_PT = 12700
TOLERANCE_PT = 0.5
# Text-frame insets when bodyPr leaves them out (ECMA-376 defaults), in EMU.
DEFAULT_INSETS_EMU = {"lIns": 91440, "tIns": 45720, "rIns": 91440, "bIns": 45720}
# Table-cell margins when tcPr leaves them out, in EMU.
DEFAULT_CELL_MARGINS_EMU = {"marL": 91440, "marT": 45720, "marR": 91440, "marB": 45720}
# Fonts a deck may name and the metric-compatible fonts LibreOffice draws them with on Linux.
METRIC_TWINS = {
    "arial": "liberationsans",
    "helvetica": "liberationsans",
    "timesnewroman": "liberationserif",
    "couriernew": "liberationmono",
    "calibri": "carlito",
    "cambria": "caladea",
}
DRAWING_PREFIX = "drawing:"
# Families fontconfig falls back to on Debian for characters the named font lacks.
FALLBACK_FAMILIES = frozenset({"dejavusans", "dejavusansmono"})
# Two chart glyphs collide when they overlap by more than this share of a glyph's height across
# (kerning pulls neighbours together by far less) and by more than the tolerance vertically.
COLLISION_EM = 0.1
# Glyphs further apart than this (in em) on one PDF line start a new run; see _runs().
RUN_GAP_EM = 0.5

NS = {
    "a": "http://schemas.openxmlformats.org/drawingml/2006/main",
    "p": "http://schemas.openxmlformats.org/presentationml/2006/main",
    "r": "http://schemas.openxmlformats.org/officeDocument/2006/relationships",
    "rel": "http://schemas.openxmlformats.org/package/2006/relationships",
}
CHART_URI = "http://schemas.openxmlformats.org/drawingml/2006/chart"


class SecondOpinionError(RuntimeError):
    """The check could not run (no LibreOffice, conversion failed): not a finding about the deck."""


@dataclass(frozen=True)
class Rect:
    """An axis-aligned rectangle in points, (x0, y0) top-left."""

    x0: float
    y0: float
    x1: float
    y1: float

    def shrunk(self, left: float, top: float, right: float, bottom: float) -> "Rect":
        return Rect(self.x0 + left, self.y0 + top, self.x1 - right, self.y1 - bottom)

    def overlap_size(self, other: "Rect") -> tuple[float, float]:
        """Width and height of the intersection (negative when apart)."""
        return (min(self.x1, other.x1) - max(self.x0, other.x0), min(self.y1, other.y1) - max(self.y0, other.y0))

    def distance(self, other: "Rect") -> float:
        """Gap between the two rectangles; 0 when they touch or intersect."""
        dx = max(0.0, max(self.x0, other.x0) - min(self.x1, other.x1))
        dy = max(0.0, max(self.y0, other.y0) - min(self.y1, other.y1))
        return (dx * dx + dy * dy) ** 0.5

    def excess(self, inner: "Rect") -> dict[str, float]:
        """How far ``inner`` reaches past each edge of this rectangle (0 where it stays inside)."""
        return {
            "left": max(0.0, self.x0 - inner.x0),
            "top": max(0.0, self.y0 - inner.y0),
            "right": max(0.0, inner.x1 - self.x1),
            "bottom": max(0.0, inner.y1 - self.y1),
        }

    def rounded(self) -> list[float]:
        return [round(v, 2) for v in (self.x0, self.y0, self.x1, self.y1)]


@dataclass
class Problem:
    """One finding. ``slide`` is 1-based (0 for the whole deck); ``other`` names the second shape
    of an overlap; ``numbers`` carries the measurements behind the message, in points."""

    slide: int
    shape: str
    kind: str
    message: str
    other: str = ""
    numbers: dict[str, float] = field(default_factory=dict)

    def __str__(self) -> str:
        where = f"slide {self.slide}" if self.slide else "deck"
        who = f" {self.shape!r}" + (f" & {self.other!r}" if self.other else "") if self.shape else ""
        return f"{where}{who}: {self.kind}: {self.message}"


# --- reading the .pptx ----------------------------------------------------------------------------


@dataclass(frozen=True)
class TextFrame:
    """A place text is laid out in: a text shape or one table cell. ``match_text`` is what
    LibreOffice will draw there (bullets included), without whitespace and case-folded."""

    name: str
    outer: Rect
    inner: Rect
    match_text: str


@dataclass(frozen=True)
class SlideXml:
    number: int
    top_level: tuple[tuple[str, Rect], ...]
    frames: tuple[TextFrame, ...]
    charts: tuple[tuple[str, Rect], ...]
    autofit: tuple[tuple[str, str], ...]
    unplaced: tuple[str, ...]


@dataclass(frozen=True)
class DeckXml:
    width: float
    height: float
    slides: tuple[SlideXml, ...]
    typefaces: frozenset[str]


@dataclass(frozen=True)
class _Transform:
    """Maps a group's child coordinates (EMU) to slide points; groups nest, so transforms compose."""

    dx: float = 0.0
    dy: float = 0.0
    sx: float = 1.0 / EMU_PER_PT
    sy: float = 1.0 / EMU_PER_PT

    def rect(self, x: int, y: int, cx: int, cy: int) -> Rect:
        return Rect(self.dx + x * self.sx, self.dy + y * self.sy, self.dx + (x + cx) * self.sx, self.dy + (y + cy) * self.sy)

    def into_group(self, xfrm: ET.Element) -> "_Transform":
        off, ext = _xy(xfrm, "a:off", "x", "y"), _xy(xfrm, "a:ext", "cx", "cy")
        ch_off, ch_ext = _xy(xfrm, "a:chOff", "x", "y"), _xy(xfrm, "a:chExt", "cx", "cy")
        kx = ext[0] / ch_ext[0] if ch_ext[0] else 1.0
        ky = ext[1] / ch_ext[1] if ch_ext[1] else 1.0
        return _Transform(
            dx=self.dx + (off[0] - ch_off[0] * kx) * self.sx,
            dy=self.dy + (off[1] - ch_off[1] * ky) * self.sy,
            sx=self.sx * kx,
            sy=self.sy * ky,
        )


def _xy(parent: ET.Element, tag: str, a: str, b: str) -> tuple[int, int]:
    el = parent.find(tag, NS)
    return (0, 0) if el is None else (int(el.get(a, "0")), int(el.get(b, "0")))


def _normalized(text: str) -> str:
    """The comparison form of text: NFKC (ligatures split), case-folded, whitespace removed."""
    return "".join(unicodedata.normalize("NFKC", text).casefold().split())


def _shape_name(el: ET.Element) -> str:
    c_nv_pr = el.find("./*/p:cNvPr", NS)
    return "" if c_nv_pr is None else c_nv_pr.get("name", "")


def _xfrm(el: ET.Element) -> ET.Element | None:
    for path in ("./p:spPr/a:xfrm", "./p:grpSpPr/a:xfrm", "./p:xfrm"):
        found = el.find(path, NS)
        if found is not None:
            return found
    return None


def _frame_rect(el: ET.Element, t: _Transform) -> Rect | None:
    xfrm = _xfrm(el)
    if xfrm is None:
        return None
    (x, y), (cx, cy) = _xy(xfrm, "a:off", "x", "y"), _xy(xfrm, "a:ext", "cx", "cy")
    return t.rect(x, y, cx, cy)


def _tx_body_text(tx_body: ET.Element) -> str:
    """The text a txBody draws: each paragraph's bullet character, then its runs and fields."""
    parts = []
    for p in tx_body.findall("a:p", NS):
        bullet = p.find("a:pPr/a:buChar", NS)
        if bullet is not None and p.find("a:r", NS) is not None:
            parts.append(bullet.get("char", ""))
        parts.extend(t.text or "" for t in p.iter(f"{{{NS['a']}}}t"))
    return _normalized("".join(parts))


def _insets(el: ET.Element | None, defaults: dict[str, int]) -> tuple[float, ...]:
    """(left, top, right, bottom) in points; ``defaults`` name the attributes in that order."""
    get = (lambda k: defaults[k]) if el is None else (lambda k: int(el.get(k, defaults[k])))
    return tuple(get(k) / EMU_PER_PT for k in defaults)


def _table_frames(name: str, frame: Rect, tbl: ET.Element, t: _Transform) -> list[TextFrame]:
    """One TextFrame per drawn cell, at the position its declared grid gives it. A row that
    LibreOffice has to grow pushes its text (and the rows below) out of these rectangles."""
    col_x = [0]
    for col in tbl.findall("a:tblGrid/a:gridCol", NS):
        col_x.append(col_x[-1] + int(col.get("w", "0")))
    rows = tbl.findall("a:tr", NS)
    row_y = [0]
    for row in rows:
        row_y.append(row_y[-1] + int(row.get("h", "0")))
    origin = (frame.x0, frame.y0)
    frames = []
    for r, row in enumerate(rows):
        for c, tc in enumerate(row.findall("a:tc", NS)):
            if tc.get("hMerge") == "1" or tc.get("vMerge") == "1":
                continue
            c_end = min(c + int(tc.get("gridSpan", "1")), len(col_x) - 1)
            r_end = min(r + int(tc.get("rowSpan", "1")), len(row_y) - 1)
            outer = Rect(
                origin[0] + col_x[c] * t.sx,
                origin[1] + row_y[r] * t.sy,
                origin[0] + col_x[c_end] * t.sx,
                origin[1] + row_y[r_end] * t.sy,
            )
            body = tc.find("a:txBody", NS)
            inner = outer.shrunk(*_insets(tc.find("a:tcPr", NS), DEFAULT_CELL_MARGINS_EMU))
            text = "" if body is None else _tx_body_text(body)
            frames.append(TextFrame(f"{name}[r{r + 1},c{c + 1}]", outer, inner, text))
    return frames


def _walk(container: ET.Element, t: _Transform, out: dict[str, list], top_level: bool) -> None:
    """Collect text frames, charts and autofit requests from a shape tree, descending into groups."""
    for el in container:
        kind = el.tag.rsplit("}", 1)[-1]
        if kind not in ("sp", "pic", "graphicFrame", "grpSp", "cxnSp"):
            continue
        name, rect = _shape_name(el), _frame_rect(el, t)
        if rect is None:
            out["unplaced"].append(name)
            continue
        if top_level and kind != "cxnSp":
            out["top_level"].append((name, rect))
        if kind == "grpSp":
            _walk(el, t.into_group(el.find("p:grpSpPr/a:xfrm", NS)), out, top_level=False)
        for body_pr in () if kind == "grpSp" else el.iter(f"{{{NS['a']}}}bodyPr"):
            for fit in ("normAutofit", "spAutoFit"):
                if body_pr.find(f"a:{fit}", NS) is not None:
                    out["autofit"].append((name, fit))
        tx_body = el.find("p:txBody", NS)
        if kind == "sp" and tx_body is not None:
            inner = rect.shrunk(*_insets(tx_body.find("a:bodyPr", NS), DEFAULT_INSETS_EMU))
            out["frames"].append(TextFrame(name, rect, inner, _tx_body_text(tx_body)))
        graphic = el.find("a:graphic/a:graphicData", NS)
        if graphic is not None:
            tbl = graphic.find("a:tbl", NS)
            if tbl is not None:
                out["frames"].extend(_table_frames(name, rect, tbl, t))
            elif graphic.get("uri") == CHART_URI:
                out["charts"].append((name, rect))


def read_pptx(path: Path) -> DeckXml:
    """Read slide size, slides in presentation order, and every typeface the deck names."""
    with zipfile.ZipFile(path) as z:
        pres = ET.fromstring(z.read("ppt/presentation.xml"))
        rels = ET.fromstring(z.read("ppt/_rels/presentation.xml.rels"))
        targets = {rel.get("Id"): rel.get("Target") for rel in rels.findall("rel:Relationship", NS)}
        size = pres.find("p:sldSz", NS)
        slides, typefaces = [], set()
        for number, sld_id in enumerate(pres.findall("p:sldIdLst/p:sldId", NS), start=1):
            target = targets[sld_id.get(f"{{{NS['r']}}}id")].lstrip("/")
            root = ET.fromstring(z.read(target if target.startswith("ppt/") else f"ppt/{target}"))
            out: dict[str, list] = {"top_level": [], "frames": [], "charts": [], "autofit": [], "unplaced": []}
            _walk(root.find("p:cSld/p:spTree", NS), _Transform(), out, top_level=True)
            slides.append(SlideXml(number, *(tuple(out[k]) for k in ("top_level", "frames", "charts", "autofit", "unplaced"))))
            typefaces |= _typefaces(root)
        for theme in (n for n in z.namelist() if n.startswith("ppt/theme/") and n.endswith(".xml")):
            typefaces |= _typefaces(ET.fromstring(z.read(theme)))
    return DeckXml(int(size.get("cx")) / EMU_PER_PT, int(size.get("cy")) / EMU_PER_PT, tuple(slides), frozenset(typefaces))


def _typefaces(root: ET.Element) -> set[str]:
    """Concrete Latin typefaces and bullet fonts (theme references like ``+mn-lt`` are skipped)."""
    names = set()
    for tag in ("latin", "buFont"):
        for el in root.iter(f"{{{NS['a']}}}{tag}"):
            face = el.get("typeface", "")
            if face and not face.startswith("+"):
                names.add(face)
    return names


# --- rendering with LibreOffice -----------------------------------------------------------------


def soffice_path() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


def convert_to_pdf(pptx: Path, outdir: Path, timeout_s: float = 180) -> Path:
    """Render ``pptx`` to ``outdir/<stem>.pdf`` with a private LibreOffice profile, so a running
    LibreOffice (or another test process) cannot share, lock or leak settings into this one."""
    soffice = soffice_path()
    if soffice is None:
        raise SecondOpinionError("LibreOffice (soffice) is not installed; run scripts/setup.sh --test")
    profile = Path(tempfile.mkdtemp(prefix=f"tfeic-lo-{os.getpid()}-"))
    try:
        cmd = [
            soffice,
            f"-env:UserInstallation={profile.as_uri()}",
            "--headless",
            "--norestore",
            "--convert-to",
            "pdf",
            "--outdir",
            str(outdir),
            str(pptx),
        ]
        try:
            done = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout_s)
        except subprocess.TimeoutExpired as e:
            raise SecondOpinionError(f"soffice took more than {timeout_s:g} s converting {pptx}") from e
    finally:
        shutil.rmtree(profile, ignore_errors=True)
    pdf = outdir / f"{pptx.stem}.pdf"
    if done.returncode != 0 or not pdf.exists():
        raise SecondOpinionError(f"soffice failed on {pptx} (exit {done.returncode}): {done.stderr.strip()}")
    return pdf


# --- reading glyphs back from the PDF -------------------------------------------------------------


@dataclass(frozen=True)
class Glyph:
    char: str
    box: Rect
    font: str


def _page_glyphs(page) -> list[list[Glyph]]:
    """Every non-space glyph of the page as runs (see ``_runs``), including glyphs off the page:
    PyMuPDF drops those unless the mediabox-clip flag is off *and* the clip is infinite."""
    import pymupdf

    flags = pymupdf.TEXTFLAGS_RAWDICT & ~pymupdf.TEXT_MEDIABOX_CLIP & ~pymupdf.TEXT_PRESERVE_LIGATURES
    raw = page.get_text("rawdict", flags=flags, clip=pymupdf.INFINITE_RECT())
    runs = []
    for block in raw["blocks"]:
        for line in block.get("lines", ()):
            glyphs = [
                Glyph(ch["c"], Rect(*ch["bbox"]), span["font"])
                for span in line["spans"]
                for ch in span["chars"]
                if not ch["c"].isspace()
            ]
            runs.extend(_runs(glyphs))
    return runs


def _runs(glyphs: list[Glyph]) -> list[list[Glyph]]:
    """Split one PDF line where neighbouring glyphs are more than RUN_GAP_EM apart. PyMuPDF may
    join text of side-by-side shapes (table cells) into one line; a gap that wide is never inside
    a word, and an over-eager split costs nothing because each part still matches its shape."""
    runs: list[list[Glyph]] = []
    for g in glyphs:
        height = g.box.y1 - g.box.y0
        if runs and g.box.x0 - runs[-1][-1].box.x1 <= RUN_GAP_EM * height:
            runs[-1].append(g)
        else:
            runs.append([g])
    return runs


def _bounds(glyphs: list[Glyph]) -> Rect:
    return Rect(
        min(g.box.x0 for g in glyphs), min(g.box.y0 for g in glyphs), max(g.box.x1 for g in glyphs), max(g.box.y1 for g in glyphs)
    )


def _owner(run: list[Glyph], frames: tuple[TextFrame, ...]) -> TextFrame | None:
    """The frame whose text contains this run, nearest first; None when no frame's text does."""
    text = _normalized("".join(g.char for g in run))
    candidates = [f for f in frames if text and text in f.match_text]
    if not candidates:
        return None
    box = _bounds(run)
    return min(candidates, key=lambda f: (f.inner.distance(box), -max(0.0, min(f.inner.overlap_size(box)))))


def _inside(box: Rect, holder: Rect, tol: float) -> bool:
    return max(holder.excess(box).values()) <= tol


def _assign(runs: list[list[Glyph]], slide: SlideXml, tol: float) -> tuple[dict[TextFrame, list[Glyph]], list[Glyph]]:
    """Glyphs per frame (keyed by frame: names need not be unique), and the glyphs no frame's text
    explains. A run that matches nothing whole (two shapes' text fused into one PDF line) is
    retried glyph by glyph. A run inside a chart is the chart's own (axis labels, values) unless
    it also lies in the frame it matched."""
    owned: dict[TextFrame, list[Glyph]] = {}
    unmatched: list[Glyph] = []
    for run in runs:
        whole = _owner(run, slide.frames)
        pieces = [(run, whole)] if whole is not None else [([g], _owner([g], slide.frames)) for g in run]
        for piece, owner in pieces:
            box = _bounds(piece)
            in_chart = any(_inside(box, rect, tol) for _, rect in slide.charts)
            if owner is not None and not (in_chart and not _inside(box, owner.inner, tol)):
                owned.setdefault(owner, []).extend(piece)
            elif not in_chart:
                unmatched.extend(piece)
    return owned, unmatched


# --- the checks -----------------------------------------------------------------------------------


def _overflow_problems(slide: SlideXml, owned: dict[TextFrame, list[Glyph]], tol: float) -> list[Problem]:
    problems = []
    for frame in slide.frames:
        worst = {"left": 0.0, "top": 0.0, "right": 0.0, "bottom": 0.0}
        outside = []
        for g in owned.get(frame, ()):
            excess = frame.inner.excess(g.box)
            if max(excess.values()) > tol:
                outside.append(g.char)
                worst = {side: max(worst[side], excess[side]) for side in worst}
        if outside:
            side = max(worst, key=worst.get)
            sample = "".join(outside)[:40]
            problems.append(
                Problem(
                    slide.number,
                    frame.name,
                    "overflow",
                    f"{len(outside)} glyphs outside the inset rectangle {frame.inner.rounded()}, "
                    f"up to {worst[side]:.1f} pt past the {side} edge ({sample!r})",
                    numbers={"glyphs": len(outside), **{k: round(v, 2) for k, v in worst.items()}},
                )
            )
    return problems


def _unmatched_problems(slide: SlideXml, unmatched: list[Glyph], tol: float) -> list[Problem]:
    """Glyphs no shape's text explains are fine only inside some text frame."""
    stray = [g for g in unmatched if not any(_inside(g.box, f.inner, tol) for f in slide.frames)]
    if not stray:
        return []
    box = _bounds(stray)
    text = "".join(g.char for g in stray)[:40]
    return [
        Problem(
            slide.number,
            "",
            "unmatched-text",
            f"{len(stray)} glyphs belong to no shape and lie in none: {text!r} within {box.rounded()}",
            numbers={"glyphs": len(stray)},
        )
    ]


def _font_problems(slide_number: int, owned: dict[TextFrame, list[Glyph]], allowed: frozenset[str],
                   covered: frozenset[int]) -> list[Problem]:
    """A glyph in a font the deck does not name is a problem, unless the font is a system fallback
    and no installed font the deck names has the character (``covered``)."""
    problems = []
    for frame, glyphs in owned.items():
        fallback_ok = {g.font for g in glyphs if _font_family(g.font) in FALLBACK_FAMILIES}
        fallback_ok -= {g.font for g in glyphs if ord(g.char[0]) in covered}
        for font in sorted({g.font for g in glyphs} - fallback_ok):
            family = _font_family(font)
            if family not in allowed:
                hint = " (DejaVu is LibreOffice's fallback: a named font is missing)" if "dejavu" in family else ""
                message = f"drawn with {font}, which the deck does not ask for{hint}"
                problems.append(Problem(slide_number, frame.name, "font", message))
    return problems


def _chart_text_problems(slide: SlideXml, runs: list[list[Glyph]], tol: float) -> list[Problem]:
    """Glyphs inside a chart frame that overlap glyphs of other text (not their neighbour in a word)."""
    problems = []
    for name, rect in slide.charts:
        glyphs = [(r, i, g) for r, run in enumerate(runs) for i, g in enumerate(run) if _inside(g.box, rect, tol)]
        hits = []
        for (ra, ia, a), (rb, ib, b) in combinations(glyphs, 2):
            w, h = a.box.overlap_size(b.box)
            if h > tol and w > max(tol, COLLISION_EM * (a.box.y1 - a.box.y0)):
                hits.append((a.char, b.char, w))
        if hits:
            sample = " ".join(f"{a}/{b}" for a, b, _ in hits[:8])
            worst = max(w for _, _, w in hits)
            problems.append(Problem(slide.number, name, "chart-text",
                                    f"{len(hits)} pairs of glyphs drawn over each other, up to {worst:.1f} pt ({sample})",
                                    numbers={"pairs": len(hits), "overlap": round(worst, 2)}))
    return problems


def _font_family(pdf_font: str) -> str:
    """``ABCDEF+LiberationSans-Bold`` -> ``liberationsans``."""
    return pdf_font.split("+", 1)[-1].split("-", 1)[0].replace(" ", "").casefold()


def _installed_font(typeface: str) -> str | None:
    """The font file fontconfig gives for ``typeface``, only when it is that family or its metric
    twin (fontconfig answers every name with *some* font; a substitute does not count)."""
    try:
        done = subprocess.run(["fc-match", "-f", "%{family}\t%{file}", typeface], capture_output=True, text=True,
                              timeout=30)
    except (OSError, subprocess.TimeoutExpired):
        return None
    families, _, path = done.stdout.partition("\t")
    wanted = allowed_fonts(frozenset({typeface}))
    names = {f.replace(" ", "").casefold() for f in families.split(",")}
    return path if path and names & wanted else None


@functools.lru_cache(maxsize=None)
def _cmap(path: str) -> frozenset[int]:
    from fontTools.ttLib import TTFont

    with TTFont(path, lazy=True) as font:
        return frozenset(font.getBestCmap() or {})


def named_coverage(typefaces: frozenset[str]) -> frozenset[int]:
    """Every character some installed font the deck names (or its twin) has."""
    files = {f for f in map(_installed_font, sorted(typefaces)) if f}
    return frozenset().union(*(_cmap(f) for f in files))


def allowed_fonts(typefaces: frozenset[str]) -> frozenset[str]:
    """Normalised PDF font families that may legitimately appear: each typeface or its twin."""
    names = {face.replace(" ", "").casefold() for face in typefaces}
    return frozenset(names | {METRIC_TWINS[n] for n in names if n in METRIC_TWINS})


def xml_problems(deck: DeckXml, tol: float = TOLERANCE_PT) -> list[Problem]:
    """Findings that need no rendering: overlaps, shapes past the slide edge, autofit."""
    problems = []
    page = Rect(0.0, 0.0, deck.width, deck.height)
    for slide in deck.slides:
        boxes = [(n, r) for n, r in slide.top_level if not n.startswith(DRAWING_PREFIX)]
        for (a, ra), (b, rb) in combinations(boxes, 2):
            w, h = ra.overlap_size(rb)
            if w > tol and h > tol:
                problems.append(
                    Problem(
                        slide.number,
                        a,
                        "overlap",
                        f"{ra.rounded()} and {rb.rounded()} overlap by {w:.1f} x {h:.1f} pt",
                        other=b,
                        numbers={"width": round(w, 2), "height": round(h, 2)},
                    )
                )
        for name, rect in slide.top_level:
            excess = page.excess(rect)
            if max(excess.values()) > tol:
                problems.append(
                    Problem(
                        slide.number,
                        name,
                        "off-slide",
                        f"{rect.rounded()} reaches past the slide edge",
                        numbers={k: round(v, 2) for k, v in excess.items()},
                    )
                )
        for name, fit in slide.autofit:
            problems.append(Problem(slide.number, name, "autofit", f"asks for {fit}; emit noAutofit and a proven size"))
        for name in slide.unplaced:
            problems.append(Problem(slide.number, name, "unplaced", "has no xfrm: its position is inherited, not written"))
    return problems


def pdf_problems(deck: DeckXml, pdf: Path, tol: float = TOLERANCE_PT) -> list[Problem]:
    """Findings from LibreOffice's rendering: page count and size, overflow, stray text, fonts."""
    import pymupdf

    problems = []
    allowed = allowed_fonts(deck.typefaces)
    covered = named_coverage(deck.typefaces)
    with pymupdf.open(pdf) as doc:
        if doc.page_count != len(deck.slides):
            problems.append(Problem(0, "", "pages", f"PDF has {doc.page_count} pages for {len(deck.slides)} slides"))
        for slide, page in zip(deck.slides, doc):
            w, h = page.rect.width, page.rect.height
            if abs(w - deck.width) > tol or abs(h - deck.height) > tol:
                problems.append(
                    Problem(slide.number, "", "pages", f"page is {w:.1f} x {h:.1f} pt, slide is {deck.width:.1f} x {deck.height:.1f} pt")
                )
            runs = _page_glyphs(page)
            owned, unmatched = _assign(runs, slide, tol)
            problems += _overflow_problems(slide, owned, tol)
            problems += _unmatched_problems(slide, unmatched, tol)
            problems += _font_problems(slide.number, owned, allowed, covered)
            problems += _chart_text_problems(slide, runs, tol)
    return problems


def check_pptx(pptx: Path | str, tol: float = TOLERANCE_PT, timeout_s: float = 180) -> list[Problem]:
    """Everything: read the XML, render once with LibreOffice, and check both. Empty means the
    deck as LibreOffice draws it keeps every glyph in its box and every box apart."""
    pptx = Path(pptx)
    deck = read_pptx(pptx)
    with tempfile.TemporaryDirectory(prefix="tfeic-second-opinion-") as tmp:
        pdf = convert_to_pdf(pptx, Path(tmp), timeout_s)
        problems = xml_problems(deck, tol) + pdf_problems(deck, pdf, tol)
    return sorted(problems, key=lambda p: (p.slide, p.shape, p.other, p.kind))
