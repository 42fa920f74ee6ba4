"""The incremental build cache (per user, never next to the deck): content keys and a store of
authenticated values.

A cache entry is only ever a shortcut to a value the build would compute anyway, keyed by a digest
of everything that value depends on; so the cache is safe to delete and can never change output
bytes. ``keys`` says what goes into a key; ``store`` reads and writes entries (a corrupt, forged or
unreadable entry is a miss, never an error, and never unpickled).
"""

from .keys import Digests, slide_key
from .store import Cache, build_cache_dir

__all__ = ["Cache", "Digests", "build_cache_dir", "slide_key"]
