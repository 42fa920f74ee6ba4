"""The .pptx zip archive as an ordered list of (name, bytes) entries, written byte-stably.

``Package.save`` (python-pptx) stamps every zip entry with the current time. ``write_entries``
writes entries with a fixed date, permissions, "made by" system and compression level, so an
archive is a function of its entry names, order and contents only: a full render and a render that
kept most entries of a previous one (``tfeic.render.reuse``) give the same bytes. No python-pptx
here, so reading a previous rendering costs no python-pptx import.
"""

from __future__ import annotations

import io
import zipfile

ZIP_EPOCH = (1980, 1, 1, 0, 0, 0)  # the earliest date a zip entry can hold
ZIP_LEVEL = 6
ZIP_FILE_MODE = 0o644 << 16  # regular file, rw-r--r--
ZIP_UNIX = 3  # "made by" system; fixed so archives made on any OS match


def read_entries(archive: bytes) -> list[tuple[str, bytes]]:
    """Every entry of ``archive`` as (name, uncompressed bytes), in archive order."""
    with zipfile.ZipFile(io.BytesIO(archive)) as src:
        return [(info.filename, src.read(info)) for info in src.infolist()]


def write_entries(entries: list[tuple[str, bytes]]) -> bytes:
    """A zip archive of ``entries``, in the order given, with fixed entry metadata."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as dst:
        for name, data in entries:
            info = zipfile.ZipInfo(name, date_time=ZIP_EPOCH)
            info.external_attr = ZIP_FILE_MODE
            info.create_system = ZIP_UNIX
            dst.writestr(info, data, compress_type=zipfile.ZIP_DEFLATED, compresslevel=ZIP_LEVEL)
    return out.getvalue()


def stable_zip(archive: bytes) -> bytes:
    """``archive`` rewritten with fixed entry metadata; entry order and contents are unchanged."""
    return write_entries(read_entries(archive))
