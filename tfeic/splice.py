"""Rebuilding a deck after an edit inside one slide directive: the previous build, spliced.

A one-slide edit of a long deck cost a fresh process most of what a cold build costs before any
slide was touched: reading and checking every slide's YAML, loading every cached slide, keying and
rendering them all. Yet when the edit lies inside one directive's text and no other file the build
reads changed, the new build is the previous one with that directive's slides replaced. So a build
of a plain deck (``Deck.plain``: no anchors, aliases or merge keys, so a directive's own text alone
gives its value) leaves a ``Journal`` in the cache under its fingerprint: the deck's text, where each
directive's text starts, and what the rest of the build needs of each directive (what it reads and
names, its warnings, and, for each of its slides, only what render keys a kept slide by: the title,
pictures, charts and notes, and ``PlacedSlide.digest``). The next build compares the texts; when they
differ inside one directive, it reads that directive alone (``yamlfile.load_plain``), checks it as a
whole load checks it (``deck.validate.check_slide_alone``), makes its slides with the pipeline's own
stages, and renders the deck keeping every other slide's entries from the previous rendering.

Why a directive's text alone gives what the whole file gives: it is one item of the block sequence
``slides`` (the deck's last field), starting ``- `` at the column every item starts at, and every
other line of it is blank, a comment, or indented deeper. YAML's block structure is indentation: such
lines belong to that item whatever surrounds them, and in a plain document nothing outside an item
(an anchor, a tag directive) changes what it means.

Whenever the result could differ from a whole build, ``splice_build`` returns None and the build
goes the whole way, which also reports every problem: another file the output depends on changed,
the edit is not inside one directive (or is in the deck's own fields), its new text is not one item
indented as before, it has a problem to report, or it makes slides whose number, pictures, charts or
notes differ from before (the other slides' part names would move), or render would have to draw
another slide. Same bytes either way (``tests/test_splice.py`` builds random edits both ways).
"""

from __future__ import annotations

import bisect
import os
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any, Sequence

from .core.cache import Cache, Digests
from .core.cache.keys import digest, yaml_files
from .core.diagnostics import Diagnostic, Pos, TfeicError
from .core.progress import Progress
from .core.yamlfile import MAX_NODES, Document, load_plain, read_text
from .deck.model import SlideSpec
from .ir import Slide, pictures_of
from .pipeline import (BuildResult, Plan, cached_entries, digest_text, expand_and_lay_out, inputs_of, key_of,
                       numbered_slides, render_pptx, resolve_sources, what_slide_reads)

if TYPE_CHECKING:
    from .layout.placed import PlacedDeck, PlacedSlide

NAMESPACE = "journals"


@dataclass(frozen=True)
class _Directive:
    """What a build needs of one slide directive it does not rebuild."""

    start: int  # where its text starts in the deck's text (the start of its ``- `` line)
    line: int  # that line, 1-based
    reads: tuple[str, ...]  # the sources it reads
    named: tuple[tuple[str, str], ...]  # the files its options name, with their digests
    pictures: frozenset[str]  # the picture files its slides show
    made: int  # its IR slides (``BuildResult.counts``)
    nodes: int  # the YAML values it holds, itself included
    late: bool  # a late directive (the reproducibility slide): rebuilt by every splice, as it shows the deck's digest
    slides: tuple[PlacedSlide, ...]  # its output slides, holding only what render keys a kept slide by
    warnings: tuple[Diagnostic, ...]  # its slides' warnings (shrunk text)


@dataclass(frozen=True)
class Journal:
    """The last build of a plain deck, as a splice needs it."""

    text: str
    column: int  # the 0-based column of every directive's ``-``
    directives: tuple[_Directive, ...]
    plan: Plan  # the build's plan, its deck without slides or text
    frame: PlacedDeck  # the placed deck without slides
    files: dict[str, str]  # the digest of every file the output depends on, but the deck's own
    dirs: dict[str, list[str]]  # the theme files in each theme directory
    nodes: int  # the YAML values of the whole deck, bounded by ``yamlfile.MAX_NODES``

    def end(self, index: int) -> int:
        """Where directive ``index``'s text ends: where the next one starts, or the text's end."""
        return self.directives[index + 1].start if index + 1 < len(self.directives) else len(self.text)


@dataclass(frozen=True)
class Spliced:
    """A spliced build: its result, its plan (what ``remember`` needs) and the journal it leaves."""

    result: BuildResult
    plan: Plan
    journal: Journal


def journal_key(fingerprint: str) -> str:
    return digest(["journal", fingerprint])


