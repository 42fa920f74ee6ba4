"""Render: placed slides -> deterministic, editable .pptx bytes, and writing them safely.

The only package in tfeic that imports python-pptx. ``render_deck`` imports it on first call, so
importing this package (as the CLI does at start-up) stays cheap.
"""

from __future__ import annotations

from ..layout.placed import PlacedDeck
from .atomic import write_atomic

__all__ = ["render_deck", "write_atomic"]


def render_deck(deck: PlacedDeck) -> bytes:
    """The .pptx bytes of ``deck``: same deck, same bytes (see ``tfeic.render.deck``)."""
    from .deck import render_deck as render

    return render(deck)
