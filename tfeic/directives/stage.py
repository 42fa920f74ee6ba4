"""The expand stage: every slide spec of a deck -> IR slides, all errors collected at once.

Text fields are rendered as sandboxed Jinja2 templates over the resolved data first; the directive
then sees plain values. Directives marked ``late`` (reproducibility) run after the others, once the
files the other slides read are known.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from ..core.diagnostics import MissingData, SourceError, TfeicError, combined
from ..core.digest import file_sha256
from ..ir import ImageBlock, Slide
from ..core.plain import Record, record_of
from ..deck import render_options
from ..deck.model import Deck, SlideSpec
from . import DIRECTIVES, BuildInfo, ExpandContext, slide_diagnostic


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
    try:
        return _expand_slide(spec, ctx, tmpl)
    except MissingData as e:  # raised while a template or the directive read the data: name the slide
        raise SourceError([slide_diagnostic(spec, "", d.message, hint=d.hint) for d in e.diagnostics]) from None


def _expand_slide(spec: SlideSpec, ctx: ExpandContext, tmpl: Record) -> list[Slide]:
    directive = DIRECTIVES.known(spec.kind)
    options = render_options(spec.options, spec.positions, tmpl, spec.pos)
    spec = replace(spec, options=options)
    data = {}
    for opt, kinds in directive.sources.items():
        name = options.get(opt, kinds[0])  # conventional names: a `kv` source is called kv
        if isinstance(name, list):  # an option naming several sources gets their values in order
            data[opt] = [ctx.data[n] for n in name if n in ctx.data]
        elif name in ctx.data:
            data[opt] = ctx.data[name]
    slides = directive.expand(spec, data, ctx)
    notes = spec.notes or options.get("notes") or ""
    return [replace(s, origin=s.origin or spec.pos, directive=spec.kind, notes=s.notes or notes) for s in slides]


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
