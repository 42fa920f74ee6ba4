"""``tfeic schema [--check] [--output PATH]``: write or check the generated deck JSON Schema.

The schema is assembled from the registered directives and sources, so it goes stale whenever one of
them changes its options; ``--check`` (for CI) exits 1 when the checked-in file is not current.
"""

from __future__ import annotations

import argparse
import os
import sys
from typing import Any

from ..core.diagnostics import Diagnostic, Pos
from ..core.registry import Registry
from ..core.terminal import show
from .common import print_diagnostics
from .exit_codes import ExitCode


def add_parser(subparsers) -> None:
    p = subparsers.add_parser(
        "schema",
        help="write (or --check) schemas/deck.schema.json",
        description="Write the deck JSON Schema assembled from the registered directives and sources, "
        "or check that the file is current.",
    )
    p.add_argument("--check", action="store_true", help="exit 1 if the file is not what would be written")
    p.add_argument("--output", metavar="PATH", help="file to write or check (default: schemas/deck.schema.json; '-': stdout)")
    p.set_defaults(func=run)


def write_schema(path: str, *, directives: Registry[Any], sources: Registry[Any]) -> None:
    """Atomically, and only over a regular file (``tfeic.render.atomic``): exit 2 otherwise."""
    from ..render.atomic import write_atomic
    from ..deck.schema import schema_text

    write_atomic(path, schema_text(directives, sources).encode())


def run(args: argparse.Namespace) -> int:
    from ..directives import DIRECTIVES
    from ..sources import SOURCES
    from ..deck import schema

    path = args.output or schema.DEFAULT_PATH
    if path == "-":
        sys.stdout.write(schema.schema_text(DIRECTIVES, SOURCES))
        return int(ExitCode.OK)
    if args.check:
        if schema.check_schema(path, directives=DIRECTIVES, sources=SOURCES):
            return int(ExitCode.OK)
        print_diagnostics([Diagnostic("deck schema is out of date", Pos(path), "run `tfeic schema` to regenerate it")])
        return int(ExitCode.INTERNAL)
    write_schema(path, directives=DIRECTIVES, sources=SOURCES)
    show(f"wrote {os.path.relpath(path)}", sys.stderr)
    return int(ExitCode.OK)
