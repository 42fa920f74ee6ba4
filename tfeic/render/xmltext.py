"""The one gate between a placed deck's strings and the .pptx's XML.

XML 1.0 cannot hold C0 control characters other than tab, newline and carriage return, the
non-characters U+FFFE and U+FFFF, or surrogate code points; lxml (under python-pptx and render's own
DrawingML) refuses them, and an embedded workbook or a hand-written part holding one is not a valid
package. XML 1.0 allows but discourages DEL and the C1 controls (U+007F-U+009F, section 2.2), which
renderers draw as arbitrary stand-ins and a terminal may obey (U+009B is CSI). Decks and their data
can hold any of them: a YAML ``"\\a"`` or ``"\\ud800"`` escape, a kernel name from a trace, a
server's model id. So before anything is drawn, every string of the placed deck (text runs, shape
and box names, alt text, table cells, chart categories, series names, axis titles, number formats,
font families, notes, the document title and author) goes through ``xml_safe``, which replaces each
such character with U+FFFD: visible in the deck, never a crash. ``xml_safe_deck`` walks the whole
deck generically, so a string field added later passes the gate too, and counts what it replaced,
so the build reports it once as a warning.

Layout measures these same characters as the U+FFFD drawn in their place (``tfeic.layout.fonts``),
so the proof holds for what is drawn. That is also why each surrogate of a pair (a YAML
``"\\ud83d\\ude00"`` escape) is replaced on its own rather than joined into the character it encodes.
"""

from __future__ import annotations

import functools
import typing
from dataclasses import dataclass, fields, is_dataclass, replace
from typing import Any, Callable

from ..core.diagnostics import Diagnostic, Pos
from ..core.text import REPLACEMENT, XML_ILLEGAL
from ..ir import Paragraph, Span
from ..layout.placed import (PlacedChart, PlacedDeck, PlacedImage, PlacedShape, PlacedShapes, PlacedSlide, PlacedTable,
                             PlacedText, Rect, TextStyle)

ILLEGAL = XML_ILLEGAL
# Fields that hold no text for the package: a picture's path names the file whose bytes are embedded
# (replacing a character in it would read another file), and a slide's origin is for messages only.
_NOT_TEXT = {(PlacedImage, "path")}
_SKIPPED_TYPES = (Pos,)
_NOT_TEXT_TYPES = (int, float, bool, type(None))
_WALKED = {cls for cls in (PlacedSlide, PlacedText, PlacedTable, PlacedImage, PlacedShape, PlacedShapes, PlacedChart,
                           TextStyle, Paragraph, Span, Rect) if "__slots__" not in vars(cls)}  # fields: their __dict__


def xml_safe(text: str) -> str:
    """``text`` with every character XML 1.0 cannot hold (or discourages) replaced by U+FFFD;
    ``text`` itself (the same object) when it holds none."""
    return _Scrubber().text(text)


@dataclass(frozen=True)
class Replacements:
    """What ``xml_safe_deck`` replaced: how many characters, the first one and where it was."""

    count: int
    first: str
    where: str  # "slide 3", or "the deck's title" / "the deck's author"
    origin: Pos | None = None  # where that slide was written
    field: str = ""  # the deck field ("title", "author") when the first one is in one

    def diagnostic(self, pos_of: Callable[..., Pos]) -> Diagnostic:
        """The build's one warning line, at the first replacement's slide or deck field (``pos_of``:
        ``Deck.pos_of``, the position of a deck field, or of the deck itself when given none)."""
        return Diagnostic(
            f"{self.count} character{'s' if self.count != 1 else ''} not allowed in a .pptx replaced by U+FFFD "
            f"(first: U+{ord(self.first):04X} in {self.where})",
            self.origin or pos_of(*filter(None, [self.field])),
            severity="warning",
        )


