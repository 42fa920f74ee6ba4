"""Where cache entries live and how they are read and written, so that no entry can run code.

Entries are pickles (plain data may be JSON: ``get_json``, which a no-op build reads without importing
pickle), and unpickling runs whatever the bytes say; so an entry is only ever read
from a directory that nobody but the user can write (a per-user directory, never one next to the
deck: a deck folder from a git repository or a zip is untrusted and could ship one), and only
when it carries an HMAC-SHA256, over its namespace, key and bytes, made with a random key that
lives in that directory (mode 0600, created once). A planted or forged entry fails the MAC and is
a miss, before a byte of it is unpickled. A directory that is not the user's own, or that others
may write, turns caching off (one warning), since its entries could have been planted.

Entries are written atomically (temp file + rename) so that a build interrupted half-way, or two
builds racing, leave either a whole entry or none. Anything that goes wrong when reading (missing,
truncated, forged, written by another version, unpicklable) is a miss: the build then computes the
value as if there were no cache.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import stat
import sys
from typing import Any

from ..resources import user_cache_dir

MAC_BYTES = hashlib.sha256().digest_size
KEY_FILE = "hmac.key"
KEY_BYTES = 32
SHARED_DIR = 0o022  # a directory others may write could hold planted entries
SHARED_KEY = 0o077  # a key others may read lets them forge entries


def build_cache_dir() -> str:
    """The build cache: ``build/`` in the per-user cache directory (``tfeic.core.resources``)."""
    return os.path.join(user_cache_dir(), "build")


class Cache:
    """A directory of authenticated entries in namespaces (``slides``, ``outputs``, ``renderings``);
    ``root=None`` caches nothing, and so does a root that is not safely the user's own."""

    def __init__(self, root: str | None):
        self.root, self._key = None, b""
        if root is not None:
            key = _open_private(root)
            if key is not None:
                self.root, self._key = root, key

    def get(self, namespace: str, key: str, default: Any = None) -> Any:
        """The value ``put`` stored under ``key`` (any picklable value), else ``default``."""
        payload = self._read(namespace, key)
        if payload is None:
            return default
        import pickle  # not at the top: a no-op build reads only ``get_json`` entries

        try:
            return pickle.loads(payload)
        except Exception:  # our own entry from another version of a class: a miss, whatever it raised
            return default

    def get_json(self, namespace: str, key: str, default: Any = None) -> Any:
        """The value ``put_json`` stored under ``key`` (plain data: JSON's types), else ``default``.
        What a no-op build reads (the outputs record, the code-version memo) is stored so: reading
        it needs no ``pickle`` (a few ms to import, when the whole check should take few more)."""
        payload = self._read(namespace, key)
        if payload is None:
            return default
        try:
            return json.loads(payload)
        except ValueError:  # an entry another version wrote as a pickle: a miss
            return default

    def put(self, namespace: str, key: str, value: Any) -> None:
        """Store ``value``; a cache that cannot be written (read-only, full disk) is silently skipped."""
        if self.root is None:
            return
        import pickle

        try:
            payload = pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)
        except (pickle.PicklingError, TypeError, AttributeError):  # e.g. a plugin value holding a lambda
            return
        self._write(namespace, key, payload)

    def put_json(self, namespace: str, key: str, value: Any) -> None:
        """Store plain data (str, numbers, None, lists, dicts with str keys) for ``get_json``; tuples
        come back as lists."""
        if self.root is not None:
            self._write(namespace, key, json.dumps(value, separators=(",", ":")).encode())

    def _read(self, namespace: str, key: str) -> bytes | None:
        """The payload of the entry, if there is one and its MAC is ours (never decoded otherwise)."""
        if self.root is None:
            return None
        try:
            with open(self._path(self.root, namespace, key), "rb") as f:
                blob = f.read()
        except OSError:
            return None
        mac, payload = blob[:MAC_BYTES], blob[MAC_BYTES:]
        if not hmac.compare_digest(mac, self._mac(namespace, key, payload)):
            return None  # planted, forged, truncated or made with another key: never unpickled
        return payload

    def _write(self, namespace: str, key: str, payload: bytes) -> None:
        """Write the entry atomically (temp file, then rename), MAC first."""
        if self.root is None:
            return
        import tempfile  # only a build that writes needs it, not a no-op check

        path = self._path(self.root, namespace, key)
        try:
            os.makedirs(os.path.dirname(path), mode=0o700, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=os.path.dirname(path), prefix=".tmp-")
        except OSError:
            return
        try:
            with os.fdopen(fd, "wb") as f:
                f.write(self._mac(namespace, key, payload) + payload)
            os.replace(tmp, path)
        except OSError:
            os.unlink(tmp)

    def _mac(self, namespace: str, key: str, payload: bytes) -> bytes:
        return hmac.digest(self._key, f"{namespace}/{key}\n".encode() + payload, "sha256")

    @staticmethod
    def _path(root: str, namespace: str, key: str) -> str:
        return os.path.join(root, namespace, key[:2], key)


