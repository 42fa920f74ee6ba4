"""``tfeic validate SPEC``: schema, references between sources and slides, and the layout proof;
writes nothing (not even the build cache)."""

from __future__ import annotations

import sys

from ..core.terminal import show
from .common import add_deck_arguments, build_options, print_diagnostics, progress_of


def add_parser(sub) -> None:
    p = sub.add_parser("validate", help="check a deck (schema, references, layout proof) without writing", description=__doc__)
    add_deck_arguments(p)
    p.set_defaults(func=run)


def run(args) -> int:
    from ..pipeline import compile_deck

    progress = progress_of(args)
    try:
        result = compile_deck(args.spec, build_options(args), render=False, progress=progress)
    finally:
        progress.close()
    print_diagnostics(result.warnings, args.format)  # as build prints them, even with -q
    if not args.quiet:
        show(f"{args.spec}: ok ({len(result.placed.slides)} slides, layout proven)", sys.stderr)
    return 0
