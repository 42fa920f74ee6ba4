"""No-op builds: a record of what each output was built from, and the check that lets a rebuild skip.

The record, stored per output path, holds the build's fingerprint (tfeic version, spec path, command
line options, SOURCE_DATE_EPOCH), the deck that made it (path and digest), the digest of every file
the output depends on (spec, theme files, font files, source inputs, files named by slides), the
theme files present in each theme directory, the digests of the bytes the build wrote, and the
stat signatures under which digests of settled files may be trusted (``Digests.trust``). A rebuild is
skipped only when all of these still hold, so an output or proof edited, replaced or deleted by hand
is rebuilt. The check imports no pipeline stage and reads no pickle: it costs a stat per file (and a
digest of each file changed too recently to trust its stat), which is what makes a no-op rebuild
nearly free.
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
    watches next). Otherwise None.

    ``spec`` is digested first, whatever the answer: the build that follows a None names in its
    record the deck as it was before the build read it. The digests the record took of settled files
    are trusted while their stats keep their signatures (``Digests.trust``), so the check stats the
    theme's fonts instead of hashing them. When the answer is yes and files the check had to hash
    (the output, a deck edited just before its build) have settled since, the record is stored
    again with their signatures, once, as git refreshes its index (racy-git.txt, "Runtime penalty")."""
    key = digest(os.path.abspath(output))
    record = cache.get_json(NAMESPACE, key)
    ours = isinstance(record, dict) and record.get("build") == build  # the same fingerprint: written by this code
    if ours:
        digests.trust(record["stats"])
    try:
        deck = _spec(digests, spec)
    except OSError:  # no deck: the build says so
        return None
    if not ours or record["proof"] != proof:
        return None
    if any(yaml_files([d]) != names for d, names in record["dirs"].items()):
        return None
    try:
        fresh = (record["spec"] == deck
                 and all(digests.file(p) == d for p, d in record["files"].items())
                 and [digests.file(p) if p else None for p in (output, proof)] == record["written"])
    except OSError:  # a file is gone
        return None
    if not fresh:
        return None
    signed = digests.signed([spec, *record["files"], output, *([proof] if proof else [])])
    if signed != record["stats"]:
        cache.put_json(NAMESPACE, key, {**record, "stats": signed})
    return list(record["files"])


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
                  "written": [hashlib.sha256(data).hexdigest() for _, data in written] + [None] * (2 - len(written)),
                  "stats": digests.signed([spec, *files])}
    except OSError:
        return
    cache.put_json(NAMESPACE, digest(os.path.abspath(output)), record)


def _spec(digests: Digests, spec: str) -> list[str]:
    """Which deck made the output: its path and the digest of its bytes."""
    return [os.path.abspath(spec), digests.file(spec)]
