"""Small decks written into tmp_path, so CLI tests are fast and never touch the repository's decks."""

from __future__ import annotations

import textwrap

import pytest

DECK = """\
title: Small deck
date: "2026-01-02"
theme: light
sources: {}
slides:
  - kind: title
    subtitle: A subtitle
  - kind: bullets
    title: Points
    items: [One, Two, Three]
  - kind: text
    title: Prose
    text: Some words that fit.
  - kind: reproducibility
"""


@pytest.fixture
def deck(tmp_path):
    """A valid four-directive deck; returns its path (the text is ``DECK``)."""
    path = tmp_path / "deck.yaml"
    path.write_text(DECK)
    return path


def write(path, text: str) -> None:
    path.write_text(textwrap.dedent(text))