def xml_safe_deck(deck: PlacedDeck) -> tuple[PlacedDeck, Replacements | None]:
    """``deck`` with every string passed through ``xml_safe`` (the same object when nothing needed
    replacing), and what was replaced."""
    scrub = _Scrubber()
    title, author = scrub.text(deck.title), scrub.text(deck.author)
    first: dict[str, Any] | None = None
    if scrub.count:
        field = "title" if title is not deck.title else "author"
        first = {"where": f"the deck's {field}", "field": field}
    if not scrub.count and all(_clean(slide) for slide in deck.slides):
        return deck, None
    slides = []
    for number, slide in enumerate(deck.slides, 1):
        slides.append(slide if _clean(slide) else scrub.value(slide))
        if scrub.count and first is None:
            first = {"where": f"slide {number}", "origin": slide.origin}
    if not scrub.count:
        return deck, None
    safe = replace(deck, title=title, author=author, slides=tuple(slides))
    assert first is not None  # set where the first replacement was counted
    return safe, Replacements(scrub.count, scrub.first, **first)


def _clean(value: Any) -> bool:
    """Whether no string anywhere in ``value`` holds a character ``xml_safe`` replaces: a quick walk
    over every field (text or not), so that the rebuilding walk of ``_Scrubber`` runs only on the
    rare slide that needs it. A false alarm (say, a picture's path) only costs that walk."""
    stack = [value]
    search = ILLEGAL.search
    while stack:
        item = stack.pop()
        kind = type(item)
        if kind is str:
            if search(item) is not None:
                return False
        elif kind is tuple or kind is frozenset:
            stack.extend(item)
        elif kind in _NOT_TEXT_TYPES or kind in _SKIPPED_TYPES:
            continue
        elif kind in _WALKED:
            stack.extend(item.__dict__.values())
        elif hasattr(kind, "__dataclass_fields__"):
            stack.extend(getattr(item, name) for name in kind.__dataclass_fields__)
    return True


class _Scrubber:
    """Replaces illegal characters in strings and in the strings of tuples and dataclasses,
    rebuilding only what changed, and counts them."""

    def __init__(self) -> None:
        self.count = 0
        self.first = ""

    def text(self, text: str) -> str:
        found = ILLEGAL.search(text)
        if found is None:
            return text
        if not self.count:
            self.first = found.group()
        safe, n = ILLEGAL.subn(REPLACEMENT, text)
        self.count += n
        return safe

    def value(self, value: Any) -> Any:
        if isinstance(value, str):
            return self.text(value)
        if isinstance(value, tuple):
            items = tuple(self.value(item) for item in value)
            return value if all(new is old for new, old in zip(items, value)) else items
        names = _text_fields(type(value))  # type: ignore[arg-type]  # a class is hashable (typeshed's type[Any] is not seen so)
        if not names:
            return value
        changed = {}
        for name in names:
            old = getattr(value, name)
            new = self.value(old)
            if new is not old:
                changed[name] = new
        return replace(value, **changed) if changed else value


@functools.lru_cache(maxsize=None)
def _text_fields(cls: type) -> tuple[str, ...]:
    """The fields of a dataclass whose type can hold a string (so the walk skips rectangles, numbers,
    series values, cell indices); () for any other type and for the types whose fields are not text."""
    if not is_dataclass(cls) or cls in _SKIPPED_TYPES:
        return ()
    hints = typing.get_type_hints(cls)
    return tuple(f.name for f in fields(cls) if (cls, f.name) not in _NOT_TEXT and _may_hold_text(hints[f.name]))


def _may_hold_text(hint: Any) -> bool:
    """Whether a value of type ``hint`` can hold a string: a str, or a union, tuple, set or
    dataclass with one inside (anything else unknown counts as yes)."""
    if hint in _NOT_TEXT_TYPES or hint is Ellipsis:
        return False
    if is_dataclass(hint):
        return bool(_text_fields(hint))  # type: ignore[arg-type]  # (as above)
    args = typing.get_args(hint)
    if args:
        return any(_may_hold_text(arg) for arg in args)
    return True
