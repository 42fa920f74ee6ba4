"""Readability metrics of a .pptx, read from its XML alone (no tfeic code): the smallest text size,
the share of characters under 14 pt, the median size (by character), the text runs whose colour
fails WCAG AA against what they are drawn on, and the table-cell runs under 18 pt (14 pt when set in
a monospaced face: a dense page).

Why independent: the layout proof claims these properties; this script checks the file a speaker
gets, so a bug in the proof cannot hide itself. It reads only the parts ECMA-376 defines:

- slide text: every ``a:r`` of ``p:sp`` text bodies (shapes, text boxes, inside ``p:grpSp`` groups)
  and of table cells (``a:tc``); its size is ``a:rPr/@sz`` (hundredths of a point), its colour
  ``a:rPr/a:solidFill/a:srgbClr/@val``;
- what a run is drawn on: the table cell's ``a:tcPr`` fill, else the shape's own ``p:spPr`` fill,
  else the topmost earlier-drawn filled shape under the text box's centre, else the slide
  background (``p:bg/p:bgPr``);
- chart text (``c:chartSpace``): axis and legend text properties (``c:txPr//a:defRPr``), the runs
  of axis titles (``c:rich``) and data labels; a chart's area is transparent (tfeic writes
  ``a:noFill``), so its text is drawn on the slide background unless the plot area has a fill.
  Characters counted for a chart: category labels, series names in the legend, titles, data labels;
  value-axis tick labels count for the smallest size but not for character shares (their text is
  chosen by the renderer).

The element names are those python-pptx reads and writes (scanny/python-pptx
``src/pptx/oxml/text.py``, ``CT_TextCharacterProperties``: ``a:rPr``/``a:defRPr``, ``sz`` as
ST_TextFontSize in hundredths of a point), checked against what tfeic and LibreOffice write.

Contrast is WCAG 2.x (https://w3c.github.io/wcag/understanding/relative-luminance.html, 0.04045
since May 2021): relative luminance L = 0.2126 R + 0.7152 G + 0.0722 B of linearised sRGB
channels (c/12.92 if c <= 0.04045 else ((c + 0.055)/1.055)^2.4), ratio (L1 + 0.05)/(L2 + 0.05);
AA needs 4.5:1, or 3:1 for large text (>= 18 pt, or bold and >= 14 pt).

Usage: ``python scripts/deck_metrics.py DECK.pptx ... [--json]``.
"""

from __future__ import annotations

import argparse
import json
import re
import statistics
import sys
import zipfile
from dataclasses import dataclass
from xml.etree import ElementTree as ET

NS = {
    "a": "http://schemas.openxmlformats.org/drawingml/2006/main",
    "p": "http://schemas.openxmlformats.org/presentationml/2006/main",
    "c": "http://schemas.openxmlformats.org/drawingml/2006/chart",
    "r": "http://schemas.openxmlformats.org/officeDocument/2006/relationships",
}
REL = "{http://schemas.openxmlformats.org/package/2006/relationships}Relationship"
DEFAULT_SIZE = 18.0  # ECMA-376 default run size (sz absent) for DrawingML text
DEFAULT_COLOR = "000000"


