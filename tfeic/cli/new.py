"""``tfeic new NAME``: scaffold a deck (with the schema modeline) and its data folder."""

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
    schema = os.path.relpath(_schema_path(), os.path.abspath(args.dir))
    title = args.name.replace("-", " ").replace("_", " ").title()
    with open(deck, "x", encoding="utf-8") as f:
        f.write(TEMPLATE.format(schema=schema, title=title))
    show(f"created {deck} and {data}/", sys.stderr)
    return 0


def _schema_path() -> str:
    from ..core.resources import schema_path

    return schema_path("deck.schema.json")
