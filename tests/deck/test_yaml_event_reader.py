"""The fast YAML reader (libyaml's events straight to data and positions) gives exactly what the
composer path gives, and leaves every unusual document to it, so diagnostics never depend on it."""

from __future__ import annotations

import pytest

from tfeic.core import yamlfile
from tfeic.core.diagnostics import Pos

pytestmark = pytest.mark.skipif(not getattr(yamlfile.yaml, "__with_libyaml__", False), reason="needs libyaml")

PLAIN = [
    "",
    "# only a comment\n",
    "---\n",
    "a: 1\n...\n",
    "a: [1, 2.5, .inf, -.nan, 0x1f, 0o17, 1_000, true, on, yes, no, null, ~, '']\n",
    "d: 2026-01-01\nt: 2026-01-01T10:00:00Z\n",
    "on: 1\n3: x\n'4': y\n=: 1\n",
    "s: |\n  line\n  two\nf: >\n  a\n  b\n",
    "- a\n- b: c\n  d: [e, {f: g}]\n",
    "- \u00e9t\u00e9: \u65e5\u672c\n",
    "a: 1\r\nb: 2\r\n",
    "a:\n  - b\n  -\n  - c\n",
    "a: !!str 3\nb: ! 4\nc: !!int '5'\nd: !!null ''\ne: !!timestamp 2020-01-01\n",
    "!!map\na: !!seq [1]\n",
    "# R&D: an ampersand that is no anchor\na: 'x & y'\n",
]

UNUSUAL = [
    "a: 1\n---\nb: 2\n",  # two documents
    "a: 1\na: 2\n",  # a duplicate key
    "<<: {a: 1}\nb: 2\n",  # a merge key
    "a: !foo 3\n",  # a tag that is not a core one
    "a: !!set {x}\n",
    "? [a]\n: 1\n",  # a key that is not a scalar
    "a: =\n",  # the value tag
    "a: &x 1\n",  # an anchor (the composer checks they are unique)
    "a: &x [1]\nb: *x\n",  # an alias
    "[1, 2",  # a syntax error
    "a: \x07\n",  # a control character
]


def composed(text: str) -> yamlfile.Document:
    """What the composer path (libyaml's or PyYAML's composer, then ``_Converter``) makes of ``text``."""
    root = yamlfile._compose_fast(text) or yamlfile._compose(text, "deck.yaml")
    doc = yamlfile.Document(path="deck.yaml", text=text, data=None)
    if root is not yamlfile._EMPTY:
        converter = yamlfile._Converter(doc, yamlfile.MAX_NODES)
        doc.data = converter.convert(root, "")
        assert not converter.errors
    return doc


@pytest.mark.parametrize("text", PLAIN)
def test_the_event_reader_gives_what_the_composer_gives(text):
    fast = yamlfile._read_events(text, "deck.yaml", yamlfile.MAX_NODES)
    assert fast is not None
    slow = composed(text)
    assert repr(fast.data) == repr(slow.data)  # repr: nan == nan is False, and 1 == True
    assert fast.positions == slow.positions and fast.key_positions == slow.key_positions


@pytest.mark.parametrize("text", UNUSUAL)
def test_an_unusual_document_is_left_to_the_composer(text):
    assert yamlfile._read_events(text, "deck.yaml", yamlfile.MAX_NODES) is None


def test_positions_are_one_based_lines_and_columns_of_values_and_keys():
    doc = yamlfile._read_events("title: T\nslides:\n  - kind: bullets\n    items: [a, 'b']\n", "d.yaml", 100)
    assert doc is not None
    assert doc.data == {"title": "T", "slides": [{"kind": "bullets", "items": ["a", "b"]}]}
    assert doc.positions["title"] == Pos("d.yaml", 1, 8)
    assert doc.positions["slides/0"] == Pos("d.yaml", 3, 5)  # the mapping starts at its first key
    assert doc.positions["slides/0/items/1"] == Pos("d.yaml", 4, 16)
    assert doc.key_positions["slides/0/items"] == Pos("d.yaml", 4, 5)


def test_more_nodes_than_the_limit_is_left_to_the_composer_which_reports_it():
    text = "a: [1, 2, 3]\n"  # the mapping, the list and three numbers: five nodes
    assert yamlfile._read_events(text, "d.yaml", 5) is not None
    assert yamlfile._read_events(text, "d.yaml", 4) is None
