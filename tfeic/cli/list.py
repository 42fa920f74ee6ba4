"""``tfeic list directives|sources|themes``: what this installation provides (plugins included)."""

from __future__ import annotations

from ..core.terminal import show


def add_parser(sub) -> None:
    p = sub.add_parser("list", help="list directives, sources or themes", description=__doc__)
    p.add_argument("what", choices=("directives", "sources", "themes"))
    p.set_defaults(func=run)


def run(args) -> int:
    if args.what == "themes":
        from ..theme.load import list_themes

        rows = list_themes()
    else:
        from ..directives import DIRECTIVES
        from ..sources import SOURCES

        registry = DIRECTIVES if args.what == "directives" else SOURCES
        rows = [(item.name, item.summary) for item in registry]
    width = max((len(name) for name, _ in rows), default=0)
    for name, text in rows:
        show(f"{name:<{width}}  {text}")
    return 0
