"""Opening a data file that a deck (or a command line) names: the one door every reader goes through.

A deck folder is untrusted, so a data path may be anything: a FIFO (reading it blocks forever), a
device (``/dev/zero`` never ends), a directory, a multi-GB file, or a small gzip stream that inflates
to gigabytes. ``open_data`` refuses all of those with one SourceError (exit 3) before parsing starts:

- the path is opened with ``O_NONBLOCK`` (opening a FIFO never waits for a writer) and the open
  descriptor is ``fstat``-ed, so what is checked is what is read (no race with a swapped path);
  anything but a regular file is refused, naming what it is;
- every byte read is counted against a cap (``limits.input_bytes`` for files read whole,
  ``limits.trace_bytes`` for traces read as a stream), and a plain file over the cap is refused
  from its size, before any read;
- a gzip stream is inflated as it is read, so at most one chunk of output exists at a time, and
  its output is capped by the same cap and by ``limits.inflate_ratio`` times its compressed size
  (beyond ``INFLATE_FLOOR``, so small files of any ratio still inflate);
- every read checks one wall-clock deadline (``limits.read_seconds`` from the open): a parser
  that reads in chunks is bounded in time as well as in bytes.

``InputLimits.of(deck.options)`` takes the values from the deck's ``limits`` (defaults:
``tfeic.core.limits.LIMITS``, listed in docs/reliability.md).
"""

from __future__ import annotations

import gzip
import io
import os
import time
import zlib
from dataclasses import dataclass
from typing import IO, Any, BinaryIO, TextIO, overload

from .diagnostics import Diagnostic, Pos, SourceError
from .limits import limit
# re-exported (the ``as`` form): readers and the output writer import them from here
from .regular import NotRegular as NotRegular, not_regular as not_regular, open_regular as open_regular, refusal as refusal

GZIP_MAGIC = b"\x1f\x8b"
INFLATE_FLOOR = 64 << 20  # a gzip file may always inflate to this much, whatever its ratio
CHUNK = 1 << 20



@dataclass(frozen=True)
class InputLimits:
    """The caps on reading one data file (field names are the deck's ``limits`` keys)."""

    input_bytes: int
    trace_bytes: int
    inflate_ratio: int
    read_seconds: int
    table_rows: int

    @classmethod
    def of(cls, options: dict | None = None) -> "InputLimits":
        """The deck's limits (``options`` are its top-level fields), defaults for what it leaves out."""
        return cls(*(limit(options or {}, name) for name in cls.__dataclass_fields__))


def deck_relative(base_dir: str, raw: object) -> str:
    """A data path as a deck names it (``~`` allowed), resolved against the deck's folder."""
    return os.path.normpath(os.path.join(base_dir, os.path.expanduser(str(raw))))


def path_problem(path: str, allow_dir: bool = False) -> str | None:
    """Why a data path named in a deck cannot be read ("no such file or directory", "is a FIFO, not
    a regular file"), or None: checked where the deck names it, so the error has its YAML position."""
    try:
        kind = not_regular(os.stat(path).st_mode, allow_dir)
    except OSError as e:
        return e.strerror.lower() if e.strerror else str(e)
    return refusal(kind) if kind else None


def check_regular(path: str, what: str, allow_dir: bool = False) -> os.stat_result:
    """``stat`` of a data path (links followed) that must be a regular file (or a directory, when a
    source documents one); anything else, or a path that cannot be stat-ed, is exit 3 at ``path``."""
    try:
        st = os.stat(path)
    except OSError as e:
        raise SourceError(Diagnostic(f"cannot read {what}: {e.strerror or e}", Pos(path))) from None
    kind = not_regular(st.st_mode, allow_dir)
    if kind:
        raise SourceError(Diagnostic(refusal(kind), Pos(path)))
    return st


def check_size(path: str, what: str, size: int, cap: int, key: str) -> None:
    """A file of ``size`` bytes over ``cap`` (the deck's ``limits.<key>``) is exit 3 before any read."""
    if size > cap:
        raise SourceError(Diagnostic(f"{what} is {size} bytes, more than {cap} (limits.{key})", Pos(path),
                                     hint=f"raise limits.{key} in the deck if the file is genuine"))


