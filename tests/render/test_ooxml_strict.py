"""Every deck is a strictly valid package: each XML part validates against the ISO/IEC 29500
transitional schemas (``xsd/``, see its README), and PowerPoint's structural rules hold
(``p:notesMasterIdLst`` lists a related notes master, ``p:sldSz`` claims no size type it does not
have, ``docProps/app.xml`` tells the true slide and notes counts and nothing of python-pptx's template).

The decks are the repository's own (``decks/*.yaml``, built with ``--dry-run``) and a deck with a
chart of every kind, built through the whole pipeline."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest
import yaml
from lxml import etree
from ooxml_validator import schema_errors, xml_parts

from tfeic.pipeline import BuildOptions, compile_deck

REPO = Path(__file__).resolve().parents[2]
DECKS = sorted((REPO / "decks").glob("*.yaml"))
NS = {
    "p": "http://schemas.openxmlformats.org/presentationml/2006/main",
    "r": "http://schemas.openxmlformats.org/officeDocument/2006/relationships",
    "c": "http://schemas.openxmlformats.org/drawingml/2006/chart",
    "ep": "http://schemas.openxmlformats.org/officeDocument/2006/extended-properties",
    "vt": "http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes",
    "rel": "http://schemas.openxmlformats.org/package/2006/relationships",
}
NOTES_MASTER = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/notesMaster"
# ST_SlideSizeType sizes (ISO/IEC 29500-1, 19.7.26) in EMU: a type may only name the size it has
SIZE_TYPES = {"screen4x3": (9144000, 6858000), "screen16x9": (9144000, 5143500), "screen16x10": (9144000, 5715000)}

CHART_KINDS = [("bar", False), ("bar", True), ("grouped_bar", False), ("stacked_bar", True), ("line", False),
               ("scatter", False), ("cdf", False)]
CSV = "step,ttft_ms,p99_ms\n1,10,14\n2,12,15\n4,11,19\n8,16,24\n"
MARKUP_FORMAT = '0.0" <&>"'  # python-pptx pastes number formats into the chart XML unescaped


def chart_deck(root: Path) -> Path:
    """A deck with one chart of every kind (bars both ways) and a notes slide."""
    (root / "t.csv").write_text(CSV)
    slides = [{"kind": "chart", "source": "t", "title": f"{kind} chart", "chart": kind, "horizontal": horizontal,
               "y": ["ttft_ms", "p99_ms"] if kind in ("grouped_bar", "stacked_bar", "cdf") else "ttft_ms",
               **({} if kind == "cdf" else {"x": "step"})} for kind, horizontal in CHART_KINDS]
    slides[0]["notes"] = "speaker notes"
    slides[4]["number_format"] = MARKUP_FORMAT
    deck = {"title": "Charts", "author": "tests", "sources": {"t": {"kind": "table", "path": "t.csv"}},
            "slides": slides}
    (root / "charts.yaml").write_text(yaml.safe_dump(deck, sort_keys=False))
    return root / "charts.yaml"


def build(spec: Path) -> bytes:
    return compile_deck(str(spec), BuildOptions(dry_run=True)).pptx


@pytest.fixture(scope="module", params=DECKS, ids=[p.stem for p in DECKS])
def deck_pptx(request) -> bytes:
    return build(request.param)


@pytest.fixture(scope="module")
def charts_pptx(tmp_path_factory) -> bytes:
    return build(chart_deck(tmp_path_factory.mktemp("charts")))


def test_every_deck_validates_against_the_schemas(deck_pptx):
    assert schema_errors(deck_pptx) == []


def test_every_deck_follows_powerpoints_structural_rules(deck_pptx):
    assert structure_errors(deck_pptx) == []


def test_a_chart_of_every_kind_validates(charts_pptx):
    parts = xml_parts(charts_pptx)
    charts = [name for name in parts if name.startswith("ppt/charts/chart")]
    assert len(charts) == len(CHART_KINDS)
    assert sum("!xl/worksheets/" in name for name in parts) == len(CHART_KINDS)  # each chart's workbook too
    assert schema_errors(charts_pptx) == []
    assert structure_errors(charts_pptx) == []
    for name in charts:  # python-pptx's templates gave negative ids; the schema wants xsd:unsignedInt
        chart = etree.fromstring(parts[name])
        ids = [int(e.get("val")) for e in chart.iterfind(".//c:axId", NS)]
        assert ids and all(0 <= i < 2**31 for i in ids)  # LibreOffice reads them as signed 32-bit numbers
        axes = [e.get("val") for kind in ("catAx", "valAx") for e in chart.iterfind(f".//c:{kind}/c:axId", NS)]
        assert len(set(axes)) == len(axes) == 2  # still two distinct axes
        for cross in chart.iterfind(".//c:crossAx", NS):  # every axis still crosses an axis of its chart
            assert int(cross.get("val")) in ids
    line_chart = etree.fromstring(parts["ppt/charts/chart5.xml"])
    assert {e.text for e in line_chart.iterfind(".//c:numCache/c:formatCode", NS)} == {MARKUP_FORMAT}


def test_the_chart_deck_is_byte_deterministic(charts_pptx, tmp_path):
    assert build(chart_deck(tmp_path)) == charts_pptx


def test_app_xml_counts_the_slides_and_notes(charts_pptx):
    app = etree.fromstring(xml_parts(charts_pptx)["docProps/app.xml"])
    assert app.findtext("ep:Slides", namespaces=NS) == str(len(CHART_KINDS))
    assert app.findtext("ep:Notes", namespaces=NS) == "1"


def test_the_validator_finds_what_the_schemas_forbid(charts_pptx):
    """The checks above can fail: a negative axis id, an unknown core property, a slide size type that
    lies and a missing notes master list are each reported."""
    negative = _edit(charts_pptx, "ppt/charts/chart1.xml", _replace(b'<c:axId val="', b'<c:axId val="-'))
    assert any("axId" in e for e in schema_errors(negative))
    core = _edit(charts_pptx, "docProps/core.xml", _replace(b"</cp:coreProperties>", b"<cp:bogus/></cp:coreProperties>"))
    assert any(e.startswith("docProps/core.xml") for e in schema_errors(core))
    lying = _edit(charts_pptx, "ppt/presentation.xml", _replace(b"<p:sldSz ", b'<p:sldSz type="screen4x3" '))
    assert any("sldSz" in e for e in structure_errors(lying))
    unlisted = _edit(charts_pptx, "ppt/presentation.xml", _drop("p:notesMasterIdLst"))
    assert any("notesMasterIdLst" in e for e in structure_errors(unlisted))
    template_app = _edit(charts_pptx, "docProps/app.xml", _replace(b"<Slides>7<", b"<Slides>0<"))
    assert any("Slides" in e for e in structure_errors(template_app))


def structure_errors(pptx: bytes) -> list[str]:
    """PowerPoint's rules that the schemas cannot express, one line per broken rule."""
    parts = xml_parts(pptx)
    presentation = etree.fromstring(parts["ppt/presentation.xml"])
    rels = etree.fromstring(parts["ppt/_rels/presentation.xml.rels"])
    errors = []
    notes_masters = {r.get("Id") for r in rels.iterfind("rel:Relationship", NS) if r.get("Type") == NOTES_MASTER}
    listed = {e.get(f"{{{NS['r']}}}id") for e in presentation.iterfind("p:notesMasterIdLst/p:notesMasterId", NS)}
    if notes_masters != listed:
        errors.append(f"notesMasterIdLst lists {sorted(listed)}, the notes masters related are {sorted(notes_masters)}")
    size = presentation.find("p:sldSz", NS)
    kind = size.get("type")
    if kind is not None and SIZE_TYPES.get(kind) != (int(size.get("cx")), int(size.get("cy"))):
        errors.append(f"sldSz type {kind} on a {size.get('cx')} x {size.get('cy')} EMU slide")
    app = etree.fromstring(parts["docProps/app.xml"])
    slides = len(presentation.findall("p:sldIdLst/p:sldId", NS))
    notes = sum(1 for name in parts if name.startswith("ppt/notesSlides/notesSlide") and name.endswith(".xml"))
    for field, count in (("Slides", slides), ("Notes", notes)):
        if app.findtext(f"ep:{field}", namespaces=NS) != str(count):
            errors.append(f"app.xml {field} is {app.findtext(f'ep:{field}', namespaces=NS)}, the deck has {count}")
    if app.findtext("ep:Application", namespaces=NS) != "tfeic":
        errors.append("app.xml is python-pptx's template's")
    titles = app.findall("ep:TitlesOfParts/vt:vector/vt:lpstr", NS)
    if len(titles) != slides + 1:  # the theme's name, then one title per slide
        errors.append(f"app.xml TitlesOfParts has {len(titles)} entries for 1 theme and {slides} slides")
    with zipfile.ZipFile(io.BytesIO(pptx)) as archive:
        if any("printerSettings" in name for name in archive.namelist()):
            errors.append("the template's printer settings are still in the package")
    return errors


def _edit(pptx: bytes, name: str, change) -> bytes:
    """``pptx`` with part ``name`` changed by ``change`` (bytes -> bytes)."""
    with zipfile.ZipFile(io.BytesIO(pptx)) as src:
        entries = [(n, src.read(n)) for n in src.namelist()]
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as dst:
        for n, data in entries:
            dst.writestr(n, change(data) if n == name else data)
    return out.getvalue()


def _replace(old: bytes, new: bytes):
    def change(data: bytes) -> bytes:
        assert old in data
        return data.replace(old, new, 1)

    return change


def _drop(tag: str):
    def change(data: bytes) -> bytes:
        root = etree.fromstring(data)
        element = root.find(tag, NS)
        root.remove(element)
        return etree.tostring(root)

    return change