def _open_private(root: str) -> bytes | None:
    """The MAC key of the cache at ``root`` (creating both, private, when missing); None, with one
    warning, when ``root`` or its key could be someone else's, or cannot be made."""
    try:
        os.makedirs(root, mode=0o700, exist_ok=True)
        problem = _not_private(root, os.stat(root), stat.S_ISDIR, SHARED_DIR)
        if problem:
            _off(root, problem)
            return None
        return _key(os.path.join(root, KEY_FILE))
    except OSError as err:
        _off(root, err.strerror or str(err))
        return None


def _key(path: str) -> bytes | None:
    """The key at ``path``; a missing or damaged one is replaced by a new one (0600). A missing key
    is linked into place, never renamed over one: builds racing to create it all use the first, so
    a no-op after them finds their entries. Two racing to replace a damaged one may each use their
    own for a moment: their entries are then misses to each other, never wrong."""
    try:
        return _read_key(path)
    except FileNotFoundError:
        damaged = False
    except ValueError:
        damaged = True
    import tempfile

    fd, tmp = tempfile.mkstemp(dir=os.path.dirname(path), prefix=".key-")  # mkstemp makes it 0600
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(os.urandom(KEY_BYTES))
        try:
            os.link(tmp, path)
        except FileExistsError:  # damaged, or made by a racing build a moment ago (then kept)
            if damaged:
                os.replace(tmp, path)
        except OSError:  # a file system without hard links
            os.replace(tmp, path)
    finally:
        if os.path.lexists(tmp):
            os.unlink(tmp)
    return _read_key(path)


def _read_key(path: str) -> bytes | None:
    """The key, or None (with the warning) when it is not private; ValueError when damaged."""
    # a symlink as the key is an OSError; a FIFO must not block the open (fstat then refuses it)
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0))
    with os.fdopen(fd, "rb") as f:
        problem = _not_private(path, os.fstat(f.fileno()), stat.S_ISREG, SHARED_KEY)
        key = f.read(KEY_BYTES + 1)
    if problem:
        _off(path, problem)
        return None
    if len(key) != KEY_BYTES:
        raise ValueError(path)
    return key


def _not_private(path: str, st: os.stat_result, kind, shared: int) -> str | None:
    """Why ``path`` cannot be trusted to hold cache entries or their key (None: it can): not of
    ``kind``, not the user's, or with any of the ``shared`` permission bits set."""
    if not kind(st.st_mode):
        return "not the expected kind of file"
    uid = getattr(os, "getuid", lambda: st.st_uid)()
    if st.st_uid != uid:
        return f"owned by uid {st.st_uid}, not by this user ({uid})"
    if st.st_mode & shared:
        return f"mode {stat.S_IMODE(st.st_mode):04o} lets other users in (chmod go-w the directory, 600 the key)"
    return None


_warned: set[str] = set()


def _off(path: str, why: str) -> None:
    """Caching is off for this process: say so once per path (the build itself goes on, cold)."""
    if path not in _warned:
        _warned.add(path)
        print(f"{path}: warning: build cache off: {why}", file=sys.stderr)
