"""Generated deck specs: random YAML structures, and every directive with random values for its real
options (typed as its schema says half of the time, anything at all otherwise), built with
``--dry-run`` so every source kind contributes its synthetic data without input files."""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st

from tfeic.directives import DIRECTIVES

from .harness import build, fuzz
from .mutate import JSON_VALUES

# one source of every kind the directives read; --dry-run synthesises them all
SOURCES = {
    "server": {"kind": "server", "url": "http://127.0.0.1:9", "prompt": "hi"},
    "engine": {"kind": "engine", "path": "model"},
    "kv": {"kind": "kv", "path": "pool.bin"},
    "trace": {"kind": "trace", "path": "trace.json"},
    "table": {"kind": "table", "path": "t.csv"},
    "logs": {"kind": "trtllm_log", "path": "a.log"},
    "events": {"kind": "kv_events", "path": "e.json"},
}
TEXT = st.text(st.characters(codec="utf-8", exclude_categories=["Cs"]), max_size=40)
BY_TYPE = {
    "string": TEXT | st.sampled_from(sorted(SOURCES)),
    "integer": st.integers(-3, 2**40),
    "number": st.floats(allow_nan=True, allow_infinity=True),
    "boolean": st.booleans(),
    "array": st.lists(JSON_VALUES | TEXT, max_size=5),
    "object": st.dictionaries(TEXT, JSON_VALUES, max_size=3),
}


def option_value(schema: dict):
    """A value for one option: from its ``enum``, of its ``type``, or anything."""
    typed = []
    if "enum" in schema:
        typed.append(st.sampled_from(schema["enum"]))
    kinds = schema.get("type")
    for kind in [kinds] if isinstance(kinds, str) else kinds or []:
        typed.append(BY_TYPE.get(kind, JSON_VALUES))
    return st.one_of(*typed, JSON_VALUES) if typed else JSON_VALUES


@st.composite
def slide(draw):
    directive = draw(st.sampled_from(sorted(d.name for d in DIRECTIVES)))
    props = DIRECTIVES.get(directive).schema.get("properties", {})
    names = draw(st.lists(st.sampled_from(sorted(props)), unique=True, max_size=len(props))) if props else []
    return {"kind": directive, **{n: draw(option_value(props[n])) for n in names}}


DECKS = st.fixed_dictionaries(
    {"title": TEXT, "sources": st.just(SOURCES), "slides": st.lists(slide(), min_size=1, max_size=3)},
    optional={"theme": st.sampled_from(["light", "dark"]), "limits": JSON_VALUES},
)


def build_spec(cli, text: str) -> int:
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        (root / "deck.yaml").write_text(text, encoding="utf-8")
        (root / "out.pptx").write_bytes(b"previous")
        return build(cli, root / "deck.yaml", root / "out.pptx", "--dry-run").code


@fuzz(100)
@given(deck=DECKS)
def test_random_directive_options(cli, deck):
    build_spec(cli, yaml.safe_dump(deck, allow_unicode=True))


@fuzz(50)
@given(value=JSON_VALUES | st.lists(JSON_VALUES, max_size=4) | TEXT)
def test_random_yaml_structures(cli, value):
    build_spec(cli, yaml.safe_dump(value, allow_unicode=True))


@fuzz(40)
@given(text=st.text(st.sampled_from("title: x\n -[]{}:&*!|>'\"#%@`,?\t\r\x00\x07\x1b\x85\ufeff\ud7ff"), max_size=80))
def test_random_yaml_syntax(cli, text):
    build_spec(cli, text)


@pytest.mark.parametrize("theme", ["nope", "../missing.yaml"])
def test_unknown_theme_points_at_the_deck(cli, theme):
    build_spec(cli, yaml.safe_dump({"title": "t", "theme": theme, "slides": [{"kind": "title"}]}))
