"""No-op builds: a record of what each output was built from, and the check that lets a rebuild skip.

The record, stored per output path, holds the build's fingerprint (tfeic version, spec path, command
line options, SOURCE_DATE_EPOCH), the deck that made it (path and digest), the digest of every file
the output depends on (spec, theme files, font files, source inputs, files named by slides), the
theme files present in each theme directory, and the digests of the bytes the build wrote. A
rebuild is skipped only when all of these still hold, so an output or proof edited, replaced or
deleted by hand is rebuilt. The check imports no pipeline stage: it
costs a few file digests, which is what makes a no-op rebuild nearly free.
"""

from __future__ import annotations

import hashlib
import os
from typing import Any

from ..digest import code_version
from .keys import Digests, digest, yaml_files
from .store import Cache

NAMESPACE = "outputs"


def fingerprint(spec: str, options: Any) -> str:
    """What identifies a build besides its files: version, spec path, options, SOURCE_DATE_EPOCH."""
    return digest({"version": code_version(), "spec": os.path.abspath(spec), "options": options,
                   "epoch": os.environ.get("SOURCE_DATE_EPOCH")})


def up_to_date(cache: Cache, build: str, spec: str, output: str, proof: str | None,
               digests: Digests) -> list[str] | None:
    """When ``output`` (and ``proof``) are exactly what a build of ``spec`` with the same fingerprint
    wrote from files that have not changed since: the files it depends on (what ``tfeic watch``
    watches next). Otherwise None."""
    record = cache.get(NAMESPACE, digest(os.path.abspath(output)))
    if not isinstance(record, dict) or record.get("build") != build or record.get("proof") != proof:
        return None
    if any(yaml_files([d]) != names for d, names in record["dirs"].items()):
        return None
    try:
        fresh = (record["spec"] == _spec(digests, spec)
                 and all(digests.file(p) == d for p, d in record["files"].items())
                 and [digests.file(p) if p else None for p in (output, proof)] == record["written"])
    except OSError:  # a file is gone
        return None
    return list(record["files"]) if fresh else None


def remember(cache: Cache, build: str, spec: str, written: list[tuple[str, bytes]], files: list[str],
             dirs: list[str], digests: Digests) -> None:
    """Store the record of a build of ``spec`` that just wrote ``written``: (path, bytes) of the
    .pptx, then of the proof if any. Digests already in ``digests`` are those taken before the
    build read the files, so a file edited during the build makes the record stale, never wrong; the
    written files are recorded by the bytes this build produced, not by what is on disk now, so a
    build racing to the same output can never leave this record naming its bytes."""
    (output, _), *proof = written
    try:
        record = {"build": build, "spec": _spec(digests, spec), "proof": proof[0][0] if proof else None,
                  "files": {p: digests.file(p) for p in files}, "dirs": {d: yaml_files([d]) for d in dirs},
                  "written": [hashlib.sha256(data).hexdigest() for _, data in written] + [None] * (2 - len(written))}
    except OSError:
        return
    cache.put(NAMESPACE, digest(os.path.abspath(output)), record)


def _spec(digests: Digests, spec: str) -> tuple[str, str]:
    """Which deck made the output: its path and the digest of its bytes."""
    return os.path.abspath(spec), digests.file(spec)
