"""Helpers shared by CLI commands: printing diagnostics in text, JSON or GitHub Actions format, and
the arguments (and what they select: options, progress, cache) of every command that compiles a deck."""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING, Any

from ..core.terminal import json_text, show
from .overrides import add_override_arguments, override_values

if TYPE_CHECKING:  # diagnostics arrive made; a command that succeeds (a no-op build) never imports their module
    from ..core.diagnostics import Diagnostic


def print_diagnostics(diagnostics: list[Diagnostic], fmt: str = "text", stream=None) -> None:
    """``text``: ``path:line:col: error: msg (hint)``; ``json``: one array of objects; ``github``:
    workflow commands that GitHub Actions turns into annotations on the YAML line."""
    stream = stream or sys.stderr
    if fmt == "json":
        show(json_text([d.as_dict() for d in diagnostics]), stream)
        return
    for d in diagnostics:
        show(github_annotation(d) if fmt == "github" else d.format(), stream, one_line=True)


def github_annotation(d: Diagnostic) -> str:
    """``::error file=F,line=L,col=C::message``, escaped as the workflow-command syntax requires
    (``%``, CR and LF in the message; also ``:`` and ``,`` in properties)."""
    msg = d.message + (f" ({d.hint})" if d.hint else "")
    level = d.severity if d.severity in ("error", "warning", "notice") else "error"
    props = ""
    if d.pos:
        fields = [("file", d.pos.path)] + ([("line", d.pos.line), ("col", d.pos.col)] if d.pos.line else [])
        props = " " + ",".join(f"{k}={_escape(str(v), True)}" for k, v in fields)
    return f"::{level}{props}::{_escape(msg, False)}"


def _escape(text: str, prop: bool) -> str:
    text = text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    return text.replace(":", "%3A").replace(",", "%2C") if prop else text


def add_deck_arguments(parser, tfeitool_default: bool = False) -> None:
    """Arguments shared by commands that compile a deck (build, validate, explain, watch);
    ``tfeitool_default``: SPEC may be left out, meaning TFEITool's slide set (a packaged deck)."""
    if tfeitool_default:
        from ..core.resources import TFEITOOL_DECK

        parser.add_argument("spec", metavar="SPEC", nargs="?", default=TFEITOOL_DECK,
                            help="the deck spec (YAML); default: TFEITool's slide set (server, engine, KV cache, "
                                 "timeline), filled in by the TFEITool options below")
    else:
        parser.add_argument("spec", metavar="SPEC", help="the deck spec (YAML)")
    parser.add_argument("--theme", metavar="NAME|FILE", help="use this theme instead of the deck's")
    parser.add_argument("--dry-run", action="store_true", help="use deterministic synthetic data for every source")
    parser.add_argument("--format", choices=("text", "json", "github"), default="text", help="diagnostics format")
    parser.add_argument("-q", "--quiet", action="store_true", help="no progress and no message on success")
    group = parser.add_argument_group("TFEITool shorthands (set fields of the sources named server, engine, kv, trace)")
    add_override_arguments(group)


def option_values(args, command: tuple[str, ...] = ()) -> dict[str, Any]:
    """The fields of the ``BuildOptions`` the command line asks for, as plain values: what identifies
    a build besides its files, known without importing the pipeline (``tfeic build``'s no-op check)."""
    overrides, shorthands = override_values(args)
    return {"theme": args.theme, "overrides": overrides, "shorthands": shorthands, "dry_run": args.dry_run,
            "record": getattr(args, "record", False), "live": getattr(args, "live", False), "command": command}


def build_options(args, command: tuple[str, ...] = ()):
    from ..pipeline import BuildOptions

    return BuildOptions(**option_values(args, command))


def progress_of(args):
    """The progress reporter the command line asks for (nothing with --quiet)."""
    from ..core.progress import progress_for

    return progress_for(args.quiet)


def open_cache(args):
    """The per-user build cache (``--no-cache``: none)."""
    from ..core.cache import Cache, build_cache_dir

    return Cache(None if args.no_cache else build_cache_dir())
