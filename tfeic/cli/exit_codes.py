"""The one place that turns what went wrong into the process exit status (README, "Exit codes").

Stages raise errors that say what kind of thing failed (``tfeic.core.diagnostics``); they never pick a
code. An output that cannot be written is exit 2 like any other bad command line: the remedy is the
user's (another ``-o``, a writable directory, free space), and 2 is what scripts have always seen.
"""

from __future__ import annotations

import enum


class ExitCode(enum.IntEnum):
    """Documented process exit codes."""

    OK = 0
    INTERNAL = 1  # a bug in tfeic
    USAGE = 2  # invalid spec, theme or command line, or an output that cannot be written
    DATA = 3  # a source could not be read or is malformed
    LAYOUT = 4  # the layout proof failed
    INTERRUPTED = 130  # Ctrl-C (128 + SIGINT, as shells report it)


def exit_code(error: BaseException) -> ExitCode:
    """The exit status for ``error``; anything not listed (a plain ``TfeicError`` included) is a bug.
    The error kinds are imported here, when something failed: a command that succeeds (a no-op
    build) never needs the diagnostics module."""
    from ..core.diagnostics import LayoutError, OutputError, SourceError, SpecError

    by_kind: tuple[tuple[type[BaseException], ExitCode], ...] = (
        (SpecError, ExitCode.USAGE),
        (OutputError, ExitCode.USAGE),
        (SourceError, ExitCode.DATA),
        (LayoutError, ExitCode.LAYOUT),
        (KeyboardInterrupt, ExitCode.INTERRUPTED),
        (BrokenPipeError, ExitCode.OK),  # the reader (``| head``) has all it wanted
    )
    return next((code for kind, code in by_kind if isinstance(error, kind)), ExitCode.INTERNAL)
