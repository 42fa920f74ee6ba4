"""sha256 of a file, read in 1 MiB chunks: the one digest every part of tfeic uses (inputs on the
reproducibility slide, cache keys, the nsys export cache), so they always agree; and the digest of
the code that is running (``code_version``), which cache keys and the renderer's frame both use."""

from __future__ import annotations

import functools
import hashlib
import os
import sys

from .. import __version__
from .datafile import open_regular

CHUNK = 1 << 20


def file_sha256(path: str) -> str:
    """sha256 of a regular file's bytes (``open_regular``: a FIFO or device named where a file was
    expected raises OSError instead of blocking or never ending; its reader then reports it)."""
    h = hashlib.sha256()
    f, _ = open_regular(path)
    with f:
        for chunk in iter(lambda: f.read(CHUNK), b""):
            h.update(chunk)
    return h.hexdigest()


@functools.lru_cache(maxsize=1)
def code_version() -> str:
    """tfeic's version plus a digest of its own source files and of the names of the installed
    distributions in site-packages (``*.dist-info`` carry their versions): editing tfeic (an editable install) or
    installing or upgrading a plugin invalidates what the old code cached, not only a version bump.
    Listing directories instead of asking ``importlib.metadata`` keeps a no-op build fast."""
    package = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))  # tfeic/
    h = hashlib.sha256(__version__.encode())
    for folder, dirs, files in sorted(os.walk(package)):
        dirs.sort()
        for name in sorted(f for f in files if f.endswith(".py")):
            path = os.path.join(folder, name)
            h.update(os.path.relpath(path, package).encode())
            h.update(file_sha256(path).encode())
    # only package directories: other sys.path entries (a checkout on PYTHONPATH holding its own
    # egg-info, pytest's rootdir) differ between processes running the same code
    for entry in (e for e in sys.path if os.path.basename(e.rstrip(os.sep)) in ("site-packages", "dist-packages")):
        try:
            names = sorted(n for n in os.listdir(entry or ".") if n.endswith((".dist-info", ".egg-info")))
        except OSError:
            continue
        h.update("\n".join(names).encode())
    return f"{__version__}+{h.hexdigest()[:16]}"
