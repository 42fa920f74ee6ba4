"""``tfeic build SPEC``: compile a deck to .pptx (atomically), optionally writing the proof.

Builds are incremental through ``.tfeic-cache/`` (next to the deck; safe to delete): unchanged
slides are reused, and when nothing the output depends on has changed the build writes nothing.
"""

from __future__ import annotations

import os
import sys

from ..terminal import show
from .common import add_deck_arguments, build_options, open_cache, progress_of


def add_parser(sub) -> None:
    p = sub.add_parser("build", help="compile a deck spec into a .pptx", description=__doc__)
    add_deck_arguments(p)
    add_output_arguments(p)
    p.set_defaults(func=run)


def add_output_arguments(p) -> None:
    """Arguments of commands that write a deck (build, watch)."""
    p.add_argument("-o", "--output", metavar="FILE", help="output .pptx (default: build/<spec name>.pptx)")
    p.add_argument("--proof", metavar="FILE", help="write the layout proof as JSON")
    p.add_argument("--record", action="store_true", help="query servers and store what they returned in the snapshots")
    p.add_argument("--live", action="store_true", help="query servers even when a snapshot exists")
    p.add_argument("--no-cache", action="store_true", help="neither read nor write .tfeic-cache/ (a cold build)")


def default_output(spec: str) -> str:
    return os.path.join("build", os.path.splitext(os.path.basename(spec))[0] + ".pptx")


def run(args) -> int:
    build_once(args, _command_line(args))
    return 0


def build_once(args, command: tuple[str, ...]) -> list[str]:
    """One build as ``tfeic build`` does it (shared with ``tfeic watch``); returns every file the
    output depends on (what the watch watches next)."""
    from ..cache.outputs import fingerprint, remember, up_to_date

    opts = build_options(args, command)
    output = args.output or default_output(args.spec)
    cache = open_cache(args)
    build = fingerprint(args.spec, opts)
    files = up_to_date(cache, build, output, args.proof)
    if files is not None:
        _say(args, f"{output} is up to date")
        return files
    from ..build import compile_deck, plan_build
    from ..render import refuse_inputs, write_atomic

    plan = plan_build(args.spec, opts)
    progress = progress_of(args)
    try:
        result = compile_deck(args.spec, opts, progress=progress, cache=cache, plan=plan)
    finally:
        progress.close()
    protected = [*result.inputs]
    for target in filter(None, (output, args.proof)):  # both checked before anything is written
        refuse_inputs(target, protected)
    os.makedirs(os.path.dirname(os.path.abspath(output)), exist_ok=True)
    write_atomic(output, result.pptx, inputs=protected)
    if args.proof:
        write_atomic(args.proof, result.proof.to_json().encode(), inputs=protected)
    if plan.pure:
        remember(cache, build, output, args.proof, plan.files, plan.theme_dirs)
    cached = f", {result.cached} of {len(result.deck.slides)} directives cached" if result.cached else ""
    _say(args, f"wrote {output} ({len(result.placed.slides)} slides, layout proven{cached})")
    return plan.files


def _say(args, line: str) -> None:
    if not args.quiet:
        show(line, sys.stderr)


def _command_line(args) -> tuple[str, ...]:
    """The command as typed, minus anything that could carry a secret (values of --set are kept:
    secrets never live in deck fields, only in environment variables named by them)."""
    return ("tfeic", "build", *sys.argv[2:]) if len(sys.argv) > 1 and sys.argv[1] == "build" else ("tfeic", "build", args.spec)
