"""A theme taken from a company's PowerPoint template (theme ``template:``), read back from the XML.

The templates are real PowerPoint packages made here with python-pptx (its default template, which
PowerPoint 14 wrote) and then edited as a company would: a 16:9 slide, the master's title and body
placeholders moved, the theme's fonts and first accent changed, a sample slide left in; the .potx
variant differs only in the main part's content type (python-pptx's ``CONTENT_TYPE.PML_TEMPLATE_MAIN``)."""

from __future__ import annotations

import io
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
import yaml
from lxml import etree
from ooxml_validator import schema_errors
from pptx import Presentation
from pptx.enum.shapes import PP_PLACEHOLDER
from pptx.util import Pt
from pptx_xml import NS, read

from tfeic.pipeline import BuildOptions, compile_deck

REPO = Path(__file__).resolve().parents[2]
A = "{http://schemas.openxmlformats.org/drawingml/2006/main}"
EMU = 12700
TITLE = (40, 20, 880, 64)  # points: where the company's master puts the title
BODY = (40, 100, 880, 410)  # and the body; its bottom margin is 540 - 510 = 30 pt


def company_template(path: Path, font: str) -> None:
    prs = Presentation()
    prs.slide_width, prs.slide_height = Pt(960), Pt(540)
    for ph in prs.slide_master.placeholders:
        box = {PP_PLACEHOLDER.TITLE: TITLE, PP_PLACEHOLDER.BODY: BODY}.get(ph.placeholder_format.type)
        if box:
            ph.left, ph.top, ph.width, ph.height = (Pt(v) for v in box)
    prs.slides.add_slide(prs.slide_layouts[0])  # a sample slide, which the deck must not keep
    saved = io.BytesIO()
    prs.save(saved)
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(saved.getvalue())) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = src.read(info)
            if info.filename == "ppt/theme/theme1.xml":
                root = etree.fromstring(data)
                for kind in ("majorFont", "minorFont"):
                    root.find(f".//{A}{kind}/{A}latin").set("typeface", font)
                root.find(f".//{A}accent1/{A}srgbClr").set("val", "C00000")
                data = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
            if path.suffix == ".potx" and info.filename == "[Content_Types].xml":
                data = data.replace(b"presentationml.presentation.main+xml", b"presentationml.template.main+xml")
            dst.writestr(info.filename, data)
    path.write_bytes(out.getvalue())


def deck_on(tmp_path: Path, template: str, font: str = "Arial") -> Path:
    (tmp_path / "themes").mkdir()
    if template.endswith((".pptx", ".potx")) and not template.startswith("missing"):
        company_template(tmp_path / "themes" / template, font)
    (tmp_path / "themes" / "corp.yaml").write_text(yaml.safe_dump({"name": "corp", "extends": "light", "template": template}))
    slides = [{"kind": "title", "subtitle": "on the company template"},
              {"kind": "bullets", "title": "Two points", "items": ["one", "two"]},
              {"kind": "code", "title": "A command", "language": "bash", "code": "ls -l  # list"}]
    (tmp_path / "d.yaml").write_text(yaml.safe_dump({"title": "Corporate", "theme": "corp", "slides": slides}))
    return tmp_path / "d.yaml"


@pytest.mark.parametrize("name", ["corp.pptx", "corp.potx"])
def test_the_deck_is_built_on_the_template_at_its_placeholder_positions(tmp_path, name):
    pptx = compile_deck(str(deck_on(tmp_path, name)), BuildOptions()).pptx
    slides, app = read(pptx)
    assert [s.title() for s in slides] == ["Corporate", "Two points", "A command"]  # the sample slide is gone
    with zipfile.ZipFile(io.BytesIO(pptx)) as archive:
        size = etree.fromstring(archive.read("ppt/presentation.xml")).find("p:sldSz", NS)
        theme = etree.fromstring(archive.read("ppt/theme/theme1.xml"))
        types = etree.fromstring(archive.read("[Content_Types].xml"))
    assert (size.get("cx"), size.get("cy")) == (str(960 * EMU), str(540 * EMU))
    assert theme.find(f".//{A}accent1/{A}srgbClr").get("val") == "C00000"  # the company's theme travels
    assert b"template.main" not in etree.tostring(types)
    for slide in slides[1:]:
        [title] = slide.title_placeholders()
        off, ext = title.find("p:spPr/a:xfrm/a:off", NS), title.find("p:spPr/a:xfrm/a:ext", NS)
        assert [int(off.get("x")), int(off.get("y")), int(ext.get("cx")), int(ext.get("cy"))] == [v * EMU for v in TITLE]
        run = title.find(".//a:r/a:rPr", NS)
        assert run.find("a:latin", NS).get("typeface") == "Arial"
        assert run.find("a:solidFill/a:srgbClr", NS).get("val") == "000000"  # dk1: windowText, last drawn black
        body = [s for s in slide.shapes() if s.name not in ("title", "slide number")]
        assert body and all(s.x >= BODY[0] * EMU and s.y >= (TITLE[1] + TITLE[3]) * EMU for s in body)
        assert all(s.y + s.h <= (BODY[1] + BODY[3]) * EMU for s in body)
        [number] = [s for s in slide.shapes() if s.name == "slide number"]
        assert number.y >= (BODY[1] + BODY[3]) * EMU  # the footer lies in the template's bottom margin
    assert app.findtext("ep:Slides", namespaces=NS) == "3"
    assert schema_errors(pptx) == []  # every part still valid against the ISO/IEC 29500 schemas


def cli(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    return subprocess.run([sys.executable, "-m", "tfeic", *args], cwd=cwd, env=env, capture_output=True, text=True,
                          timeout=120)


@pytest.mark.parametrize("template, font, words", [
    ("corp.pptx", "Calibri", "cannot measure: Calibri (headings), Calibri (body)"),
    ("missing.potx", "Arial", "template: missing.potx: no such file"),
    ("corp.odp", "Arial", "a template is a .pptx or .potx file"),
])
def test_a_template_that_cannot_be_used_is_one_spec_error(tmp_path, template, font, words):
    done = cli("build", str(deck_on(tmp_path, template, font)), "-o", str(tmp_path / "o.pptx"), "--quiet", cwd=tmp_path)
    assert done.returncode == 2, done.stderr
    [line] = done.stderr.strip().splitlines()
    assert "error:" in line and words in line
    assert not (tmp_path / "o.pptx").exists()


def test_a_file_that_is_not_a_powerpoint_package_is_one_spec_error(tmp_path):
    path = deck_on(tmp_path, "broken.pptx")
    (tmp_path / "themes" / "broken.pptx").write_bytes(b"not a zip")
    done = cli("build", str(path), "-o", str(tmp_path / "o.pptx"), "--quiet", cwd=tmp_path)
    assert done.returncode == 2
    [line] = done.stderr.strip().splitlines()
    assert "broken.pptx: error: cannot open the template as a PowerPoint file" in line
