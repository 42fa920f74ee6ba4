"""Element types of a KV cache and how their raw bytes become numbers, with numpy only (no torch).

Every dtype decodes to float32, which holds fp16, bf16, fp8 and int8 values exactly, so a decoded
value can be compared with what was written bit for bit. fp8 uses 256-entry lookup tables built from
the bit layouts (OCP FP8: e4m3 "fn" has no infinities and one NaN pattern per sign, max 448; e5m2 is
IEEE-like, max 57344). int8 caches store ``round(x / scale)`` with a per-layer fp32 scale that lives
outside the pool (``kv_cache_scaling_factor``), so decoding int8 multiplies by the scale if one is given.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # numpy is imported on first decode, so that `tfeic --version` stays fast
    import numpy as np


def _fp8_table(exp_bits: int, man_bits: int, ieee_specials: bool) -> np.ndarray:
    """Value of every fp8 code 0..255 for a sign/exponent/mantissa split."""
    import numpy as np

    bias = (1 << (exp_bits - 1)) - 1
    max_exp = (1 << exp_bits) - 1
    table = np.empty(256, dtype=np.float32)
    for code in range(256):
        sign = -1.0 if code & 0x80 else 1.0
        exp = (code >> man_bits) & max_exp
        man = code & ((1 << man_bits) - 1)
        if ieee_specials and exp == max_exp:
            value = np.inf if man == 0 else np.nan
        elif not ieee_specials and exp == max_exp and man == (1 << man_bits) - 1:
            value = np.nan
        elif exp == 0:
            value = man / (1 << man_bits) * 2.0 ** (1 - bias)
        else:
            value = (1 + man / (1 << man_bits)) * 2.0 ** (exp - bias)
        table[code] = sign * value
    return table


@dataclass(frozen=True)
class KvDtype:
    """One KV element type: its canonical name, size, and the numpy type its raw bits are read as."""

    name: str
    nbytes: int
    storage: str  # numpy dtype of the raw elements ('<f2', '<u2', 'u1', ...)
    description: str
    # Smallest magnitude bit pattern (``bits & magnitude_mask``) that is NaN or Inf; None for int8.
    # Every larger pattern is NaN or Inf too, so one max per row finds the rows that hold any.
    special_from: int | None = None

    @cached_property
    def _fp8(self) -> np.ndarray | None:
        if self.name == "fp8_e4m3":
            return _fp8_table(4, 3, ieee_specials=False)
        if self.name == "fp8_e5m2":
            return _fp8_table(5, 2, ieee_specials=True)
        return None

    def raw_view(self, data: np.ndarray) -> np.ndarray:
        """Reinterpret little-endian bytes (uint8, length a multiple of ``nbytes``) as raw elements."""
        import numpy as np

        return data.view(np.dtype(self.storage))

    def decode(self, raw: np.ndarray, scale: float | np.ndarray | None = None) -> np.ndarray:
        """Raw elements (from ``raw_view``) -> float32 values; ``scale`` applies to int8 only."""
        import numpy as np

        if self.name == "fp32":
            return raw.astype(np.float32, copy=False)
        if self.name == "fp16":
            return raw.astype(np.float32)
        if self.name == "bf16":
            return (raw.astype(np.uint32) << 16).view(np.float32)
        if self._fp8 is not None:
            return self._fp8[raw]
        values = raw.astype(np.float32)  # int8
        if scale is not None:
            values *= np.asarray(scale, dtype=np.float32)
        return values

    @property
    def bits(self) -> str:
        """numpy dtype that holds an element's raw bits as an unsigned integer."""
        return f"<u{self.nbytes}" if self.nbytes > 1 else "u1"

    @property
    def magnitude_mask(self) -> int:
        """Bits that are zero exactly when the value is zero: all but the sign for the float formats,
        all of them for int8 (two's complement: 0x80 is -128, not -0)."""
        return (1 << (8 * self.nbytes)) - 1 if self.name == "int8" else (1 << (8 * self.nbytes - 1)) - 1

    def decode_finite(self, raw: np.ndarray, scale: float | np.ndarray | None = None) -> np.ndarray:
        """Like ``decode`` and exact for every finite value, but NaN/Inf patterns come out as garbage:
        callers keep rows holding them (see ``special_from``) away from it.

        It exists for fp16, whose numpy cast is scalar code (about 2 ns a value, the whole cost of a
        ``kv stats`` pass). Four vector integer steps do the same: sign-extend to int32, shift
        exponent and mantissa into float32 position (the sign lands in bits 28..31), clear bits 28..30,
        and multiply by 2**112, which rebiases the exponent from 15 to 127 and turns a half subnormal
        (a float32 subnormal after the shift) into the right normal float32 exactly.
        """
        import numpy as np

        if self.name != "fp16":
            return self.decode(raw, scale)
        v = raw.view(np.int16).astype(np.int32)
        v <<= 13
        v &= np.int32(-0x70000001)  # 0x8FFFFFFF
        values = v.view(np.float32)
        values *= np.float32(2.0 ** 112)
        return values

    def decode_bytes(self, data: bytes, scale: float | None = None) -> float:
        """One element's bytes -> its value (for ``kv locate`` and the zoom slide)."""
        import numpy as np

        return float(self.decode(self.raw_view(np.frombuffer(data, dtype=np.uint8)), scale)[0])

    def encode(self, values: np.ndarray, scale: float | None = None) -> np.ndarray:
        """float values -> raw elements, rounding to nearest (used by synthetic pools and tests)."""
        import numpy as np

        values = np.asarray(values, dtype=np.float32)
        if self.name == "fp32":
            return values.astype("<f4")
        if self.name == "fp16":
            return values.astype("<f2")
        if self.name == "bf16":
            bits = values.view(np.uint32).astype(np.uint64)
            rounded = (bits + 0x7FFF + ((bits >> 16) & 1)) >> 16  # round to nearest even
            rounded = np.where(np.isnan(values), 0x7FC0, rounded)
            return rounded.astype("<u2")
        if self._fp8 is not None:
            return self._encode_fp8(values)
        scaled = values / np.float32(scale if scale else 1.0)
        return np.clip(np.rint(scaled), -128, 127).astype("i1")

    def _encode_fp8(self, values: np.ndarray) -> np.ndarray:
        import numpy as np

        table = self._fp8
        assert table is not None  # called for the FP8 formats only
        positive = np.arange(128)
        finite = positive[np.isfinite(table[:128])]
        order = np.argsort(table[finite], kind="stable")
        mags, codes = table[finite][order], finite[order]
        mag = np.minimum(np.abs(values), mags[-1])  # saturate, as the FP8 quantizers do
        hi = np.clip(np.searchsorted(mags, mag), 1, len(mags) - 1)
        lo = hi - 1
        pick = np.where(mag - mags[lo] <= mags[hi] - mag, codes[lo], codes[hi])
        sign = np.where(np.signbit(values), 0x80, 0)
        out = (pick | sign).astype(np.uint8)
        nan_code = int(np.flatnonzero(np.isnan(table))[0])
        return np.where(np.isnan(values), nan_code, out).astype(np.uint8)


