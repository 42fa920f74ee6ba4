"""No-op builds: a record of what each output was built from, and the check that lets a rebuild skip.

The record, stored per output path, holds the build's fingerprint (tfeic version, spec path, command
line options, SOURCE_DATE_EPOCH), the digest of every file the output depends on (spec, theme files,
source inputs, files named by slides), the theme files present in each theme directory, and the
digests of the files written. A rebuild is skipped only when all of these still hold, so an output
or proof edited, replaced or deleted by hand is rebuilt. The check imports no pipeline stage: it
costs a few file digests, which is what makes a no-op rebuild nearly free.
"""

from __future__ import annotations

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


def up_to_date(cache: Cache, build: str, output: str, proof: str | None) -> list[str] | None:
    """When ``output`` (and ``proof``) are exactly what a build with the same fingerprint wrote from
    files that have not changed since: the files it depends on (what ``tfeic watch`` watches next).
    Otherwise None."""
    record = cache.get(NAMESPACE, digest(os.path.abspath(output)))
    if not isinstance(record, dict) or record.get("build") != build or record.get("proof") != proof:
        return None
    if any(yaml_files([d]) != names for d, names in record["dirs"].items()):
        return None
    digests = Digests()
    try:
        fresh = (all(digests.file(p) == d for p, d in record["files"].items())
                 and _written(digests, output, proof) == record["written"])
    except OSError:  # a file is gone
        return None
    return list(record["files"]) if fresh else None


def remember(cache: Cache, build: str, output: str, proof: str | None, files: list[str], dirs: list[str]) -> None:
    """Store the record of a build that just wrote ``output`` (and ``proof``)."""
    digests = Digests()
    try:
        record = {"build": build, "proof": proof, "files": {p: digests.file(p) for p in files},
                  "dirs": {d: yaml_files([d]) for d in dirs}, "written": _written(digests, output, proof)}
    except OSError:
        return
    cache.put(NAMESPACE, digest(os.path.abspath(output)), record)


def _written(digests: Digests, output: str, proof: str | None) -> list[str | None]:
    return [digests.file(output), digests.file(proof) if proof else None]
