"""Fuzzed text, heavy in characters XML 1.0 cannot hold, in every kind of string a deck writes into the
package: document title and author, notes, bullets, table cells, chart categories (from a
CSV), axis titles and a chart's number format. Whatever the text, the build ends as ``harness.build`` demands; when it
succeeds every XML part (embedded workbooks' too) parses strictly, and the build prints at most one line: the replacement
warning, only when some planted character is one XML cannot hold."""

from __future__ import annotations

import csv
import io
import tempfile
from pathlib import Path

import yaml
from hypothesis import given
from hypothesis import strategies as st
from lxml import etree

from .artifacts import xml_parts
from .harness import build, fuzz

NOT_XML = [chr(c) for c in [*range(0x20), *range(0x7F, 0xA0)] if c not in (0x9, 0xA, 0xD)] + ["\ufffe", "\uffff"]
# surrogates stay out of the deck: tfeic.core.cache.keys.digest cannot hash them yet (test_xml_characters)
TEXT = st.text(st.sampled_from(NOT_XML) | st.characters(codec="utf-8", exclude_categories=["Cs"]), min_size=1, max_size=16)
STRINGS = st.fixed_dictionaries({"title": TEXT, "author": TEXT, "notes": TEXT, "bullet": TEXT,
                                 "cell": TEXT, "category": TEXT, "axis_title": TEXT, "number_format": TEXT})


def deck_files(root: Path, s: dict) -> Path:
    table = io.StringIO()
    # "c" first: a blank category is another helper's layout case (uharfbuzz on empty text)
    csv.writer(table).writerows([["name", "value"], ["c" + s["category"], 1], ["plain", 2]])
    (root / "t.csv").write_text(table.getvalue(), encoding="utf-8")
    deck = {
        "title": s["title"], "author": s["author"],
        "sources": {"t": {"kind": "table", "path": "t.csv"}},
        "slides": [
            {"kind": "title", "notes": s["notes"]},
            {"kind": "bullets", "title": "Bullets", "items": [s["bullet"]]},
            {"kind": "table", "title": "Table", "header": ["a"], "rows": [[s["cell"]]]},
            {"kind": "chart", "source": "t", "title": "Chart", "x": "name", "y": "value",
             "x_title": s["axis_title"], "y_title": s["axis_title"], "number_format": s["number_format"]},
        ],
    }
    (root / "deck.yaml").write_text(yaml.safe_dump(deck, sort_keys=False))
    return root / "deck.yaml"


@fuzz(15)
@given(strings=STRINGS)
def test_text_with_characters_xml_cannot_hold(cli, strings):
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        result = build(cli, deck_files(root, strings), root / "out.pptx")
        if result.code:
            return
        for data in xml_parts((root / "out.pptx").read_bytes()).values():
            etree.fromstring(data, etree.XMLParser(recover=False))
        lines = result.err.splitlines()
        assert len(lines) <= 1 and all(" warning: " in line and "replaced by U+FFFD" in line for line in lines), lines
        if not any(c in NOT_XML for text in strings.values() for c in text):
            assert lines == [], lines
