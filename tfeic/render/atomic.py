"""Writing a command's outputs so that a reader never sees half a file and a failure costs nothing.

Every output of one command (a build's .pptx, proof and recorded snapshots; a preview's PDF and
PNGs) is written in one transaction: each target is checked first (a regular file or nothing: a
device, FIFO, directory or symbolic link is refused, as are two outputs naming one file and an
output that is one of the command's inputs), then every file's bytes go to a temporary file in its
target's directory (same file system, so the rename is atomic) and are fsynced, and only then are
the temporary files renamed over their targets. A failure before the renames leaves every target
as it was; a rename that fails puts back the targets already replaced (from hard links to their old
contents taken just before), so the outputs are never a mix of two builds.

Temporary files are named ``.<target name>.<pid>.<random>.tmp``; a build removes those of its targets
that a killed build left behind (writer no longer running, or older than ``STALE_S``).
"""

from __future__ import annotations

import os
import re
import shutil
import stat
import tempfile
import time
from dataclasses import dataclass

from ..core.datafile import not_regular, refusal
from ..core.diagnostics import Diagnostic, OutputError, Pos

NEW_FILE_MODE = 0o644  # mkstemp makes 0600; a built deck is an ordinary, shareable file
STALE_S = 3600  # a temporary file this old is stale even if a process with its writer's pid runs


@dataclass(frozen=True)
class Output:
    """One file to write: where, the command-line flag that named it (where messages point), what."""

    path: str
    flag: str
    data: bytes = b""


def write_outputs(outputs: list[Output], inputs: tuple[str, ...] | list[str] = ()) -> None:
    """Make every output hold its bytes, all or none. ``OutputError`` for a target that is refused
    (``check_outputs``) or cannot be written; missing parent directories are created."""
    check_outputs(outputs, inputs)
    staged: list[tuple[str, str]] = []  # (temporary file, target)
    try:
        for out in outputs:
            staged.append((_stage(out), os.path.abspath(out.path)))
        _commit(staged, {os.path.abspath(o.path): o for o in outputs})
    finally:
        for tmp, _ in staged:
            _remove(tmp)  # already renamed unless something failed
    for directory in sorted({os.path.dirname(target) for _, target in staged}):
        _sync_directory(directory)


def write_atomic(path: str, data: bytes, inputs: tuple[str, ...] | list[str] = ()) -> None:
    """``write_outputs`` of one file, with messages at its path."""
    write_outputs([Output(path, path, data)], inputs)


def check_outputs(outputs: list[Output], inputs) -> None:
    """Refuse, before anything is written: an output that is an input, two outputs that are one
    file, and a target that exists but is not a regular file (a symlink, even to one, included)."""
    for out in outputs:
        refuse_inputs(out.path, inputs)
    for i, out in enumerate(outputs):
        for other in outputs[:i]:
            if _same_file(out.path, other.path):
                raise _refused(out, f"{out.path} is also the output of {other.flag}; give them different files")
        try:
            mode = os.lstat(out.path).st_mode
        except FileNotFoundError:
            continue
        except OSError as err:
            raise _cannot_write(out, err) from err
        kind = not_regular(mode)
        if kind:
            raise _refused(out, f"{out.path} {refusal(kind)}; refusing to replace it")


def refuse_inputs(path: str, inputs) -> None:
    """OutputError when ``path`` is one of ``inputs`` (by path, symlink or hard link)."""
    for source in inputs:
        if _same_file(path, source):
            raise OutputError(
                Diagnostic(
                    f"output {path} is also an input of this build; refusing to overwrite it",
                    Pos(source),
                    hint="choose another output path",
                )
            )


def _same_file(a: str, b: str) -> bool:
    if os.path.realpath(a) == os.path.realpath(b):
        return True
    try:
        return os.path.samefile(a, b)  # a hard link to a file is that file
    except OSError:  # one of them does not exist (yet)
        return False



