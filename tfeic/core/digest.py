"""sha256 of a file, read in 1 MiB chunks: the one digest every part of tfeic uses (inputs on the
reproducibility slide, cache keys, the nsys export cache), so they always agree; the stat signature
under which a later process may take that digest without reading the file (``signed_file_sha256``);
and the digest of the code that is running (``code_version``), which cache keys and the renderer's
frame both use."""

from __future__ import annotations

import hashlib
import os
import sys
import time
from typing import Any

from .. import __version__
from .regular import open_regular

CHUNK = 1 << 20
RACY_SECONDS = 2  # a file system that keeps times to the second (FAT: two) can hide an edit this recent


def file_sha256(path: str) -> str:
    """sha256 of a regular file's bytes (``open_regular``: a FIFO or device named where a file was
    expected raises OSError instead of blocking or never ending; its reader then reports it)."""
    return signed_file_sha256(path)[0]


def signed_file_sha256(path: str) -> tuple[str, str | None]:
    """``file_sha256`` and the ``stat_signature`` of the file it read, when that signature can stand
    for those bytes in a later process: the file had been left alone for ``RACY_SECONDS`` when it was
    opened (``settled``), so any later change gives it another signature. None when it was changed
    too recently to tell."""
    now = time.time_ns()  # before the file's stat: a change after this moment has a later ctime
    h = hashlib.sha256()
    f, st = open_regular(path)
    with f:
        for chunk in iter(lambda: f.read(CHUNK), b""):
            h.update(chunk)
    return h.hexdigest(), stat_signature(st) if settled(st, now) else None


def stat_signature(st: os.stat_result) -> str:
    """What identifies one state of a file without reading it: size, mtime, ctime, inode, device.
    Any change of its bytes sets the ctime (no tool can set it back), a replaced file has another
    inode or ctime, and a remount another device."""
    return f"{st.st_size}\0{st.st_mtime_ns}\0{st.st_ctime_ns}\0{st.st_ino}\0{st.st_dev}"


def settled(st: os.stat_result, seen_ns: int) -> bool:
    """Whether the file's last change (``st``, taken at or after ``seen_ns``) lies more than
    ``RACY_SECONDS`` before ``seen_ns``, so that its ``stat_signature`` tells it from any later state:
    git's "racily clean" rule (git/git Documentation/technical/racy-git.txt: a file whose mtime is not
    older than the index is compared by content, ``ce_match_stat``). A file system that keeps coarse
    times (FAT: two seconds) would show an edit made in the same tick as the last one with the same
    times."""
    return max(st.st_mtime_ns, st.st_ctime_ns) < seen_ns - RACY_SECONDS * 1_000_000_000


PACKAGE = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))  # tfeic/
MEMO_NAMESPACE = "code-version"

_computed: list[str] = []  # code_version's value, once computed: the code under a running process is fixed


def code_version(memo: Any = None) -> str:
    """tfeic's version plus a digest of its own source files and of the names of the installed
    distributions in site-packages (``*.dist-info`` carry their versions): editing tfeic (an editable install) or
    installing or upgrading a plugin invalidates what the old code cached, not only a version bump.
    Listing directories instead of asking ``importlib.metadata`` keeps a no-op build fast.

    ``memo`` (the build cache, ``tfeic.core.cache.Cache``), when the first call of the process passes
    it, keeps the digest of the sources under a signature of their stats (path, size, mtime, ctime,
    inode, device), so a no-op build stats ~240 files instead of reading them: the value is the same
    with or without it. Any edit changes the ctime (no tool can set it back), and a file changed in
    the last ``RACY_SECONDS`` is never trusted to its stat (git's "racily clean" rule): a file system
    that keeps coarse times could show an edit made in the same tick as the same stat."""
    if not _computed:
        _computed.append(_code_version(memo))
    return _computed[0]


def _code_version(memo: Any, package: str = PACKAGE) -> str:
    seen = time.time_ns()
    files = _source_files(package)
    signature = "\n".join(f"{name}\0{stat_signature(st)}" for name, st in files)
    key = hashlib.sha256(f"{__version__}\n{package}\n{signature}".encode("utf-8", "surrogatepass")).hexdigest()
    sources = memo.get_json(MEMO_NAMESPACE, key) if memo is not None else None
    if not isinstance(sources, str):
        h = hashlib.sha256(__version__.encode())
        for name, _ in files:
            h.update(name.encode("utf-8", "surrogatepass"))
            h.update(file_sha256(os.path.join(package, name)).encode())
        sources = h.hexdigest()
        if memo is not None and all(settled(st, seen) for _, st in files):
            memo.put_json(MEMO_NAMESPACE, key, sources)
    h = hashlib.sha256(sources.encode())
    # only package directories: other sys.path entries (a checkout on PYTHONPATH holding its own
    # egg-info, pytest's rootdir) differ between processes running the same code
    for entry in (e for e in sys.path if os.path.basename(e.rstrip(os.sep)) in ("site-packages", "dist-packages")):
        try:
            names = sorted(n for n in os.listdir(entry or ".") if n.endswith((".dist-info", ".egg-info")))
        except OSError:
            continue
        h.update("\n".join(names).encode())
    return f"{__version__}+{h.hexdigest()[:16]}"


def _source_files(package: str) -> list[tuple[str, os.stat_result]]:
    """Each ``.py`` file under ``package`` (symbolic links to folders not followed, as ``os.walk``
    does): its path relative to ``package`` and its stat, sorted by path. ``scandir``, not
    ``os.walk`` and ``relpath``: a no-op build pays for this listing (a few ms, not ~25)."""
    found = []
    folders = [("", package)]
    while folders:
        prefix, folder = folders.pop()
        with os.scandir(folder) as entries:
            for entry in entries:
                if entry.is_dir(follow_symlinks=False):
                    if entry.name != "__pycache__":  # bytecode, half the folders: no module is imported from there
                        folders.append((prefix + entry.name + os.sep, entry.path))
                elif entry.name.endswith(".py"):
                    found.append((prefix + entry.name, entry.stat()))
    return sorted(found, key=lambda item: item[0])
