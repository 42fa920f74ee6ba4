"""Friendlier edges for a new user (issue 18, item 5): each test runs the real CLI on a small deck
and checks the one line a user would read."""

from __future__ import annotations

import json
import math
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

REPO = Path(__file__).resolve().parents[2]  # the checkout (tests/cli/ is two folders down)
DECK_SCHEMA_ID = "https://tfeic.dev/schemas/deck.schema.json"


def _modeline_schema(deck) -> str:
    """The path that the deck's first line, ``# yaml-language-server: $schema=PATH``, names."""
    first = deck.read_text().splitlines()[0]
    assert first.startswith("# yaml-language-server: $schema=")
    return first.split("$schema=", 1)[1]


def _bullets_deck(tmp_path, *items: str):
    """A one-slide bullets deck whose items are written verbatim, each on its own ``- `` line."""
    deck = tmp_path / "bullets.yaml"
    deck.write_text("title: Colon\nsources: {}\nslides:\n  - kind: bullets\n    title: Steps\n    items:\n"
                    + "".join(f"      - {item}\n" for item in items))
    return deck


def test_a_bullet_holding_a_colon_says_to_quote_it(cli, tmp_path):
    deck = _bullets_deck(tmp_path, "Prefill fills the cache", "Decode: one token per step  # a comment",
                         "It's done: fine")
    res = cli("build", str(deck), "--dry-run", "-o", str(tmp_path / "x.pptx"))
    assert res.code == 2
    lines = res.err.strip().splitlines()
    # line 8 (6 header lines + the second item), column 9 ("      - " is 8 characters): the item itself
    assert lines[0] == (
        f"{deck}:8:9: error: slides[0].items[1]: expected string or number, got object "
        """(a list item holding ": " is read as a mapping; quote it: "- 'Decode: one token per step'")"""
    )
    # a ' inside single quotes is written twice (YAML 1.2, 7.3.2)
    assert lines[1].startswith(f"{deck}:9:9: error: slides[0].items[2]: ")
    assert lines[1].endswith(""""- 'It''s done: fine'")""")
    assert len(lines) == 2


def test_the_quoted_items_from_the_hint_build(cli, tmp_path):
    deck = _bullets_deck(tmp_path, "'Decode: one token per step'", "'It''s done: fine'")
    assert cli("build", str(deck), "--dry-run", "-o", str(tmp_path / "x.pptx"), "-q").code == 0


def test_new_in_a_checkout_points_at_the_checkouts_schemas_folder(cli, tmp_path):
    checkout = tmp_path / "checkout"
    (checkout / "schemas").mkdir(parents=True)
    shutil.copy(REPO / "schemas" / "deck.schema.json", checkout / "schemas")
    assert cli("new", "talk", "--dir", str(checkout / "decks")).code == 0
    assert _modeline_schema(checkout / "decks" / "talk.yaml") == "../schemas/deck.schema.json"
    assert not (checkout / "decks" / "deck.schema.json").exists()


def test_new_outside_a_checkout_survives_moving_the_install_and_the_decks(tmp_path):
    """tfeic as installed (the package alone in a site folder), run far from any checkout; then the
    site folder (the venv) and the decks folder both move."""
    site, work = tmp_path / "site", tmp_path / "work"
    shutil.copytree(REPO / "tfeic", site / "tfeic", ignore=shutil.ignore_patterns("__pycache__"))
    work.mkdir()
    made = subprocess.run([sys.executable, "-m", "tfeic", "new", "talk"], cwd=work, capture_output=True, text=True,
                          env={**os.environ, "PYTHONPATH": str(site)})
    assert made.returncode == 0, made.stderr
    assert "decks/deck.schema.json" in made.stderr  # says what it wrote beside the deck
    shutil.move(site, tmp_path / "venv-moved")
    moved = tmp_path / "elsewhere" / "decks"
    shutil.move(work / "decks", moved)
    target = _modeline_schema(moved / "talk.yaml")
    assert target == "deck.schema.json"
    assert json.loads((moved / target).read_text())["$id"] == DECK_SCHEMA_ID


# ``tfeic render`` in a child Python where ``import fitz`` (PyMuPDF) fails, as on a machine without it:
# a ``None`` in sys.modules makes the import raise ImportError (Python's import system, "sys.modules").
_WITHOUT_PYMUPDF = ("import sys; sys.modules['fitz'] = sys.modules['pymupdf'] = None; "
                    "from tfeic.cli import main; sys.exit(main(sys.argv[1:]))")