def journal_of(plan: Plan, result: BuildResult, digests: Digests) -> Journal | None:
    """The journal a whole build leaves (None when its deck cannot be spliced: see the module)."""
    deck, opts = plan.deck, plan.opts
    if (not deck.plain or deck.notices or deck.omitted or not deck.slides or opts.overrides or opts.shorthands
            or not plan.pure or result.replaced or result.pptx is None
            or [s.index for s in deck.slides] != list(range(len(deck.slides)))
            or any(plan.keys[s.index] is None for s in deck.slides)):
        return None
    first = deck.slides[0].pos.line
    if any(field != "slides" and pos.line >= first for field, pos in deck.positions.items()):
        return None  # a field after the slides: the last directive's text would not end at the file's end
    column = deck.slides[0].pos.col - 3  # "- " and then the item's first key
    starts = _line_starts(deck.text)
    if any(line.startswith("%") for line in deck.text[:starts[first - 1]].splitlines()):
        return None  # a directive (%TAG) could give a tag in a directive's text another meaning there
    directives, ir, at = [], 0, 0
    for spec, (made, count) in zip(deck.slides, result.counts):
        line = spec.pos.line
        start = starts[line - 1]
        if spec.pos.col - 3 != column or not deck.text.startswith(" " * column + "- ", start):
            return None
        directives.append(_record(plan, spec, start, line, result.slides[ir:ir + made], result.placed.slides[at:at + count],
                                  result.proof.slides[at:at + count]))
        ir, at = ir + made, at + count
    files = {p: digests.file(p) for p in plan.files if p != os.path.abspath(deck.path)}
    bare = replace(plan, deck=replace(deck, slides=[], text=""), reads={}, keys={}, named={})
    nodes = (1 + len(deck.positions) + sum(len(source.positions) for source in deck.sources.values())
             + sum(len(spec.positions) for spec in deck.slides))
    return Journal(deck.text, column, tuple(directives), bare, replace(result.placed, slides=()), files,
                   {d: yaml_files([d]) for d in plan.theme_dirs}, nodes)


def _record(plan: Plan, spec: SlideSpec, start: int, line: int, slides: Sequence[Slide], placed: Sequence[PlacedSlide],
            proofs: Sequence[Any]) -> _Directive:
    """What a journal keeps of a directive that made ``slides``, ``placed`` and ``proofs`` (numbered as output)."""
    from .directives import DIRECTIVES
    from .layout import Proof, shrink_warnings

    return _Directive(start, line, tuple(plan.reads[spec.index]), tuple(plan.named[spec.index]), frozenset(pictures_of(slides)),
                      len(slides), len(spec.positions), getattr(DIRECTIVES.get(spec.kind), "late", False),
                      tuple(map(_skeleton, placed)), tuple(shrink_warnings(Proof(plan.theme.name, tuple(proofs)))))


def splice_build(cache: Cache, fingerprint: str, path: str, digests: Digests, progress: Progress) -> Spliced | None:
    """The build of the deck at ``path`` spliced into its previous build, or None (see the module)."""
    journal = cache.get(NAMESPACE, journal_key(fingerprint))  # (the fingerprint holds the options: no --set here)
    if not isinstance(journal, Journal):
        return None
    try:
        text = read_text(path)
        if (any(digests.file(p) != d for p, d in journal.files.items())
                or any(yaml_files([d]) != names for d, names in journal.dirs.items())):
            return None
    except (TfeicError, OSError):
        return None
    edit = _edited_directive(journal, text)
    if edit is None:
        return None
    from .render.deck import NotKept

    index, doc = edit
    try:
        return _splice(journal, index, doc, text, cache, digests, progress)
    except TfeicError:  # a problem to report: the whole build reports it as it would have
        return None
    except NotKept:  # the previous rendering is not this journal's
        return None


def _edited_directive(journal: Journal, text: str) -> tuple[int, Document] | None:
    """The directive the edit from ``journal.text`` to ``text`` lies in, and its new text read alone
    (positions as in the whole file, at ``slides/<index>``); None unless that is exactly one item."""
    old = journal.text
    if text == old:
        return None
    start = old.rfind("\n", 0, _common_prefix(old, text)) + 1  # the edit, as whole lines of the old text
    end = len(old) - _common_suffix(old, text, min(len(old), len(text)) - start)
    if end > start and old[end - 1] != "\n":
        end = old.find("\n", end) + 1 or len(old)
    index = bisect.bisect_right([d.start for d in journal.directives], start) - 1
    if index < 0:
        return None  # in the deck's own fields
    # lines added between two directives: the end of the one before, or the start of the one after
    for candidate in ([index - 1, index] if index > 0 and end == start == journal.directives[index].start else [index]):
        new_end = journal.end(candidate) + len(text) - len(old)
        # within the directive, and the next one still starts a line (an edit can join lines: then
        # that text is unchanged, but not where a line starts)
        if end <= journal.end(candidate) and (new_end == len(text) or text[new_end - 1] == "\n"):
            directive = journal.directives[candidate]
            found = _read_alone(journal, candidate, text, directive.start, new_end, directive.line)
            if found is not None:
                return candidate, found
    return None


