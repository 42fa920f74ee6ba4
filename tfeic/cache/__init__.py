"""The incremental build cache (``.tfeic-cache/``): content keys and a store of pickled values.

A cache entry is only ever a shortcut to a value the build would compute anyway, keyed by a digest
of everything that value depends on; so the cache is safe to delete and can never change output
bytes. ``keys`` says what goes into a key; ``store`` reads and writes entries (a corrupt or
unreadable entry is a miss, never an error).
"""

from .keys import Digests, slide_key
from .store import CACHE_DIR, Cache, cache_dir_for

__all__ = ["CACHE_DIR", "Cache", "Digests", "cache_dir_for", "slide_key"]
