"""Where cache entries live and how they are read and written.

Entries are pickles named by their key, written atomically (temp file + rename) so that a build
interrupted half-way, or two builds racing, leave either a whole entry or none. Anything that goes
wrong when reading (missing, truncated, written by another version, unpicklable) is a miss: the
build then computes the value as if there were no cache.
"""

from __future__ import annotations

import os
import pickle
import tempfile
from typing import Any

CACHE_DIR = ".tfeic-cache"
_MISS = object()


def cache_dir_for(spec_path: str) -> str:
    """``.tfeic-cache/`` next to the deck when that directory is writable, else in the cwd."""
    here = os.path.dirname(os.path.abspath(spec_path))
    return os.path.join(here if os.access(here, os.W_OK) else os.getcwd(), CACHE_DIR)


class Cache:
    """A directory of entries in namespaces (``slides``, ``outputs``); ``root=None`` caches nothing."""

    def __init__(self, root: str | None):
        self.root = root

    def get(self, namespace: str, key: str, default: Any = None) -> Any:
        if self.root is None:
            return default
        try:
            with open(self._path(namespace, key), "rb") as f:
                return pickle.load(f)
        except Exception:  # a corrupt entry is a miss, whatever the unpickler raised
            return default

    def put(self, namespace: str, key: str, value: Any) -> None:
        """Store ``value``; a cache that cannot be written (read-only, full disk) is silently skipped."""
        if self.root is None:
            return
        path = self._path(namespace, key)
        try:
            os.makedirs(os.path.dirname(path), exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=os.path.dirname(path), prefix=".tmp-")
        except OSError:
            return
        try:
            with os.fdopen(fd, "wb") as f:
                pickle.dump(value, f, protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(tmp, path)
        except (OSError, pickle.PicklingError, TypeError, AttributeError):  # e.g. a plugin value holding a lambda
            os.unlink(tmp)

    def _path(self, namespace: str, key: str) -> str:
        return os.path.join(self.root, namespace, key[:2], key)
