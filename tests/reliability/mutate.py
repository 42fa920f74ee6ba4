"""Hypothesis strategies that damage real inputs the ways files get damaged.

Byte-level damage (truncation, bit flips, spliced garbage, a duplicated span) models a partial copy,
a bad disk or the wrong file; structure-level damage of JSON (a value of the wrong type, a key
removed) models a different tool version writing a file that still parses.
"""

from __future__ import annotations

import gzip
import json

from hypothesis import strategies as st

JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers(-2**63, 2**64) | st.floats(allow_nan=True) | st.text(max_size=12),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=6), inner, max_size=3),
    max_leaves=6,
)


@st.composite
def damaged(draw, original: bytes) -> bytes:
    """``original`` truncated, bit-flipped, with garbage spliced in, or with a span duplicated."""
    n = len(original)
    kind = draw(st.sampled_from(["truncate", "flip", "splice", "duplicate"]))
    if kind == "truncate":
        return original[: draw(st.integers(0, n - 1))]
    data = bytearray(original)
    if kind == "flip":
        # bias half the flips to the first 4 KiB, where headers (zip, gzip, SQLite page 1) live
        positions = st.integers(0, min(n, 4096) - 1) | st.integers(0, n - 1)
        for pos in draw(st.lists(positions, min_size=1, max_size=16)):
            data[pos] ^= 1 << draw(st.integers(0, 7))
        return bytes(data)
    at = draw(st.integers(0, n))
    if kind == "splice":
        return bytes(data[:at]) + draw(st.binary(min_size=1, max_size=64)) + bytes(data[at:])
    length = draw(st.integers(1, max(1, min(256, n - at))))
    return bytes(data[:at]) + bytes(data[at: at + length]) * 2 + bytes(data[at + length:])


def gzipped(data: bytes) -> bytes:
    return gzip.compress(data, mtime=0)


def _paths(value, prefix=()):
    yield prefix
    if isinstance(value, dict):
        for key, item in value.items():
            yield from _paths(item, (*prefix, key))
    elif isinstance(value, list):
        for i, item in enumerate(value[:8]):  # a few items of long lists are enough
            yield from _paths(item, (*prefix, i))


@st.composite
def retyped_json(draw, document):
    """``document`` (parsed JSON) with 1-3 values replaced by arbitrary JSON values or removed."""
    doc = json.loads(json.dumps(document))
    for _ in range(draw(st.integers(1, 3))):
        paths = [p for p in _paths(doc) if p]
        if not paths:
            return draw(JSON_VALUES)
        path = draw(st.sampled_from(paths))
        parent = doc
        for key in path[:-1]:
            parent = parent[key]
        if isinstance(parent, dict) and draw(st.booleans()):
            del parent[path[-1]]
        else:
            parent[path[-1]] = draw(JSON_VALUES)
    return doc


def json_bytes(document) -> bytes:
    return json.dumps(document, allow_nan=True).encode()
