"""The bytes of tensor data a ``.safetensors`` file holds, from its header alone.

A safetensors file is an 8-byte little-endian header length N, N bytes of JSON, then the tensor
data. The JSON maps each tensor name to ``{"dtype", "shape", "data_offsets": [begin, end]}``
(offsets into the data section) plus an optional ``__metadata__`` map of strings. Read as the
reference reader does (huggingface/safetensors, ``safetensors/src/tensor.rs``:
``SafeTensors::read_metadata`` and ``Metadata::validate``): N is at most 100,000,000
(``MAX_HEADER_SIZE``); sorted by offset the tensors tile the data section from 0 with no gap;
each one's ``end - begin`` equals its element count times its dtype's bits (``Dtype::bitsize``)
/ 8; and header plus data is exactly the file's size. Only the header is read, never a tensor,
so a 100 GB shard costs one small read; anything else is one SourceError at the file (exit 3).
"""

from __future__ import annotations

import json
import math
import struct

from ...core.datafile import open_regular
from ...core.diagnostics import Diagnostic, Pos, SourceError
from ...core.jsonfile import NumberOutOfRange, loads

MAX_HEADER_SIZE = 100_000_000  # safetensors/src/tensor.rs MAX_HEADER_SIZE
#: Dtype::bitsize of every dtype the format defines
DTYPE_BITS = {"BOOL": 8, "F4": 4, "F6_E2M3": 6, "F6_E3M2": 6, "U8": 8, "I8": 8, "F8_E5M2": 8, "F8_E4M3": 8,
              "F8_E8M0": 8, "F8_E4M3FNUZ": 8, "F8_E5M2FNUZ": 8, "I16": 16, "U16": 16, "F16": 16, "BF16": 16,
              "I32": 32, "U32": 32, "F32": 32, "C64": 64, "F64": 64, "I64": 64, "U64": 64}


def _fail(path: str, why: str) -> SourceError:
    return SourceError(Diagnostic(f"not a valid safetensors file: {why}", Pos(path)))


def _tensor_bytes(path: str, name: str, info: object) -> tuple[int, int]:
    """(begin, end) of one header entry, checked against its dtype and shape."""
    if not isinstance(info, dict) or not isinstance(info.get("data_offsets"), list) or len(info["data_offsets"]) != 2:
        raise _fail(path, f"tensor {name!r} has no [begin, end] data_offsets")
    begin, end = info["data_offsets"]
    shape, bits = info.get("shape"), DTYPE_BITS.get(str(info.get("dtype")))
    if not all(isinstance(v, int) and not isinstance(v, bool) and v >= 0 for v in (begin, end)) or end < begin:
        raise _fail(path, f"tensor {name!r} has data_offsets {info['data_offsets']!r}")
    if bits is None:
        raise _fail(path, f"tensor {name!r} has unknown dtype {info.get('dtype')!r}")
    if not isinstance(shape, list) or not all(isinstance(d, int) and not isinstance(d, bool) and d >= 0 for d in shape):
        raise _fail(path, f"tensor {name!r} has shape {shape!r}")
    nbits = math.prod(shape) * bits
    if nbits % 8 or nbits // 8 != end - begin:
        raise _fail(path, f"tensor {name!r}: {info.get('dtype')} {shape} is not {end - begin} bytes")
    return begin, end


def tensor_bytes(path: str) -> int:
    """The sum of the tensors' byte sizes in one safetensors file (its data section)."""
    try:
        f, st = open_regular(path)
    except OSError as e:
        raise SourceError(Diagnostic(f"cannot read safetensors file: {e.strerror or e}", Pos(path))) from None
    with f:
        head = f.read(8)
        if len(head) < 8:
            raise _fail(path, "shorter than its 8-byte header length")
        (n,) = struct.unpack("<Q", head)
        if n > MAX_HEADER_SIZE or 8 + n > st.st_size:
            raise _fail(path, f"header length {n:,} is beyond the file ({st.st_size:,} bytes) or over {MAX_HEADER_SIZE:,}")
        raw = f.read(n)
    try:
        header = loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError, NumberOutOfRange, RecursionError) as e:
        raise _fail(path, f"header is not JSON ({e})") from None
    if not isinstance(header, dict):
        raise _fail(path, "header is not a JSON object")
    spans = sorted(_tensor_bytes(path, name, info) for name, info in header.items() if name != "__metadata__")
    offset = 0
    for begin, end in spans:
        if begin != offset:
            raise _fail(path, f"tensor data does not tile the data section (a tensor starts at {begin:,}, expected {offset:,})")
        offset = end
    if 8 + n + offset != st.st_size:
        raise _fail(path, f"8 + {n:,} header bytes + {offset:,} tensor bytes is not the file's {st.st_size:,} bytes")
    return offset
