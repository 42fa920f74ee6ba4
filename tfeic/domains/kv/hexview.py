"""Hex rows of a pool byte range, each byte tagged with the element it belongs to.

One function feeds both the terminal (``tfeic kv hexdump``) and the hex slides, so both show the same
offsets, bytes and colours. Rows are aligned to multiples of ``width`` in pool offsets.
``row_elements`` decodes the elements a row holds whole, with the pool's dtype and layer scale
(``KvPool.element``, as ``kv locate`` and the zoom slide do), so a hex page can show each value
next to its bytes.
"""

from __future__ import annotations

from dataclasses import dataclass

from .offsets import Coord, locate
from .palette import PLANE_NAMES
from .pool import Element, KvPool


@dataclass(frozen=True)
class HexRow:
    offset: int
    data: bytes
    coords: tuple[Coord, ...]  # the element each byte belongs to

    @property
    def first(self) -> Coord:
        return self.coords[0]

    def tag(self) -> str:
        """'K h3 t5' (or 't5-6' when the row spans tokens): what the row holds."""
        c = self.first
        tokens = sorted({x.token for x in self.coords})
        span = f"t{tokens[0]}" if len(tokens) == 1 else f"t{tokens[0]}-{tokens[-1]}"
        return f"{PLANE_NAMES[c.kv]} h{c.head} {span}"


def offset_digits(pool: KvPool) -> int:
    """Hex digits of the offset column: enough for the pool's last byte, at least 8."""
    return max(8, len(f"{max(pool.nbytes - 1, 0):x}"))


def hex_rows(pool: KvPool, start: int, length: int, width: int = 16) -> list[HexRow]:
    """Rows covering [start, start + length); the first/last rows may be partial."""
    rows = []
    end = min(start + length, pool.nbytes)
    offset = start
    while offset < end:
        stop = min(end, (offset // width + 1) * width)
        data = pool.read(offset, stop - offset)
        coords = tuple(locate(pool.geometry, o)[0] for o in range(offset, stop))
        rows.append(HexRow(offset, data, coords))
        offset = stop
    return rows


def row_elements(pool: KvPool, row: HexRow) -> tuple[Element, ...]:
    """The elements whose bytes all lie in ``row``, in offset order (a row cut at an unaligned range
    start or end leaves its partial elements out: their value is not in the row's bytes)."""
    size = pool.geometry.elem_bytes
    first = -row.offset % size  # the row's first byte that starts an element
    return tuple(pool.element(row.coords[i]) for i in range(first, len(row.data) - size + 1, size))
