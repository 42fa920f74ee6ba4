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
