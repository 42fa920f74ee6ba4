"""Helpers shared by CLI commands: printing diagnostics in text, JSON or GitHub Actions format."""

from __future__ import annotations

import json
import sys

from ..diagnostics import Diagnostic
from ..spec.overrides import add_override_arguments, override_values


def print_diagnostics(diagnostics: list[Diagnostic], fmt: str = "text", stream=None) -> None:
    stream = stream or sys.stderr
    if fmt == "json":
        print(json.dumps([d.as_dict() for d in diagnostics], indent=2), file=stream)
        return
    for d in diagnostics:
        if fmt == "github" and d.pos:
            msg = d.message + (f" ({d.hint})" if d.hint else "")
            print(f"::{d.severity} file={d.pos.path},line={d.pos.line},col={d.pos.col}::{msg}", file=stream)
        else:
            print(d.format(), file=stream)


def print_json(value) -> None:
    print(json.dumps(value, indent=2, sort_keys=False))


def add_deck_arguments(parser) -> None:
    """Arguments shared by commands that compile a deck (build, validate, explain, watch)."""
    parser.add_argument("spec", metavar="SPEC", help="the deck spec (YAML)")
    parser.add_argument("--theme", metavar="NAME|FILE", help="use this theme instead of the deck's")
    parser.add_argument("--dry-run", action="store_true", help="use deterministic synthetic data for every source")
    parser.add_argument("--format", choices=("text", "json", "github"), default="text", help="diagnostics format")
    group = parser.add_argument_group("TFEITool shorthands (set fields of the sources named server, engine, kv, trace)")
    add_override_arguments(group)


def build_options(args, command: tuple[str, ...] = ()):
    from ..build import BuildOptions

    overrides, shorthands = override_values(args)
    return BuildOptions(
        theme=args.theme,
        overrides=overrides,
        shorthands=shorthands,
        dry_run=args.dry_run,
        record=getattr(args, "record", False),
        live=getattr(args, "live", False),
        command=command,
    )
