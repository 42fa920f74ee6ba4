"""The pipeline, stage by stage: spec -> sources -> directives -> layout -> render.

This is the only module that knows the order of the stages (like Jinja2's Environment); every
stage hands the next a plain value. ``compile_deck`` never writes files: the CLI decides where the
bytes go, so a failed build can never leave half an output behind.

Builds are incremental: ``plan_build`` computes, without loading any data, a content key for every
slide directive (``tfeic.core.cache.keys``); a slide whose key is in the cache reuses its expanded IR and
measured layout, and only the sources that the remaining slides read are resolved. Every slide is
laid out on its own and renumbered into the deck, which gives the same boxes as laying out the
whole deck at once (a slide's layout depends only on the slide and the theme), so cached and cold
builds give the same bytes. Rendering keeps the previous rendering of the same deck (in the cache)
and redraws only the slides whose drawing changed, when that gives the bytes a full render gives
(``tfeic.render.reuse``). The stages after planning are public (``cached_entries``,
``resolve_sources``, ``expand_and_lay_out``, ``render_pptx``) because ``tfeic.splice`` runs them for
the one directive an edit touched.
"""

from __future__ import annotations

import os
from dataclasses import asdict, dataclass, field, replace
from datetime import datetime, timezone
from typing import TYPE_CHECKING, Any

from . import __version__
from .core.cache import Cache, Digests, slide_key
from .core.cache.keys import digest, source_digest, yaml_files
from .core.digest import code_version
from .core.diagnostics import Diagnostic, Pos, SourceError, SpecError
from .core.gcpause import cyclic_gc_paused
from .directives import BuildInfo
from .domains.inference.secrets import strip_url_credentials
from .ir import Slide, pictures_of
from .core.progress import Progress
from .deck.model import Deck, SlideSpec, named_sources

if TYPE_CHECKING:  # the layout package is imported when a build needs it, not by `tfeic build`'s no-op check
    from .layout.placed import PlacedDeck, PlacedSlide
    from .theme import Theme


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
    cached: int = 0  # slide directives whose IR and layout came from the cache
    drawn: int = 0  # slides drawn by render (the others were kept from the previous rendering)
    recorded: dict[str, bytes] = field(default_factory=dict)  # --record: snapshot path -> bytes, for the CLI to write
    warnings: list[Diagnostic] = field(default_factory=list)  # printed by the CLI; the build succeeded
    counts: tuple[tuple[int, int], ...] = ()  # the IR slides and the output slides of each slide directive
    replaced: bool = False  # render replaced characters a .pptx cannot hold (one of ``warnings`` says so)


@dataclass
class Plan:
    """What a build will read, and the content keys derived from it, before any data is loaded."""

    deck: Deck
    theme: Theme
    opts: BuildOptions
    sources: dict[str, str | None]  # source name -> digest (None: not cacheable or unreadable)
    inputs: list[str]  # absolute paths of the files the sources read
    build: BuildInfo
    reads: dict[int, list[str]]  # slide index -> names of the sources it reads
    keys: dict[int, str | None]  # slide index -> content key
    files: list[str]  # every file the output depends on: spec, themes, fonts, inputs, files named by slides
    theme_dirs: list[str]  # where themes are looked up: a file appearing there can change the theme
    named: dict[int, list[tuple[str, str]]] = field(default_factory=dict)  # slide index -> files its options name
    deck_digest: str = ""  # of the deck's own fields (title, author, date, options): part of every slide key
    theme_digest: str = ""  # of the theme and its font files: part of every slide key

    @property
    def pure(self) -> bool:
        """Whether the output is a function of ``files`` (no live server, no unreadable input)."""
        return all(d is not None for d in self.sources.values())


