"""Friendlier edges for a new user (issue 18, item 5): each test runs the real CLI on a small deck
and checks the one line a user would read."""

from __future__ import annotations


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
