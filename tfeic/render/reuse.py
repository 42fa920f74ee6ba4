"""Rendering a deck by keeping what a previous rendering drew: only changed slides are drawn again.

A slide's own zip entries (its part, its notes slide, its charts and their workbooks, and their
relationships) depend only on what the slide draws, its position, the names its charts and pictures
get and the number its notes slide gets, and the layout it is on: ``deck.render_entries`` keys them
by a digest of exactly that. Everything else (content types, the presentation, document properties,
masters, pictures) is the frame, which is cheap and always written anew. So a rebuild draws the
slides whose key is new and copies the others' compressed entries from the previous rendering: the
archive is byte for byte what a full render gives (``archive.write_archive`` is a function of the
entries), and a one-slide edit costs one slide plus the frame.

A previous rendering by other code (another tfeic version, python-pptx, lxml ...) or of another
template or date is never reused: ``Rendering.code`` and ``Rendering.frame`` must match.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from ..core.digest import code_version
from ..layout.placed import PlacedDeck
from .archive import Entry, write_archive


@dataclass(frozen=True)
class Rendering:
    """A rendered deck, and the slides' entries a later build may keep."""

    pptx: bytes
    frame: str  # digest of the code and of what every slide's entries also depend on
    slides: dict[str, list[Entry]]  # slide key -> its entries (deck.render_entries)
    drawn: int  # slides drawn to make it (the others were kept from a previous rendering)


def render_reusing(deck: PlacedDeck, previous: Rendering | None = None, keep: bool = True,
                   redraw: frozenset[int] | None = None) -> Rendering:
    """``deck`` rendered, drawing only the slides ``previous`` did not already draw. Same bytes as
    ``render_deck`` either way. ``keep=False`` (no cache to keep it in): nothing is kept for later.
    ``redraw``: the only slides that may be drawn (``deck.render_entries``)."""
    from .deck import render_entries

    if not keep:
        return Rendering(write_archive(render_entries(deck, None)[0]), "", {}, len(deck.slides))
    frame = _frame_digest(deck)
    offered = previous.slides if previous is not None and previous.frame == frame else {}
    entries, slides = render_entries(deck, offered, redraw)
    return Rendering(write_archive(entries), frame, slides, len(slides.keys() - offered.keys()))


def _frame_digest(deck: PlacedDeck) -> str:
    """The code that draws (tfeic's own source and every installed distribution's name and version:
    python-pptx's templates, lxml ...), the template's bytes and the document's date, which the
    charts' workbooks carry."""
    parts = [code_version(), deck.template, _file_digest(deck.template) if deck.template else "", deck.created]
    return hashlib.sha256(repr(parts).encode()).hexdigest()


def _file_digest(path: str) -> str:
    """sha256 of a file; an unreadable one has none (the full render then reports it)."""
    try:
        with open(path, "rb") as f:
            return hashlib.sha256(f.read()).hexdigest()
    except OSError:
        return "unreadable"
