"""Files: the output never overwrites an input, relative paths resolve against the deck file, and a
missing or unreadable input names its path and the spec position that asked for it."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
import yaml

from .harness import assert_clean_exit, build

REPO = Path(__file__).resolve().parents[2]
THEME = REPO / "themes" / "light.yaml"


@pytest.fixture
def deck(tmp_path) -> Path:
    """A deck in ``tmp_path/decks`` with its own theme file and a CSV table, all named relatively."""
    root = tmp_path / "decks"
    (root / "data").mkdir(parents=True)
    shutil.copy(THEME, root / "mine.yaml")
    (root / "data" / "t.csv").write_text("name,value\na,1\nb,2\n")
    (root / "deck.yaml").write_text(yaml.safe_dump({
        "title": "files", "theme": "mine.yaml", "sources": {"t": {"kind": "table", "path": "data/t.csv"}},
        "slides": [{"kind": "table", "source": "t"}]}))
    return root / "deck.yaml"


TARGETS = pytest.mark.parametrize("flag,victim", [(f, v) for f in ("-o", "--proof") for v in ("deck.yaml", "mine.yaml", "data/t.csv")])


def refused(cli, deck: Path, flag: str, victim: str):
    """Build with ``flag`` pointing at an input: exit 2 naming it, the input byte for byte as before."""
    target = deck.parent / victim
    before = target.read_bytes()
    output = ["-o", str(target)] if flag == "-o" else ["-o", str(deck.parent / "out.pptx"), "--proof", str(target)]
    result = cli("build", str(deck), "--no-cache", "-q", *output)
    assert result.code == 2 and "input" in result.err and victim.split("/")[-1] in result.err
    assert target.read_bytes() == before
    assert not (deck.parent / "out.pptx").exists(), "nothing is written when any target is refused"
    return result


@TARGETS
def test_output_never_overwrites_an_input(cli, deck, flag, victim):
    refused(cli, deck, flag, victim)


@TARGETS
def test_refusal_is_a_diagnostic_with_a_path(cli, deck, flag, victim):
    assert_clean_exit(refused(cli, deck, flag, victim))


def test_relative_paths_resolve_against_the_deck(cli, deck, tmp_path, monkeypatch):
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)
    assert build(cli, Path(os.path.relpath(deck, elsewhere)), elsewhere / "out.pptx").code == 0


def test_missing_input_names_path_and_position(cli, deck):
    (deck.parent / "data" / "t.csv").unlink()
    result = build(cli, deck, deck.parent / "out.pptx")
    assert result.code == 3
    assert "data/t.csv" in result.err and f"{deck}:" in result.err.split(": error")[0]


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads files whatever their mode, so chmod 000 blocks nothing")
def test_unreadable_input_names_path_and_position(cli, deck):
    csv = deck.parent / "data" / "t.csv"
    csv.chmod(0)
    try:
        result = build(cli, deck, deck.parent / "out.pptx")
    finally:
        csv.chmod(0o644)
    assert result.code == 3 and "t.csv" in result.err


def test_missing_image_names_path_and_position(cli, deck):
    deck.write_text(yaml.safe_dump({"title": "files", "slides": [{"kind": "image", "path": "no/such.png"}]}))
    result = build(cli, deck, deck.parent / "out.pptx")
    assert result.code == 3 and "no/such.png" in result.err and result.err.startswith(f"{deck}:")
