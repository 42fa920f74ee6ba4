"""The expand stage: every slide spec of a deck -> IR slides, all errors collected at once.

Text fields are rendered as sandboxed Jinja2 templates over the resolved data first; the directive
then sees plain values. Directives marked ``late`` (reproducibility) run after the others, once the
files the other slides read are known.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any, Callable

from ..core.diagnostics import TfeicError, combined
from ..core.digest import file_sha256
from ..ir import ImageBlock, Slide
from ..core.plain import Record, record_of
from ..deck import render_options
from ..deck.model import Deck, SlideSpec
from . import DIRECTIVES, BuildInfo, ExpandContext


def template_context(deck: Deck, data: dict[str, Any]) -> Record:
    """What templates see: plain data only (``tfeic.core.plain``), each source converted when first read."""
    return record_of({"sources": record_of(data), "deck": {"title": deck.title, "author": deck.author, "date": deck.date}})


def expand_deck(deck: Deck, data: dict[str, Any], build: BuildInfo) -> list[Slide]:
    ctx = ExpandContext(deck=deck, build=build, data=data)
    tmpl = template_context(deck, data)
    out: dict[int, list[Slide]] = {}
    errors: list[TfeicError] = []
    late = [s for s in deck.slides if getattr(DIRECTIVES.get(s.kind), "late", False)]
    for phase in ([s for s in deck.slides if s not in late], late):
        if phase is late and late:
            ctx.build = replace(build, inputs=_with_images(build.inputs, out, deck.base_dir))
        for spec in phase:
            try:
                out[spec.index] = _expand_one(spec, ctx, tmpl)
            except TfeicError as e:
                errors.append(e)
    if errors:
        raise combined(errors)
    return [slide for i in sorted(out) for slide in out[i]]


def _expand_one(spec: SlideSpec, ctx: ExpandContext, tmpl: Record) -> list[Slide]:
    directive = DIRECTIVES.known(spec.kind)
    used: set[str] = set()  # the sources this slide shows: those its templates read, and those it names
    options = render_options(spec.options, spec.positions, _reading(tmpl, used), spec.pos)
    spec = replace(spec, options=options)
    data = {}
    for opt, kinds in directive.sources.items():
        name = options.get(opt, kinds[0])  # conventional names: a `kv` source is called kv
        if isinstance(name, list):  # an option naming several sources gets their values in order
            data[opt] = [ctx.data[n] for n in name if n in ctx.data]
            used.update(n for n in name if n in ctx.data)
        elif name in ctx.data:
            data[opt] = ctx.data[name]
            used.add(name)
    slides = directive.expand(spec, data, ctx)
    notes = spec.notes or options.get("notes") or ""
    modes = tuple(sorted({mode for n in used if (mode := ctx.build.mode(n))}))
    return [replace(s, origin=s.origin or spec.pos, directive=spec.kind, notes=s.notes or notes,
                    provenance=modes) for s in slides]


def _reading(tmpl: Record, used: set[str]) -> Record:
    """``tmpl`` whose ``sources`` adds the name of each source a template reads to ``used``."""
    sources = tmpl["sources"]

    def reader(name: str) -> Callable[[], Any]:
        def read() -> Any:
            used.add(name)
            return sources[name]
        return read

    def field(key: str) -> Callable[[], Any]:
        tracked = Record({name: reader(name) for name in sources})
        return (lambda: tracked) if key == "sources" else (lambda: tmpl[key])

    return Record({key: field(key) for key in tmpl})


def _with_images(inputs, slides_by_index, base_dir) -> tuple[tuple[str, str], ...]:
    import os

    seen = {path for path, _ in inputs}
    extra = []
    for slides in slides_by_index.values():
        for slide in slides:
            for block in slide.blocks:
                if isinstance(block, ImageBlock):
                    rel = os.path.relpath(block.path, base_dir)
                    if rel not in seen:
                        seen.add(rel)
                        extra.append((rel, file_sha256(block.path)))
    return tuple(inputs) + tuple(sorted(extra))