def _stage(out: Output) -> str:
    """Write ``out.data`` to a fsynced temporary file next to its target (mode: the target's, else
    NEW_FILE_MODE); returns its path. Stale temporary files of the same target are removed first."""
    target = os.path.abspath(out.path)
    directory, name = os.path.split(target)
    try:
        os.makedirs(directory, exist_ok=True)
        remove_stale(directory, name)
        try:
            mode = stat.S_IMODE(os.stat(target).st_mode)
        except FileNotFoundError:
            mode = NEW_FILE_MODE
        fd, tmp = tempfile.mkstemp(dir=directory, prefix=f".{name}.{os.getpid()}.", suffix=".tmp")
    except OSError as err:
        raise _cannot_write(out, err) from err
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(out.data)
            handle.flush()
            os.fchmod(handle.fileno(), mode)
            os.fsync(handle.fileno())
    except BaseException as err:
        _remove(tmp)
        if isinstance(err, OSError):
            raise _cannot_write(out, err) from err
        raise
    return tmp


def _commit(staged: list[tuple[str, str]], by_target: dict[str, Output]) -> None:
    """Rename every temporary file over its target; if one rename fails, put back the targets
    already replaced. The last target needs no backup: when its rename fails, it is unchanged."""
    done: list[tuple[str, str | None]] = []  # (target, backup of its old content; None: it was new)
    try:
        for i, (tmp, target) in enumerate(staged):
            backup = None
            try:
                if i < len(staged) - 1:
                    backup = _backup(target)
                os.replace(tmp, target)
            except OSError as err:
                _remove(backup)
                raise _cannot_write(by_target[target], err) from err
            done.append((target, backup))
    except BaseException:
        for target, backup in reversed(done):
            try:
                if backup:
                    os.replace(backup, target)
                else:
                    os.unlink(target)
            except OSError:
                pass  # best effort: nothing more can be done for this one
        raise
    finally:
        for _, backup in done:
            _remove(backup)


def _backup(target: str) -> str | None:
    """A hard link (or, where links are not supported, a copy) of ``target``'s current content,
    named like a temporary file; None when the target does not exist."""
    if not os.path.exists(target):
        return None
    directory, name = os.path.split(target)
    fd, backup = tempfile.mkstemp(dir=directory, prefix=f".{name}.{os.getpid()}.", suffix=".tmp")
    os.close(fd)
    os.unlink(backup)  # the name is reserved by our pid and mkstemp's random part
    try:
        os.link(target, backup)
    except OSError:
        shutil.copy2(target, backup)
    return backup


def remove_stale(directory: str, name: str) -> None:
    """Remove temporary files of target ``name`` left by a build that was killed: regular files
    named as this module names them whose writer is no longer running or that are older than
    STALE_S (a writer's pid may have been reused); those of a running build are kept."""
    pattern = re.compile(rf"\.{re.escape(name)}\.(?:(\d+)\.)?[A-Za-z0-9_]+\.tmp")
    try:
        entries = os.listdir(directory)
    except OSError:
        return
    now = time.time()
    for entry in entries:
        match = pattern.fullmatch(entry)
        if not match:
            continue
        path = os.path.join(directory, entry)
        try:
            st = os.lstat(path)
        except OSError:
            continue
        pid = int(match.group(1)) if match.group(1) else None
        if stat.S_ISREG(st.st_mode) and (now - st.st_mtime > STALE_S or (pid is not None and not _running(pid))):
            _remove(path)


def _running(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # someone else's process
        return True
    except (OverflowError, ValueError):  # a pid no process can have
        return False
    return True


def _remove(path: str | None) -> None:
    if path:
        try:
            os.unlink(path)
        except FileNotFoundError:
            pass


def _sync_directory(directory: str) -> None:
    """Persist the renames themselves; best effort, as some file systems cannot fsync a directory."""
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


def _refused(out: Output, message: str) -> OutputError:
    return OutputError(Diagnostic(message, Pos(out.flag)))


def _cannot_write(out: Output, err: OSError) -> OutputError:
    return OutputError(Diagnostic(f"cannot write output {out.path}: {err.strerror or err}", Pos(out.flag)))
