"""Expand stage: each slide directive plus the data it names becomes one or more IR slides.

Contract (also for plugins, entry-point group ``tfeic.directives``)::

    class MyDirective(Directive):
        name = "my_slide"                  # the ``kind:`` in the deck
        schema = {...}                     # JSON Schema (object) for its options; part of the deck schema
        sources = {"source": ("kv",)}      # options that name deck sources, and the kinds they accept
        def expand(self, spec, data, ctx): # data: {option: resolved value}; -> list[Slide]
            ...

Directives never import python-pptx and never compute coordinates.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from typing import Any

from ..core.datafile import path_problem
from ..core.diagnostics import Diagnostic, Pos, SourceError
from ..ir import Slide
from ..core.limits import limit
from ..core.registry import Registry
from ..deck.model import Deck, SlideSpec


@dataclass(frozen=True)
class BuildInfo:
    """What the reproducibility slide reports. Never holds environment variables, headers or keys."""

    version: str
    command: tuple[str, ...]
    spec_path: str
    spec_sha256: str
    theme: str
    theme_sha256: str
    inputs: tuple[tuple[str, str], ...]  # (path relative to the deck, sha256)
    dry_run: bool = False
    sources: tuple[tuple[str, str, str], ...] = ()  # (name, kind, mode) of every source (core.provenance)

    def mode(self, source: str) -> str | None:
        """The mode of the source named ``source`` in this build (None for an unknown name)."""
        return next((mode for name, _, mode in self.sources if name == source), None)


@dataclass
class ExpandContext:
    deck: Deck
    build: BuildInfo
    data: dict[str, Any] = field(default_factory=dict)  # every resolved source, by name

    def path(self, spec: SlideSpec, raw: str, *key: str | int) -> str:
        """A file named in a slide option, resolved against the deck directory; missing -> exit 3."""
        full = os.path.normpath(os.path.join(self.deck.base_dir, os.path.expanduser(raw)))
        problem = path_problem(full)  # a FIFO would block the image reader, a device never end
        if problem:
            label = ".".join(str(k) for k in key)
            raise SourceError(slide_diagnostic(spec, label, f"{raw}: {problem}", spec.pos_of(*key)))
        return full

    def limit(self, name: str) -> int:
        """The deck's ``limits.<name>`` or its default (``tfeic.core.limits.LIMITS``)."""
        return limit(self.deck.options, name)


class Directive:
    name: str = ""
    summary: str = ""
    schema: dict = {"type": "object", "properties": {}}
    sources: dict[str, tuple[str, ...]] = {}
    default_layout: str = "title-body"

    def expand(self, spec: SlideSpec, data: dict[str, Any], ctx: ExpandContext) -> list[Slide]:
        raise NotImplementedError

    def layout_of(self, spec: SlideSpec) -> str:
        layout: str = spec.options.get("layout", self.default_layout)
        return layout


DIRECTIVES: Registry[Directive] = Registry("tfeic.directives", "directive")
DIRECTIVES.builtins("tfeic.directives.builtin", "tfeic.directives", "directives")


def slide_diagnostic(spec: SlideSpec, where: str, message: str, pos: Pos | None = None,
                     hint: str | None = None) -> Diagnostic:
    """A problem with one slide's options, worded as every directive words it: ``slides[3].where:
    message`` (``slides[3]: message`` when ``where`` is empty), at ``pos`` or else the slide's own."""
    prefix = f"slides[{spec.index}]" + (f".{where}" if where else "")
    return Diagnostic(f"{prefix}: {message}", pos or spec.pos, hint)

