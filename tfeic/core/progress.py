"""Build progress for people: a rich progress bar on a terminal, plain lines in logs, or nothing.

The build reports stages (``stage``) and the units of work inside one (``advance``); it never
knows how, or whether, they are shown. Only stderr is used, so stdout stays machine-readable.
"""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING, TextIO

if TYPE_CHECKING:  # rich is imported only when a terminal asks for a bar
    from rich.progress import TaskID

from .terminal import show, terminal_safe


class Progress:
    """What a build reports; this base class shows nothing (``--quiet``, library use)."""

    def stage(self, name: str, total: int, note: str = "") -> None:
        """A stage of ``total`` units begins (``note``: e.g. how many come from the cache)."""

    def advance(self, label: str = "") -> None:
        """One unit of the current stage is done; ``label`` names it (a source, a slide)."""

    def close(self) -> None:
        """The build ended (either way); remove anything drawn on the terminal."""


class LineProgress(Progress):
    """One line per stage, for CI logs and pipes (a bar redrawn with ``\\r`` would garble them)."""

    def __init__(self, stream: TextIO):
        self.stream = stream

    def stage(self, name: str, total: int, note: str = "") -> None:
        show(f"tfeic: {name} ({total}{', ' + note if note else ''})", self.stream, flush=True)


class BarProgress(Progress):
    """A transient rich bar per stage; rich is imported only when a terminal asks for it."""

    def __init__(self, stream: TextIO):
        from rich.console import Console
        from rich.progress import BarColumn, MofNCompleteColumn, Progress as Bar, TextColumn, TimeElapsedColumn

        # labels name sources and slides of the deck: shown as text (no rich markup), terminal-safe
        self._bar = Bar(TextColumn("{task.description}", markup=False), BarColumn(), MofNCompleteColumn(),
                        TextColumn("{task.fields[label]}", markup=False), TimeElapsedColumn(),
                        console=Console(file=stream), transient=True)
        self._task: TaskID | None = None
        self._bar.start()

    def stage(self, name: str, total: int, note: str = "") -> None:
        if self._task is not None:
            self._bar.remove_task(self._task)
        self._task = self._bar.add_task(terminal_safe(name + (f" ({note})" if note else ""), one_line=True),
                                        total=total, label="")

    def advance(self, label: str = "") -> None:
        if self._task is not None:
            self._bar.update(self._task, advance=1, label=terminal_safe(label, one_line=True))

    def close(self) -> None:
        self._bar.stop()


def progress_for(quiet: bool, stream: TextIO | None = None) -> Progress:
    """The right reporter for ``stream`` (default stderr): nothing, a bar, or lines."""
    stream = stream or sys.stderr
    if quiet:
        return Progress()
    if stream.isatty():
        return BarProgress(stream)
    return LineProgress(stream)
