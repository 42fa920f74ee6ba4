"""``tfeic build SPEC``: compile a deck to .pptx (atomically), optionally writing the proof.

Builds are incremental through a per-user cache (``~/.cache/tfeic/pipeline``; safe to delete): unchanged
slides are reused, and when nothing the output depends on has changed the build writes nothing.
"""

from __future__ import annotations

import os
import sys

from ..core.terminal import show
from .common import add_deck_arguments, build_options, open_cache, option_values, print_diagnostics, progress_of


def add_parser(sub) -> None:
    p = sub.add_parser("build", help="compile a deck spec into a .pptx", description=__doc__)
    add_deck_arguments(p, tfeitool_default=True)
    add_output_arguments(p)
    p.set_defaults(func=run)


def add_output_arguments(p) -> None:
    """Arguments of commands that write a deck (build, watch)."""
    p.add_argument("-o", "--output", metavar="FILE", help="output .pptx (default: build/<spec name>.pptx)")
    p.add_argument("--proof", metavar="FILE", help="write the layout proof as JSON")
    p.add_argument("--record", action="store_true", help="query servers and store what they returned in the snapshots")
    p.add_argument("--live", action="store_true", help="query servers even when a snapshot exists")
    p.add_argument("--no-cache", action="store_true", help="neither read nor write the build cache (a cold build)")


def default_output(spec: str) -> str:
    return os.path.join("build", os.path.splitext(os.path.basename(spec))[0] + ".pptx")


def run(args) -> int:
    build_once(args, _command_line(args))
    return 0


def build_once(args, command: tuple[str, ...]) -> list[str]:
    """One build as ``tfeic build`` does it (shared with ``tfeic watch``); returns every file the
    output depends on (what the watch watches next). Every output (.pptx, proof, snapshots that
    ``--record`` took) is written in one transaction once the whole build has succeeded. The cyclic
    garbage collector is paused for the build (``tfeic.core.gcpause`` says why: a build's values all
    survive it, and reading 500 cached slides took three times as long with it running)."""
    from ..core.gcpause import cyclic_gc_paused

    with cyclic_gc_paused():
        return _build_once(args, command)


def _build_once(args, command: tuple[str, ...]) -> list[str]:
    from ..core.cache import Digests
    from ..core.cache.outputs import fingerprint, remember, up_to_date
    from ..core.digest import code_version

    output = args.output or default_output(args.spec)
    cache = open_cache(args)
    code_version(cache)  # the first call: the cache keeps the sources' digest under their stats
    build = fingerprint(args.spec, option_values(args, command))
    digests = Digests()  # up_to_date digests the spec before it is read: an edit mid-build leaves the record stale
    files = up_to_date(cache, build, args.spec, output, args.proof, digests)
    if files is not None:
        _say(args, f"{output} is up to date")
        return files
    from ..directives import DIRECTIVES
    from ..pipeline import compile_deck, plan_build
    from ..render.atomic import Output, check_outputs, write_outputs
    from ..splice import journal_of, keep as keep_journal, splice_build
    from ..sources import SOURCES

    opts = build_options(args, command)
    for registry in (DIRECTIVES, SOURCES):  # import only the directive and source modules the deck uses
        registry.index_with(cache, code_version())

    targets = [Output(output, "-o"), *([Output(args.proof, "--proof")] if args.proof else [])]
    check_outputs(targets, [args.spec])  # before the build: a refused target costs no build
    progress = progress_of(args)
    try:  # an edit inside one slide directive is spliced into the previous build (tfeic.splice), else a whole build
        spliced = None if args.proof else splice_build(cache, build, args.spec, digests, progress)
        if spliced is None:
            plan = plan_build(args.spec, opts, digests)
            result = compile_deck(args.spec, opts, progress=progress, cache=cache, plan=plan)
            journal = journal_of(plan, result, digests)
        else:
            result, plan, journal = spliced.result, spliced.plan, spliced.journal
    finally:
        progress.close()
    written = [(output, result.pptx), *([(args.proof, result.proof.to_json().encode())] if args.proof else [])]
    write_outputs([Output(path, flag, data) for (path, data), flag in zip(written, ("-o", "--proof"))]
                  + [Output(path, "--record", data) for path, data in sorted(result.recorded.items())], result.inputs)
    print_diagnostics(result.warnings, args.format)  # even with -q: they say what the deck holds
    if plan.pure:
        remember(cache, build, args.spec, written, plan.files, plan.theme_dirs, digests)
        keep_journal(cache, build, journal)
    cached = f", {result.cached} of {len(result.counts)} directives cached" if result.cached else ""
    _say(args, f"wrote {output} ({len(result.placed.slides)} slides, layout proven{cached})")
    return plan.files


def _say(args, line: str) -> None:
    if not args.quiet:
        show(line, sys.stderr)


def _command_line(args) -> tuple[str, ...]:
    """The command as typed, for the reproducibility slide (``plan_build`` strips the user:password
    of any URL in it; nothing else there can be a secret: API keys live only in environment
    variables that deck fields name)."""
    return ("tfeic", "build", *sys.argv[2:]) if len(sys.argv) > 1 and sys.argv[1] == "build" else ("tfeic", "build", args.spec)
