"""Reading ``torch.save`` files without torch and without running pickle code.

TensorRT-LLM's KV cache connector example saves one full block per file: ``torch.save`` of a tensor
``[layers, 2, Hk*T*D]``. Such a ``.pt`` file is a zip holding ``<name>/data.pkl`` (a pickle that
rebuilds the tensor) and ``<name>/data/<key>`` (raw little-endian storages). Unpickling runs whatever
callables the pickle names, so plain ``pickle``/``torch.load`` on a file from elsewhere can execute
code. This unpickler resolves only the names a tensor needs (``torch._utils._rebuild_tensor_v2``,
``torch.<Type>Storage``, ``collections.OrderedDict``) to tfeic's own inert stand-ins; any other name,
and any pickle that is not exactly one tensor, is a SourceError (exit 3) before anything runs.

The tensor's view (offset, sizes, strides) comes from the file too, so it is checked against its
storage before any element is read: all non-negative integers, at most as many elements as the
storage holds, the last element inside it; the elements are then copied by slicing (contiguous) or
by bounds-checked indexing, never through a raw strided view. Zip members are read with their
declared sizes checked first (``MAX_BYTES``, and ``MAX_RATIO`` for compressed members: torch stores
members uncompressed, so a deflated one that expands a hundredfold is a zip bomb) and the reads
bounded by the declared size.
"""

from __future__ import annotations

import io
import math
import pickle
import zipfile
import zlib
from dataclasses import dataclass

import numpy as np

from ...core.diagnostics import Diagnostic, Pos, SourceError
from .dtypes import DTYPES

#: the most bytes one .pt file's storage may hold (a connector cache reads at most this many in all)
MAX_BYTES = 2 * 1024**3
#: the most a compressed zip member may expand (torch itself never compresses)
MAX_RATIO = 100
MAX_PICKLE_BYTES = 1024**2  # a tensor's data.pkl is a few hundred bytes
MAX_DIMS = 32
MAX_GATHER = 1 << 24  # elements of a non-contiguous view copied by index (8 bytes of index each)

# torch storage class name -> KV dtype name (the dtypes a KV cache can have)
STORAGE_DTYPES = {
    "FloatStorage": "fp32",
    "HalfStorage": "fp16",
    "BFloat16Storage": "bf16",
    "Float8_e4m3fnStorage": "fp8_e4m3",
    "Float8_e5m2Storage": "fp8_e5m2",
    "CharStorage": "int8",
}


@dataclass(frozen=True)
class PtTensor:
    """A tensor rebuilt from a ``.pt`` file: its KV dtype name, shape, and contiguous raw elements."""

    dtype: str
    shape: tuple[int, ...]
    raw: np.ndarray  # numpy array of the dtype's storage type, C-contiguous, ``shape``


@dataclass(frozen=True)
class _StorageType:
    dtype: str


@dataclass(frozen=True)
class _StorageRef:
    dtype: str
    key: str
    numel: int


@dataclass(frozen=True)
class _TensorRecipe:
    storage: _StorageRef
    offset: int
    shape: tuple[int, ...]
    stride: tuple[int, ...]


def _count(value) -> bool:
    """A non-negative int (bool is an int to Python, not to a tensor)."""
    return isinstance(value, int) and not isinstance(value, bool) and value >= 0


def _rebuild_tensor_v2(storage, offset, size, stride, requires_grad=False, hooks=None, metadata=None):
    """Stand-in for ``torch._utils._rebuild_tensor_v2``: records the arguments, builds nothing."""
    if not isinstance(storage, _StorageRef):
        raise pickle.UnpicklingError("tensor without a storage")
    if not (isinstance(size, tuple) and isinstance(stride, tuple) and len(size) == len(stride) <= MAX_DIMS):
        raise pickle.UnpicklingError(f"tensor size and stride must be tuples of one length (at most {MAX_DIMS})")
    if not all(_count(v) for v in (offset, *size, *stride)):
        raise pickle.UnpicklingError("tensor offset/size/stride are not non-negative integers")
    return _TensorRecipe(storage, offset, size, stride)


def _empty_dict(*args):
    """Stand-in for ``collections.OrderedDict`` (backward hooks, always empty in saved tensors)."""
    if args:
        raise pickle.UnpicklingError("unexpected OrderedDict contents")
    return {}


class _TensorUnpickler(pickle.Unpickler):
    def find_class(self, module: str, name: str):
        if (module, name) == ("torch._utils", "_rebuild_tensor_v2"):
            return _rebuild_tensor_v2
        if (module, name) == ("collections", "OrderedDict"):
            return _empty_dict
        if module == "torch" and name in STORAGE_DTYPES:
            return _StorageType(STORAGE_DTYPES[name])
        raise pickle.UnpicklingError(f"refusing to load {module}.{name}: only tensors are allowed")

    def persistent_load(self, pid):
        if not (isinstance(pid, tuple) and len(pid) == 5 and pid[0] == "storage"
                and isinstance(pid[1], _StorageType) and isinstance(pid[2], str) and _count(pid[4])):
            raise pickle.UnpicklingError(f"unexpected persistent id {pid!r}")
        return _StorageRef(pid[1].dtype, pid[2], pid[4])


