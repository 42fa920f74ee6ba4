"""Memory arithmetic: how much KV a session needs, how many sessions fit, and where exabytes live.

The single-GPU budget is the crash-course formula: weights + sessions x KV per session + runtime
overhead <= device memory. The scale-out view multiplies tokens x sessions x bytes per token and
spreads it over storage tiers (HBM, host DRAM, NVMe/GDS) to show how many devices each tier needs.
All sizes are integers of bytes; ``human_bytes`` prints them in decimal (GB, TB, ... EB) units,
which is how vendors state capacities.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from .geometry import KvGeometry

UNITS = ("B", "KB", "MB", "GB", "TB", "PB", "EB", "ZB")


def human_bytes(n: float) -> str:
    """12_345_678 -> '12.3 MB'; three significant digits, decimal units up to zettabytes."""
    value, unit = float(n), 0
    while abs(value) >= 1000 and unit < len(UNITS) - 1:
        value /= 1000
        unit += 1
    if unit == 0:
        return f"{int(value)} B"
    return f"{value:.0f} {UNITS[unit]}" if 100 <= abs(value) < 1000 else f"{value:.3g} {UNITS[unit]}"


def session_bytes(geometry: KvGeometry, tokens: int) -> int:
    """KV of one session of ``tokens`` tokens, rounded up to whole blocks as the paged cache allocates."""
    blocks = math.ceil(tokens / geometry.tokens_per_block)
    return blocks * geometry.block_bytes


def weights_bytes(params: float, bytes_per_param: float) -> int:
    return int(params * bytes_per_param)


@dataclass(frozen=True)
class Budget:
    """One device's budget: what is fixed, what one session costs, how many sessions fit."""

    device: str
    device_bytes: int
    weights_bytes: int
    overhead_bytes: int
    per_session_bytes: int

    @property
    def free_for_kv(self) -> int:
        return max(0, self.device_bytes - self.weights_bytes - self.overhead_bytes)

    @property
    def sessions(self) -> int:
        return self.free_for_kv // self.per_session_bytes if self.per_session_bytes else 0


@dataclass(frozen=True)
class Tier:
    """A storage tier: a name (HBM, DRAM, NVMe) and the capacity of one device of it."""

    name: str
    device_bytes: int


@dataclass(frozen=True)
class TierNeed:
    tier: Tier
    devices: int  # devices of this tier needed to hold the whole working set


def working_set_bytes(geometry: KvGeometry, tokens: int, sessions: int) -> int:
    """tokens x sessions x bytes per token (no block rounding: a scale view, not an allocation)."""
    return tokens * sessions * geometry.bytes_per_token


def tier_needs(total_bytes: int, tiers: list[Tier]) -> list[TierNeed]:
    return [TierNeed(t, math.ceil(total_bytes / t.device_bytes)) for t in tiers]