def _read_alone(journal: Journal, index: int, text: str, start: int, end: int, line: int) -> Document | None:
    """Directive ``index``, ``text[start:end]`` starting at line ``line`` of the deck, read alone, if
    it is one item indented as every directive is."""
    column, path = journal.column, journal.plan.deck.path
    chunk = text[start:end]
    lines = chunk.split("\n")
    if not lines[0].startswith(" " * column + "- ") or not all(
            not row.strip() or row.lstrip().startswith("#") or len(row) - len(row.lstrip(" ")) > column for row in lines[1:]):
        return None
    doc = load_plain(chunk, path, line)
    if (doc is None or not isinstance(doc.data, list) or len(doc.data) != 1 or not isinstance(doc.data[0], dict)
            or doc.positions.get("0") != Pos(path, line, column + 3)):
        return None
    head = f"slides/{index}"
    return Document(doc.path, text, doc.data[0], {head + k[1:]: p for k, p in doc.positions.items() if k},
                    {head + k[1:]: p for k, p in doc.key_positions.items()}, plain=True)


def _splice(journal: Journal, index: int, doc: Document, text: str, cache: Cache, digests: Digests,
            progress: Progress) -> Spliced | None:
    """The build with directive ``index`` read from ``doc``, every late directive rebuilt (read from
    its unchanged text) and every other one kept from ``journal``."""
    from .deck.validate import check_slide_alone
    from .directives import DIRECTIVES
    from .sources import SOURCES

    bare, old = journal.plan, journal.directives[index]
    chars = len(text) - len(journal.text)
    lines = text.count("\n", old.start, journal.end(index) + chars) - journal.text.count("\n", old.start, journal.end(index))
    moved = (*journal.directives[:index + 1], *(_moved(d, chars, lines) for d in journal.directives[index + 1:]))
    ends = [d.start for d in moved[1:]] + [len(text)]
    docs = {k: _read_alone(journal, k, text, d.start, ends[k], d.line) for k, d in enumerate(moved) if d.late and k != index}
    raw_sources = {name: {"kind": s.kind, **s.options} for name, s in bare.deck.sources.items()}
    checked = {k: check_slide_alone(d, k, bare.deck, raw_sources, directives=DIRECTIVES, sources=SOURCES,
                                    dry_run=bare.opts.dry_run) if d is not None else None
               for k, d in sorted({**docs, index: doc}.items())}
    specs = {k: s for k, s in checked.items() if s is not None}
    if len(specs) < len(checked):
        return None
    spec = specs[index]
    nodes = journal.nodes - old.nodes + len(spec.positions)
    if nodes > MAX_NODES:
        return None  # the whole load says there are too many
    deck = replace(bare.deck, slides=list(specs.values()), text=text)
    reads, named = what_slide_reads(spec, deck, digests)
    if tuple(named) != old.named:
        return None  # it names other files: the files the output depends on change
    plan = replace(bare, deck=deck, build=replace(bare.build, spec_sha256=digest_text(text)),
                   reads={k: list(d.reads) for k, d in enumerate(moved)} | {index: reads},
                   keys={}, named={k: list(moved[k].named) for k in specs} | {index: named})
    every_named = sorted({file for d in moved for file in d.named})
    for k, s in specs.items():  # (a late directive's key holds the build's record: the deck's new digest)
        plan.keys[k] = key_of(plan, s, (plan.build, every_named) if getattr(DIRECTIVES.get(s.kind), "late", False) else None)
    if any(key is None for key in plan.keys.values()):
        return None
    entries = cached_entries(plan, cache)
    missing = [s for k, s in specs.items() if k not in entries]
    data, recorded = resolve_sources(plan, missing, progress, cache)
    kept_pictures = frozenset().union(*(d.pictures for k, d in enumerate(moved) if k not in specs))
    entries.update(expand_and_lay_out(plan, missing, entries, data, progress, cache, kept_pictures))
    directives, drawn_slides = list(moved), {}
    for k, s in specs.items():
        placed, proofs = numbered_slides(entries[k], sum(len(d.slides) for d in moved[:k]), plan.keys[k])
        if [_signature(p) for p in placed] != [_signature(p) for p in moved[k].slides]:
            return None  # other slides' part names would move
        directives[k] = _record(plan, s, moved[k].start, moved[k].line, entries[k].slides, placed, proofs)
        drawn_slides[k] = placed
    slides = tuple(p for k, d in enumerate(directives) for p in drawn_slides.get(k, d.slides))
    pptx, drawn, replaced = render_pptx(plan, replace(journal.frame, slides=slides), cache, progress,
                                    frozenset(p.index for placed in drawn_slides.values() for p in placed))
    if replaced:
        return None  # characters to replace: the whole build counts them over the whole deck
    result = BuildResult(deck, [sl for k in specs for sl in entries[k].slides], replace(journal.frame, slides=slides), None,
                         pptx, inputs_of(plan, set().union(*(d.pictures for d in directives))), len(directives) - len(missing),
                         drawn, recorded, [w for d in directives for w in d.warnings],
                         tuple((d.made, len(d.slides)) for d in directives))
    kept = replace(journal, text=text, directives=tuple(directives), plan=replace(bare, build=plan.build), nodes=nodes)
    return Spliced(result, plan, kept)


