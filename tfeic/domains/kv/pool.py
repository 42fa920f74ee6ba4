"""Reading a KV block-pool dump without loading it: a memory map plus the geometry that explains it.

TensorRT-LLM has no dump format of its own (``get_unique_primary_pool()`` hands out the raw tensor),
so a dump is bare bytes and its geometry comes from an engine dir, the command line, or an optional
sidecar JSON next to it (``block_pool.bin`` -> ``block_pool.json``, schema
``schemas/kv-sidecar.schema.json``, as ``scripts/capture_reference.py`` writes it) that may also say
which token positions each block holds and carry per-layer int8/fp8 scales.
Random access goes through ``np.memmap`` (only touched pages are read); whole-pool passes use
``iter_blocks``, which reads a bounded chunk at a time into one reused buffer so memory stays flat.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import TYPE_CHECKING, Iterator

from ...core.datafile import check_regular
from ...core.diagnostics import Diagnostic, Pos, SourceError
from ...core.jsonfile import load_json_file
from .geometry import KvGeometry
from .offsets import Coord, byte_offset, block_shape

if TYPE_CHECKING:  # numpy is imported by the functions that read
    import numpy as np

CHUNK_BYTES = 16 << 20  # default read size of streaming passes (stats, scans)


@dataclass(frozen=True)
class BlockTokens:
    """Which token positions a block holds: slots 0..count-1 are positions first_position.. ."""

    block: int
    first_position: int
    count: int
    sequence: int = 0


@dataclass(frozen=True)
class Element:
    """One located element: where it is, its raw bytes, and its decoded value."""

    coord: Coord
    offset: int
    raw: bytes
    value: float


@dataclass(frozen=True)
class Sidecar:
    """The optional JSON next to a dump. ``geometry`` holds only the fields the file gives."""

    path: str
    geometry: dict
    blocks_count: int | None  # the sidecar's "blocks", checked against the dump size
    layer_scales: tuple[float, ...] | None
    block_tokens: tuple[BlockTokens, ...]


class KvPool:
    """A block pool: raw bytes (a read-only memmap or an in-memory array) interpreted by a geometry."""

    #: what templates see (``tfeic.core.plain``): ``data`` only as its shape, dtype and size
    template_fields = ("path", "geometry", "num_blocks", "nbytes", "layer_scales", "block_names", "data")

    def __init__(self, data: np.ndarray, geometry: KvGeometry, *, path: str = "",
                 layer_scales: tuple[float, ...] | None = None, block_tokens: tuple[BlockTokens, ...] = (),
                 block_names: tuple[str, ...] = ()):
        self.data = data
        self.geometry = geometry
        self.path = path
        self.num_blocks = len(data) // geometry.block_bytes
        self.layer_scales = layer_scales
        self.block_tokens = {b.block: b for b in block_tokens}
        self.block_names = block_names  # e.g. the connector file each block came from

    @property
    def nbytes(self) -> int:
        return len(self.data)

    def scale(self, layer: int) -> float | None:
        return self.layer_scales[layer] if self.layer_scales else None

    def read(self, offset: int, length: int) -> bytes:
        return bytes(self.data[offset:offset + length])

    def element(self, coord: Coord) -> Element:
        g = self.geometry
        offset = byte_offset(g, coord)
        raw = self.read(offset, g.elem_bytes)
        return Element(coord, offset, raw, g.kv_dtype.decode_bytes(raw, self.scale(coord.layer)))

    def layer_block(self, block: int, layer: int) -> np.ndarray:
        """Raw bytes of one block of one layer (``[kv, Hk, T, D]`` or ``[kv, T, Hk, D]``)."""
        start = block * self.geometry.block_bytes + layer * self.geometry.layer_block_bytes
        return self.data[start:start + self.geometry.layer_block_bytes]

    def plane_values(self, block: int, layer: int, kv: int) -> np.ndarray:
        """Decoded values of one plane as ``[Hk, T, D]`` whatever the layout."""
        import numpy as np

        g = self.geometry
        raw = g.kv_dtype.raw_view(np.ascontiguousarray(self.layer_block(block, layer)))
        shaped = raw.reshape(block_shape(g)[1:])[kv]
        if g.layout == "nhd":
            shaped = shaped.transpose(1, 0, 2)
        return g.kv_dtype.decode(np.ascontiguousarray(shaped), self.scale(layer))

    def iter_blocks(self, max_bytes: int = CHUNK_BYTES) -> Iterator[tuple[int, np.ndarray]]:
        """Yield (first block, uint8 array of whole blocks), at most ``max(max_bytes, one block)`` each.

        File-backed pools are read with ``readinto`` into one reused buffer instead of through the
        memory map, so a pass over a pool of any size keeps resident memory at about one chunk.
        """
        import numpy as np

        per = max(1, max_bytes // self.geometry.block_bytes)
        step = per * self.geometry.block_bytes
        if not self.path:
            for first in range(0, self.num_blocks, per):
                yield first, self.data[first * self.geometry.block_bytes:(first + per) * self.geometry.block_bytes]
            return
        buffer = bytearray(step)
        with open(self.path, "rb", buffering=0) as f:
            for first in range(0, self.num_blocks, per):
                want = min(per, self.num_blocks - first) * self.geometry.block_bytes
                view = memoryview(buffer)[:want]
                got = 0
                while got < want:
                    n = f.readinto(view[got:])
                    if not n:
                        raise SourceError(Diagnostic(f"pool file shrank while reading at byte {first * self.geometry.block_bytes + got}", Pos(self.path)))
                    got += n
                yield first, np.frombuffer(buffer, dtype=np.uint8, count=want)


def open_pool(path: str, geometry: KvGeometry, *, layer_scales: tuple[float, ...] | None = None,
              block_tokens: tuple[BlockTokens, ...] = ()) -> KvPool:
    """Memory-map a dump. A size that is not a whole number of blocks is exit 3 with the numbers."""
    import numpy as np

    where = Pos(path)
    size = check_regular(path, "KV pool").st_size  # a FIFO or device cannot be memory-mapped
    block = geometry.block_bytes
    if size == 0:
        raise SourceError(Diagnostic("KV pool file is empty", where))
    if size % block:
        raise SourceError(Diagnostic(
            f"KV pool size {size} bytes is not a whole number of blocks: block is {block} bytes "
            f"(L={geometry.layers} x {geometry.kv_factor} x Hk={geometry.kv_heads} x T={geometry.tokens_per_block} "
            f"x D={geometry.head_dim} x {geometry.elem_bytes} B), {size // block} whole blocks and {size % block} bytes left over",
            where, hint="check the geometry (engine dir, --kv-dims, --layers, --dtype) or whether the dump is truncated"))
    if layer_scales is not None and len(layer_scales) != geometry.layers:
        raise SourceError(Diagnostic(f"{len(layer_scales)} layer scales for {geometry.layers} layers", where))
    data = np.memmap(path, dtype=np.uint8, mode="r")
    return KvPool(data, geometry, path=path, layer_scales=layer_scales, block_tokens=block_tokens)


SIDECAR_GEOMETRY_KEYS = {"layers": int, "kv_factor": int, "kv_heads": int, "tokens_per_block": int, "head_dim": int,
                         "kv_dims": list, "dtype": str, "layout": str}
SIDECAR_OTHER_KEYS = {"blocks", "block_tokens", "layer_scales", "format", "version", "description"}


def sidecar_path(pool_path: str) -> str:
    """Where the optional sidecar of a dump lives: the dump's name with ``.json`` for its extension."""
    return os.path.splitext(pool_path)[0] + ".json"


