"""Errors as values: every user-facing problem is a ``Diagnostic`` with a source position.

Stages collect diagnostics and raise ``TfeicError`` carrying them; the error's class says what kind
of thing went wrong. Only the CLI turns them into lines (``decks/x.yaml:12:5: error: ...``) and maps
the kind to an exit code (``tfeic.cli.exit_codes``). No stage prints, exits or picks an exit code.
"""

from __future__ import annotations

from dataclasses import dataclass

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
    """Raised by any stage with one or more diagnostics. A subclass says what went wrong; a plain
    ``TfeicError`` is a problem of no user-facing kind (a bug)."""

    def __init__(self, diagnostics: "list[Diagnostic] | Diagnostic | str"):
        if isinstance(diagnostics, str):
            diagnostics = [Diagnostic(diagnostics)]
        elif isinstance(diagnostics, Diagnostic):
            diagnostics = [diagnostics]
        self.diagnostics = list(diagnostics)
        super().__init__("\n".join(d.format() for d in self.diagnostics))


class SpecError(TfeicError):
    """The deck spec, theme or command line is invalid."""


class SourceError(TfeicError):
    """A data source is missing, unreadable or malformed."""


class MissingData(SourceError):
    """A slide needs a value that its data source does not hold (the source itself was read): the
    message says where the value would have been. The expand stage points it at the slide."""


class LayoutError(TfeicError):
    """The layout proof failed: overflow, overlap, or a word wider than its box."""


class OutputError(TfeicError):
    """An output cannot be written where the command line says: the path is refused (an input, a
    directory, a link, another output's file) or writing it failed (permission, no space, ...)."""


def combined(errors: "list[TfeicError]") -> TfeicError:
    """The diagnostics of several errors (one per slide, say) in one error of the first one's kind,
    so a build reports every problem and exits as its first problem says."""
    # a kind with a constructor of its own (UnprovenLayout) stands for its base
    kind: type[TfeicError] = next(c for c in type(errors[0]).__mro__ if "__init__" not in vars(c) or c is TfeicError)
    return kind([d for e in errors for d in e.diagnostics])


def flag_error(flag: str, message: str, hint: str | None = None) -> SpecError:
    """A bad command-line value, reported at its flag (``--coord: error: ...``) the way a bad value
    in a deck is reported at its line (exit 2)."""
    return SpecError(Diagnostic(message, Pos(flag), hint))