def _render_without_pymupdf(*args: str, path: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(REPO), "PATH": path}
    return subprocess.run([sys.executable, "-c", _WITHOUT_PYMUPDF, "render", *args], env=env,
                          capture_output=True, text=True, timeout=300)


@pytest.mark.skipif(not (shutil.which("soffice") and shutil.which("pdftoppm")), reason="needs LibreOffice and pdftoppm")
def test_render_png_without_pymupdf_uses_pdftoppm_and_prints_each_path(cli, deck, tmp_path):
    from PIL import Image
    from pptx import Presentation

    pptx = tmp_path / "deck.pptx"
    assert cli("build", str(deck), "-o", str(pptx), "-q").code == 0
    res = _render_without_pymupdf(str(pptx), "--png", str(tmp_path / "png"), "--dpi", "48", path=os.environ["PATH"])
    assert res.returncode == 0, res.stderr
    written = [line.removeprefix("wrote ") for line in res.stderr.splitlines()]
    # the small deck has 4 slides (title, bullets, text, reproducibility): one line per file, in order
    assert written == [str(tmp_path / "png" / f"slide-00{n}.png") for n in (1, 2, 3, 4)]
    # LibreOffice writes the page in whole 1/100 mm (360 EMU each: 12192000 EMU -> 33867 -> 960.0094 pt,
    # as pdfinfo shows), and pdftoppm rounds pixels up (poppler utils/pdftoppm.cc, savePageSlice: ceil)
    slides = Presentation(str(pptx))
    expected = tuple(math.ceil(round(emu / 360) / 100 / 25.4 * 72 * 48 / 72)
                     for emu in (slides.slide_width, slides.slide_height))
    for path in written:
        with Image.open(path) as png:
            assert png.format == "PNG" and png.size == expected


@pytest.mark.skipif(not shutil.which("soffice"), reason="LibreOffice is not installed")
def test_render_png_checks_its_tools_before_converting(deck, tmp_path):
    """LibreOffice is there (its real launcher, alone on PATH), PyMuPDF and pdftoppm are not: one line
    naming what to install, exit 3 (a tool a preview reads with is missing, as for LibreOffice), and
    nothing converted or written."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    (bin_dir / "soffice").symlink_to(shutil.which("soffice") or "")
    res = _render_without_pymupdf(str(deck), "--png", str(tmp_path / "png"), path=str(bin_dir))
    assert res.returncode == 3
    assert res.stderr.count("\n") == 1 and "error: PNG previews need poppler's pdftoppm or PyMuPDF" in res.stderr
    assert "apt-get install poppler-utils" in res.stderr and "pip install 'tfeic[preview]'" in res.stderr
    assert not (tmp_path / "png").exists()


LONG_TOKEN = "a" * 80  # one word wider than the light theme's body box at 20 pt: the list must shrink


def _theme_sizes():
    """The light theme's body size and its floor, read from the theme file itself."""
    theme = yaml.safe_load((REPO / "themes" / "light.yaml").read_text())
    body = theme["text"]["body"]
    return body["size"], body.get("min_size", theme["min_size"])


def _drawn_body_size(pptx) -> float:
    """The point size the .pptx draws slide 1's bullets at (python-pptx reads each run's ``sz``)."""
    from pptx import Presentation

    slide = Presentation(str(pptx)).slides[0]
    sizes = {run.font.size.pt for shape in slide.shapes if shape.has_text_frame and LONG_TOKEN in shape.text_frame.text
             for p in shape.text_frame.paragraphs for run in p.runs}
    assert len(sizes) == 1
    return sizes.pop()


def test_a_shrunk_block_warns_once_in_every_format(cli, tmp_path):
    deck = _bullets_deck(tmp_path, "One", LONG_TOKEN)
    preferred, floor = _theme_sizes()
    pptx = tmp_path / "x.pptx"
    text = cli("build", str(deck), "-o", str(pptx), "-q", "--no-cache")
    assert text.code == 0, text.err
    drawn = _drawn_body_size(pptx)
    assert floor <= drawn < preferred
    # the slide starts at line 4, column 5 ("  - kind: bullets"); one warning, the slide's only block
    message = f'slide 1 "Steps", box body: text shrunk from {preferred:g} pt to {drawn:g} pt to fit'
    assert text.err.splitlines() == [f"{deck}:4:5: warning: {message}"]
    as_json = cli("build", str(deck), "-o", str(pptx), "-q", "--no-cache", "--format", "json")
    assert json.loads(as_json.err) == [{"severity": "warning", "message": message, "hint": None,
                                        "path": str(deck), "line": 4, "col": 5}]
    github = cli("build", str(deck), "-o", str(pptx), "-q", "--no-cache", "--format", "github")
    assert github.err.splitlines() == [f"::warning file={deck},line=4,col=5::{message}"]
    assert cli("validate", str(deck), "-q").err.splitlines() == [f"{deck}:4:5: warning: {message}"]


