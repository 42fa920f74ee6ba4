"""Render: placed slides -> deterministic, editable .pptx bytes, and writing them safely.

The only package in tfeic that imports python-pptx. ``render_deck`` and ``render_reusing`` import
it on first call, so importing this package (as the CLI does at start-up) stays cheap.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..layout.placed import PlacedDeck
from .atomic import refuse_inputs, write_atomic

if TYPE_CHECKING:
    from .reuse import Rendering

__all__ = ["refuse_inputs", "render_deck", "render_reusing", "write_atomic"]


def render_deck(deck: PlacedDeck) -> bytes:
    """The .pptx bytes of ``deck``: same deck, same bytes (see ``tfeic.render.deck``)."""
    from .deck import render_deck as render

    return render(deck)


def render_reusing(deck: PlacedDeck, previous: Rendering | None = None) -> Rendering:
    """``deck`` rendered, redrawing only the slides that changed since ``previous`` (a ``Rendering``
    an earlier build returned) where that gives ``render_deck``'s bytes (see ``tfeic.render.reuse``)."""
    from .reuse import render_reusing as render

    return render(deck, previous)
