"""The shape of a KV block pool and every size derived from it.

A TensorRT-LLM pool is ``[blocks, layers, kv_factor, Hk, T, D]`` (HND, the TRTLLM attention backend's
default) or ``[blocks, layers, kv_factor, T, Hk, D]`` (NHD, FlashInfer). kv_factor is 2 (K and V) or
1 for K-only caches. The sizes here are the ones TensorRT-LLM's block manager uses
(``kvCacheManager.cpp``): one block of one layer holds ``kv_factor * Hk * T * D`` elements.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from .dtypes import DTYPES, KvDtype, dtype_named

LAYOUTS = ("hnd", "nhd")


@dataclass(frozen=True)
class KvGeometry:
    layers: int
    kv_heads: int
    tokens_per_block: int
    head_dim: int
    dtype: str = "fp16"  # canonical name in ``dtypes.DTYPES``
    layout: str = "hnd"
    kv_factor: int = 2

    def __post_init__(self):
        problems = self.problems()
        if problems:
            raise ValueError("; ".join(problems))

    def problems(self) -> list[str]:
        out = [f"{name} must be a positive integer, got {getattr(self, name)!r}"
               for name in ("layers", "kv_heads", "tokens_per_block", "head_dim")
               if not isinstance(getattr(self, name), int) or getattr(self, name) < 1]
        if self.dtype not in DTYPES:
            out.append(f"unknown KV dtype {self.dtype!r} (known: {', '.join(DTYPES)})")
        if self.layout not in LAYOUTS:
            out.append(f"layout must be one of {', '.join(LAYOUTS)}, got {self.layout!r}")
        if self.kv_factor not in (1, 2):
            out.append(f"kv_factor (first of kv_dims) must be 1 or 2, got {self.kv_factor!r}")
        return out

    @property
    def kv_dtype(self) -> KvDtype:
        return DTYPES[self.dtype]

    @property
    def elem_bytes(self) -> int:
        return self.kv_dtype.nbytes

    @property
    def plane_elements(self) -> int:
        """Elements of one plane (K or V) of one block and layer: Hk x T x D."""
        return self.kv_heads * self.tokens_per_block * self.head_dim

    @property
    def plane_bytes(self) -> int:
        return self.plane_elements * self.elem_bytes

    @property
    def layer_block_bytes(self) -> int:
        """One block of one layer: ``[kv_factor, Hk, T, D]`` (the chunk the kernels index into)."""
        return self.kv_factor * self.plane_bytes

    @property
    def block_bytes(self) -> int:
        """One block across all layers (the pool's outermost stride)."""
        return self.layers * self.layer_block_bytes

    @property
    def bytes_per_token(self) -> int:
        """K and V of one token across all layers: kv_factor x L x Hk x D x element bytes."""
        return self.kv_factor * self.layers * self.kv_heads * self.head_dim * self.elem_bytes

    @property
    def kv_dims(self) -> tuple[int, int, int, int]:
        """The seed tool's ``--kv-dims``: (kv_factor, Hk, T, D)."""
        return (self.kv_factor, self.kv_heads, self.tokens_per_block, self.head_dim)


def parse_kv_dims(text: str | list | tuple) -> tuple[int, int, int, int]:
    """'2,8,32,16' or [2, 8, 32, 16] -> (kv_factor, Hk, T, D); ValueError with the reason otherwise."""
    parts = text.split(",") if isinstance(text, str) else list(text)
    try:
        dims = tuple(int(p) for p in parts)
    except (TypeError, ValueError):
        raise ValueError(f"kv_dims must be four integers 'kv,Hk,T,D', got {text!r}") from None
    if len(dims) != 4:
        raise ValueError(f"kv_dims must be four integers 'kv,Hk,T,D', got {len(dims)}")
    return dims


def dtype_for_bytes(nbytes: int, current: str) -> str:
    """The seed's ``--dtype-bytes``: keep ``current`` when it has that size, else the usual type
    of that size (4 fp32, 2 fp16, 1 fp8 e4m3)."""
    if DTYPES[current].nbytes == nbytes:
        return current
    by_size = {4: "fp32", 2: "fp16", 1: "fp8_e4m3"}
    if nbytes not in by_size:
        raise ValueError(f"dtype_bytes must be 1, 2 or 4, got {nbytes!r}")
    return by_size[nbytes]


def override(geometry: KvGeometry | None, *, layers: int | None = None, kv_dims=None,
             tokens_per_block: int | None = None, dtype: str | None = None, dtype_bytes: int | None = None,
             layout: str | None = None, kv_heads: int | None = None, head_dim: int | None = None,
             kv_factor: int | None = None) -> KvGeometry:
    """Apply explicit settings (spec fields or CLI flags) over a geometry read from elsewhere.

    Precedence: ``kv_dims`` sets kv_factor/Hk/T/D, then ``tokens_per_block``, ``dtype`` and
    ``dtype_bytes`` refine it. Without a base geometry every dimension must be given, except that
    ``kv_dims`` alone means one layer (as TFEITool's ``--kv-dims`` does). ValueError names what is
    missing or wrong.
    """
    fields: dict = {}
    if geometry is not None:
        fields = {k: getattr(geometry, k) for k in ("layers", "kv_heads", "tokens_per_block", "head_dim",
                                                    "dtype", "layout", "kv_factor")}
    if kv_dims is not None:
        fields["kv_factor"], fields["kv_heads"], fields["tokens_per_block"], fields["head_dim"] = parse_kv_dims(kv_dims)
        if geometry is None and layers is None:
            fields["layers"] = 1  # TFEITool's --kv-dims alone describes one layer's block, [2, Hk, T, D]
    for key, value in (("layers", layers), ("kv_factor", kv_factor), ("kv_heads", kv_heads),
                       ("tokens_per_block", tokens_per_block), ("head_dim", head_dim), ("layout", layout)):
        if value is not None:
            fields[key] = value
    if dtype is not None:
        known = dtype_named(dtype)
        if known is None:
            raise ValueError(f"unknown KV dtype {dtype!r} (known: {', '.join(DTYPES)})")
        fields["dtype"] = known.name
    if dtype_bytes is not None:
        fields["dtype"] = dtype_for_bytes(int(dtype_bytes), fields.get("dtype", "fp16"))
    missing = [k for k in ("layers", "kv_heads", "tokens_per_block", "head_dim") if k not in fields]
    if missing:
        raise ValueError(f"no geometry: give an engine dir or {', '.join(missing)} (kv_dims sets Hk, T and D)")
    if geometry is not None:
        return replace(geometry, **fields)
    return KvGeometry(**fields)