class _Capped(io.RawIOBase):
    """A binary stream (the file, or a gzip stream over it) that counts what it yields and stops
    at the cap or the deadline; read errors and damaged gzip streams become SourceErrors."""

    def __init__(self, inner: io.FileIO | gzip.GzipFile, path: str, what: str, cap: tuple[int, str, str], limits: InputLimits):
        super().__init__()
        self.inner, self.path, self.what, self.limits = inner, path, what, limits
        self.cap, self.cap_key, self.cap_why = cap
        self.count = 0
        self.deadline = time.monotonic() + limits.read_seconds

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        if time.monotonic() > self.deadline:
            raise self.error(f"reading {self.what} took longer than {self.limits.read_seconds} s (limits.read_seconds)",
                             "raise limits.read_seconds in the deck")
        try:
            n = self.inner.readinto(buffer)
        except (EOFError, zlib.error, gzip.BadGzipFile) as e:
            raise self.error(f"cannot decompress {self.what} ({e})") from None
        except OSError as e:
            raise self.error(f"cannot read {self.what}: {e.strerror or e}") from None
        self.count += n
        if self.count > self.cap:
            raise self.error(f"{self.what} holds more than {self.cap} bytes ({self.cap_why})",
                             f"raise {self.cap_key} in the deck if the file is genuine")
        return n

    def error(self, message: str, hint: str | None = None) -> SourceError:
        return SourceError(Diagnostic(message, Pos(self.path), hint=hint))

    def close(self) -> None:
        try:
            self.inner.close()
        finally:
            super().close()


def _open_fd(path: str, what: str) -> tuple[io.FileIO, os.stat_result]:
    """``open_regular``, its failures as SourceErrors at ``path``."""
    try:
        return open_regular(path)
    except NotRegular as e:
        raise SourceError(Diagnostic(str(e.strerror), Pos(path))) from None
    except OSError as e:
        raise SourceError(Diagnostic(f"cannot read {what}: {e.strerror or e}", Pos(path))) from None


@overload
def open_data(path: str, *, what: str, limits: InputLimits | None = None, streamed: bool = False, gunzip: bool = False,
              encoding: None = None, errors: str = "strict", newline: str | None = None) -> BinaryIO: ...
@overload
def open_data(path: str, *, what: str, limits: InputLimits | None = None, streamed: bool = False, gunzip: bool = False,
              encoding: str, errors: str = "strict", newline: str | None = None) -> TextIO: ...
def open_data(path: str, *, what: str, limits: InputLimits | None = None, streamed: bool = False, gunzip: bool = False,
              encoding: str | None = None, errors: str = "strict", newline: str | None = None) -> IO[Any]:
    """A regular file opened for reading under ``limits``: binary, or text when ``encoding`` is
    given. ``streamed``: the reader keeps only a window of the file (the cap is ``trace_bytes``,
    else ``input_bytes``). ``gunzip``: a file starting with the gzip magic is inflated as read.
    ``limits``: the deck's, or the defaults (inspection commands have no deck)."""
    limits = limits or InputLimits.of()
    raw, st = _open_fd(path, what)
    key = "trace_bytes" if streamed else "input_bytes"
    cap = (getattr(limits, key), f"limits.{key}", f"limits.{key}")
    inner: io.FileIO | gzip.GzipFile = raw
    try:
        if gunzip and raw.read(2) == GZIP_MAGIC:
            by_ratio = max(INFLATE_FLOOR, limits.inflate_ratio * st.st_size)
            if by_ratio < cap[0]:
                cap = (by_ratio, "limits.inflate_ratio",
                       f"limits.inflate_ratio: {limits.inflate_ratio} x {st.st_size} compressed bytes")
            inner = gzip.GzipFile(fileobj=raw, mode="rb")
        else:
            check_size(path, what, st.st_size, cap[0], key)
        raw.seek(0)
    except BaseException:
        raw.close()
        raise
    binary = io.BufferedReader(_Capped(inner, path, what, cap, limits), CHUNK)
    if encoding is None:
        return binary
    return io.TextIOWrapper(binary, encoding=encoding, errors=errors, newline=newline)


def read_data(path: str, *, what: str, limits: InputLimits | None = None, gunzip: bool = False,
              encoding: str = "utf-8", errors: str = "strict") -> str:
    """The whole text of a data file read under ``limits`` (a decoding error names the byte)."""
    try:
        with open_data(path, what=what, limits=limits, gunzip=gunzip, encoding=encoding, errors=errors) as f:
            return f.read()
    except UnicodeDecodeError as e:
        raise SourceError(Diagnostic(f"{what} is not UTF-8 (byte {e.start}: {e.reason})", Pos(path))) from None
