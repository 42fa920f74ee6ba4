"""Characters XML 1.0 cannot hold never break a build: wherever they come from (the deck's title,
author, notes, bullets, table cells, a chart's categories and number format, kernel names in a
trace), they reach the .pptx as U+FFFD and the build says so in one warning line, exit 0.

The package is then checked the way a reader would: python-pptx opens it, lxml's strict parser
parses every XML part (and every part of the embedded chart workbooks), and each planted string is
there with U+FFFD where the illegal character was."""

from __future__ import annotations

import json
import re
from pathlib import Path

import yaml
from lxml import etree
from pptx import Presentation

from .artifacts import xml_parts
from .harness import build

ILLEGAL = ["\x07", "\ufffe", "\uffff", "\x01", "\x1b", "\x9b"]
WARNING = re.compile(r"^(?P<path>\S+):(?P<line>\d+):(?P<col>\d+): warning: (?P<n>\d+) characters? not allowed in a \.pptx "
                     r"replaced by U\+FFFD \(first: U\+(?P<first>[0-9A-F]{4,6}) in (?P<where>[^)]*)\)$")
TITLE = "Deck \x07 title \ufffe"
AUTHOR = "Auth\x01or \uffff"
CELL = "cell \ufffe one \x9b"  # U+009B: C1 CSI, which XML allows but a terminal obeys
NOTES = "notes \x07 here"
BULLET = "bullet \uffff text"
CATEGORY = "cat\x07egory"
NUMBER_FORMAT = '0.0"\x07"'
KERNEL = "gemm\x07\ud800\x1b[31m_kernel\uffff"  # \ud800: a lone surrogate (a JSON escape in the trace)


def safe(text: str) -> str:
    """What the package must hold for ``text``: each planted character as U+FFFD."""
    return "".join("\ufffd" if c in ILLEGAL or 0xD800 <= ord(c) <= 0xDFFF else c for c in text)


def hostile_deck(root: Path, title: str = TITLE, clean: bool = False) -> Path:
    """The deck, its CSV and its trace with the planted characters (``clean``: with them removed)."""
    plant = (lambda text: "".join(c for c in text if safe(c) == c)) if clean else (lambda text: text)
    (root / "t.csv").write_bytes(plant(f"name,value\n{CATEGORY},1\nplain,2\nother\ufffe,3\n").encode())
    events = [{"ph": "X", "cat": "kernel", "name": plant(f"{KERNEL}{i}"), "ts": 20 * i, "dur": 15, "pid": 0,
               "tid": 7, "args": {"stream": 7, "device": 0}} for i in range(4)]
    (root / "trace.json").write_text(json.dumps({"traceEvents": events}))
    deck = {
        "title": plant(title), "author": plant(AUTHOR),
        "sources": {"t": {"kind": "table", "path": "t.csv"}, "trace": {"kind": "trace", "path": "trace.json"}},
        "slides": [
            {"kind": "title", "notes": plant(NOTES)},
            {"kind": "bullets", "title": "Bullets", "items": [plant(BULLET), "plain"]},
            {"kind": "table", "title": "Table", "header": ["a", "b"], "rows": [[plant(CELL), "x"]]},
            {"kind": "chart", "source": "t", "title": "Chart", "chart": "bar", "x": "name", "y": "value",
             "number_format": plant(NUMBER_FORMAT)},
            {"kind": "timeline", "source": "trace"},
            {"kind": "kernel_summary", "source": "trace"},
        ],
    }
    (root / "deck.yaml").write_text(yaml.safe_dump(deck, sort_keys=False))  # escapes as "\a", "\uFFFE" ...
    return root / "deck.yaml"


