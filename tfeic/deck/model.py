"""The typed deck: what ``spec`` hands to the rest of the pipeline.

Every node remembers where it came from (``Pos``), and ``positions`` maps a JSON-pointer-like path
inside the options (``"rows/3/1"``) to its position, so later stages can point at the exact value.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Mapping

from ..core.diagnostics import Diagnostic, Pos


@dataclass
class SourceSpec:
    """A named data source: ``kind`` picks the loader, ``options`` are its validated fields."""

    name: str
    kind: str
    options: dict[str, Any]
    pos: Pos
    positions: dict[str, Pos] = field(default_factory=dict)

    def pos_of(self, *path: str | int) -> Pos:
        return _nearest(self.positions, path, self.pos)


@dataclass
class SlideSpec:
    """One slide directive: ``kind`` picks the directive; ``options`` are its validated fields."""

    index: int  # 0-based position in the deck's ``slides`` list
    kind: str
    options: dict[str, Any]
    pos: Pos
    notes: str = ""
    positions: dict[str, Pos] = field(default_factory=dict)

    def pos_of(self, *path: str | int) -> Pos:
        return _nearest(self.positions, path, self.pos)


@dataclass
class Deck:
    path: str  # the deck file as given (relative paths in messages stay short)
    base_dir: str  # absolute directory the deck's relative paths resolve against
    title: str
    theme: str
    sources: dict[str, SourceSpec]
    slides: list[SlideSpec]
    author: str = ""
    date: str | None = None  # ISO date for document properties; else SOURCE_DATE_EPOCH; else fixed
    text: str = ""  # the YAML text, for the spec digest
    options: dict[str, Any] = field(default_factory=dict)  # other top-level fields (limits, ...)
    positions: dict[str, Pos] = field(default_factory=dict)  # top-level fields ("theme", "title", ...)
    notices: tuple[Diagnostic, ...] = ()  # what loading left out (optional sources not supplied), as warnings
    omitted: frozenset[str] = frozenset()  # the optional sources left out (a field naming one reads as unset)
    plain: bool = False  # its YAML is plain (no anchors, aliases, merge keys): a slide's own text gives its value

    def pos_of(self, *path: str | int) -> Pos:
        return _nearest(self.positions, path, Pos(self.path))


def named_sources(options: Mapping[str, Any], source_options: Mapping[str, tuple[str, ...]]) -> set[str]:
    """The source names a slide's ``options`` give in the options that name sources (a directive's
    ``sources``: option -> accepted kinds); an option left out names the conventional source, called
    like its first kind (a ``kv`` source is called kv); an option may hold a list of names."""
    names: set[str] = set()
    for option, kinds in source_options.items():
        value = options.get(option, kinds[0])
        names.update(v for v in (value if isinstance(value, list) else [value]) if isinstance(v, str))
    return names


def _nearest(positions: dict[str, Pos], path: tuple, default: Pos) -> Pos:
    """The position of ``path``, else of its nearest recorded ancestor (``rows/3`` for
    ``rows/3/9``), else the node's own."""
    parts = [str(p) for p in path]
    while parts:
        found = positions.get("/".join(parts))
        if found:
            return found
        parts.pop()
    return default