@dataclass(frozen=True)
class SlideEntry:
    """A cache entry: one directive's IR slides, placed slides and proofs (numbered from 1), and the
    positions it was made at, so a slide that only moved in the file is re-stamped, not rebuilt."""

    slides: tuple[Slide, ...]
    placed: tuple[PlacedSlide, ...]
    proofs: tuple[Any, ...]
    pos: Pos
    positions: tuple[tuple[str, Pos], ...]


def plan_build(path: str, opts: BuildOptions, digests: Digests | None = None) -> Plan:
    """Load and validate the deck and theme and key everything; reads input files only to hash them."""
    from .directives import DIRECTIVES
    from .sources import SOURCES, ResolveContext
    from .deck import load_deck
    from .theme.load import load_theme
    from .theme.load import BUILTIN_THEMES

    digests = digests or Digests()
    deck = load_deck(path, opts.overrides, opts.shorthands, directives=DIRECTIVES, sources=SOURCES, dry_run=opts.dry_run)
    theme = load_theme(opts.theme or deck.theme, deck.base_dir, None if opts.theme else deck.pos_of("theme"))
    if theme.template:  # a company's .pptx/.potx: render reads it, the theme takes its geometry, colours, fonts
        from .render.template import read_template
        from .theme.template import apply

        theme = apply(theme, read_template(theme.template))
    ctx = ResolveContext(deck=deck, dry_run=opts.dry_run, record=opts.record, live=opts.live)
    inputs: set[str] = set()
    sources = {}
    for name, spec in deck.sources.items():
        try:
            files = [] if opts.dry_run else SOURCES.known(spec.kind).inputs(spec, ctx)
        except SourceError:  # a missing input: resolve reports it with all the others
            files = []
        inputs.update(files)
        live = opts.live or opts.record
        sources[name] = None if live else source_digest(spec.kind, spec.options, files, deck.base_dir, opts.dry_run, digests)
    # the bytes of the font files the theme measures with (any absolute file path in the theme):
    # a changed font changes every measurement, so every slide key and the no-op check
    fonts = digests.option_files(asdict(theme), deck.base_dir)
    theme_digest = digest([theme, fonts])
    deck_digest = digest({"title": deck.title, "author": deck.author, "date": deck.date, "options": deck.options})
    build = BuildInfo(
        version=__version__,
        command=tuple(map(strip_url_credentials, opts.command)),  # --server http://user:pw@host
        spec_path=os.path.basename(deck.path),
        spec_sha256=digest_text(deck.text),
        theme=theme.name,
        theme_sha256=digests.file(theme.source) if theme.source else "",
        inputs=tuple(digests.files(sorted(inputs), deck.base_dir)),
        dry_run=opts.dry_run,
        sources=tuple((name, spec.kind, SOURCES.known(spec.kind).mode(spec, ctx)) for name, spec in deck.sources.items()),
    )
    reads, named = {}, {}
    for spec in deck.slides:
        reads[spec.index], named[spec.index] = what_slide_reads(spec, deck, digests)
    every_named = sorted({file for files in named.values() for file in files})  # a late directive sees every image
    named_files = {os.path.join(deck.base_dir, p) for files in [*named.values(), fonts] for p, _ in files}
    theme_dirs = sorted({os.path.dirname(theme.source), os.path.join(deck.base_dir, "themes"), BUILTIN_THEMES} - {""})
    files = sorted({os.path.abspath(path), *yaml_files(theme_dirs), *inputs, *map(os.path.normpath, named_files)})
    plan = Plan(deck, theme, opts, sources, sorted(inputs), build, reads, {}, files, theme_dirs, named, deck_digest, theme_digest)
    for spec in deck.slides:
        late = getattr(DIRECTIVES.get(spec.kind), "late", False)
        plan.keys[spec.index] = key_of(plan, spec, (build, every_named) if late else None)
    return plan


def what_slide_reads(spec: SlideSpec, deck: Deck, digests: Digests) -> tuple[list[str], list[tuple[str, str]]]:
    """The sources a slide directive reads, and the files its options name with their digests."""
    from .directives import DIRECTIVES

    return _sources_read(spec, DIRECTIVES.get(spec.kind), deck), digests.option_files(spec.options, deck.base_dir)