DTYPES: dict[str, KvDtype] = {
    d.name: d
    for d in (
        KvDtype("fp32", 4, "<f4", "IEEE float32", 0x7F800000),
        KvDtype("fp16", 2, "<f2", "IEEE float16", 0x7C00),
        KvDtype("bf16", 2, "<u2", "bfloat16 (upper half of a float32)", 0x7F80),
        KvDtype("fp8_e4m3", 1, "u1", "FP8 E4M3 (fn: no inf, max 448)", 0x7F),
        KvDtype("fp8_e5m2", 1, "u1", "FP8 E5M2 (IEEE-like, max 57344)", 0x7C),
        KvDtype("int8", 1, "i1", "int8 with a per-layer fp32 scale"),
    )
}

ALIASES = {
    "float32": "fp32", "float": "fp32", "float16": "fp16", "half": "fp16", "bfloat16": "bf16",
    "fp8": "fp8_e4m3", "e4m3": "fp8_e4m3", "float8_e4m3fn": "fp8_e4m3", "e5m2": "fp8_e5m2",
    "float8_e5m2": "fp8_e5m2",
}


def dtype_named(name: str) -> KvDtype | None:
    """The dtype called ``name`` (canonical or a common alias such as 'bfloat16'); None if unknown."""
    key = str(name).lower()
    return DTYPES.get(ALIASES.get(key, key))
