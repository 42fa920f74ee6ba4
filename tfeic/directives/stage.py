"""The expand stage: every slide spec of a deck -> IR slides, all errors collected at once.

Text fields are rendered as sandboxed Jinja2 templates over the resolved data first; the directive
then sees plain values. Directives marked ``late`` (reproducibility) run after the others, once the
files the other slides read are known (``expand_slides``: the one place that ordering lives).
"""

from __future__ import annotations

import os
from dataclasses import replace
from typing import Any, Callable, Collection

from ..core.diagnostics import MissingData, SourceError, TfeicError, combined
from ..core.digest import file_sha256
from ..ir import Slide, pictures_of
from ..core.plain import Record, record_of
from ..deck import render_options
from ..deck.model import Deck, SlideSpec
from . import DIRECTIVES, BuildInfo, ExpandContext, slide_diagnostic


def template_context(deck: Deck, data: dict[str, Any]) -> Record:
    """What templates see: plain data only (``tfeic.core.plain``), each source converted when first read."""
    return record_of({"sources": record_of(data), "deck": {"title": deck.title, "author": deck.author, "date": deck.date}})


def expand_slides(deck: Deck, specs: list[SlideSpec], data: dict[str, Any], build: BuildInfo,
                  pictures: Collection[str] = ()) -> dict[int, list[Slide]]:
    """Expand ``specs`` (some slides of ``deck``): slide index -> its IR slides; every error of every
    slide is raised together.

    Directives marked ``late`` (the reproducibility slide) run after the others, with the pictures that
    every other slide shows (those expanded here, and ``pictures``: those of the slides kept from a
    previous build) added to the build's inputs: the files a deck reads are known only once its
    slides are expanded."""
    ctx = ExpandContext(deck=deck, build=build, data=data)
    tmpl = template_context(deck, data)
    out: dict[int, list[Slide]] = {}
    errors: list[TfeicError] = []
    late = [s for s in specs if getattr(DIRECTIVES.get(s.kind), "late", False)]
    for phase in ([s for s in specs if s not in late], late):
        if phase is late and late:
            known = {*pictures, *pictures_of(slide for slides in out.values() for slide in slides)}
            ctx.build = replace(build, inputs=_with_images(build.inputs, known, deck.base_dir))
        for spec in phase:
            try:
                out[spec.index] = _expand_one(spec, ctx, tmpl)
            except TfeicError as e:
                errors.append(e)
    if errors:
        raise combined(errors)
    return out


def _expand_one(spec: SlideSpec, ctx: ExpandContext, tmpl: Record) -> list[Slide]:
    try:
        return _expand_slide(spec, ctx, tmpl)
    except MissingData as e:  # raised while a template or the directive read the data: name the slide
        raise SourceError([slide_diagnostic(spec, "", d.message, hint=d.hint) for d in e.diagnostics]) from None


def _expand_slide(spec: SlideSpec, ctx: ExpandContext, tmpl: Record) -> list[Slide]:
    directive = DIRECTIVES.known(spec.kind)
    used: set[str] = set()  # the sources this slide shows: those its templates read, and those it names
    options = spec.options
    if _has_template(options):
        options = render_options(options, spec.positions, _reading(tmpl, used), spec.pos)
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


def _has_template(options: Any) -> bool:
    """Whether any string in ``options`` may be a template. ``repr`` escapes no brace, so a string
    holding ``{{`` or ``{%`` shows it there; most slides hold none, and then copying their options
    string by string (``render_options``) only to get equal values back is a tenth of expanding."""
    text = repr(options)
    return "{{" in text or "{%" in text


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


def _with_images(inputs: tuple[tuple[str, str], ...], pictures: set[str], base_dir: str) -> tuple[tuple[str, str], ...]:
    """``inputs`` (path relative to the deck, sha256) with the ``pictures`` added, sorted."""
    seen = {path for path, _ in inputs}
    extra = {}
    for path in pictures:
        rel = os.path.relpath(path, base_dir)
        if rel not in seen and rel not in extra:
            extra[rel] = file_sha256(path)
    return tuple(inputs) + tuple(sorted(extra.items()))