def read_sidecar(path: str) -> Sidecar:
    """Parse and check a sidecar (the checks mirror ``schemas/kv-sidecar.schema.json``)."""
    doc = load_json_file(path, "sidecar")

    def fail(message: str):
        raise SourceError(Diagnostic(f"sidecar: {message}", Pos(path), hint="see schemas/kv-sidecar.schema.json"))

    if not isinstance(doc, dict):
        fail("top level must be an object")
    unknown = set(doc) - set(SIDECAR_GEOMETRY_KEYS) - SIDECAR_OTHER_KEYS
    if unknown:
        fail(f"unknown keys: {', '.join(sorted(unknown))}")
    geometry = {k: v for k, v in doc.items() if k in SIDECAR_GEOMETRY_KEYS}
    for key, value in geometry.items():
        if not isinstance(value, SIDECAR_GEOMETRY_KEYS[key]) or isinstance(value, bool):
            fail(f"{key} has the wrong type ({type(value).__name__})")
    scales = doc.get("layer_scales")
    if scales is not None and not (isinstance(scales, list) and all(isinstance(s, (int, float)) for s in scales)):
        fail("layer_scales must be a list of numbers")
    blocks = []
    if not isinstance(doc.get("block_tokens", []), list):
        fail("block_tokens must be a list")
    for i, item in enumerate(doc.get("block_tokens", [])):
        try:
            blocks.append(BlockTokens(int(item["block"]), int(item["first_position"]), int(item["count"]),
                                      int(item.get("sequence", 0))))
        except (KeyError, TypeError, ValueError, AttributeError, OverflowError):
            fail(f"block_tokens[{i}] needs integer block, first_position and count")
    count = doc.get("blocks")
    if count is not None and (not isinstance(count, int) or isinstance(count, bool)):
        fail("blocks must be an integer")
    return Sidecar(path, geometry, count, tuple(float(s) for s in scales) if scales is not None else None, tuple(blocks))


def check_sidecar_blocks(pool: KvPool, sidecar: Sidecar) -> None:
    """A sidecar that counts blocks must agree with the dump's size under the final geometry."""
    if sidecar.blocks_count is not None and sidecar.blocks_count != pool.num_blocks:
        raise SourceError(Diagnostic(f"sidecar says {sidecar.blocks_count} blocks, the dump holds {pool.num_blocks} "
                                     f"blocks of {pool.geometry.block_bytes} bytes", Pos(sidecar.path)))
