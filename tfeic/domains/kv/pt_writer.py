"""Writing ``.pt`` files in ``torch.save``'s zip format without torch.

Used to produce connector-cache examples (scripts/make_kv_pool.py) and test inputs that are byte-for-
byte the structure torch writes: ``<stem>/data.pkl`` (protocol 2 pickle calling
``torch._utils._rebuild_tensor_v2`` with a persistent-id storage), ``<stem>/data/0``,
``<stem>/byteorder`` and ``<stem>/version``. The pickle is assembled from opcodes because pickling a
reference to ``torch._utils`` normally requires importing torch.
"""

from __future__ import annotations

import os
import struct
import zipfile

import numpy as np

from .dtypes import DTYPES
from .pt_reader import STORAGE_DTYPES

_STORAGE_NAMES = {dtype: name for name, dtype in STORAGE_DTYPES.items()}


def _global(module: str, name: str) -> bytes:
    return b"c" + f"{module}\n{name}\n".encode()


def _str(text: str) -> bytes:
    data = text.encode()
    return b"X" + struct.pack("<I", len(data)) + data


def _int(value: int) -> bytes:
    if 0 <= value < 2**31:
        return b"J" + struct.pack("<i", value)
    data = value.to_bytes((value.bit_length() + 8) // 8, "little", signed=True)
    return b"\x8a" + bytes([len(data)]) + data


def _tuple(items: list[bytes]) -> bytes:
    return b"(" + b"".join(items) + b"t"


def tensor_pickle(dtype: str, shape: tuple[int, ...], *, offset: int = 0, strides: tuple[int, ...] | None = None,
                  numel: int | None = None) -> bytes:
    """The data.pkl torch writes for a tensor of ``shape`` stored under key '0': contiguous unless
    ``offset``/``strides`` say otherwise (a view, as torch saves one), over a storage of ``numel``
    elements (default: exactly the contiguous tensor)."""
    if numel is None:
        numel = int(np.prod(shape)) if shape else 1
    if strides is None:
        strides = tuple(int(np.prod(shape[i + 1:])) for i in range(len(shape)))
    storage = _tuple([_str("storage"), _global("torch", _STORAGE_NAMES[dtype]), _str("0"), _str("cpu"), _int(numel)]) + b"Q"
    hooks = _global("collections", "OrderedDict") + b")R"
    args = _tuple([storage, _int(offset), _tuple([_int(n) for n in shape]), _tuple([_int(s) for s in strides]), b"\x89",
                   hooks])
    return b"\x80\x02" + _global("torch._utils", "_rebuild_tensor_v2") + args + b"R."


def write_pt(path: str, dtype: str, values_raw: np.ndarray, *, data_pkl: bytes | None = None) -> None:
    """Save raw elements (numpy array of ``dtype``'s storage type) as a torch.save zip at ``path``.

    Entries get a fixed timestamp so the same tensor gives the same bytes. ``data_pkl`` replaces the
    pickle (a ``tensor_pickle`` view of the same storage).
    """
    raw = np.ascontiguousarray(values_raw, dtype=np.dtype(DTYPES[dtype].storage))
    stem = os.path.splitext(os.path.basename(path))[0]
    entries = [("data.pkl", data_pkl or tensor_pickle(dtype, raw.shape)), ("byteorder", b"little"),
               ("data/0", raw.tobytes()), ("version", b"3\n")]
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_STORED) as archive:
        for name, data in entries:
            info = zipfile.ZipInfo(f"{stem}/{name}", date_time=(1980, 1, 1, 0, 0, 0))
            archive.writestr(info, data)