def _moved(directive: _Directive, chars: int, lines: int) -> _Directive:
    """A directive after the edit, whose text moved by ``chars`` characters and ``lines`` lines."""
    if not chars and not lines:
        return directive

    def at(pos: Pos | None) -> Pos | None:
        return replace(pos, line=pos.line + lines) if pos is not None and lines else pos

    return replace(directive, start=directive.start + chars, line=directive.line + lines,
                   slides=tuple(replace(s, origin=at(s.origin)) for s in directive.slides),
                   warnings=tuple(replace(w, pos=at(w.pos)) for w in directive.warnings))


def _skeleton(slide: PlacedSlide) -> PlacedSlide:
    """What render needs of a slide it keeps (``render.deck``'s first pass): its title box (the
    layout it is on, its title in the document properties), its pictures and charts in reading
    order (the names of their parts), its notes, and its digest (its key)."""
    from .layout.placed import PlacedChart, PlacedImage, PlacedText

    def kept(box: Any) -> bool:
        return isinstance(box, (PlacedChart, PlacedImage)) or (isinstance(box, PlacedText) and box.placeholder == "title")

    return replace(slide, boxes=tuple(filter(kept, slide.boxes)), footer=tuple(filter(kept, slide.footer)))


def _signature(slide: PlacedSlide) -> tuple[Any, ...]:
    """What of a slide the part names of the slides after it depend on: its charts and pictures in
    reading order, and whether it has notes."""
    from .layout.placed import PlacedChart, PlacedImage
    from .render.deck import visual_order

    boxes = sorted(slide.all_boxes, key=visual_order)
    return (tuple("chart" if isinstance(b, PlacedChart) else b.path for b in boxes if isinstance(b, (PlacedChart, PlacedImage))),
            bool(slide.notes))


def _line_starts(text: str) -> list[int]:
    """Where each line of ``text`` starts."""
    starts, at = [0], text.find("\n")
    while at >= 0:
        starts.append(at + 1)
        at = text.find("\n", at + 1)
    return starts


def _common_prefix(a: str, b: str) -> int:
    """The length of the longest common prefix of ``a`` and ``b`` (halving: string comparison is C-fast)."""
    low, high = 0, min(len(a), len(b))
    while low < high:
        mid = (low + high + 1) // 2
        if a[low:mid] == b[low:mid]:
            low = mid
        else:
            high = mid - 1
    return low


def _common_suffix(a: str, b: str, limit: int) -> int:
    """The length of the longest common suffix of ``a`` and ``b``, at most ``limit``."""
    low, high = 0, limit
    while low < high:
        mid = (low + high + 1) // 2
        if a[len(a) - mid:len(a) - low] == b[len(b) - mid:len(b) - low]:
            low = mid
        else:
            high = mid - 1
    return low


def keep(cache: Cache, fingerprint: str, journal: Journal | None) -> None:
    """Store the journal of the build just written (a build that leaves none keeps the last one: a
    journal holds only what the files it records still give, so an older one is never wrong)."""
    if journal is not None:
        cache.put(NAMESPACE, journal_key(fingerprint), journal)