def _materialize(recipe: _TensorRecipe, storage_bytes: bytes) -> PtTensor:
    """The tensor's elements, copied out of the storage only after the view is known to lie inside it."""
    dtype = DTYPES[recipe.storage.dtype]
    storage = np.dtype(dtype.storage)
    if len(storage_bytes) % storage.itemsize:
        raise pickle.UnpicklingError(f"storage of {len(storage_bytes)} bytes is not whole {dtype.name} elements")
    flat = np.frombuffer(storage_bytes, dtype=storage)
    if len(flat) < recipe.storage.numel:
        raise pickle.UnpicklingError(f"storage holds {len(flat)} elements, pickle says {recipe.storage.numel}")
    flat = flat[: recipe.storage.numel]  # the view may reach only the storage the pickle declares
    shape, stride, offset = recipe.shape, recipe.stride, recipe.offset
    count = math.prod(shape)
    if count > len(flat):
        raise pickle.UnpicklingError(f"tensor of {count} elements from a storage of {len(flat)}")
    if count == 0:  # an empty tensor reads nothing
        return PtTensor(dtype.name, shape, np.empty(shape, dtype=storage))
    last = offset + sum((n - 1) * s for n, s in zip(shape, stride))
    if last >= len(flat):
        raise pickle.UnpicklingError(f"tensor view reaches element {last}, past its storage of {len(flat)}")
    if all(n == 1 or s == math.prod(shape[i + 1:]) for i, (n, s) in enumerate(zip(shape, stride))):
        return PtTensor(dtype.name, shape, flat[offset: offset + count].reshape(shape).copy())
    if count > MAX_GATHER:
        raise pickle.UnpicklingError(f"non-contiguous tensor of {count} elements, more than {MAX_GATHER}")
    index = np.full(shape, offset, dtype=np.int64)
    for axis, (n, s) in enumerate(zip(shape, stride)):
        index += (np.arange(n, dtype=np.int64) * s).reshape([n if a == axis else 1 for a in range(len(shape))])
    return PtTensor(dtype.name, shape, flat[index])  # numpy checks every index against the storage


def _member(archive: zipfile.ZipFile, name: str, limit: int, where: Pos) -> bytes:
    """One zip member's bytes, refused from its declared sizes before anything is decompressed."""
    info = archive.getinfo(name)
    if info.file_size > limit:
        raise SourceError(Diagnostic(f"{name} is {info.file_size} bytes, more than the {limit} left of the limit "
                                     f"for .pt members ({MAX_BYTES} in all, tfeic.domains.kv.pt_reader.MAX_BYTES)", where))
    if info.compress_type != zipfile.ZIP_STORED and info.file_size > MAX_RATIO * max(info.compress_size, 1):
        raise SourceError(Diagnostic(f"{name} expands {info.file_size} bytes from {info.compress_size}, more than "
                                     f"{MAX_RATIO} times: refusing a zip bomb", where))
    with archive.open(info) as member:
        data = member.read(info.file_size + 1)  # zipfile never returns more than the declared size
    if len(data) != info.file_size:
        raise SourceError(Diagnostic(f"{name} holds {len(data)} bytes, its header says {info.file_size}", where))
    return data


def read_pt(path: str, max_bytes: int = MAX_BYTES) -> PtTensor:
    """The single tensor saved in ``path``; anything else (code, other objects, bad zip, a storage over
    ``max_bytes``) is exit 3."""
    where = Pos(path)
    try:
        with zipfile.ZipFile(path) as archive:
            pickles = [n for n in archive.namelist() if n.endswith("/data.pkl") or n == "data.pkl"]
            if len(pickles) != 1:
                raise SourceError(Diagnostic("not a torch.save zip file (no single data.pkl inside)", where))
            prefix = pickles[0][: -len("data.pkl")]
            recipe = _TensorUnpickler(io.BytesIO(_member(archive, pickles[0], MAX_PICKLE_BYTES, where))).load()
            if not isinstance(recipe, _TensorRecipe):
                raise SourceError(Diagnostic(f"expected one tensor, the file holds a {type(recipe).__name__}", where))
            return _materialize(recipe, _member(archive, f"{prefix}data/{recipe.storage.key}", max_bytes, where))
    except SourceError:
        raise
    # a damaged deflate stream, an unknown compression method, an encrypted member
    except (zipfile.BadZipFile, OSError, zlib.error, NotImplementedError, RuntimeError) as e:
        raise SourceError(Diagnostic(f"cannot read .pt file: {e}", where)) from None
    except (pickle.UnpicklingError, KeyError, EOFError, TypeError, ValueError, AttributeError, IndexError) as e:
        # malformed or hostile pickle: nothing it names was ever called, just report it
        raise SourceError(Diagnostic(f"unsafe or malformed pickle in .pt file: {e}", where)) from None
