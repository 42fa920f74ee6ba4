"""Helpers shared by CLI commands: printing diagnostics in text, JSON or GitHub Actions format."""

from __future__ import annotations

import json
import sys

from ..diagnostics import Diagnostic


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


# TFEITool's options, kept as shorthands for fields of the deck's conventionally named sources.
# (flag, metavar or None for a switch, help); the spec stage maps each to its deck field.
TFEITOOL_FLAGS = (
    ("--server", "URL", "sources.server.url"),
    ("--engine-dir", "DIR", "sources.engine.path"),
    ("--kv-binary", "FILE", "sources.kv.path"),
    ("--kv-dims", "2,HK,T,D", "sources.kv.kv_dims"),
    ("--dtype-bytes", "N", "sources.kv.dtype_bytes"),
    ("--qdrep", "FILE", "sources.trace.path"),
    ("--timeline-json", "FILE", "sources.trace.path"),
    ("--prompt", "TEXT", "sources.server.prompt"),
    ("--prompt-file", "FILE", "sources.server.prompt_file"),
    ("--strict-trtllm", None, "sources.engine.strict_trtllm = true"),
)


def add_deck_arguments(parser) -> None:
    """Arguments shared by commands that compile a deck (build, validate, explain, watch)."""
    parser.add_argument("spec", metavar="SPEC", help="the deck spec (YAML)")
    parser.add_argument("--theme", metavar="NAME|FILE", help="use this theme instead of the deck's")
    parser.add_argument("--set", dest="overrides", action="append", default=[], metavar="PATH=VALUE",
                        help="override a deck field, e.g. --set sources.server.max_tokens=64 (repeatable)")
    parser.add_argument("--dry-run", action="store_true", help="use deterministic synthetic data for every source")
    parser.add_argument("--format", choices=("text", "json", "github"), default="text", help="diagnostics format")
    group = parser.add_argument_group("TFEITool shorthands (set fields of the sources named server, engine, kv, trace)")
    for flag, metavar, target in TFEITOOL_FLAGS:
        if metavar is None:
            group.add_argument(flag, action="store_true", default=None, help=f"= {target}")
        else:
            group.add_argument(flag, metavar=metavar, help=f"= {target}")


def build_options(args, command: tuple[str, ...] = ()):
    from ..build import BuildOptions

    shorthands = {}
    for flag, _, _ in TFEITOOL_FLAGS:
        value = getattr(args, flag.lstrip("-").replace("-", "_"))
        if value is not None:
            shorthands[flag.lstrip("-")] = value
    return BuildOptions(
        theme=args.theme,
        overrides=list(args.overrides),
        shorthands=shorthands,
        dry_run=args.dry_run,
        record=getattr(args, "record", False),
        live=getattr(args, "live", False),
        command=command,
    )
