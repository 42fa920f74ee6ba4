"""Content keys: digests of everything a cached value depends on, and nothing else.

A slide's key covers its directive and options (as written, before templating), its notes, the
digests of the sources it reads (kind, options and every input file's bytes), files its options
name (images, transcripts), the deck fields every directive can see (title, author, date, limits:
the cover slide shows them), the theme (the whole merged value, so a change in a theme it extends
counts) and the code that made it (``code_version``). Source positions are deliberately left out: moving a slide down the
file does not change what it draws, and the build re-stamps positions on reuse.

A source is cacheable only when its value is a function of files it lists in ``inputs()`` (or of its
options, under ``--dry-run``); a source that lists no files (a live server) makes every key that
depends on it ``None``, which means "always recompute".
"""

from __future__ import annotations

import hashlib
import json
import os
from typing import Any

from ..digest import code_version, signed_file_sha256, stat_signature


def digest(value: Any) -> str:
    """sha256 of a JSON-able value in canonical form (sorted keys; anything else by ``repr``)."""
    text = json.dumps(value, sort_keys=True, default=repr, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


class Digests:
    """File digests for one build: each file is hashed once however many keys name it.

    A digest an earlier build took can stand in for reading the file again (``trust``): the file
    was settled when it was hashed (``tfeic.core.digest.signed_file_sha256``) and its stat still
    has the same signature, which any change of its bytes since would have changed. A no-op build
    of a deck with its fonts so stats its inputs instead of hashing megabytes."""

    def __init__(self) -> None:
        self._files: dict[str, str] = {}
        self._signed: dict[str, tuple[str, str]] = {}  # path -> (stat signature, digest), for a later build
        self._trusted: dict[str, tuple[str, str]] = {}  # the same, from an earlier build
        self._named: dict[tuple[str, str], str | None] = {}  # (deck dir, option string) -> the file it names
        self._listings: dict[str, frozenset[str]] = {}  # folder -> the files in it

    def file(self, path: str) -> str:
        path = os.path.abspath(path)
        if path not in self._files:
            self._files[path] = self._digest(path)
        return self._files[path]

    def _digest(self, path: str) -> str:
        known = self._trusted.get(path)
        if known is not None and stat_signature(os.stat(path)) == known[0]:
            self._signed[path] = known
            return known[1]
        sha, signature = signed_file_sha256(path)
        if signature is not None:
            self._signed[path] = (signature, sha)
        return sha

    def trust(self, signed: dict[str, list[str]]) -> None:
        """Take the digests of files an earlier build hashed (``signed``), each to be used only while the
        file's stat keeps its signature. Call before asking for those files."""
        self._trusted.update((path, (signature, sha)) for path, (signature, sha) in signed.items())

    def signed(self, paths: list[str]) -> dict[str, list[str]]:
        """For ``trust`` in a later build: [stat signature, digest] of each of ``paths`` this build
        hashed (or trusted) while it was settled, by absolute path."""
        absolute = (os.path.abspath(p) for p in paths)
        return {p: list(self._signed[p]) for p in absolute if p in self._signed}

    def files(self, paths: list[str], base_dir: str) -> list[tuple[str, str]]:
        """(path relative to the deck, sha256) of each existing file, in the order given."""
        return [(os.path.relpath(p, base_dir), self.file(p)) for p in paths if os.path.isfile(p)]

    def option_files(self, options: Any, base_dir: str) -> list[tuple[str, str]]:
        """Digests of the files that string values of ``options`` name relative to the deck.

        Directives read such files themselves (images, transcripts); any string that names an
        existing file counts, so a directive needs no declaration for its files to be keyed.
        """
        found: set[str] = set()
        stack = [options]
        while stack:
            value = stack.pop()
            if isinstance(value, dict):
                stack.extend(value.values())
            elif isinstance(value, list):
                stack.extend(value)
            elif isinstance(value, str) and "\n" not in value and 0 < len(value) < 1024:
                full = self._named_file(base_dir, value)
                if full is not None:
                    found.add(full)
        return self.files(sorted(found), base_dir)

    def _named_file(self, base_dir: str, value: str) -> str | None:
        """The existing file ``value`` names relative to ``base_dir``, if any; asked once per string
        and build (a deck repeats its cell texts, column names and alignments on every slide)."""
        key = (base_dir, value)
        if key not in self._named:
            if os.sep not in value and "/" not in value and value[0] != "~" and value not in (".", ".."):
                # a plain name (most strings: text, not paths) can only name a file in the deck's folder
                found = value in self._files_in(os.path.normpath(base_dir))
                self._named[key] = os.path.normpath(os.path.join(base_dir, value)) if found else None
            else:
                full = os.path.normpath(os.path.join(base_dir, os.path.expanduser(value)))
                folder, name = os.path.split(full)
                self._named[key] = full if name in self._files_in(folder) else None
        return self._named[key]

    def _files_in(self, folder: str) -> frozenset[str]:
        """The names of the regular files (or links to one) in ``folder``, listed once per build: one
        directory read instead of a ``stat`` per option string (thousands in a long deck, almost all
        of them text that names nothing)."""
        if folder not in self._listings:
            try:
                with os.scandir(folder) as entries:
                    self._listings[folder] = frozenset(e.name for e in entries if e.is_file())
            except (OSError, ValueError):  # missing, not a folder, unreadable, or a NUL in the name
                self._listings[folder] = frozenset()
        return self._listings[folder]


def yaml_files(dirs: list[str]) -> list[str]:
    """The YAML files directly in ``dirs`` (theme directories: a theme, or one it extends, may be
    found there, so a file appearing there can change the build)."""
    return sorted(os.path.join(d, n) for d in dirs if os.path.isdir(d) for n in os.listdir(d) if n.endswith((".yaml", ".yml")))


def source_digest(kind: str, options: dict, inputs: list[str] | None, base_dir: str, dry_run: bool,
                  digests: Digests) -> str | None:
    """What a resolved source value depends on; None when that cannot be known from files."""
    if dry_run:
        return digest({"kind": kind, "options": options, "dry_run": True})
    if not inputs:
        return None
    return digest({"kind": kind, "options": options, "inputs": digests.files(inputs, base_dir)})


def slide_key(kind: str, options: dict, notes: str, sources: dict[str, str | None], files: list,
              deck: str, theme: str, build: Any = None) -> str | None:
    """The key of one slide directive's expanded IR and measured layout; None: do not cache."""
    if any(d is None for d in sources.values()):
        return None
    return digest({"version": code_version(), "kind": kind, "options": options, "notes": notes,
                   "sources": sources, "files": files, "deck": deck, "theme": theme, "build": build})
