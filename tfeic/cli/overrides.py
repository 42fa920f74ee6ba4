"""The ``--set`` and shorthand flags of every command that compiles a deck, and their values.

The flags are made from ``tfeic.deck.overrides.SHORTHANDS`` (data, kept with the code that applies
them); argument parsing is the CLI's alone, so the spec stage takes plain lists and mappings.
"""

from __future__ import annotations

import argparse
from typing import Any

from ..deck.overrides import SHORTHANDS


def add_override_arguments(parser: argparse.ArgumentParser) -> None:
    """Add ``--set`` and every shorthand that targets a deck field (``--output`` is the command's own)."""
    parser.add_argument("--set", dest="overrides", action="append", default=[], metavar="PATH=VALUE",
                        help="override a deck field, e.g. --set slides.3.title='KV pages'")
    for s in SHORTHANDS:
        if s.target is None:
            continue
        if s.metavar is None:
            parser.add_argument(s.flag, dest=s.dest, action="store_true", help=f"{s.help} (= {s.target})")
        else:
            parser.add_argument(s.flag, dest=s.dest, metavar=s.metavar, help=f"{s.help} (= {s.target})")


def override_values(args: argparse.Namespace) -> tuple[list[str], dict[str, Any]]:
    """The ``--set`` list and the given shorthands, as ``load_deck`` takes them."""
    given = {s.dest: getattr(args, s.dest) for s in SHORTHANDS if s.target and getattr(args, s.dest, None)}
    return list(getattr(args, "overrides", []) or []), given
