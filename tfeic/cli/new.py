"""``tfeic new NAME``: scaffold a deck (with the schema modeline) and its data folder.

The modeline (``# yaml-language-server: $schema=...``) is a path relative to the deck, so it must not
lead into the installed package: a venv that moves or is rebuilt would break it. Inside a checkout
(a folder above the decks holding ``schemas/deck.schema.json``, the repository's top-level link) it
points there, as the repository's own decks do. Elsewhere (tfeic installed from a wheel) it points at
a copy written beside the decks, ``deck.schema.json``, which moves with them and works offline;
``tfeic schema --output DIR/deck.schema.json`` refreshes it after an upgrade. (The schema's ``$id``
URL is an identifier, not a published file, so it is not used as a location.)
"""

from __future__ import annotations

import os
import re
import sys

from ..core.diagnostics import Diagnostic, SpecError
from ..core.terminal import show

TEMPLATE = """\
# yaml-language-server: $schema={schema}
title: {title}
author: ""
theme: light
sources: {{}}
slides:
  - kind: title
    subtitle: What this talk is about
  - kind: bullets
    title: Outline
    items:
      - First point
      - Second point, with **bold** and `code`
  - kind: reproducibility
"""


def add_parser(sub) -> None:
    p = sub.add_parser("new", help="scaffold a new deck and its data folder", description=__doc__)
    p.add_argument("name", metavar="NAME", help="deck name (letters, digits, - and _)")
    p.add_argument("--dir", default="decks", help="where decks live (default: decks)")
    p.set_defaults(func=run)


def run(args) -> int:
    if not re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9_-]*", args.name):
        raise SpecError(Diagnostic(f"deck name {args.name!r}: use letters, digits, '-' and '_'"))
    deck = os.path.join(args.dir, f"{args.name}.yaml")
    if os.path.exists(deck):
        raise SpecError(Diagnostic(f"{deck} already exists; not overwriting it"))
    data = os.path.join(args.dir, "data", args.name)
    os.makedirs(data, exist_ok=True)
    schema = _modeline_target(args.dir)
    title = args.name.replace("-", " ").replace("_", " ").title()
    with open(deck, "x", encoding="utf-8") as f:
        f.write(TEMPLATE.format(schema=schema, title=title))
    show(f"created {deck} and {data}/", sys.stderr)
    return 0


SCHEMA_NAME = "deck.schema.json"


def _modeline_target(decks: str) -> str:
    """The schema path the modeline names, relative to the folder ``decks`` (see the module docstring)."""
    folder = os.path.abspath(decks)
    while True:
        candidate = os.path.join(folder, "schemas", SCHEMA_NAME)
        if os.path.isfile(candidate):
            return os.path.relpath(candidate, os.path.abspath(decks))
        parent = os.path.dirname(folder)
        if parent == folder:
            break
        folder = parent
    copy = os.path.join(decks, SCHEMA_NAME)
    if not os.path.exists(copy):
        from ..directives import DIRECTIVES
        from ..sources import SOURCES
        from .schema import write_schema

        write_schema(copy, directives=DIRECTIVES, sources=SOURCES)
        show(f"wrote {copy} for the modeline (refresh it with `tfeic schema --output {copy}`)", sys.stderr)
    return SCHEMA_NAME
