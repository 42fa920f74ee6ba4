"""Errors as values: every user-facing problem is a ``Diagnostic`` with a source position.

Stages collect diagnostics and raise ``TfeicError`` carrying them; only the CLI turns them into
lines (``decks/x.yaml:12:5: error: ...``) and an exit code. No stage prints or exits.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass


class ExitCode(enum.IntEnum):
    """Documented process exit codes (README, "Exit codes")."""

    OK = 0
    INTERNAL = 1
    USAGE = 2  # invalid spec, theme or command line
    DATA = 3  # a source could not be read or is malformed
    LAYOUT = 4  # the layout proof failed


@dataclass(frozen=True)
class Pos:
    """A position in a source file; line and column are 1-based (as editors show them)."""

    path: str
    line: int = 0
    col: int = 0

    def __str__(self) -> str:
        if self.line:
            return f"{self.path}:{self.line}:{self.col}"
        return self.path


@dataclass(frozen=True)
class Diagnostic:
    """One problem: what is wrong, where, and optionally how to fix it."""

    message: str
    pos: Pos | None = None
    hint: str | None = None
    severity: str = "error"

    def format(self) -> str:
        where = f"{self.pos}: " if self.pos else ""
        text = f"{where}{self.severity}: {self.message}"
        if self.hint:
            text += f" ({self.hint})"
        return text

    def as_dict(self) -> dict:
        return {
            "severity": self.severity,
            "message": self.message,
            "hint": self.hint,
            "path": self.pos.path if self.pos else None,
            "line": self.pos.line if self.pos else None,
            "col": self.pos.col if self.pos else None,
        }


class TfeicError(Exception):
    """Raised by any stage with one or more diagnostics; the CLI maps ``code`` to the exit status."""

    code: ExitCode = ExitCode.INTERNAL

    def __init__(self, diagnostics: "list[Diagnostic] | Diagnostic | str", code: ExitCode | None = None):
        if isinstance(diagnostics, str):
            diagnostics = [Diagnostic(diagnostics)]
        elif isinstance(diagnostics, Diagnostic):
            diagnostics = [diagnostics]
        self.diagnostics = list(diagnostics)
        if code is not None:
            self.code = code
        super().__init__("\n".join(d.format() for d in self.diagnostics))


class SpecError(TfeicError):
    """The deck spec, theme or command line is invalid (exit 2)."""

    code = ExitCode.USAGE


class SourceError(TfeicError):
    """A data source is missing, unreadable or malformed (exit 3)."""

    code = ExitCode.DATA


class LayoutError(TfeicError):
    """The layout proof failed: overflow, overlap, or a word wider than its box (exit 4)."""

    code = ExitCode.LAYOUT
