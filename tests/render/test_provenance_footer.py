"""Slides carry their provenance, read from the .pptx XML (``pptx_xml``: zipfile and lxml):

- ``--dry-run``: every slide of the four decks that shows data (a directive that reads a source, or
  a template that reads ``sources.``) has the badge "synthetic data (--dry-run)"; no other slide has;
- a normal build badges hand-made ("constructed") data and replayed server exchanges, and the
  reproducibility slide states each source's mode (the kv-offloading deck's logs are hand-made);
- the footer (badge, slide number, theme text and logo) lies in the bottom margin and overlaps
  nothing; the slide number is a native field holding the slide's position;
- a footer that cannot fit, or a logo that cannot be read, is one diagnostic and its exit code.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from pptx_xml import NS, read
from test_accessible_files import png
from wcag import contrast

from tfeic.pipeline import BuildOptions, compile_deck

REPO = Path(__file__).resolve().parents[2]
DECKS = sorted((REPO / "decks").glob("*.yaml"))
SYNTHETIC = "synthetic data (--dry-run)"
CONSTRUCTED = "constructed data"
REPLAYED = "replayed recording"
BADGES = (SYNTHETIC, CONSTRUCTED, REPLAYED)
# directives that read no source (docs/reference.md lists no source option for them)
DATA_FREE = {"title", "section", "bullets", "text", "columns", "diagram", "speculation", "reproducibility", "code", "image"}
SERVER_READERS = {"request_flow", "inference_metrics", "transcript"}  # their `source` defaults to `server`
EMU = 12700  # per point
SLIDE_H, MARGIN_BOTTOM = 540 * EMU, 24 * EMU  # the light theme's slide height and bottom margin


def shows_data(spec: dict) -> bool:
    """Whether a slide spec (as written in the deck) shows data from a source."""
    templated = "{{" in repr(spec) and "sources." in repr(spec)
    inline_table = spec["kind"] == "table" and "rows" in spec
    return templated or not (spec["kind"] in DATA_FREE or inline_table)


def specs_by_line(path: Path) -> dict[int, dict]:
    """Each slide spec of a deck by the 1-based line its mapping starts on."""
    text = path.read_text()
    root = yaml.compose(text)
    slides = next(value for key, value in root.value if key.value == "slides")
    values = yaml.safe_load(text)["slides"]
    return {node.start_mark.line + 1: value for node, value in zip(slides.value, values)}


def built(path: Path, dry_run: bool):
    """The output slides (XML) and, for each, the deck spec that made it (by the slide's origin line)."""
    result = compile_deck(str(path), BuildOptions(dry_run=dry_run))
    specs = specs_by_line(path)
    slides, _ = read(result.pptx)
    return list(zip(slides, [specs[p.origin.line] for p in result.placed.slides]))


def badges(slide) -> list[str]:
    return [t for t in slide.texts() if any(b in t for b in BADGES)]


@pytest.mark.parametrize("path", DECKS, ids=[p.stem for p in DECKS])
def test_a_dry_run_badges_every_slide_that_shows_data(path):
    pairs = built(path, dry_run=True)
    assert any(shows_data(spec) for _, spec in pairs)  # every deck shows some data
    for slide, spec in pairs:
        assert badges(slide) == ([SYNTHETIC] if shows_data(spec) else []), (slide.part, spec["kind"])


def test_hand_made_data_is_badged_and_stated_on_the_reproducibility_slide():
    pairs = built(REPO / "decks" / "kv-offloading.yaml", dry_run=False)
    for slide, spec in pairs:
        assert badges(slide) == ([CONSTRUCTED] if shows_data(spec) else []), slide.part
    texts = " ".join(" ".join(s.texts()) for s, spec in pairs if spec["kind"] == "reproducibility")
    deck = yaml.safe_load((REPO / "decks" / "kv-offloading.yaml").read_text())
    assert "recorded/real" not in texts
    for name, source in deck["sources"].items():  # every one is declared hand-made
        assert source["provenance"] == "constructed"
        assert f"source {name}" in texts
    assert texts.count("constructed (hand-made in the tool's format, not a real run)") == len(deck["sources"])


def test_a_replayed_server_exchange_is_badged():
    pairs = built(REPO / "decks" / "exabyte.yaml", dry_run=False)
    readers = [slide for slide, spec in pairs if spec["kind"] in SERVER_READERS]
    assert len(readers) == sum(spec["kind"] in SERVER_READERS for spec in yaml.safe_load(
        (REPO / "decks" / "exabyte.yaml").read_text())["slides"]) >= 2  # every slide that reads the server
    for slide in readers:
        assert badges(slide) == [REPLAYED], slide.part
    assert not any(SYNTHETIC in b for slide, _ in pairs for b in badges(slide))


@pytest.mark.parametrize("path", DECKS, ids=[p.stem for p in DECKS])
def test_footers_lie_in_the_bottom_margin_overlap_nothing_and_number_the_slides(path):
    slides, _ = read(compile_deck(str(path), BuildOptions(dry_run=True)).pptx)
    for number, slide in enumerate(slides, 1):
        shapes = slide.shapes()
        for i, a in enumerate(shapes):
            assert a.y >= 0 and a.y + a.h <= SLIDE_H, (slide.part, a.name)
            for b in shapes[i + 1:]:
                assert not a.overlaps(b), (slide.part, a.name, b.name)
        fields = slide.root.findall(".//a:fld[@type='slidenum']", NS)
        assert [f.findtext("a:t", namespaces=NS) for f in fields] == [str(number)]
        footer = [s for s in shapes if s.name in ("slide number", "provenance")]
        assert footer and all(s.y >= SLIDE_H - MARGIN_BOTTOM for s in footer), slide.part


def theme_deck(tmp_path: Path, footer: dict, margins: dict | None = None) -> Path:
    theme = {"name": "branded", "extends": "light", "footer": footer, **({"margins": margins} if margins else {})}
    (tmp_path / "themes").mkdir()
    (tmp_path / "themes" / "branded.yaml").write_text(yaml.safe_dump(theme))
    deck = {"title": "Branded", "theme": "branded", "slides": [{"kind": "bullets", "title": "One", "items": ["a"]}]}
    (tmp_path / "d.yaml").write_text(yaml.safe_dump(deck))
    return tmp_path / "d.yaml"


def test_a_theme_footer_draws_its_text_and_logo_in_the_margin(tmp_path):
    path = theme_deck(tmp_path, {"text": "ACME Summit 2026", "logo": "logo.png", "slide_numbers": True})
    png(tmp_path / "themes" / "logo.png", 40, 20)  # next to the theme file that names it
    [slide], _ = read(compile_deck(str(path), BuildOptions()).pptx)
    shapes = {s.name: s for s in slide.shapes()}
    logo, text = shapes["footer logo"], shapes["footer text"]
    assert logo.tag == "pic" and logo.descr == "logo"
    assert logo.h == MARGIN_BOTTOM and logo.w == 2 * logo.h  # 40 x 20 px fitted to the band's height
    assert logo.x + logo.w < text.x
    assert "ACME Summit 2026" in slide.texts()
    assert all(s.y >= SLIDE_H - MARGIN_BOTTOM for s in (logo, text, shapes["slide number"]))


def cli(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    return subprocess.run([sys.executable, "-m", "tfeic", *args], cwd=cwd, env=env, capture_output=True, text=True,
                          timeout=120)


def test_a_footer_that_does_not_fit_its_margin_is_a_layout_failure(tmp_path):
    path = theme_deck(tmp_path, {"slide_numbers": True}, {"bottom": 10})
    done = cli("build", str(path), "-o", str(tmp_path / "o.pptx"), cwd=tmp_path)
    assert done.returncode == 4
    found = re.search(r"box slide number: needs (\d+\.\d) pt, has 10\.0 pt .* at the (\d+(?:\.\d+)?) pt minimum "
                      r"\(the footer lies in the theme's bottom margin: raise margins.bottom", done.stderr)
    assert found, done.stderr
    size = float(found.group(2))  # one line of the role's smallest size, 1.2 em, plus 3.6 pt insets above and below
    assert float(found.group(1)) == pytest.approx(size * 1.2 + 3.6 + 3.6, abs=0.05)
    assert not (tmp_path / "o.pptx").exists()


def test_an_unreadable_logo_is_one_spec_error(tmp_path):
    path = theme_deck(tmp_path, {"logo": "missing.png"})
    done = cli("build", str(path), "-o", str(tmp_path / "o.pptx"), cwd=tmp_path)
    assert done.returncode == 2
    [line] = done.stderr.strip().splitlines()
    assert "themes/branded.yaml:" in line and "error: footer.logo: missing.png: cannot be read" in line


def test_a_provenance_outside_the_vocabulary_is_a_spec_error(tmp_path):
    (tmp_path / "t.csv").write_text("a\n1\n")
    deck = {"title": "T", "sources": {"t": {"kind": "table", "path": "t.csv", "provenance": "measured"}}, "slides": []}
    (tmp_path / "d.yaml").write_text(yaml.safe_dump(deck))
    done = cli("validate", str(tmp_path / "d.yaml"), cwd=tmp_path)
    assert done.returncode == 2
    assert "provenance" in done.stderr and "constructed" in done.stderr


@pytest.mark.parametrize("theme", ["light", "dark"])
def test_the_badge_meets_wcag_aa_on_its_fill(tmp_path, theme):
    (tmp_path / "t.csv").write_text("a,b\n1,2\n")
    deck = {"title": "T", "theme": theme, "sources": {"t": {"kind": "table", "path": "t.csv", "provenance": "constructed"}},
            "slides": [{"kind": "table", "source": "t", "title": "Hand-made"}]}
    (tmp_path / "d.yaml").write_text(yaml.safe_dump(deck))
    [slide], _ = read(compile_deck(str(tmp_path / "d.yaml"), BuildOptions()).pptx)
    [badge] = [sp for sp in slide.root.iterfind("p:cSld/p:spTree/p:sp", NS)
               if sp.find("p:nvSpPr/p:cNvPr", NS).get("name") == "provenance"]
    assert "".join(badge.itertext()) == CONSTRUCTED
    fill = badge.find("p:spPr/a:solidFill/a:srgbClr", NS).get("val")
    text = badge.find(".//a:r/a:rPr/a:solidFill/a:srgbClr", NS).get("val")
    assert contrast(text, fill) >= 4.5
