"""Render: placed slides -> deterministic, editable .pptx bytes, and writing them safely.

The only package in tfeic that knows the file format. It writes the XML itself, as strings, in the
form python-pptx 1.0 wrote it (``opc``: the package; ``deck``: slides; ``text``, ``shapes``,
``table``, ``chartxml``, ``workbook``, ``notes``: what is on them; ``presentation``, ``properties``:
the rest), and imports no python-pptx: it reads only python-pptx's template files
(``package.pptx_templates``). ``render_deck`` and ``render_reusing`` import the writers on first
call, so importing this package (as the CLI does at start-up) stays cheap. Both pass the deck
through ``xmltext.xml_safe_deck`` first: nothing reaches the package's XML unchecked.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..layout.placed import PlacedDeck
from .atomic import refuse_inputs, write_atomic
from .xmltext import Replacements, xml_safe_deck

if TYPE_CHECKING:
    from .reuse import Rendering

__all__ = ["Replacements", "refuse_inputs", "render_deck", "render_reusing", "write_atomic"]


def render_deck(deck: PlacedDeck) -> bytes:
    """The .pptx bytes of ``deck``: same deck, same bytes (see ``tfeic.render.deck``)."""
    from .deck import render_deck as render

    return render(xml_safe_deck(deck)[0])


def render_reusing(deck: PlacedDeck, previous: Rendering | None = None, keep: bool = True,
                   redraw: frozenset[int] | None = None) -> tuple[Rendering, Replacements | None]:
    """``deck`` rendered, redrawing only the slides that changed since ``previous`` (a ``Rendering``
    an earlier build returned) where that gives ``render_deck``'s bytes (see ``tfeic.render.reuse``),
    and the characters XML cannot hold that were replaced (counted over the whole deck, whichever
    slides were redrawn, so every build reports them). ``redraw``: the numbers of the only slides
    that may be drawn; a ``deck.NotKept`` (a LookupError) when another one is not in ``previous``."""
    from .reuse import render_reusing as render

    safe, replaced = xml_safe_deck(deck)
    return render(safe, previous, keep, redraw), replaced