def luminance(rgb: str) -> float:
    """WCAG 2.x relative luminance of ``RRGGBB``."""
    channels = []
    for i in (0, 2, 4):
        c = int(rgb[i:i + 2], 16) / 255
        channels.append(c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4)
    r, g, b = channels
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(fg: str, bg: str) -> float:
    hi, lo = sorted((luminance(fg), luminance(bg)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


def aa_minimum(size: float, bold: bool) -> float:
    return 3.0 if size >= 18 or (bold and size >= 14) else 4.5


@dataclass
class Run:
    where: str
    text: str
    size: float
    bold: bool
    color: str
    background: str
    counted: bool = True  # do its characters count for the shares?
    table: bool = False  # in a table cell
    mono: bool = False  # set in a monospaced face (a dense page: hex, code)

    @property
    def ratio(self) -> float:
        return contrast(self.color, self.background)

    @property
    def passes(self) -> bool:
        return self.ratio + 1e-9 >= aa_minimum(self.size, self.bold)


def _fill(parent: ET.Element | None) -> str | None:
    """``RRGGBB`` of a direct ``a:solidFill/a:srgbClr`` child, or None (no fill, or not solid)."""
    if parent is None:
        return None
    color = parent.find("a:solidFill/a:srgbClr", NS)
    return color.get("val").upper() if color is not None else None


def _run_style(rpr: ET.Element | None) -> tuple[float, bool, str | None]:
    if rpr is None:
        return DEFAULT_SIZE, False, None
    size = int(rpr.get("sz")) / 100 if rpr.get("sz") else DEFAULT_SIZE
    return size, rpr.get("b") in ("1", "true"), _fill(rpr)


@dataclass
class _Box:
    x: int
    y: int
    w: int
    h: int
    fill: str | None

    def contains(self, px: float, py: float) -> bool:
        return self.x <= px <= self.x + self.w and self.y <= py <= self.y + self.h


def _rect(sp: ET.Element) -> tuple[int, int, int, int]:
    xfrm = sp.find("p:spPr/a:xfrm", NS)
    if xfrm is None:
        xfrm = sp.find("p:xfrm", NS)  # graphic frames
    if xfrm is None:
        return 0, 0, 0, 0
    off, ext = xfrm.find("a:off", NS), xfrm.find("a:ext", NS)
    return int(off.get("x")), int(off.get("y")), int(ext.get("cx")), int(ext.get("cy"))


def _walk(tree: ET.Element):
    """Drawable elements of a shape tree in drawing order (groups flattened: tfeic's groups and
    PowerPoint's default keep child offsets equal to slide offsets when chOff == off, chExt == ext;
    other groups are mapped through their transform)."""
    for child in tree:
        tag = child.tag.split("}")[1]
        if tag == "grpSp":
            yield from _walk(child)
        elif tag in ("sp", "graphicFrame", "pic", "cxnSp"):
            yield child


MONOSPACED = ("Courier New", "Liberation Mono", "DejaVu Sans Mono", "Consolas", "Menlo")


def _paragraph_runs(body: ET.Element, where: str, background: str, table: bool = False) -> list[Run]:
    runs = []
    for r in body.iter(f"{{{NS['a']}}}r"):
        rpr = r.find("a:rPr", NS)
        size, bold, color = _run_style(rpr)
        latin = rpr.find("a:latin", NS) if rpr is not None else None
        mono = latin is not None and latin.get("typeface") in MONOSPACED
        text = "".join(t.text or "" for t in r.findall("a:t", NS))
        if text.strip():
            runs.append(Run(where, text, size, bold, color or DEFAULT_COLOR, background, table=table, mono=mono))
    return runs


def _chart_runs(xml: bytes, where: str, background: str) -> list[Run]:
    space = ET.fromstring(xml)
    plot_fill = _fill(space.find("c:chart/c:plotArea/c:spPr", NS))
    chart_fill = _fill(space.find("c:spPr", NS)) or background
    inner = plot_fill or chart_fill
    runs: list[Run] = []
    series = space.findall(".//c:ser", NS)
    categories = [v.text or "" for v in series[0].findall("c:cat//c:pt/c:v", NS)] if series else []
    names = [v.text or "" for s in series for v in s.findall("c:tx//c:v", NS)]
    for tag, texts in (("catAx", categories), ("valAx", []), ("dateAx", categories)):
        for axis in space.findall(f".//c:{tag}", NS):
            if axis.find("c:delete", NS) is not None and axis.find("c:delete", NS).get("val") == "1":
                continue
            size, bold, color = _run_style(axis.find("c:txPr//a:defRPr", NS))
            shown = " ".join(texts) if tag != "valAx" else "0"
            runs.append(Run(f"{where} {tag} labels", shown, size, bold, color or DEFAULT_COLOR, chart_fill,
                            counted=tag != "valAx"))
    legend = space.find(".//c:legend", NS)
    if legend is not None:
        size, bold, color = _run_style(legend.find("c:txPr//a:defRPr", NS))
        runs.append(Run(f"{where} legend", " ".join(names), size, bold, color or DEFAULT_COLOR, chart_fill))
    for rich in space.findall(".//c:rich", NS):
        runs += _paragraph_runs(rich, f"{where} title", chart_fill)
    for labels in space.findall(".//c:dLbls", NS):
        shown = labels.find("c:showVal", NS)
        if shown is not None and shown.get("val") == "1":
            size, bold, color = _run_style(labels.find("c:txPr//a:defRPr", NS))
            values = " ".join(v.text or "" for v in labels.getparent().findall("c:val//c:v", NS)) \
                if hasattr(labels, "getparent") else "0"
            runs.append(Run(f"{where} data labels", values, size, bold, color or DEFAULT_COLOR, inner))
    return runs


def _rels(z: zipfile.ZipFile, part: str) -> dict[str, str]:
    folder, name = part.rsplit("/", 1)
    rels_part = f"{folder}/_rels/{name}.rels"
    if rels_part not in z.namelist():
        return {}
    out = {}
    for rel in ET.fromstring(z.read(rels_part)).iter(REL):
        target = rel.get("Target")
        out[rel.get("Id")] = target if target.startswith("/") else _join(folder, target)
    return out


def _join(folder: str, target: str) -> str:
    parts = folder.split("/")
    for piece in target.split("/"):
        if piece == "..":
            parts.pop()
        elif piece != ".":
            parts.append(piece)
    return "/".join(parts)


def _slide_parts(z: zipfile.ZipFile) -> list[str]:
    names = [n for n in z.namelist() if re.fullmatch(r"ppt/slides/slide\d+\.xml", n)]
    return sorted(names, key=lambda n: int(re.findall(r"\d+", n)[-1]))


def slide_runs(z: zipfile.ZipFile, part: str) -> list[Run]:
    root = ET.fromstring(z.read(part))
    number = re.findall(r"\d+", part)[-1]
    background = _fill(root.find("p:cSld/p:bg/p:bgPr", NS)) or "FFFFFF"
    rels = _rels(z, part)
    drawn: list[_Box] = []
    runs: list[Run] = []
    for element in _walk(root.find("p:cSld/p:spTree", NS)):
        x, y, w, h = _rect(element)
        tag = element.tag.split("}")[1]
        name = element.find(".//p:cNvPr", NS).get("name") if element.find(".//p:cNvPr", NS) is not None else ""
        where = f"slide {number} {name!r}"
        own = _fill(element.find("p:spPr", NS)) if tag == "sp" else None
        under = next((b.fill for b in reversed(drawn) if b.fill and b.contains(x + w / 2, y + h / 2)), background)
        if tag == "sp" and element.find("p:txBody", NS) is not None:
            runs += _paragraph_runs(element.find("p:txBody", NS), where, own or under)
        if tag == "graphicFrame":
            for tc in element.iter(f"{{{NS['a']}}}tc"):
                cell_fill = _fill(tc.find("a:tcPr", NS)) or under
                runs += _paragraph_runs(tc.find("a:txBody", NS), f"{where} cell", cell_fill, table=True)
            chart = element.find(".//c:chart", NS)
            if chart is not None:
                target = rels.get(chart.get(f"{{{NS['r']}}}id"))
                if target:
                    runs += _chart_runs(z.read(target), f"{where} chart", under)
        if own:
            drawn.append(_Box(x, y, w, h, own))
    return runs


def deck_runs(path: str) -> list[Run]:
    with zipfile.ZipFile(path) as z:
        return [run for part in _slide_parts(z) for run in slide_runs(z, part)]


def metrics(runs: list[Run]) -> dict:
    """The four numbers of issue 17, plus the failing runs (first few) for a reader to find them."""
    counted = [r for r in runs if r.counted]
    chars = sum(len(r.text) for r in counted)
    small = sum(len(r.text) for r in counted if r.size < 14)
    sizes = sorted(s for r in counted for s in [r.size] * len(r.text))
    failing = [r for r in runs if not r.passes]
    small_cells = [r for r in runs if r.table and r.size < (14 if r.mono else 18)]
    return {
        "runs": len(runs),
        "smallest_pt": min((r.size for r in runs), default=None),
        "chars_under_14pt": round(small / chars, 4) if chars else 0.0,
        "median_pt": statistics.median(sizes) if sizes else None,
        "runs_below_aa": len(failing),
        "table_runs_under_floor": len(small_cells),  # under 18 pt, or 14 pt in a monospaced (dense) table
        "examples_below_aa": [f"{r.where}: {r.text[:20]!r} {r.size:g} pt #{r.color} on #{r.background} "
                              f"{r.ratio:.2f}:1" for r in failing[:5]],
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("decks", nargs="+")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    results = {path: metrics(deck_runs(path)) for path in args.decks}
    if args.json:
        print(json.dumps(results, indent=2))
        return 0
    print(f"{'deck':<44} {'smallest':>8} {'<14pt':>7} {'median':>7} {'<AA':>5} {'cells<floor':>11}")
    for path, m in results.items():
        print(f"{path:<44} {m['smallest_pt']!s:>8} {m['chars_under_14pt']:>7.1%} {m['median_pt']!s:>7} "
              f"{m['runs_below_aa']:>5} {m['table_runs_under_floor']:>11}")
        for line in m["examples_below_aa"]:
            print(f"    {line}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
