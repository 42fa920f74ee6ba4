"""Reading ``torch.save`` files without torch and without running pickle code.

TensorRT-LLM's KV cache connector example saves one full block per file: ``torch.save`` of a tensor
``[layers, 2, Hk*T*D]``. Such a ``.pt`` file is a zip holding ``<name>/data.pkl`` (a pickle that
rebuilds the tensor) and ``<name>/data/<key>`` (raw little-endian storages). Unpickling runs whatever
callables the pickle names, so plain ``pickle``/``torch.load`` on a file from elsewhere can execute
code. This unpickler resolves only the names a tensor needs (``torch._utils._rebuild_tensor_v2``,
``torch.<Type>Storage``, ``collections.OrderedDict``) to tfeic's own inert stand-ins; any other name,
and any pickle that is not exactly one tensor, is a SourceError (exit 3) before anything runs.
"""

from __future__ import annotations

import io
import pickle
import zipfile
from dataclasses import dataclass

import numpy as np

from ..diagnostics import Diagnostic, Pos, SourceError
from .dtypes import DTYPES

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


def _rebuild_tensor_v2(storage, offset, size, stride, requires_grad=False, hooks=None, metadata=None):
    """Stand-in for ``torch._utils._rebuild_tensor_v2``: records the arguments, builds nothing."""
    if not isinstance(storage, _StorageRef):
        raise pickle.UnpicklingError("tensor without a storage")
    if not (isinstance(offset, int) and all(isinstance(v, int) and v >= 0 for v in (*size, *stride))):
        raise pickle.UnpicklingError("tensor offset/size/stride are not non-negative integers")
    return _TensorRecipe(storage, offset, tuple(size), tuple(stride))


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
                and isinstance(pid[1], _StorageType) and isinstance(pid[2], str) and isinstance(pid[4], int)):
            raise pickle.UnpicklingError(f"unexpected persistent id {pid!r}")
        return _StorageRef(pid[1].dtype, pid[2], pid[4])


def _materialize(recipe: _TensorRecipe, storage_bytes: bytes) -> PtTensor:
    dtype = DTYPES[recipe.storage.dtype]
    flat = np.frombuffer(storage_bytes, dtype=np.dtype(dtype.storage))
    if len(flat) < recipe.storage.numel:
        raise pickle.UnpicklingError(f"storage holds {len(flat)} elements, pickle says {recipe.storage.numel}")
    if all(recipe.shape):  # an empty tensor reads nothing
        last = recipe.offset + sum((n - 1) * s for n, s in zip(recipe.shape, recipe.stride))
        if last >= len(flat):
            raise pickle.UnpicklingError("tensor view reaches past its storage")
    view = np.lib.stride_tricks.as_strided(flat[recipe.offset:], shape=recipe.shape,
                                           strides=tuple(s * dtype.nbytes for s in recipe.stride), writeable=False)
    return PtTensor(dtype.name, recipe.shape, np.ascontiguousarray(view))


def read_pt(path: str) -> PtTensor:
    """The single tensor saved in ``path``; anything else (code, other objects, bad zip) is exit 3."""
    where = Pos(path)
    try:
        with zipfile.ZipFile(path) as archive:
            pickles = [n for n in archive.namelist() if n.endswith("/data.pkl") or n == "data.pkl"]
            if len(pickles) != 1:
                raise SourceError(Diagnostic("not a torch.save zip file (no single data.pkl inside)", where))
            prefix = pickles[0][: -len("data.pkl")]
            recipe = _TensorUnpickler(io.BytesIO(archive.read(pickles[0]))).load()
            if not isinstance(recipe, _TensorRecipe):
                raise SourceError(Diagnostic(f"expected one tensor, the file holds a {type(recipe).__name__}", where))
            return _materialize(recipe, archive.read(f"{prefix}data/{recipe.storage.key}"))
    except SourceError:
        raise
    except (zipfile.BadZipFile, OSError) as e:
        raise SourceError(Diagnostic(f"cannot read .pt file: {e}", where)) from None
    except (pickle.UnpicklingError, KeyError, EOFError, TypeError, ValueError, AttributeError, IndexError) as e:
        # malformed or hostile pickle: nothing it names was ever called, just report it
        raise SourceError(Diagnostic(f"unsafe or malformed pickle in .pt file: {e}", where)) from None
