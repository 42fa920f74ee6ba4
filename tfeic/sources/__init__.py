"""Resolve stage: each deck source becomes a domain value through a registered loader.

A source never touches the slide model. Contract (also for plugins, entry-point group
``tfeic.sources``)::

    class MySource(Source):
        name = "my_kind"                   # the ``kind:`` in the deck
        schema = {...}                     # JSON Schema for its fields (part of the deck schema)
        def load(self, spec, ctx): ...     # -> domain value; raise SourceError with a Pos
        def synthetic(self, spec, ctx): ...  # deterministic stand-in for --dry-run
        def inputs(self, spec, ctx): ...   # files it reads (digests, watch mode)
        def mode(self, spec, ctx): ...     # where its data comes from in this build (core.provenance)
"""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from ..core.datafile import InputLimits, deck_relative, path_problem
from ..core.diagnostics import Diagnostic, SourceError
from ..core.provenance import SYNTHETIC, declared
from ..core.registry import Registry
from ..deck.model import Deck, SourceSpec

if TYPE_CHECKING:
    from ..theme import Theme


@dataclass
class ResolveContext:
    deck: Deck
    dry_run: bool = False
    record: bool = False
    live: bool = False
    theme: Theme | None = None  # the deck's theme: a source may take rules from it (a trace's kernel_classes)
    # what --record took: file path -> bytes. Sources never write files; the CLI writes these with
    # the build's other outputs, only once the whole build has succeeded
    recorded: dict[str, bytes] = field(default_factory=dict)

    def path(self, spec: SourceSpec, key: str, allow_dir: bool = False) -> str:
        """An input path from a source field, resolved against the deck's directory. Missing, or not
        a regular file (a FIFO, a device, a directory unless the source documents one) -> exit 3."""
        raw = spec.options[key]
        full = deck_relative(self.deck.base_dir, raw)
        problem = path_problem(full, allow_dir)
        if problem:
            raise SourceError(Diagnostic(f"sources.{spec.name}.{key}: {raw}: {problem}", spec.pos_of(key)))
        return full

    @property
    def limits(self) -> InputLimits:
        """The caps on reading data files (the deck's ``limits``)."""
        return InputLimits.of(self.deck.options)


class Source:
    name: str = ""
    schema: dict = {"type": "object"}
    summary: str = ""
    # the option keys that name files (or folders) it reads, relative to the deck's folder: a deck with
    # spec errors also reports those that do not exist (a stat), so one run shows both
    input_fields: tuple[str, ...] = ()

    def load(self, spec: SourceSpec, ctx: ResolveContext) -> Any:
        raise NotImplementedError

    def synthetic(self, spec: SourceSpec, ctx: ResolveContext) -> Any:
        """The deterministic twin used by ``--dry-run``; by default the real loader."""
        return self.load(spec, ctx)

    def inputs(self, spec: SourceSpec, ctx: ResolveContext) -> list[str]:
        return []

    def mode(self, spec: SourceSpec, ctx: ResolveContext) -> str:
        """Where this build's value comes from (``tfeic.core.provenance``), known before loading:
        the synthetic twin in a dry run, else what the deck's ``provenance:`` declares."""
        return SYNTHETIC if ctx.dry_run else declared(spec.options)


#: Exceptions that only the bytes of an input can cause, whatever the loader: text that is not UTF-8,
#: and JSON nested deeper than Python's recursive decoder can follow. Every loader would otherwise
#: have to catch them around every read; ``resolve`` turns them into exit 3 at the source's position.
CONTENT_ERRORS = (UnicodeDecodeError, RecursionError)


def content_error(spec: SourceSpec, e: Exception) -> Diagnostic:
    where = f" {spec.options['path']}" if isinstance(spec.options.get("path"), str) else ""
    if isinstance(e, UnicodeDecodeError):
        what = f"is not UTF-8 text (byte {e.start}: {e.reason})"
    else:
        what = f"holds JSON nested deeper than the parser allows (about {sys.getrecursionlimit()} levels)"
    return Diagnostic(f"sources.{spec.name}: input{where} {what}", spec.pos)


def shown_path(path: str) -> str:
    """Relative to the working directory when inside it, so file:line diagnostics stay short."""
    rel = os.path.relpath(path)
    return path if rel.startswith("..") else rel


class FileSource(Source):
    """A source whose value is ``parse(path, text)`` of the one file named by its ``path`` field."""

    what = "file"  # how messages name the file
    input_fields = ("path",)
    path_help = ""

    @property
    def schema(self) -> dict:  # type: ignore[override]  # the registry and validation only read a source's schema
        return {"type": "object", "additionalProperties": False, "required": ["path"],
                "properties": {"path": {"type": "string", "description": self.path_help}}}

    def parse(self, path: str, text: str) -> Any:
        raise NotImplementedError

    def load(self, spec: SourceSpec, ctx: ResolveContext) -> Any:
        from ..core.datafile import read_data

        path = ctx.path(spec, "path")
        return self.parse(path, read_data(path, what=self.what, limits=ctx.limits))

    def inputs(self, spec: SourceSpec, ctx: ResolveContext) -> list[str]:
        return [ctx.path(spec, "path")]


SOURCES: Registry[Source] = Registry("tfeic.sources", "source")
SOURCES.builtins("tfeic.sources.builtin", "tfeic.sources", "sources")


def resolve(deck: Deck, ctx: ResolveContext, names: set[str] | None = None) -> dict[str, Any]:
    """Load every source the deck declares (or just ``names``); collect all errors before raising."""
    values: dict[str, Any] = {}
    errors: list[Diagnostic] = []
    for name, spec in deck.sources.items():
        if names is not None and name not in names:
            continue
        loader = SOURCES.known(spec.kind)
        try:
            values[name] = loader.synthetic(spec, ctx) if ctx.dry_run else loader.load(spec, ctx)
        except SourceError as e:
            errors.extend(e.diagnostics)
        except CONTENT_ERRORS as e:
            errors.append(content_error(spec, e))
    if errors:
        raise SourceError(errors)
    return values
