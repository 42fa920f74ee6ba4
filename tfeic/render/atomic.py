"""Writing the output so that a reader never sees half a deck and a failure never costs the old one.

The bytes go to a temporary file in the target's directory (same file system, so the final
``os.replace`` is atomic), are fsynced, and only then replace the target. Any failure removes the
temporary file and leaves an existing target untouched.
"""

from __future__ import annotations

import os
import stat
import tempfile

from ..diagnostics import Diagnostic, Pos, SpecError

NEW_FILE_MODE = 0o644  # mkstemp makes 0600; a built deck is an ordinary, shareable file


def write_atomic(path: str, data: bytes, inputs: tuple[str, ...] | list[str] = ()) -> None:
    """Atomically make ``path`` hold ``data``.

    Raises ``SpecError`` (exit 2) when ``path`` is one of ``inputs`` (overwriting the deck spec or
    a data file with the output is never what the command line meant) or cannot be written.
    """
    refuse_inputs(path, inputs)
    target = os.path.abspath(path)
    directory = os.path.dirname(target)
    try:
        mode = stat.S_IMODE(os.stat(target).st_mode)
    except FileNotFoundError:
        mode = NEW_FILE_MODE
    except OSError as err:
        raise _cannot_write(path, err) from err
    try:
        fd, tmp = tempfile.mkstemp(dir=directory, prefix=f".{os.path.basename(target)}.", suffix=".tmp")
    except OSError as err:
        raise _cannot_write(path, err) from err
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fchmod(handle.fileno(), mode)
            os.fsync(handle.fileno())
        os.replace(tmp, target)
    except BaseException as err:
        os.unlink(tmp)
        if isinstance(err, OSError):
            raise _cannot_write(path, err) from err
        raise
    _sync_directory(directory)


def refuse_inputs(path: str, inputs) -> None:
    """SpecError when ``path`` is one of ``inputs`` (by path, symlink or hard link)."""
    real = os.path.realpath(path)
    for source in inputs:
        same = os.path.realpath(source) == real
        if not same and os.path.exists(path) and os.path.exists(source):
            same = os.path.samefile(path, source)  # a hard link to an input is the input
        if same:
            raise SpecError(
                Diagnostic(
                    f"output {path} is also an input of this build; refusing to overwrite it",
                    Pos(source),
                    hint="choose another output path",
                )
            )


def _sync_directory(directory: str) -> None:
    """Persist the rename itself; best effort, as some file systems cannot fsync a directory."""
    try:
        fd = os.open(directory, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def _cannot_write(path: str, err: OSError) -> SpecError:
    return SpecError(Diagnostic(f"cannot write output {path}: {err.strerror or err}", Pos(path)))
