"""Rendering a deck by keeping what a previous rendering drew: only changed slides are redrawn.

A .pptx splits into each slide's own parts (``slideN.xml``, its notes slide, their relationships)
and a *frame*: everything else (content types, presentation, document properties, masters, notes
master, charts, their workbooks, pictures). A slide without charts or pictures ("plain") owns parts
that depend only on what it draws, its position and its notes slide's number; the frame depends on
the deck's size and properties, the number of slides, which slides have notes, the slide titles
(``docProps/app.xml`` lists them), and the charts and pictures. So when the frame of the new deck equals the previous one's, the new archive is the
previous archive with the changed slides' entries replaced, in the same order; and since archives
are written byte-stably (``archive.write_entries``), that is byte for byte what a full render gives.
Anything else (a chart or picture changed, a slide added, notes added, new document properties, a
different renderer version) is a full render.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, replace

from ..core.digest import code_version
from ..layout.placed import PlacedChart, PlacedDeck, PlacedImage, PlacedSlide, PlacedText
from .archive import read_entries, write_entries


@dataclass(frozen=True)
class Rendering:
    """A rendered deck, and what a later build needs to tell which of its entries it can keep."""

    pptx: bytes
    frame: str  # digest of everything outside the slides' own parts
    slides: tuple[str, ...]  # digest of what each slide's own parts depend on
    drawn: int  # slides drawn to make it (the others were kept from a previous rendering)


def render_reusing(deck: PlacedDeck, previous: Rendering | None = None) -> Rendering:
    """``deck`` rendered, redrawing only the slides that differ from ``previous`` when the frame is
    unchanged and every changed slide is plain; else rendered whole. Same bytes either way."""
    slides = tuple(_slide_digest(number, slide) for number, slide in enumerate(deck.slides, 1))
    frame = _frame_digest(deck, slides)
    if previous is not None and previous.frame == frame:
        changed = {n for n, (old, new) in enumerate(zip(previous.slides, slides), 1) if old != new}
        pptx = _splice(previous.pptx, deck, changed)
        if pptx is not None:
            return Rendering(pptx, frame, slides, len(changed))
    from .deck import render_deck

    return Rendering(render_deck(deck), frame, slides, len(deck.slides))


def _splice(archive: bytes, deck: PlacedDeck, changed: set[int]) -> bytes | None:
    """``archive`` with the entries of the ``changed`` slides redrawn; None if they do not fit."""
    if not changed:
        return archive
    from .deck import render_slides

    drawn = render_slides(deck, changed)
    entries = read_entries(archive)
    if not drawn.keys() <= {name for name, _ in entries}:  # named unlike the full render: never splice
        return None
    return write_entries([(name, drawn.get(name, data)) for name, data in entries])


def _plain(slide: PlacedSlide) -> bool:
    """Whether the slide's parts name no part numbered across the deck (charts, pictures)."""
    return not any(isinstance(box, (PlacedChart, PlacedImage)) for box in slide.all_boxes)


def _slide_digest(number: int, slide: PlacedSlide) -> str:
    """What the slide's parts are made of: its position, what it draws (its source position is for
    diagnostics only) and the bytes of its pictures, which render reads from their files."""
    h = hashlib.sha256(f"{number}\n{replace(slide, origin=None)!r}".encode())
    for box in slide.all_boxes:
        if isinstance(box, PlacedImage):
            h.update(_file_digest(box.path).encode())
    return h.hexdigest()


def _frame_digest(deck: PlacedDeck, slides: tuple[str, ...]) -> str:
    """What the frame is made of: the deck without its slides (and the bytes of its template), the code that draws it (tfeic's own
    source and the name and version of every installed distribution: python-pptx, lxml, XlsxWriter
    ...), per slide whether it has notes (plain slides) or everything it draws (others), and the title
    boxes (their text is in ``docProps/app.xml``)."""
    parts = [repr(replace(deck, slides=())), code_version(), _file_digest(deck.template) if deck.template else ""]
    for slide, digest in zip(deck.slides, slides):
        parts.append(f"notes={bool(slide.notes)}" if _plain(slide) else digest)
    parts.append(repr([box for slide in deck.slides for box in slide.boxes
                       if isinstance(box, PlacedText) and box.placeholder == "title"]))  # app.xml lists the titles
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()


def _file_digest(path: str) -> str:
    """sha256 of a picture; an unreadable one has none (the full render then reports it)."""
    try:
        with open(path, "rb") as f:
            return hashlib.sha256(f.read()).hexdigest()
    except OSError:
        return "unreadable"
