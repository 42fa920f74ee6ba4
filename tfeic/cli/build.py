"""``tfeic build SPEC``: compile a deck to .pptx (atomically), optionally writing the proof."""

from __future__ import annotations

import os
import sys

from ..diagnostics import Diagnostic, SpecError
from .common import add_deck_arguments, build_options


def add_parser(sub) -> None:
    p = sub.add_parser("build", help="compile a deck spec into a .pptx", description=__doc__)
    add_deck_arguments(p)
    p.add_argument("-o", "--output", metavar="FILE", help="output .pptx (default: build/<spec name>.pptx)")
    p.add_argument("--proof", metavar="FILE", help="write the layout proof as JSON")
    p.add_argument("--record", action="store_true", help="query servers and store what they returned in the snapshots")
    p.add_argument("--live", action="store_true", help="query servers even when a snapshot exists")
    p.add_argument("-q", "--quiet", action="store_true", help="print nothing on success")
    p.set_defaults(func=run)


def default_output(spec: str) -> str:
    return os.path.join("build", os.path.splitext(os.path.basename(spec))[0] + ".pptx")


def run(args) -> int:
    from ..build import compile_deck
    from ..render import write_atomic

    result = compile_deck(args.spec, build_options(args, _command_line(args)))
    output = args.output or default_output(args.spec)
    protected = [*result.inputs]
    for target in filter(None, (output, args.proof)):
        if os.path.abspath(target) in protected:
            raise SpecError(Diagnostic(f"refusing to overwrite input file {target} with build output"))
    os.makedirs(os.path.dirname(os.path.abspath(output)), exist_ok=True)
    write_atomic(output, result.pptx, inputs=protected)
    if args.proof:
        write_atomic(args.proof, result.proof.to_json().encode(), inputs=protected)
    if not args.quiet:
        print(f"wrote {output} ({len(result.placed.slides)} slides, layout proven)", file=sys.stderr)
    return 0


def _command_line(args) -> tuple[str, ...]:
    """The command as typed, minus anything that could carry a secret (values of --set are kept:
    secrets never live in deck fields, only in environment variables named by them)."""
    return ("tfeic", "build", *sys.argv[2:]) if len(sys.argv) > 1 and sys.argv[1] == "build" else ("tfeic", "build", args.spec)
