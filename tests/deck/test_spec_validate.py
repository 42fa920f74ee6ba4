"""A valid deck becomes a typed Deck; overrides and shorthands land before validation."""

from __future__ import annotations

import os
import pathlib

import pytest

from tfeic.core.diagnostics import Pos, SpecError
from tfeic.directives import DIRECTIVES
from tfeic.sources import SOURCES
from tfeic.deck.overrides import SHORTHANDS
from tfeic.deck.validate import load_deck

GLOBAL = {"directives": DIRECTIVES, "sources": SOURCES}  # the build's registries, for the real deck below

DECK = """\
title: KV cache in pictures
author: Ada
sources:
  kv: {kind: kv, path: pool.bin}
  server: {kind: server, url: "http://localhost:8000"}
  engine: {kind: engine, path: engine/}
slides:
  - kind: table
    title: Bytes per token
    notes: say the number twice
    rows:
      - [layer, bytes]
      - [0, 4096]
  - kind: kv_hexdump
    source: kv
limits: {hex_pages: 3}
"""


@pytest.fixture
def deck_file(tmp_path, monkeypatch) -> str:
    (tmp_path / "deck.yaml").write_text(DECK)
    monkeypatch.chdir(tmp_path)
    return "deck.yaml"


def test_deck_fields_and_positions(deck_file, registries):
    deck = load_deck(deck_file, **registries)
    assert (deck.path, deck.base_dir, deck.text) == ("deck.yaml", os.getcwd(), DECK)
    assert (deck.title, deck.author, deck.theme, deck.date) == ("KV cache in pictures", "Ada", "light", None)
    assert deck.options == {"limits": {"hex_pages": 3}}
    table, hexdump = deck.slides
    assert (table.index, table.kind, table.notes) == (0, "table", "say the number twice")
    assert table.options == {"title": "Bytes per token", "rows": [["layer", "bytes"], [0, 4096]]}
    assert table.pos == Pos("deck.yaml", 8, 5)
    assert table.pos_of("rows", 1, 1) == Pos("deck.yaml", 13, 13)
    assert hexdump.pos_of("source") == Pos("deck.yaml", 15, 13)
    kv = deck.sources["kv"]
    assert (kv.kind, kv.options, kv.pos_of("path")) == ("kv", {"path": "pool.bin"}, Pos("deck.yaml", 4, 24))


def test_overrides_and_shorthands_apply_before_validation(deck_file, registries):
    deck = load_deck(
        deck_file,
        ["slides.0.title=Bytes per token (bf16)", "theme=dark", "slides.0.rows.1=[1, 8192]"],
        {"--kv-dims": "2,8,32,16", "dtype_bytes": "2", "prompt": "Hello", "strict_trtllm": True, "output": "x.pptx"},
        **registries,
    )
    assert deck.theme == "dark"
    assert deck.slides[0].options["title"] == "Bytes per token (bf16)"
    assert deck.slides[0].options["rows"][1] == [1, 8192]
    assert deck.slides[0].pos_of("rows", 1, 0) == Pos("--set slides.0.rows.1")
    assert deck.sources["kv"].options == {"path": "pool.bin", "kv_dims": [2, 8, 32, 16], "dtype_bytes": 2}
    assert deck.sources["server"].options["prompt"] == "Hello"
    assert deck.sources["engine"].options["strict_trtllm"] is True


def test_shorthand_value_is_validated_like_the_file(deck_file, registries):
    with pytest.raises(SpecError) as e:
        load_deck(deck_file, shorthands={"dtype_bytes": "3"}, **registries)
    assert [d.format() for d in e.value.diagnostics] == [
        "--dtype-bytes: error: sources.kv.dtype_bytes: expected one of 1, 2, 4, got 3"
    ]


def test_shorthand_table_targets_are_source_fields():
    targets = {s.flag: s.target for s in SHORTHANDS}
    assert targets["--server"] == "sources.server.url"
    assert targets["--output"] is None
    assert all(t is None or t.startswith("sources.") for t in targets.values())


def test_non_mapping_deck(tmp_path, registries):
    path = tmp_path / "list.yaml"
    path.write_text("- a\n- b\n")
    with pytest.raises(SpecError, match="a deck is a mapping of fields, got array"):
        load_deck(str(path), **registries)


def test_golden_cases_cover_every_required_kind_of_error():
    golden = pathlib.Path(__file__).parent / "golden"
    text = "".join(p.read_text() for p in golden.glob("*.expected"))
    for needle in ("unknown directive", "unknown option", "expected array, got string", "missing required option",
                   "no source named", "YAML syntax error", "duplicate key", "billion laughs", "no index"):
        assert needle in text


REAL_DECK = """\
title: t
sources:
  server: {kind: server, url: "http://localhost:8000", prompt: "from the deck"}
  kv: {kind: kv, path: pool.bin}
slides:
  - {kind: title}
"""


@pytest.fixture
def deck_in_a_folder(tmp_path, monkeypatch):
    """A deck in decks/ and the working directory one level up, as TFEITool's users ran it."""
    (tmp_path / "decks").mkdir()
    (tmp_path / "decks" / "d.yaml").write_text(REAL_DECK)
    monkeypatch.chdir(tmp_path)
    return "decks/d.yaml"


def test_prompt_file_replaces_the_decks_prompt(deck_in_a_folder):
    deck = load_deck(deck_in_a_folder, shorthands={"prompt_file": "prompts/p.txt"}, **GLOBAL)
    assert deck.sources["server"].options == {"url": "http://localhost:8000", "prompt_file": "../prompts/p.txt"}


def test_prompt_and_prompt_file_together_are_one_error_at_the_flag(deck_in_a_folder):
    with pytest.raises(SpecError) as e:
        load_deck(deck_in_a_folder, shorthands={"prompt": "a", "prompt_file": "p.txt"}, **GLOBAL)
    assert [d.format() for d in e.value.diagnostics] == [
        "--prompt-file: error: --prompt and --prompt-file both set the prompt: give one"]


def test_shorthand_paths_name_files_relative_to_the_working_directory(deck_in_a_folder, tmp_path):
    deck = load_deck(deck_in_a_folder, shorthands={"kv_binary": "decks/data/pool.bin"}, **GLOBAL)
    path = deck.sources["kv"].options["path"]
    assert path == "data/pool.bin"  # relative to the deck, which is what sources resolve against
    assert os.path.join(tmp_path, "decks", path) == os.path.join(tmp_path, "decks/data/pool.bin")
    far = load_deck(deck_in_a_folder, shorthands={"kv_binary": "/srv/pools/pool.bin"}, **GLOBAL).sources["kv"].options["path"]
    assert far == "/srv/pools/pool.bin"  # shorter than ../../../srv/...: kept absolute