def key_of(plan: Plan, spec: SlideSpec, late: Any = None) -> str | None:
    """The content key of a slide directive (``plan.reads`` and ``plan.named`` hold its entries):
    what it reads and names, the deck's fields and the theme; a late directive's also ``late``
    (the build's record and every file the deck names)."""
    return slide_key(spec.kind, spec.options, spec.notes, {n: plan.sources[n] for n in plan.reads[spec.index]},
                     plan.named[spec.index], plan.deck_digest, plan.theme_digest, late)


def compile_deck(path: str, opts: BuildOptions, render: bool = True, *, progress: Progress | None = None,
                 cache: Cache | None = None, plan: Plan | None = None) -> BuildResult:
    """Build the deck at ``path``: load, resolve, expand, lay out, render; the cache wraps the middle
    stages per slide (a slide whose key it holds is not expanded or laid out again)."""
    from .layout import shrink_warnings

    progress, cache = progress or Progress(), cache or Cache(None)
    plan = plan or plan_build(path, opts)                                   # load + validate, key every slide
    entries = cached_entries(plan, cache)
    missing = [s for s in plan.deck.slides if s.index not in entries]
    data, recorded = resolve_sources(plan, missing, progress, cache)       # resolve what those slides read
    entries.update(expand_and_lay_out(plan, missing, entries, data, progress, cache))   # expand + lay out
    ordered = [entries[s.index] for s in plan.deck.slides]
    slides, placed, proof = _assemble(plan, ordered)
    pptx, drawn, warnings = render_pptx(plan, placed, cache, progress) if render else (None, 0, [])
    return BuildResult(plan.deck, slides, placed, proof, pptx, inputs_of(plan, pictures_of(slides)), len(entries) - len(missing),
                       drawn, recorded, [*plan.deck.notices, *shrink_warnings(proof), *warnings],
                       tuple((len(entry.slides), len(entry.placed)) for entry in ordered), bool(warnings))


def cached_entries(plan: Plan, cache: Cache) -> dict[int, SlideEntry]:
    """The slides whose content key the cache holds, re-stamped with their current positions."""
    reused = {spec.index: _reuse(cache.get("slides", key), spec)
              for spec in plan.deck.slides if (key := plan.keys[spec.index]) is not None}
    return {i: entry for i, entry in reused.items() if entry is not None}


def render_pptx(plan: Plan, placed: PlacedDeck, cache: Cache, progress: Progress,
            redraw: frozenset[int] | None = None) -> tuple[bytes, int, list[Diagnostic]]:
    """The .pptx bytes, redrawing only the slides whose drawing changed since this deck's last
    rendering (``redraw``: the only ones that may be; ``render.deck.NotKept`` if another must be)."""
    from .render import render_reusing

    progress.stage("rendering", len(placed.slides))
    key = digest(os.path.abspath(plan.deck.path))  # one rendering kept per deck: the last one built
    keep = cache.root is not None
    rendering, replaced = render_reusing(placed, cache.get("renderings", key) if keep else None, keep, redraw)
    if keep:
        cache.put("renderings", key, replace(rendering, pptx=b""))  # a rebuild keeps entries, never the archive
    return rendering.pptx, rendering.drawn, [replaced.diagnostic(plan.deck.pos_of)] if replaced else []


def inputs_of(plan: Plan, images: set[str]) -> list[str]:
    """Every file the build read (the spec, the theme, the sources' inputs, the pictures): the CLI never
    lets the output overwrite one."""
    theme = [plan.theme.source] if plan.theme.source else []
    return [os.path.abspath(plan.deck.path), *theme, *plan.inputs, *sorted(images)]


LAST_EPOCH = 253402300799  # 9999-12-31T23:59:59Z


