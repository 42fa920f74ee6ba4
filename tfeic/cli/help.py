"""``tfeic help [NAME] [--markdown]``: the options of a directive or source, with an example.

Generated from the schema fragments that validate decks (``tfeic.reference``); ``--markdown`` prints
the whole reference, which is what ``docs/reference.md`` holds.
"""

from __future__ import annotations

import sys

from ..core.diagnostics import Diagnostic, Pos, SpecError
from ..core.terminal import show, terminal_safe
from .exit_codes import ExitCode


def add_parser(sub) -> None:
    p = sub.add_parser("help", help="options of a directive or source, with an example", description=__doc__)
    p.add_argument("name", nargs="?", metavar="NAME", help="a directive or source (see `tfeic list`)")
    p.add_argument("--markdown", action="store_true", help="print the whole reference as Markdown")
    p.set_defaults(func=run)


def run(args) -> int:
    from .. import reference
    from ..core.registry import suggest

    if args.markdown:
        sys.stdout.write(terminal_safe(reference.markdown()))
        return int(ExitCode.OK)
    if not args.name:
        names = [f"{e.name} ({e.kind})" for e in reference.entries()]
        show("tfeic help NAME, where NAME is one of:\n  " + "\n  ".join(names))
        return int(ExitCode.OK)
    found = reference.find(args.name)
    if not found:
        match = suggest(args.name, sorted({e.name for e in reference.entries()}))
        raise SpecError(Diagnostic(f"no directive or source named {args.name!r}", Pos("tfeic help"),
                                   f"did you mean '{match}'?" if match else "see `tfeic list directives|sources`"))
    show("\n".join(reference.text(e) for e in found).rstrip("\n"))
    return int(ExitCode.OK)
