"""The pipeline, stage by stage: spec -> sources -> directives -> layout -> render.

This is the only module that knows the order of the stages (like Jinja2's Environment); every
stage hands the next a plain value. ``compile_deck`` never writes files: the CLI decides where the
bytes go, so a failed build can never leave half an output behind.
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any

from . import __version__
from .directives import BuildInfo
from .ir import ImageBlock, Slide
from .layout.placed import PlacedDeck, emu
from .spec.model import Deck


@dataclass
class BuildOptions:
    theme: str | None = None  # theme name or file; overrides the deck's
    overrides: list[str] = field(default_factory=list)  # --set dotted.path=value
    shorthands: dict[str, Any] = field(default_factory=dict)  # TFEITool options
    dry_run: bool = False
    record: bool = False
    live: bool = False
    command: tuple[str, ...] = ()


@dataclass
class BuildResult:
    deck: Deck
    slides: list[Slide]
    placed: PlacedDeck
    proof: Any  # tfeic.layout.Proof
    pptx: bytes | None
    inputs: list[str]  # absolute paths of every file the build read (never to be overwritten)


def compile_deck(path: str, opts: BuildOptions, render: bool = True) -> BuildResult:
    from .directives.stage import expand_deck
    from .layout import layout_slides
    from .sources import SOURCES, ResolveContext, resolve
    from .spec import load_deck, load_theme

    deck = load_deck(path, opts.overrides, opts.shorthands)
    theme = load_theme(opts.theme or deck.theme, deck.base_dir)
    ctx = ResolveContext(deck=deck, dry_run=opts.dry_run, record=opts.record, live=opts.live)
    data = resolve(deck, ctx)

    inputs = [] if opts.dry_run else sorted({p for s in deck.sources.values() for p in SOURCES.get(s.kind).inputs(s, ctx)})
    build = BuildInfo(
        version=__version__,
        command=opts.command,
        spec_path=os.path.basename(deck.path),
        spec_sha256=hashlib.sha256(deck.text.encode()).hexdigest(),
        theme=theme.name,
        theme_sha256=_sha256_file(theme.source) if theme.source else "",
        inputs=tuple((os.path.relpath(p, deck.base_dir), _sha256_file(p)) for p in inputs if os.path.isfile(p)),
        dry_run=opts.dry_run,
    )
    slides = expand_deck(deck, data, build)
    placed_slides, proof = layout_slides(slides, theme)
    placed = PlacedDeck(
        width=emu(theme.width),
        height=emu(theme.height),
        slides=tuple(placed_slides),
        title=deck.title,
        author=deck.author,
        created=document_date(deck),
    )
    pptx = None
    if render:
        from .render import render_deck

        pptx = render_deck(placed)
    images = {b.path for s in slides for b in s.blocks if isinstance(b, ImageBlock)}
    all_inputs = [os.path.abspath(deck.path), *([theme.source] if theme.source else []), *inputs, *sorted(images)]
    return BuildResult(deck, slides, placed, proof, pptx, all_inputs)


def document_date(deck: Deck) -> str:
    """The document's created/modified date: the deck's ``date``, else SOURCE_DATE_EPOCH, else a
    fixed epoch, so the same inputs always give the same bytes."""
    if deck.date:
        return f"{deck.date}T00:00:00Z" if len(deck.date) == 10 else deck.date
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    seconds = int(epoch) if epoch and epoch.isdigit() else 315532800  # 1980-01-01, the zip epoch
    return datetime.fromtimestamp(seconds, timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def _sha256_file(path: str) -> str:
    from .directives.stage import file_sha256

    return file_sha256(path)
