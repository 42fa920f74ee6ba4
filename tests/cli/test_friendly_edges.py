"""Friendlier edges for a new user (issue 18, item 5): each test runs the real CLI on a small deck
and checks the one line a user would read."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys

from conftest import REPO

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