def document_date(deck: Deck) -> str:
    """The document's created/modified date: the deck's ``date``, else SOURCE_DATE_EPOCH, else a
    fixed epoch, so the same inputs always give the same bytes. A SOURCE_DATE_EPOCH that is not a
    count of seconds up to the end of year 9999 (the last a document date can hold) is exit 2, as
    reproducible-builds.org asks of a malformed value."""
    if deck.date:
        return f"{deck.date}T00:00:00Z" if len(deck.date) == 10 else deck.date
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if not epoch:
        return "1980-01-01T00:00:00Z"  # the zip epoch
    if not (epoch.isascii() and epoch.isdigit() and len(epoch) <= 12 and int(epoch) <= LAST_EPOCH):
        shown = epoch if len(epoch) <= 20 else epoch[:20] + "..."
        raise SpecError(Diagnostic(f"{shown!r} is not a number of seconds from 0 to {LAST_EPOCH} (9999-12-31T23:59:59Z)",
                                   Pos("SOURCE_DATE_EPOCH")))
    return datetime.fromtimestamp(int(epoch), timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def digest_text(text: str) -> str:
    import hashlib

    return hashlib.sha256(text.encode()).hexdigest()


def _sources_read(spec: SlideSpec, directive, deck: Deck) -> list[str]:
    """The sources a slide can see: those its options name, or all of them when its options use
    templates (``{{ sources.x }}``), which may read any source."""
    written = repr(spec.options)
    if "{{" in written or "{%" in written:
        return sorted(deck.sources)
    return sorted(n for n in named_sources(spec.options, directive.sources) if n in deck.sources)


def resolve_sources(plan: Plan, missing: list[SlideSpec], progress: Progress,
             cache: Cache) -> tuple[dict[str, Any], dict[str, bytes]]:
    """Resolve the sources the missing slides read, plus those no slide reads (so a broken one is
    still reported, unless the same source, by digest, already resolved once); every error of every
    source is raised together. Returns the values and the snapshots ``--record`` took (unwritten)."""
    from .sources import ResolveContext, resolve

    read_by_any = {n for names in plan.reads.values() for n in names}
    # an unread source is resolved only to report it if broken: once it resolved, its digest says it would again
    checked = {n: digest([code_version(), d]) for n, d in plan.sources.items() if d and n not in read_by_any}
    unread = {n for n in plan.deck.sources if n not in read_by_any} - {n for n, k in checked.items() if cache.get("resolved", k)}
    wanted = {n for s in missing for n in plan.reads[s.index]} | unread
    names = [n for n in plan.deck.sources if n in wanted]
    opts = plan.opts
    ctx = ResolveContext(deck=plan.deck, dry_run=opts.dry_run, record=opts.record, live=opts.live, theme=plan.theme)
    progress.stage("resolving sources", len(names))
    data, errors = {}, []
    for name in names:
        try:
            data.update(resolve(plan.deck, ctx, {name}))
        except SourceError as e:
            errors.extend(e.diagnostics)
        else:
            if name in checked:
                cache.put("resolved", checked[name], True)
        progress.advance(name)
    if errors:
        raise SourceError(errors)
    return data, ctx.recorded


def expand_and_lay_out(plan: Plan, missing: list[SlideSpec], cached: dict[int, SlideEntry], data: dict[str, Any],
                        progress: Progress, cache: Cache, pictures: frozenset[str] = frozenset()) -> dict[int, SlideEntry]:
    """Expand the missing directives, then lay each out alone and keep it in the cache (with the cyclic
    garbage collector paused: ``tfeic.core.gcpause`` says why). ``pictures``: those of the slides
    neither cached nor missing (a splice keeps them), which a late directive lists too."""
    with cyclic_gc_paused():
        return _expand_and_lay_out_now(plan, missing, cached, data, progress, cache, pictures)


def _expand_and_lay_out_now(plan: Plan, missing: list[SlideSpec], cached: dict[int, SlideEntry], data: dict[str, Any],
                            progress: Progress, cache: Cache, pictures: frozenset[str]) -> dict[int, SlideEntry]:
    from .directives.stage import expand_slides
    from .layout import Layouter, UnprovenLayout
    from .core.forked import map_in_halves

    progress.stage("expanding and laying out slides", len(missing), f"{len(cached)} cached" if cached else "")
    earlier = pictures_of(slide for entry in cached.values() for slide in entry.slides) | pictures
    expanded = expand_slides(plan.deck, missing, data, plan.build, earlier)
    out: dict[int, SlideEntry] = {}
    layouter = Layouter(plan.theme)  # what every slide shares (grids, footers) is worked out once
    try:  # each directive's slides alone; a long deck's second half in a forked child (core.forked)
        laid_out = map_in_halves(layouter.lay_out, [expanded[spec.index] for spec in missing])
        for spec, (placed, proof) in zip(missing, laid_out):
            out[spec.index] = SlideEntry(tuple(expanded[spec.index]), tuple(placed), proof.slides, spec.pos,
                                         tuple(sorted(spec.positions.items())))
            progress.advance(f"slide {spec.index + 1}: {spec.kind}")
    except UnprovenLayout:  # lay out the whole deck, so diagnostics and --proof number slides as output
        every = {**{i: list(e.slides) for i, e in cached.items()}, **expanded}
        layouter.lay_out([sl for i in sorted(every) for sl in every[i]])
        raise
    for spec in missing:
        if (key := plan.keys[spec.index]) is not None:
            cache.put("slides", key, out[spec.index])
    return out


def _reuse(entry: Any, spec: SlideSpec) -> SlideEntry | None:
    """A cached entry re-stamped with the slide's current positions; None if it is not usable."""
    if not isinstance(entry, SlideEntry):
        return None
    if entry.pos == spec.pos and entry.positions == tuple(sorted(spec.positions.items())):
        return entry  # not moved (most slides of a rebuild): one comparison, no mapping
    moved = {entry.pos: spec.pos, **{old: spec.positions.get(k, old) for k, old in entry.positions}}
    if all(old == new for old, new in moved.items()):
        return entry

    def at(value):
        return replace(value, origin=moved.get(value.origin, value.origin))

    return replace(entry, slides=tuple(map(at, entry.slides)), placed=tuple(map(at, entry.placed)),
                   proofs=tuple(map(at, entry.proofs)), pos=spec.pos, positions=tuple(sorted(spec.positions.items())))


def numbered_slides(entry: SlideEntry, offset: int, key: str | None) -> tuple[list[PlacedSlide], list[Any]]:
    """A directive's placed slides and proofs numbered as output slides (``offset`` slides come
    before them), each placed slide keyed by what it was made from (``PlacedSlide.digest``)."""
    return ([replace(p, index=p.index + offset, digest=f"{key}:{p.index}" if key else "") for p in entry.placed],
            [replace(p, index=p.index + offset) for p in entry.proofs])


def _assemble(plan: Plan, entries: list[SlideEntry]) -> tuple[list[Slide], PlacedDeck, Any]:
    """Concatenate per-directive results into the deck, renumbering placed slides and proofs as output
    slides."""
    from .layout import Proof
    from .layout.placed import PlacedDeck, emu

    slides: list[Slide] = []
    placed: list[PlacedSlide] = []
    proofs: list[Any] = []
    for spec, entry in zip(plan.deck.slides, entries):
        numbered = numbered_slides(entry, len(placed), plan.keys[spec.index])
        slides.extend(entry.slides)
        placed.extend(numbered[0])
        proofs.extend(numbered[1])
    deck, theme = plan.deck, plan.theme
    placed_deck = PlacedDeck(width=emu(theme.width), height=emu(theme.height), slides=tuple(placed), title=deck.title,
                             author=deck.author, created=document_date(deck), template=theme.template)
    return slides, placed_deck, Proof(theme.name, tuple(proofs))
