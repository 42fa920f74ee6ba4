"""sha256 of a file, read in 1 MiB chunks: the one digest every part of tfeic uses (inputs on the
reproducibility slide, cache keys, the nsys export cache), so they always agree."""

from __future__ import annotations

import hashlib

CHUNK = 1 << 20


def file_sha256(path: str) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(CHUNK), b""):
            h.update(chunk)
    return h.hexdigest()
