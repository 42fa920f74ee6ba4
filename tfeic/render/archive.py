"""The .pptx zip archive, written byte-stably from entries compressed one at a time.

An archive is a function of its entry names, order and contents only: every entry has a fixed date,
permissions, "made by" system and compression level. The bytes are those Python's ``zipfile``
writes for such entries (its local header, central directory and end record, ``zipfile.ZipInfo``
``FileHeader`` / ``ZipFile._write_end_record`` in CPython 3.11's Lib/zipfile.py, with raw deflate at
level 6), so archives written before this module wrote them itself are unchanged.

Entries are compressed as they are made (``compress``) and kept compressed: a rebuild copies a kept
slide's compressed bytes into the new archive (``tfeic.render.reuse``) instead of inflating and
deflating every slide again, and a 500-slide deck never holds its uncompressed XML all at once.
"""

from __future__ import annotations

import io
import struct
import zipfile
import zlib
from typing import NamedTuple

ZIP_LEVEL = 6
ZIP_FILE_MODE = 0o644 << 16  # regular file, rw-r--r--
ZIP_UNIX = 3  # "made by" system; fixed so archives made on any OS match
VERSION = 20  # zipfile's DEFAULT_VERSION: "made by" and "needed to extract" for deflate
DOS_DATE = (0 << 9) | (1 << 5) | 1  # 1980-01-01, the earliest date a zip entry can hold; time 00:00:00
UTF8_NAME = 0x800
LOCAL = struct.Struct("<4s2B4HL2L2H")  # zipfile.structFileHeader
CENTRAL = struct.Struct("<4s4B4HL2L5H2L")  # zipfile.structCentralDir
END = struct.Struct("<4s4H2LH")  # zipfile.structEndArchive


class Entry(NamedTuple):
    """One archive member, already deflated."""

    name: str
    crc: int
    size: int
    data: bytes  # raw deflate stream


def compress(name: str, data: bytes) -> Entry:
    """``data`` deflated as ``zipfile`` deflates it (raw stream, level 6)."""
    packer = zlib.compressobj(ZIP_LEVEL, zlib.DEFLATED, -15)
    return Entry(name, zlib.crc32(data), len(data), packer.compress(data) + packer.flush())


def write_archive(entries: list[Entry]) -> bytes:
    """The zip archive of ``entries``, in the order given."""
    out: list[bytes] = []
    central: list[bytes] = []
    offset = 0
    for entry in entries:
        try:
            name, flags = entry.name.encode("ascii"), 0
        except UnicodeEncodeError:
            name, flags = entry.name.encode("utf-8"), UTF8_NAME
        header = LOCAL.pack(b"PK\003\004", VERSION, 0, flags, zipfile.ZIP_DEFLATED, 0, DOS_DATE, entry.crc,
                            len(entry.data), entry.size, len(name), 0)
        out += (header, name, entry.data)
        central.append(CENTRAL.pack(b"PK\001\002", VERSION, ZIP_UNIX, VERSION, 0, flags, zipfile.ZIP_DEFLATED, 0,
                                    DOS_DATE, entry.crc, len(entry.data), entry.size, len(name), 0, 0, 0, 0,
                                    ZIP_FILE_MODE, offset) + name)
        offset += len(header) + len(name) + len(entry.data)
    directory = b"".join(central)
    end = END.pack(b"PK\005\006", 0, 0, len(entries), len(entries), len(directory), offset, 0)
    return b"".join(out) + directory + end


def read_entries(archive: bytes) -> list[tuple[str, bytes]]:
    """Every entry of ``archive`` as (name, uncompressed bytes), in archive order."""
    with zipfile.ZipFile(io.BytesIO(archive)) as src:
        return [(info.filename, src.read(info)) for info in src.infolist()]


def write_entries(entries: list[tuple[str, bytes]]) -> bytes:
    """A zip archive of uncompressed ``entries``, in the order given, with fixed entry metadata."""
    return write_archive([compress(name, data) for name, data in entries])
