"""Opening a path only when it is a regular file, and naming what it is when it is not: the check
every reader and every hasher of tfeic shares (``tfeic.core.datafile`` builds the capped readers on
it). A module of its own, with nothing but ``os``, so that hashing files (``tfeic.core.digest``:
a no-op build's whole work) needs neither gzip, nor the limits, nor the diagnostics."""

from __future__ import annotations

import errno
import io
import os
import stat

_KINDS = ((stat.S_ISLNK, "a symbolic link"), (stat.S_ISDIR, "a directory"), (stat.S_ISFIFO, "a FIFO"),
          (stat.S_ISCHR, "a character device"), (stat.S_ISBLK, "a block device"), (stat.S_ISSOCK, "a socket"))


def not_regular(mode: int, allow_dir: bool = False) -> str | None:
    """What a file of ``mode`` is ("a FIFO", ...) when it is not a regular file (or an allowed
    directory); None when it may be read."""
    if stat.S_ISREG(mode) or (allow_dir and stat.S_ISDIR(mode)):
        return None
    return next((name for test, name in _KINDS if test(mode)), "not a regular file")


def refusal(kind: str) -> str:
    return f"is {kind}, not a regular file"


class NotRegular(OSError):
    """A path that opened but is not a regular file; ``strerror`` says what it is."""


def open_regular(path: str) -> tuple[io.FileIO, os.stat_result]:
    """The path opened without blocking (a FIFO has no writer to wait for) and checked on the
    descriptor itself, so what is checked is what is read: OSError if it cannot be opened,
    NotRegular if it is not a regular file. Every file tfeic reads or hashes is opened here."""
    fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0) | getattr(os, "O_NOCTTY", 0))
    try:
        st = os.fstat(fd)
        kind = not_regular(st.st_mode)
        if kind:
            raise NotRegular(errno.EINVAL, refusal(kind), path)
        os.set_blocking(fd, True)
    except BaseException:
        os.close(fd)
        raise
    return io.FileIO(fd, "rb", closefd=True), st