def test_illegal_characters_become_u_fffd_with_one_warning(cli, tmp_path):
    spec = hostile_deck(tmp_path)
    result = build(cli, spec, tmp_path / "out.pptx")
    assert result.code == 0
    lines = [line for line in result.err.splitlines() if line.strip()]
    assert len(lines) == 1, result.err
    warning = WARNING.match(lines[0])
    assert warning, lines[0]
    assert warning["path"] == str(spec) and warning["first"] == "0007" and warning["where"] == "the deck's title"
    assert warning["line"] == "1"  # the title is the document's first line
    assert not any(c in lines[0] for c in ILLEGAL)  # nothing reaches the terminal raw

    parts = xml_parts((tmp_path / "out.pptx").read_bytes())
    strict = etree.XMLParser(recover=False, huge_tree=False)
    for name, data in parts.items():
        etree.fromstring(data, strict)  # raises on any character XML cannot hold
    text = b"\n".join(parts.values()).decode()
    assert not any(c in text for c in ILLEGAL)
    for planted in (CELL, NOTES, BULLET, CATEGORY, "other\ufffe"):
        assert safe(planted) in text, planted
    assert safe(NUMBER_FORMAT).replace('"', "&quot;") in text
    assert safe(KERNEL) in text  # a kernel name, in a shape name or table cell

    prs = Presentation(str(tmp_path / "out.pptx"))
    assert prs.core_properties.title == safe(TITLE)
    assert prs.core_properties.author == safe(AUTHOR)
    # one slide per directive, plus the kernel summary's class chart; a continuation ("(cont.)") of the
    # reproducibility table depends on how long the temporary path in its command row is, so not counted
    titles = [s.shapes.title.text_frame.text if s.shapes.title is not None else "" for s in prs.slides]
    assert len([t for t in titles if not t.endswith("(cont.)")]) == 7, titles
    assert prs.slides[0].notes_slide.notes_text_frame.text == safe(NOTES)
    planted = sum(safe(t).count("\ufffd") for t in (TITLE, AUTHOR, NOTES, BULLET, CELL, CATEGORY, "other\ufffe", NUMBER_FORMAT))
    assert int(warning["n"]) > planted  # each planted one, and the kernel names' (however often layout shows them)


def test_a_lone_surrogate_in_the_deck_itself(cli, tmp_path):
    spec = hostile_deck(tmp_path, title="lone \ud800 surrogate")
    result = build(cli, spec, tmp_path / "out.pptx")
    assert result.code == 0
    assert Presentation(str(tmp_path / "out.pptx")).core_properties.title == "lone \ufffd surrogate"


def test_the_proof_of_a_deck_with_a_lone_surrogate_in_its_data(cli, tmp_path):
    spec = hostile_deck(tmp_path, title="t")
    events = [{"ph": "X", "cat": "kernel", "name": f"gemm\ud800{i}", "ts": 20 * i, "dur": 15, "pid": 0, "tid": 7,
               "args": {"stream": 7, "device": 0}} for i in range(4)]  # named in the proof's shape names
    (tmp_path / "trace.json").write_text(json.dumps({"traceEvents": events}))
    result = build(cli, spec, tmp_path / "out.pptx", "--proof", str(tmp_path / "p.json"))
    assert result.code == 0
    assert json.loads((tmp_path / "p.json").read_text())


def test_a_clean_deck_warns_of_nothing(cli, tmp_path):
    result = build(cli, hostile_deck(tmp_path, clean=True), tmp_path / "out.pptx")
    assert result.code == 0 and result.err == "", result.err
    assert "\ufffd" not in b"".join(xml_parts((tmp_path / "out.pptx").read_bytes()).values()).decode()


def test_a_title_longer_than_a_document_property_is_one_bounded_line(cli, tmp_path):
    spec = hostile_deck(tmp_path, title="T" * 1_000_000)
    result = build(cli, spec, tmp_path / "out.pptx")
    assert result.code == 2
    (line,) = result.err.splitlines()
    assert line.startswith(f"{spec}:1:") and "at most 255 characters, got 1000000" in line and len(line) < 300


def test_a_theme_font_family_with_a_control_character_is_a_spec_error(cli, tmp_path):
    spec = hostile_deck(tmp_path)
    (tmp_path / "t.yaml").write_text(yaml.safe_dump({"extends": "light", "fonts": {"sans": {
        "family": "Ari\x07al", "regular": "LiberationSans-Regular.ttf", "bold": "LiberationSans-Bold.ttf",
        "italic": "LiberationSans-Italic.ttf", "bold_italic": "LiberationSans-BoldItalic.ttf"}}}))
    result = build(cli, spec, tmp_path / "out.pptx", "--theme", str(tmp_path / "t.yaml"))
    assert result.code == 2
    (line,) = result.err.splitlines()
    assert re.match(rf"^{re.escape(str(tmp_path / 't.yaml'))}:\d+:\d+: error: fonts\.sans\.family: ", line), line
    assert "\x07" not in line