def test_a_block_at_its_theme_size_does_not_warn(cli, tmp_path):
    deck = _bullets_deck(tmp_path, "One", "Two")
    res = cli("build", str(deck), "-o", str(tmp_path / "x.pptx"), "-q")
    assert res.code == 0 and res.err == ""


MISSING_FILES_DECK = """\
title: Missing
sources:
  kv: {kind: kv, path: data/nope.bin, kv_dims: [2, 8, 32, 16], dtype_bytes: 2}
  rows: {kind: table, path: rows.csv}
slides:
  - kind: bullets
    title: Points
    items: %s
"""


def test_missing_data_files_are_reported_with_the_spec_errors(cli, tmp_path):
    deck = tmp_path / "deck.yaml"
    deck.write_text(MISSING_FILES_DECK % "plain")  # a spec error: items must be a list
    res = cli("build", str(deck), "-o", str(tmp_path / "x.pptx"))
    assert res.code == 2
    # each path's column: one past the text before it on its line
    kv_col = len("  kv: {kind: kv, path: ") + 1
    rows_col = len("  rows: {kind: table, path: ") + 1
    items_col = len("    items: ") + 1
    assert res.err.splitlines() == [
        f"{deck}:3:{kv_col}: error: sources.kv.path: data/nope.bin: no such file or directory",
        f"{deck}:4:{rows_col}: error: sources.rows.path: rows.csv: no such file or directory",
        f"{deck}:8:{items_col}: error: slides[0].items: expected array, got string",
    ]
    # a dry run reads no data file, so it has only the spec error to report
    dry = cli("build", str(deck), "--dry-run", "-o", str(tmp_path / "x.pptx"))
    assert dry.code == 2 and dry.err.splitlines() == [res.err.splitlines()[2]]
    # with the spec fixed, the data stage reports the first missing file in the same words (exit 3)
    deck.write_text(MISSING_FILES_DECK % "[One]")
    fixed = cli("build", str(deck), "-o", str(tmp_path / "x.pptx"))
    assert fixed.code == 3 and res.err.splitlines()[0] in fixed.err.splitlines()


def test_every_source_with_a_path_field_declares_it_as_an_input():
    """The spec check stats a source's ``input_fields`` only: a source whose schema has a ``path``
    that it does not declare would be left out of the early report."""
    from tfeic.sources import SOURCES

    undeclared = [s.name for s in SOURCES if "path" in s.schema.get("properties", {}) and "path" not in s.input_fields]
    assert undeclared == []


def _diagram_group(slide):
    """The group shape the diagram is drawn as (render writes a shapes block as one group)."""
    (group,) = [shape for shape in slide.shapes if shape.name == "diagram"]
    return group


def test_a_diagram_warns_once_for_all_its_shrunk_shapes(cli, tmp_path):
    """Five nodes in one row; the three with a long label shrink, the two "Step" nodes do not: one
    warning for the diagram block, naming the first smallest shape and counting the other two."""
    from pptx import Presentation

    long = "Prefill reads the whole prompt and writes every block of the cache once more"
    deck = tmp_path / "diagram.yaml"
    deck.write_text("title: Diagram\nsources: {}\nslides:\n  - kind: diagram\n    title: Nodes\n    nodes:\n" + "".join(
        f'      - {{id: n{i}, label: "{long if i % 2 == 0 else "Step"}", row: 0, col: {i}}}\n' for i in range(5)))
    pptx = tmp_path / "x.pptx"
    res = cli("build", str(deck), "-o", str(pptx), "-q", "--no-cache")
    assert res.code == 0, res.err
    drawn = {shape.text_frame.text: {run.font.size.pt for p in shape.text_frame.paragraphs for run in p.runs}
             for shape in _diagram_group(Presentation(str(pptx)).slides[0]).shapes if shape.has_text_frame}
    preferred, _ = _theme_sizes()  # a node's label is body text
    assert drawn["Step"] == {preferred} and len(drawn[long]) == 1
    (shrunk,) = drawn[long]
    assert res.err.splitlines() == [f"{deck}:4:5: warning: slide 1 \"Nodes\", box diagram, shape 'node n0': "
                                    f"text shrunk from {preferred:g} pt to {shrunk:g} pt to fit (2 other shapes shrunk too)"]
