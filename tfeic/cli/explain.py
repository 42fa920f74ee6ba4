"""``tfeic explain SPEC --slide N``: the layout proof of one output slide, box by box: rectangle,
font size, lines, needed and available height and the slack between them (points), the pairs
checked for overlap, and which directive at which YAML position made the slide."""

from __future__ import annotations

from ..core.terminal import json_text, show
from ..core.diagnostics import flag_error
from .common import add_deck_arguments, build_options, progress_of


def add_parser(sub) -> None:
    p = sub.add_parser("explain", help="show the layout proof of one slide", description=__doc__)
    add_deck_arguments(p)
    p.add_argument("--slide", metavar="N", type=int, required=True, help="1-based slide number in the output deck")
    p.add_argument("--json", action="store_true", help="print the slide's proof as JSON (the --proof format)")
    p.set_defaults(func=run)


def run(args) -> int:
    from ..pipeline import compile_deck
    from ..layout import UnprovenLayout

    progress = progress_of(args)
    try:
        proof = compile_deck(args.spec, build_options(args), render=False, progress=progress).proof
    except UnprovenLayout as failed:  # a failing slide is what one most wants explained
        proof = failed.proof
    finally:
        progress.close()
    if not 1 <= args.slide <= len(proof.slides):
        raise flag_error("--slide", f"{args.slide}: the deck has {len(proof.slides)} slides (1..{len(proof.slides)})")
    slide = proof.slides[args.slide - 1]
    directive = _directive_at(args.spec, slide)
    if args.json:
        show(json_text({**slide.to_dict(), "directive": directive}, ensure_ascii=False))
    else:
        show("\n".join(explain_lines(slide, directive)))
    return 0


def _directive_at(spec: str, slide) -> str | None:
    """The kind of the slide directive at the slide's origin (None for a slide without one)."""
    from ..directives import DIRECTIVES
    from ..sources import SOURCES
    from ..deck import load_deck

    if slide.origin is None:
        return None
    deck_slides = load_deck(spec, directives=DIRECTIVES, sources=SOURCES).slides
    return next((s.kind for s in deck_slides if s.pos == slide.origin), None)


def _num(value) -> str:
    return "-" if value is None else f"{value + 0.0:g}"  # + 0.0 turns a rounded -0.0 into 0


def explain_lines(slide, directive: str | None) -> list[str]:
    """The proof of ``slide`` (a ``SlideProof``) as an aligned, human-readable table."""
    made_by = f"{directive or 'slide'} at {slide.origin}" if slide.origin else "no source position"
    lines = [f"slide {slide.index}: {slide.title or '(untitled)'}", f"  made by: {made_by}",
             f"  layout: {slide.layout}", "",
             f"  {'box':<28} {'kind':<6} {'x':>7} {'y':>7} {'w':>7} {'h':>7} {'size':>5} {'lines':>5} "
             f"{'needed':>7} {'avail':>7} {'slack':>7}"]

    def row(box, indent: str) -> None:
        x, y, w, h = (f"{v:.1f}" for v in box.rect)
        slack = None if box.slack is None else round(box.slack, 2)
        needed = None if box.needed is None else round(box.needed, 2)
        avail = None if box.available is None else round(box.available, 2)
        lines.append(f"  {(indent + box.name)[:28]:<28} {box.kind:<6} {x:>7} {y:>7} {w:>7} {h:>7} "
                     f"{_num(box.font_size):>5} {_num(box.lines):>5} {_num(needed):>7} {_num(avail):>7} {_num(slack):>7}")
        for part in box.parts:
            row(part, indent + "  ")

    for box in slide.boxes:
        row(box, "")
    overlaps = [p for p in slide.pairs if p.overlap]
    outside = [c.box for c in slide.inside if not c.inside]
    lines += ["", f"  pairs checked: {len(slide.pairs)}, overlapping: {len(overlaps)}"
              + "".join(f"\n    {p.a} overlaps {p.b}" for p in overlaps),
              f"  inside the content box or footer band: {len(slide.inside) - len(outside)} of {len(slide.inside)}"
              + (f" (outside: {', '.join(outside)})" if outside else "")]
    lines += [f"  {d.format()}" for d in slide.failures] or ["  proven: no overflow, no overlap"]
    return lines
